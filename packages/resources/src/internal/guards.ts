/**
 * Local validation where Stripe would otherwise accept a silent mistake.
 *
 * @internal
 */
import { StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

const fail = (message: string, param: string) => Effect.fail(new StripeError.StripeValidationError({ message, param }))

/**
 * A meter event without `event_name` or `payload` is rejected late or
 * recorded against nothing; catch it before the request.
 *
 * @internal
 */
export const meterEventCreate = (params: unknown): Effect.Effect<void, StripeError.StripeValidationError> => {
  if (!isRecord(params)) {
    return fail("Billing.MeterEvents.create needs params with event_name and payload", "event_name")
  }
  if (typeof params.event_name !== "string" || params.event_name.length === 0) {
    return fail("Billing.MeterEvents.create needs a non-empty event_name", "event_name")
  }
  if (!isRecord(params.payload)) {
    return fail("Billing.MeterEvents.create needs a payload object", "payload")
  }
  return Effect.void
}

/**
 * A meter aggregating with `sum` or `last` reads a numeric value from each
 * event's payload: without `value_settings.event_payload_key` it would sum
 * the default key and silently mis-bill.
 *
 * @internal
 */
export const meterCreate = (params: unknown): Effect.Effect<void, StripeError.StripeValidationError> => {
  if (!isRecord(params)) return Effect.void
  const aggregation = params.default_aggregation
  const formula = isRecord(aggregation) ? aggregation.formula : undefined
  if (formula === "sum" || formula === "last") {
    const settings = params.value_settings
    const key = isRecord(settings) ? settings.event_payload_key : undefined
    if (typeof key !== "string" || key.length === 0) {
      return fail(
        `Billing.Meters.create with default_aggregation.formula "${formula}" needs value_settings.event_payload_key`,
        "value_settings[event_payload_key]"
      )
    }
  }
  return Effect.void
}
