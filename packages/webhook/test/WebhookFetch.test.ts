import { describe, expect, it } from "@effect/vitest"
import * as StripeClient from "@lattice-stripe/core/StripeClient"
import * as StripeError from "@lattice-stripe/core/StripeError"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { WebhookEvent, WebhookFetch } from "../src/index.js"
import { customer, makeEvent, paymentIntent, subscription } from "./fixtures.js"

interface Seen {
  readonly method: string
  readonly path: string
  readonly pathTemplate: string | undefined
  readonly params: unknown
  readonly options: StripeClient.RequestOptions | undefined
}

// A fake client: answers each GET from a table by path, decoding with the
// request's own schema the way the real pipeline does.
const fakeClient = (bodies: Readonly<Record<string, unknown>>, seen: Array<Seen>) =>
  Layer.succeed(StripeClient.StripeClient, {
    config: {
      apiKey: Redacted.make("sk_test_fake"),
      baseUrl: "http://127.0.0.1:1",
      filesBaseUrl: "http://127.0.0.1:1",
      meterEventsBaseUrl: "http://127.0.0.1:1",
      connectBaseUrl: "http://127.0.0.1:1",
      apiVersion: "2024-04-10",
      maxRetries: 0,
      timeout: Duration.seconds(5),
      stripeAccount: undefined,
      appInfo: undefined,
      retrySchedule: undefined,
      maxResponseBytes: 32 * 1024 * 1024,
      telemetry: false,
      compileDecoders: true
    },
    execute: (request) => {
      seen.push({
        method: request.method,
        path: request.path,
        pathTemplate: request.pathTemplate,
        params: request.params,
        options: request.options
      })
      if (!Object.hasOwn(bodies, request.path)) {
        return Effect.fail(
          new StripeError.StripeInvalidRequestError({ message: `No such path ${request.path}`, status: 404 })
        )
      }
      const body = bodies[request.path]
      return Schema.decodeUnknown(request.schema)(body).pipe(
        Effect.map((value) => ({
          value,
          meta: {
            requestId: "req_fake",
            status: 200,
            headers: {},
            idempotencyKey: undefined,
            replayed: false,
            attempts: 1
          }
        })),
        Effect.mapError((error) =>
          new StripeError.StripeDecodeError({ message: error.message, status: 200, body: JSON.stringify(body) })
        )
      )
    },
    executeBytes: () => Effect.die("not used")
  })

const eventOf = (type: string, object: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
  const event: unknown = makeEvent(type, object, extra)
  if (!WebhookEvent.isEvent(event)) throw new Error("fixture is not an event")
  return event
}

describe("WebhookFetch.retrieveEvent", () => {
  it.effect("GETs /v1/events/{id} and decodes the envelope", () =>
    Effect.gen(function*() {
      const seen: Array<Seen> = []
      const body = makeEvent("customer.created", customer)
      const event = yield* WebhookFetch.retrieveEvent("evt_1/x", { stripeAccount: "acct_1" }).pipe(
        Effect.provide(fakeClient({ "/v1/events/evt_1%2Fx": body }, seen))
      )
      expect(event.type).toBe("customer.created")
      expect(event.data.object.id).toBe("cus_123")
      expect(seen).toEqual([
        {
          method: "GET",
          path: "/v1/events/evt_1%2Fx",
          pathTemplate: "/v1/events/{id}",
          options: { stripeAccount: "acct_1" }
        }
      ])
    }))

  it.effect("fails with the client's typed error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        WebhookFetch.retrieveEvent("evt_missing").pipe(Effect.provide(fakeClient({}, [])))
      )
      expect(error._tag).toBe("StripeInvalidRequestError")
    }))
})

