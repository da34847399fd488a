/**
 * Typed events (generated event-type table), objects from another API
 * version, and thin events (v2 event notifications).
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import type { Schemas } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { expectTypeOf } from "vitest"
import { EventNotification, Webhook, WebhookEvent, WebhookHttp } from "../src/index.js"
import { customer, makeEvent, secret, subscription } from "./fixtures.js"

const T = 1_700_000_000

const signed = (body: string) => Webhook.generateTestSignature(body, secret, { timestamp: T })

// A subscription as Stripe rendered it for API version 2024-04-10 (before the
// billing periods moved to the items): no `billing_mode`, `invoice_settings`...
const subscription20240410 = {
  id: "sub_old",
  object: "subscription",
  billing_cycle_anchor: 1_700_000_000,
  cancel_at_period_end: false,
  collection_method: "charge_automatically",
  created: 1_700_000_000,
  currency: "usd",
  current_period_end: 1_702_592_000,
  current_period_start: 1_700_000_000,
  customer: "cus_123",
  items: { object: "list", data: [], has_more: false, url: "/v1/subscription_items?subscription=sub_old" },
  livemode: false,
  metadata: {},
  start_date: 1_700_000_000,
  status: "active"
}

describe("Webhook.constructEvent: typed events", () => {
  it.effect("returns a union that narrows data.object on event.type", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const body = JSON.stringify(makeEvent("customer.subscription.deleted", subscription))
      const event = yield* Webhook.constructEvent(body, signed(body), secret)
      expectTypeOf(event).toEqualTypeOf<WebhookEvent.TypedEvent>()
      if (event.type !== "customer.subscription.deleted") return expect.fail(`unexpected ${event.type}`)
      expectTypeOf(event.data.object).toEqualTypeOf<Schemas.Subscription>()
      expect(event.data.object.status).toBe("canceled")
      expect(event.data.object.billing_mode.type).toBe("classic")
    }))

  it("the generated table pairs event types with the stripe package's object types", () => {
    expectTypeOf<WebhookEvent.EventObject<"invoice.paid">>().toEqualTypeOf<Schemas.Invoice>()
    expectTypeOf<WebhookEvent.EventObject<"issuing_card.created">>().toEqualTypeOf<Schemas.IssuingCard>()
    expectTypeOf<WebhookEvent.EventObject<"customer.created">>().toEqualTypeOf<Schemas.Customer>()
    expectTypeOf<WebhookEvent.EventObject<"no.such.event">>().toEqualTypeOf<WebhookEvent.StripeObject>()
  })

  it.effect("an object rendered for another API version is a WebhookObjectError with that version", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const body = JSON.stringify(
        makeEvent("customer.subscription.updated", subscription20240410, { api_version: "2024-04-10" })
      )
      const error = yield* Effect.flip(Webhook.constructEvent(body, signed(body), secret))
      expect(error._tag).toBe("WebhookObjectError")
      if (error._tag !== "WebhookObjectError") return
      expect(error.apiVersion).toBe("2024-04-10")
      expect(error.sdkApiVersion).toBe("2026-10-28.endive")
      expect(error.eventType).toBe("customer.subscription.updated")
      expect(error.object).toBe("subscription")
      expect(error.message).toContain("rendered with API version 2024-04-10")
      // Still readable untyped.
      const raw = yield* Webhook.constructEvent(body, signed(body), secret, { decodeObject: false })
      expect(raw.data.object.id).toBe("sub_old")
    }))

  it.effect("the HTTP handler acknowledges such an event (200) instead of having Stripe retry it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const handled: Array<string> = []
      const app = WebhookHttp.makeHandler({
        secret,
        handler: (event) => Effect.sync(() => handled.push(event.id))
      })
      const respond = (body: string) =>
        Effect.provideService(
          app,
          HttpServerRequest.HttpServerRequest,
          HttpServerRequest.fromWeb(
            new Request("http://127.0.0.1/hook", {
              method: "POST",
              headers: { "stripe-signature": signed(body) },
              body
            })
          )
        )
      const old = JSON.stringify(
        makeEvent("customer.subscription.updated", subscription20240410, { api_version: "2024-04-10" })
      )
      expect((yield* respond(old)).status).toBe(200)
      expect(handled).toEqual([])
      const current = JSON.stringify(makeEvent("customer.created", customer))
      expect((yield* respond(current)).status).toBe(200)
      expect(handled).toEqual(["evt_1NG8Du2eZvKYlo2CUI79vXWy"])
    }))
})

// Stripe's documented thin event (event destinations), the payload a v2 destination delivers.
const related = {
  id: "mtr_test_61R9IjkKlxhe5TYMw41SfAaaYaKBm5pE",
  type: "billing.meter",
  url: "/v1/billing/meters/mtr_test_61R9IjkKlxhe5TYMw41SfAaaYaKBm5pE"
}
const thin: EventNotification.EventNotification = {
  id: "evt_test_65R9Ijk8tOgl8CW3ZB016R9G3f5a2e0bU2DEEg6F6jDgb2",
  object: "v2.core.event",
  type: "v1.billing.meter.error_report_triggered",
  livemode: false,
  created: "2024-09-17T06:20:52.246Z",
  context: "acct_123",
  related_object: related
}

interface Seen {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
}

const stripeAnswering = (body: (url: URL) => unknown) => {
  const seen: Array<Seen> = []
  const http = HttpClient.make((request) =>
    Effect.sync(() => {
      const url = new URL(request.url)
      seen.push({ url: url.pathname, headers: request.headers })
      return HttpClientResponse.fromWeb(
        request,
        new Response(JSON.stringify(body(url)), { status: 200, headers: { "content-type": "application/json" } })
      )
    })
  )
  const layer = StripeClient.layer({ apiKey: Redacted.make("sk_test_thin"), baseUrl: "http://api.test", maxRetries: 0 })
    .pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)), Layer.orDie)
  return { layer, seen }
}

describe("EventNotification (thin events)", () => {
  it.effect("parse verifies the signature and reads the notification", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const body = JSON.stringify(thin)
      const notification = yield* EventNotification.parse(body, signed(body), secret)
      expect(notification.type).toBe("v1.billing.meter.error_report_triggered")
      expect(notification.related_object?.type).toBe("billing.meter")
      const forged = yield* Effect.flip(EventNotification.parse(body, signed(`${body} `), secret))
      expect(forged._tag).toBe("WebhookSignatureError")
      const snapshot = JSON.stringify(makeEvent("customer.created", customer))
      const notThin = yield* Effect.flip(EventNotification.parse(snapshot, signed(snapshot), secret))
      expect(notThin._tag).toBe("WebhookPayloadError")
    }))

  it.effect("fetchEvent and fetchRelatedObject call Stripe in the event's context", () =>
    Effect.gen(function*() {
      const meter = {
        id: related.id,
        object: "billing.meter",
        created: 1,
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        default_aggregation: { formula: "sum" },
        display_name: "API calls",
        event_name: "api_call",
        event_time_window: null,
        livemode: false,
        status: "active",
        status_transitions: { deactivated_at: null },
        updated: 1,
        value_settings: { event_payload_key: "value" }
      }
      const { layer, seen } = stripeAnswering((url) =>
        url.pathname.startsWith("/v2/") ? { ...thin, data: { developer_message_summary: "oops" } } : meter
      )
      const event = yield* EventNotification.fetchEvent(thin).pipe(Effect.provide(layer))
      expect(event.data).toEqual({ developer_message_summary: "oops" })
      const object = yield* EventNotification.fetchRelatedObject(thin).pipe(Effect.provide(layer))
      expect(object).toMatchObject({ id: related.id, object: "billing.meter" })
      expect(seen.map((s) => s.url)).toEqual([`/v2/core/events/${thin.id}`, related.url])
      for (const s of seen) {
        expect(s.headers["stripe-context"]).toBe("acct_123")
        expect(s.headers["stripe-request-trigger"]).toBe(`event=${thin.id}`)
      }
      const elsewhere = { ...thin, related_object: { ...related, url: "https://example.com/steal" } }
      const refused = yield* Effect.flip(EventNotification.fetchRelatedObject(elsewhere).pipe(Effect.provide(layer)))
      expect(refused._tag).toBe("StripeValidationError")
      expect(seen).toHaveLength(2)
    }))
})
