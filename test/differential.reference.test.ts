/**
 * The emulator against Stripe's stripe-mock (reference lane), for every
 * operation of the SDK: the same request to both (after the emulator has the
 * parents the call needs, made by ordinary Stripe calls), then the same
 * status, the same top-level fields (and first list item's) and the same
 * kind of value in each. Every difference is either fixed or in the reviewed
 * allow-list (`test/src/allowlist.ts`) with its reason.
 */
import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@lattice-stripe/testing"
import { allowed } from "./src/allowlist.js"
import type { Comparison } from "./src/differential.js"
import { compareOperation } from "./src/differential.js"
import { report, stripeMockUrl } from "./src/report.js"
import { sdkOperations } from "./src/sdk.js"
import { emulatorSend, httpSend } from "./src/wire.js"

/** Runs `f` over `items`, `limit` at a time, in order of results. */
const pool = async <A, B>(items: ReadonlyArray<A>, limit: number, f: (a: A, i: number) => Promise<B>) => {
  const out: Array<B> = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await f(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return out
}

const key = (c: Comparison) => `${c.method} ${c.path}`

const describeComparison = (c: Comparison): string =>
  c.setupError !== undefined
    ? `${c.label} (${key(c)}): the emulator could not set up the call: ${c.setupError}`
    : `${c.label} (${key(c)}): ${
      c.differences.map((d) => `${d.what} ${d.field}: emulator ${d.emulator}, stripe-mock ${d.stripeMock}`).join("; ")
    }`

describe("the emulator answers like stripe-mock", () => {
  it("for every operation: status, top-level fields and kinds of values", async () => {
    const stripeMock = httpSend(stripeMockUrl())
    // v2 endpoints are not served by stripe-mock: they are counted, not compared.
    const v2 = sdkOperations.filter((op) => op.path.startsWith("/v2/"))
    const ops = sdkOperations.filter((op) => !op.path.startsWith("/v2/"))
    const results = await pool(ops, 16, (op, i) =>
      compareOperation(
        op,
        emulatorSend(Emulator.make({ seed: i + 1, now: () => 1_700_000_000_000 })),
        stripeMock,
        i + 1
      ))
    const different = results.filter((c) => c.setupError !== undefined || c.differences.length > 0)
    const identical = results.length - different.length
    const unexpected = different.filter((c) => allowed[key(c)] === undefined).map(describeComparison)
    const stale = Object.keys(allowed).filter((k) => !different.some((c) => key(c) === k))
    const percent = (100 * identical / results.length).toFixed(1)
    report(
      `[differential] emulator vs stripe-mock: ${results.length} compared, ${identical} identical (${percent}%), ` +
        `${different.length} allow-listed${v2.length > 0 ? `, ${v2.length} v2 not served by stripe-mock` : ""}`
    )
    for (const c of different) {
      report(`  allow-listed: ${describeComparison(c)}\n    reason: ${allowed[key(c)] ?? "(none)"}`)
    }
    expect(unexpected).toEqual([])
    expect(stale).toEqual([])
    expect(identical / results.length).toBeGreaterThanOrEqual(0.95)
  }, 120_000)
})