describe("WebhookFetch.retrieveObject", () => {
  it.effect("re-fetches data.object by its type and id, with expand", () =>
    Effect.gen(function*() {
      const seen: Array<Seen> = []
      const fresh = { ...paymentIntent, status: "requires_capture" }
      const event = eventOf("payment_intent.succeeded", paymentIntent)
      const object = yield* WebhookFetch.retrieveObject(event, { expand: ["customer"] }).pipe(
        Effect.provide(fakeClient({ "/v1/payment_intents/pi_123": fresh }, seen))
      )
      expect(object).toMatchObject({ id: "pi_123", object: "payment_intent", status: "requires_capture" })
      expect(seen).toEqual([
        {
          method: "GET",
          path: "/v1/payment_intents/pi_123",
          pathTemplate: "/v1/payment_intents/{id}",
          params: { expand: ["customer"] },
          options: undefined
        }
      ])
    }))

  it.effect("uses the event's connected account unless told otherwise", () =>
    Effect.gen(function*() {
      const seen: Array<Seen> = []
      const event = eventOf("customer.subscription.updated", subscription, { account: "acct_connected" })
      const layer = fakeClient({ "/v1/subscriptions/sub_123": subscription }, seen)
      yield* WebhookFetch.retrieveObject(event).pipe(Effect.provide(layer))
      yield* WebhookFetch.retrieveObject(event, undefined, { stripeAccount: "acct_other" }).pipe(Effect.provide(layer))
      expect(seen.map((s) => s.options?.stripeAccount)).toEqual(["acct_connected", "acct_other"])
    }))

  it.effect("maps namespaced and nested objects to their paths", () =>
    Effect.gen(function*() {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ object: "checkout.session", id: "cs_1" }, "/v1/checkout/sessions/cs_1"],
        [{ object: "issuing.authorization", id: "iauth_1" }, "/v1/issuing/authorizations/iauth_1"],
        [{ object: "scheduled_query_run", id: "sqr_1" }, "/v1/sigma/scheduled_query_runs/sqr_1"],
        [{ object: "person", id: "person_1", account: "acct_1" }, "/v1/accounts/acct_1/persons/person_1"],
        [{ object: "tax_id", id: "txi_1", customer: "cus_1" }, "/v1/customers/cus_1/tax_ids/txi_1"],
        [{ object: "card", id: "card_1", customer: "cus_1" }, "/v1/customers/cus_1/sources/card_1"],
        [{ object: "bank_account", id: "ba_1", account: "acct_1" }, "/v1/accounts/acct_1/external_accounts/ba_1"],
        [{ object: "fee_refund", id: "fr_1", fee: "fee_1" }, "/v1/application_fees/fee_1/refunds/fr_1"],
        [{ object: "balance" }, "/v1/balance"],
        [{ object: "cash_balance", customer: "cus_1" }, "/v1/customers/cus_1/cash_balance"]
      ]
      for (const [object, path] of cases) {
        const event = eventOf("x.updated", object)
        const seen: Array<Seen> = []
        // The canned body is a brand-new object type so the registry passes it through.
        yield* WebhookFetch.retrieveObject(event).pipe(
          Effect.provide(fakeClient({ [path]: { object: "future_object", id: "x" } }, seen))
        )
        expect(seen[0]?.path).toBe(path)
      }
    }))

  it.effect("fails with StripeValidationError for objects without a retrieve endpoint", () =>
    Effect.gen(function*() {
      const seen: Array<Seen> = []
      const event = eventOf("customer.discount.created", { object: "discount", id: "di_1" })
      const error = yield* Effect.flip(WebhookFetch.retrieveObject(event).pipe(Effect.provide(fakeClient({}, seen))))
      expect(error._tag).toBe("StripeValidationError")
      expect(seen).toEqual([])
    }))

  it.effect("fails with StripeDecodeError keeping the request id when the fresh object does not decode", () =>
    Effect.gen(function*() {
      const { amount: _omitted, ...broken } = paymentIntent
      const event = eventOf("payment_intent.succeeded", paymentIntent)
      const error = yield* Effect.flip(
        WebhookFetch.retrieveObject(event).pipe(
          Effect.provide(fakeClient({ "/v1/payment_intents/pi_123": broken }, []))
        )
      )
      expect(error._tag).toBe("StripeDecodeError")
      if (error._tag === "StripeDecodeError") {
        expect(error.requestId).toBe("req_fake")
        expect(error.message).toContain("amount")
      }
    }))
})
