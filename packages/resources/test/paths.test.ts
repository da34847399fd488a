/**
 * Path arguments in generated code follow core's one rule
 * (`StripeClient.pathSegment`, refused by the pipeline; the rule itself is
 * tested in `packages/core/test/Transports.test.ts`): for every generated
 * operation with path params, an empty, `.` or `..` argument in any slot fails
 * with `StripeValidationError` (param `path`) and sends nothing; anything
 * else stays one literal segment.
 */
import { describe, expect, it } from "@effect/vitest"
import type { StripeClient } from "@lattice-stripe/core"
import { Customers } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { report } from "../../../test/src/report.js"
import { label, pathParams, sdkOperations } from "../../../test/src/sdk.js"
import { mockStripe } from "./support.js"

const tagAndParam = (exit: Exit.Exit<unknown, unknown>): string => {
  if (Exit.isSuccess(exit)) return "success"
  const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
  if (typeof failure !== "object" || failure === null) return "defect"
  return `${String(Reflect.get(failure, "_tag"))}/${String(Reflect.get(failure, "param"))}`
}

describe("path arguments of generated operations", () => {
  it.effect("Customers.deleteTaxId(\"..\", \"txi_1\") and friends send nothing", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: {} }))
      const calls: ReadonlyArray<Effect.Effect<unknown, unknown, StripeClient.StripeClient>> = [
        Customers.deleteTaxId("..", "txi_1"),
        Customers.deleteTaxId("cus_1", "."),
        Customers.deleteTaxId("cus_1", ""),
        Customers.retrieve("..")
      ]
      for (const call of calls) {
        expect(tagAndParam(yield* Effect.exit(Effect.provide(call, layer)))).toBe("StripeValidationError/path")
      }
      expect(recorded).toHaveLength(0)
      yield* Effect.exit(Effect.provide(Customers.deleteTaxId("cus 1/../..", "txi?1#x"), layer))
      expect(recorded.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
        "DELETE /v1/customers/cus%201%2F..%2F../tax_ids/txi%3F1%23x"
      ])
    }))

  it.effect(
    "every operation refuses an empty, . or .. argument in every slot, before sending",
    () =>
      Effect.gen(function*() {
        const { layer, recorded } = mockStripe(() => ({ json: {} }))
        const wrong: Array<string> = []
        let calls = 0
        const withParams = sdkOperations.filter((op) => pathParams(op.path).length > 0)
        for (const op of withParams) {
          const names = pathParams(op.path)
          for (let slot = 0; slot < names.length; slot++) {
            for (const bad of ["", ".", ".."]) {
              const args = names.map((_, i) => (i === slot ? bad : `id_${i}`))
              const exit = yield* Effect.exit(Effect.provide(op.call(args, undefined, { maxRetries: 0 }), layer))
              calls++
              const got = tagAndParam(exit)
              if (got !== "StripeValidationError/path") wrong.push(`${label(op)}(${JSON.stringify(args)}): ${got}`)
            }
          }
        }
        report(
          `[paths] ${withParams.length} operations with path params, ${calls} refused calls, ${wrong.length} wrong`
        )
        expect(withParams.length).toBeGreaterThan(300)
        expect(wrong).toEqual([])
        expect(recorded).toHaveLength(0)
      }),
    120_000
  )
})
