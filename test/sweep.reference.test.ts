/**
 * The per-operation sweep against Stripe's stripe-mock (reference lane):
 * every operation of the SDK, found through its public barrel, called through
 * the SDK with minimal params derived from Stripe's OpenAPI spec, then again
 * with `expand[]` of every expandable field. stripe-mock validates the
 * request against the spec and answers with Stripe's fixtures, so a
 * rejection is a request the SDK builds wrong and a decode failure is a
 * response the SDK's schemas refuse.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { report, stripeMockUrl } from "./src/report.js"
import { sdkOperations } from "./src/sdk.js"
import type { SweepSummary } from "./src/sweep.js"
import { describeSummary, sweep } from "./src/sweep.js"

const StripeMock = Layer.unwrapEffect(Effect.sync(() => {
  const url = stripeMockUrl()
  return StripeClient.layer({
    apiKey: Redacted.make("sk_test_123"),
    baseUrl: url,
    filesBaseUrl: url,
    meterEventsBaseUrl: url,
    maxRetries: 0
  })
})).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.orDie)

const problems = (s: SweepSummary): ReadonlyArray<string> =>
  s.results
    .filter((r) => r.outcome === "decode_failure" || r.outcome === "rejected" || r.outcome === "not_in_spec")
    .map((r) =>
      `${r.outcome} ${r.label} (${r.method} ${r.path}${
        r.expand.length > 0 ? `, expand ${r.expand.join(",")}` : ""
      }): ${r.detail}`
    )

describe("the SDK against stripe-mock, every operation", () => {
  it.effect(
    "with minimal params from the spec: every response decodes, none is rejected",
    () =>
      Effect.gen(function*() {
        const summary = yield* sweep(sdkOperations, "plain")
        report(`[sweep] stripe-mock, minimal params: ${describeSummary(summary)}`)
        expect(problems(summary)).toEqual([])
        expect(summary.operations).toBe(sdkOperations.length)
        expect(summary.decoded + summary.notServed).toBe(summary.operations)
        expect(summary.decoded).toBeGreaterThan(0)
      }).pipe(Effect.provide(StripeMock)),
    { timeout: 120_000 }
  )

  it.effect("with expand[] of every expandable field: every expanded response decodes", () =>
    Effect.gen(function*() {
      const summary = yield* sweep(sdkOperations, "expand")
      report(`[sweep] stripe-mock, expand[] of every expandable field: ${describeSummary(summary)}`)
      expect(problems(summary)).toEqual([])
      expect(summary.decoded + summary.notServed).toBe(summary.operations)
      // Most operations return an object with an expandable field; each was sent.
      expect(summary.expanded).toBeGreaterThan(summary.operations / 2)
    }).pipe(Effect.provide(StripeMock)), { timeout: 120_000 })
})
