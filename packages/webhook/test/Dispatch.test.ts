import { describe, expect, it } from "@effect/vitest"
import type { ObjectTypes } from "@lattice-stripe/resources/ObjectRegistry"
import * as Effect from "effect/Effect"
import { pipe } from "effect/Function"
import { expectTypeOf } from "vitest"
import { Webhook, WebhookEvent } from "../src/index.js"
import { makeEvent, paymentIntent, subscription } from "./fixtures.js"

const eventOf = (type: string, object: Record<string, unknown>): WebhookEvent.Event => {
  const event: unknown = makeEvent(type, object)
  if (!WebhookEvent.isEvent(event)) throw new Error("fixture is not an event")
  return event
}

const succeeded = eventOf("payment_intent.succeeded", paymentIntent)
const deleted = eventOf("customer.subscription.deleted", subscription)
const unknownType = eventOf("brand_new.event", { id: "x_1", object: "brand_new" })

describe("Webhook.dispatch", () => {
  it.effect("calls the handler registered for the event type with the object and the event", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const handlers = {
        "payment_intent.succeeded": (
          intent: WebhookEvent.EventObject<"payment_intent.succeeded">,
          event: WebhookEvent.Event
        ) =>
          Effect.sync(() => {
            seen.push(`pi:${intent.object}:${event.id}`)
            return "fulfilled" as const
          }),
        "customer.subscription.deleted": (subscription: WebhookEvent.EventObject<"customer.subscription.deleted">) =>
          Effect.sync(() => {
            seen.push(`sub:${subscription.object}`)
            return 42
          })
      }
      const first = yield* Webhook.dispatch(succeeded, handlers)
      const second = yield* Webhook.dispatch(deleted, handlers)
      expect(first).toBe("fulfilled")
      expect(second).toBe(42)
      expect(seen).toEqual(["pi:payment_intent:evt_1NG8Du2eZvKYlo2CUI79vXWy", "sub:subscription"])
    }))

  it.effect("infers handler parameter types from the event type (contextual typing)", () =>
    Effect.gen(function*() {
      const result = yield* Webhook.dispatch(succeeded, {
        "payment_intent.succeeded": (intent, event) => {
          // Typed: `amount` is a number on a PaymentIntent, `type` the literal.
          const amount: number = intent.amount
          const type: "payment_intent.succeeded" = event.type
          return Effect.succeed(`${intent.object}/${type}/${amount}`)
        },
        "customer.subscription.deleted": (sub) => Effect.succeed(sub.status)
      })
      expect(result).toBe("payment_intent/payment_intent.succeeded/2000")
      // `void` for the event types without a handler (acknowledged by default)
      expectTypeOf(result).toEqualTypeOf<string | void>()
    }))

  it.effect("runs the fallback for types without a handler", () =>
    Effect.gen(function*() {
      const handlers = { "payment_intent.succeeded": () => Effect.succeed("handled") }
      const result = yield* Webhook.dispatch(deleted, handlers, (event) => Effect.succeed(`fallback:${event.type}`))
      expect(result).toBe("fallback:customer.subscription.deleted")
      const forUnknown = yield* Webhook.dispatch(unknownType, handlers, (event) => Effect.succeed(event.type))
      expect(forUnknown).toBe("brand_new.event")
    }))

  it.effect("acknowledges unhandled events by default", () =>
    Effect.gen(function*() {
      const calls: Array<string> = []
      const result = yield* Webhook.dispatch(unknownType, {
        "payment_intent.succeeded": () => Effect.sync(() => calls.push("pi"))
      })
      expect(result).toBeUndefined()
      expect(calls).toEqual([])
    }))

  it.effect("never reaches Object.prototype for hostile event types", () =>
    Effect.gen(function*() {
      for (const type of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
        const result = yield* Webhook.dispatch(
          eventOf(type, { id: "x", object: "x" }),
          { "payment_intent.succeeded": () => Effect.succeed("pi") },
          () => Effect.succeed("fallback")
        )
        expect(result).toBe("fallback")
      }
    }))

  it.effect("works data-last in a pipeline", () =>
    Effect.gen(function*() {
      const handle = Webhook.dispatch(
        { "payment_intent.succeeded": (intent) => Effect.succeed(intent.object) },
        () => Effect.succeed("other")
      )
      expect(yield* handle(succeeded)).toBe("payment_intent")
      expect(yield* pipe(Effect.succeed(deleted), Effect.flatMap(handle))).toBe("other")
    }))

  it.effect("fails with WebhookObjectError (with the event's API version) when data.object does not decode", () =>
    Effect.gen(function*() {
      const { capture_method: _omitted, ...broken } = paymentIntent
      const calls: Array<string> = []
      const error = yield* Effect.flip(
        Webhook.dispatch(eventOf("payment_intent.succeeded", broken), {
          "payment_intent.succeeded": () => Effect.sync(() => calls.push("called"))
        })
      )
      expect(error._tag).toBe("WebhookObjectError")
      if (error._tag === "WebhookObjectError") {
        expect(error.eventId).toBe("evt_1NG8Du2eZvKYlo2CUI79vXWy")
        expect(error.apiVersion).toBe("2026-10-28.endive")
        expect(error.object).toBe("payment_intent")
        expect(error.detail).toContain("capture_method")
        // Compact: the failing path, not the whole PaymentIntent schema.
        expect(error.detail.length).toBeLessThan(200)
      }
      expect(calls).toEqual([])
    }))

  it.effect("propagates a handler's failure", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        Webhook.dispatch(succeeded, { "payment_intent.succeeded": () => Effect.fail("boom" as const) })
      )
      expect(error).toBe("boom")
    }))
})

