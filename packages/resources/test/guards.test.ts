import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { Billing } from "../src/index.js"
import { mockStripe, model } from "./support.js"

describe("local guards", () => {
  it.effect("MeterEvents.create needs event_name and payload", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: sample(model, "billing.meter_event") }))
      // @ts-expect-error payload is required
      const noPayload = yield* Billing.MeterEvents.create({ event_name: "api_call" }).pipe(
        Effect.flip,
        Effect.provide(layer)
      )
      expect(noPayload._tag).toBe("StripeValidationError")
      expect(noPayload).toMatchObject({ param: "payload" })
      const noName = yield* Billing.MeterEvents.create({ event_name: "", payload: { value: "1" } }).pipe(
        Effect.flip,
        Effect.provide(layer)
      )
      expect(noName).toMatchObject({ _tag: "StripeValidationError", param: "event_name" })
      expect(recorded).toHaveLength(0)
      const ok = yield* Billing.MeterEvents.create({ event_name: "api_call", payload: { value: "1" } }).pipe(
        Effect.provide(layer)
      )
      expect(ok.object).toBe("billing.meter_event")
      expect(recorded).toHaveLength(1)
    }))

  it.effect("Meters.create with sum or last needs value_settings.event_payload_key", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: sample(model, "billing.meter") }))
      const sum = yield* Billing.Meters.create({
        default_aggregation: { formula: "sum" },
        display_name: "Tokens",
        event_name: "tokens"
      }).pipe(Effect.flip, Effect.provide(layer))
      expect(sum).toMatchObject({ _tag: "StripeValidationError", param: "value_settings[event_payload_key]" })
      expect(sum.message).toContain("sum")
      const last = yield* Billing.Meters.create({
        // `last` is in the pinned version's formula enum (it was not in 2024-04-10's).
        default_aggregation: { formula: "last" },
        display_name: "Tokens",
        event_name: "tokens",
        value_settings: { event_payload_key: "" }
      }).pipe(Effect.flip, Effect.provide(layer))
      expect(last).toMatchObject({ _tag: "StripeValidationError", param: "value_settings[event_payload_key]" })
      expect(recorded).toHaveLength(0)
      yield* Billing.Meters.create({
        default_aggregation: { formula: "sum" },
        display_name: "Tokens",
        event_name: "tokens",
        value_settings: { event_payload_key: "tokens" }
      }).pipe(Effect.provide(layer))
      yield* Billing.Meters.create({
        default_aggregation: { formula: "count" },
        display_name: "Calls",
        event_name: "c"
      })
        .pipe(Effect.provide(layer))
      expect(recorded).toHaveLength(2)
    }))
})
