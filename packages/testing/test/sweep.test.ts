/**
 * The per-operation sweep against the emulator: every operation of the SDK
 * (found through its public barrel) called through the SDK, after the
 * emulator has the parents the call needs, once plain and once with
 * `expand[]` of every expandable field (from Stripe's OpenAPI spec). Every
 * answer must decode with the SDK's schemas; the only refusals are the
 * stateful ones of the differential test's allow-list, where Stripe refuses
 * too (checked against stripe-mock in the reference lane).
 */
import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@lattice-stripe/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { allowed } from "../../../test/src/allowlist.js"
import { prepare, World } from "../../../test/src/differential.js"
import { report } from "../../../test/src/report.js"
import { label, sdkOperations } from "../../../test/src/sdk.js"
import type { SweepResult } from "../../../test/src/sweep.js"
import { describeSummary, expandFor, summarize } from "../../../test/src/sweep.js"
import { emulatorSend } from "../../../test/src/wire.js"

// Refusals Stripe makes too (the differential's allow-list entries where the emulator answers 400/404).
const expectedRefusals = new Set([
  "GET /v1/customers/{customer}/cash_balance_transactions/{transaction}",
  "GET /v1/mandates/{mandate}",
  "POST /v1/payment_intents/{intent}/apply_customer_balance",
  "POST /v1/payment_intents/{intent}/verify_microdeposits",
  "POST /v1/refunds/{refund}/cancel",
  "POST /v1/setup_intents/{intent}/verify_microdeposits",
  "POST /v1/subscriptions/{subscription}/resume"
])

const tagOf = (u: unknown): string => {
  if (typeof u !== "object" || u === null || !("_tag" in u)) return "error"
  return typeof u._tag === "string" ? u._tag : "error"
}

const run = (mode: "plain" | "expand") =>
  Effect.forEach(sdkOperations, (op, i) =>
    Effect.gen(function*() {
      const emulator = Emulator.make({ seed: 1000 + i, now: () => 1_700_000_000_000 })
      const world = new World(emulatorSend(emulator), 1000 + i)
      const prepared = yield* Effect.promise(() => prepare(op, world))
      const expand = mode === "plain" ? [] : expandFor(op)
      const params = expand.length === 0 ? prepared.request.params : { ...prepared.request.params, expand }
      const exit = yield* op.call(prepared.args, params, { maxRetries: 0 }).pipe(
        Effect.provide(Emulator.layerClient({ emulator })),
        Effect.exit
      )
      const base = { label: label(op), method: op.method, path: op.template, expand }
      if (Exit.isSuccess(exit)) return { ...base, outcome: "decoded", detail: "" } satisfies SweepResult
      const failure = Cause.failureOption(exit.cause)
      const error = failure._tag === "Some" ? failure.value : undefined
      const detail = error instanceof Error ? `${tagOf(error)}: ${error.message}` : Cause.pretty(exit.cause)
      return {
        ...base,
        outcome: tagOf(error) === "StripeDecodeError" ? "decode_failure" : "rejected",
        detail
      } satisfies SweepResult
    }), { concurrency: 8 })

const check = (mode: "plain" | "expand") =>
  Effect.gen(function*() {
    const summary = summarize(yield* run(mode))
    report(
      `[sweep] emulator, ${
        mode === "plain" ? "params of the differential test" : "expand[] of every expandable field"
      }: ${describeSummary(summary)}`
    )
    const decodeFailures = summary.results.filter((r) => r.outcome === "decode_failure")
    const refused = summary.results.filter((r) => r.outcome === "rejected")
    expect(decodeFailures.map((r) => `${r.label}: ${r.detail}`)).toEqual([])
    expect(refused.filter((r) => !expectedRefusals.has(`${r.method} ${r.path}`)).map((r) => `${r.label}: ${r.detail}`))
      .toEqual([])
    expect([...expectedRefusals].filter((k) => !refused.some((r) => `${r.method} ${r.path}` === k))).toEqual([])
    for (const k of expectedRefusals) expect(allowed[k]).toBeDefined()
    expect(summary.decoded).toBe(summary.operations - expectedRefusals.size)
  })

describe("the SDK against the emulator, every operation", () => {
  it.effect("every answer decodes; the only refusals are Stripe's own", () => check("plain"), 120_000)
  it.effect("with expand[] of every expandable field, every answer decodes", () => check("expand"), 120_000)
})
