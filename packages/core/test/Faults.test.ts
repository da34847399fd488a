/**
 * The fault acceptance at a smaller count (the full 10,000-call run is
 * `bench/src/faults.ts`): every transport, 5% of each fault per request
 * (resets before and after the server acted, 500, 409, 429 with
 * Retry-After, a stall past the timeout, a truncated body, an HTML 200),
 * the SDK's default retries. The fault server's record of side effects by
 * idempotency key is the oracle: 0 duplicate side effects, 0 untyped
 * failures, every failed call carries the key it was sent with, every
 * success is the object the server applied for it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { FAULTS, runFaults } from "./support/faults.js"
import { transports } from "./support/loopback.js"

const CALLS = 400

describe("5% of each fault", () => {
  for (const transport of transports) {
    it.scoped(
      `${CALLS} calls on ${transport.name}: no duplicate, every failure typed and keyed`,
      () =>
        Effect.gen(function*() {
          const report = yield* runFaults(transport, { calls: CALLS, seed: 7 })
          expect(report.duplicateSideEffects).toBe(0)
          expect(report.untypedFailures).toBe(0)
          expect(report.failuresWithoutTheirKey).toBe(0)
          expect(report.successesInconsistent).toBe(0)
          // Not vacuous: every fault happened, and some calls failed after their retries.
          for (const fault of FAULTS) expect(report.injected[fault], fault).toBeGreaterThan(0)
          expect(report.failed).toBeGreaterThan(0)
          expect(report.succeeded).toBeGreaterThan(CALLS / 2)
        }),
      { timeout: 120_000 }
    )
  }
})