describe("WebhookEvent", () => {
  it("maps event types to the resources' object types", () => {
    expectTypeOf<WebhookEvent.EventObject<"payment_intent.succeeded">>().toEqualTypeOf<ObjectTypes["payment_intent"]>()
    expectTypeOf<WebhookEvent.EventObject<"customer.subscription.deleted">>().toEqualTypeOf<
      ObjectTypes["subscription"]
    >()
    expectTypeOf<WebhookEvent.EventObject<"invoice.payment_failed">>().toEqualTypeOf<ObjectTypes["invoice"]>()
    expectTypeOf<WebhookEvent.EventObject<"checkout.session.completed">>().toEqualTypeOf<
      ObjectTypes["checkout.session"]
    >()
    expectTypeOf<WebhookEvent.EventObject<"customer.updated">>().toEqualTypeOf<ObjectTypes["customer"]>()
    expectTypeOf<WebhookEvent.EventObject<"not.a.type">>().toEqualTypeOf<WebhookEvent.StripeObject>()
    // Runtime half: the event types the map covers reach the registry's object names.
    expect(WebhookEvent.isEventType(succeeded, "payment_intent.succeeded")).toBe(true)
  })

  it("isEventType narrows by type", () => {
    expect(WebhookEvent.isEventType(succeeded, "payment_intent.succeeded")).toBe(true)
    expect(WebhookEvent.isEventType(succeeded, "invoice.paid")).toBe(false)
  })

  it.effect("decodeObject keeps the envelope and decodes data.object", () =>
    Effect.gen(function*() {
      const decoded = yield* WebhookEvent.decodeObject(succeeded)
      expect(decoded.id).toBe(succeeded.id)
      expect(decoded.type).toBe("payment_intent.succeeded")
      expect(decoded.data.object.object).toBe("payment_intent")
    }))

  it.effect("EventWithObject decodes data.object through the registry", () =>
    Effect.gen(function*() {
      const { Schema } = yield* Effect.promise(() => import("effect"))
      const decoded = yield* Schema.decodeUnknown(WebhookEvent.EventWithObject)(
        makeEvent("payment_intent.succeeded", { ...paymentIntent, unknown_field: 1 })
      )
      expect(decoded.data.object).toMatchObject({ id: "pi_123", amount: 2000 })
      const { amount: _omitted, ...broken } = paymentIntent
      const failed = yield* Effect.either(
        Schema.decodeUnknown(WebhookEvent.EventWithObject)(makeEvent("payment_intent.succeeded", broken))
      )
      expect(failed._tag).toBe("Left")
      // Unknown object types pass through whole.
      const future = yield* Schema.decodeUnknown(WebhookEvent.EventWithObject)(
        makeEvent("future.event", { id: "fut_1", object: "future_thing", extra: true })
      )
      expect(future.data.object).toEqual({ id: "fut_1", object: "future_thing", extra: true })
    }))

  it.effect("the Event schema agrees with the structural check", () =>
    Effect.gen(function*() {
      const { Schema } = yield* Effect.promise(() => import("effect"))
      const decode = Schema.decodeUnknownEither(WebhookEvent.Event)
      const good = makeEvent("customer.created", { id: "cus_1", object: "customer" })
      const bad = [
        { ...good, object: "customer" },
        { ...good, created: "1" },
        { ...good, data: { object: null } },
        { ...good, request: "req_1" },
        { ...good, pending_webhooks: undefined }
      ]
      expect(decode(good)._tag).toBe("Right")
      expect(WebhookEvent.isEvent(good)).toBe(true)
      for (const value of bad) {
        expect(decode(value)._tag).toBe("Left")
        expect(WebhookEvent.isEvent(value)).toBe(false)
      }
    }))
})
