import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { inspect } from "node:util"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { BillingPortal, Events, PaymentIntents, V2 } from "../src/index.js"
import * as Schemas from "../src/Schemas.js"
import { mockStripe, model } from "./support.js"

const record = (u: unknown): Record<string, unknown> => (typeof u === "object" && u !== null ? { ...u } : {})
const portalUrl = "https://billing.stripe.com/p/session/test_YWNjdF8xSECRET"
const clientSecret = "pi_1_secret_TOPSECRETVALUE"

const leaks = (value: unknown, secret: string): boolean =>
  JSON.stringify(value).includes(secret) ||
  String(Inspectable.format(value)).includes(secret) ||
  inspect(value, { depth: 10 }).includes(secret)

describe("secrets in responses are Redacted", () => {
  it.effect("BillingPortal session url", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({
        json: { ...record(sample(model, "billing_portal.session")), url: portalUrl }
      }))
      const session = yield* BillingPortal.Sessions.create({ customer: "cus_1", return_url: "https://example.com" })
        .pipe(Effect.provide(layer))
      expect(Redacted.value(session.url)).toBe(portalUrl)
      expect(leaks(session, portalUrl)).toBe(false)
      yield* Effect.log(session)
    }))

  it.effect("PaymentIntent client_secret", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({
        json: { ...record(sample(model, "payment_intent")), client_secret: clientSecret }
      }))
      const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd" }).pipe(Effect.provide(layer))
      expect(intent.client_secret === null || intent.client_secret === undefined).toBe(false)
      if (intent.client_secret) expect(Redacted.value(intent.client_secret)).toBe(clientSecret)
      expect(leaks(intent, clientSecret)).toBe(false)
    }))

  it("encoding gives the wire string back", () => {
    const input = { ...record(sample(model, "billing_portal.session")), url: portalUrl }
    const decoded = Schema.decodeUnknownSync(Schemas.BillingPortalSession)(input)
    const encoded: unknown = Schema.encodeSync(Schemas.BillingPortalSession)(decoded)
    expect(record(encoded).url).toBe(portalUrl)
  })
})

// Sentinel secrets in event data, which is free-form (an event's object may be of any API version):
// core's one rule (`Redaction.isSecretField`) wraps them, at any depth, and leaves user metadata alone.
const S1 = "pi_3Sentinel_secret_EVENTOBJECTSENTINEL"
const S2 = "pi_3Sentinel_secret_PREVIOUSATTRSENTINEL"
const S3 = "https://billing.stripe.com/p/session/test_LISTITEMSENTINEL"
const S4 = "whsec_V2SIGNINGSECRETSENTINEL"
const S5 = "WIFIPASSWORDSENTINEL"
const sentinels = [S1, S2, S3, S4, S5]

const paymentIntentEvent = {
  id: "evt_1",
  object: "event",
  api_version: "2024-04-10",
  created: 1_700_000_000,
  livemode: false,
  pending_webhooks: 0,
  request: { id: null, idempotency_key: null },
  type: "payment_intent.created",
  data: {
    object: {
      id: "pi_3Sentinel",
      object: "payment_intent",
      amount: 2000,
      client_secret: S1,
      metadata: { password: "user data, not a secret field" },
      next_action: { redirect_to_url: { url: "https://example.com/3ds", return_url: "https://example.com" } }
    },
    previous_attributes: { client_secret: S2, amount: 1000 }
  }
}

const portalEvent = {
  ...paymentIntentEvent,
  id: "evt_2",
  type: "billing_portal.session.created",
  data: { object: { id: "bps_1", object: "billing_portal.session", url: S3, return_url: "https://example.com" } }
}

const valueAt = (u: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((v, k) => (typeof v === "object" && v !== null ? Reflect.get(v, k) : undefined), u)

const revealed = (u: unknown): unknown => (Redacted.isRedacted(u) ? Redacted.value(u) : "not redacted")

describe("secrets in event data are Redacted (core's Redaction rule)", () => {
  it.effect("Events.retrieve and Events.list: data.object and previous_attributes", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe((request) => ({
        json: request.url.pathname === "/v1/events"
          ? { object: "list", data: [paymentIntentEvent, portalEvent], has_more: false, url: "/v1/events" }
          : paymentIntentEvent
      }))
      const event = yield* Events.retrieve("evt_1").pipe(Effect.provide(layer))
      expect(revealed(valueAt(event, "data", "object", "client_secret"))).toBe(S1)
      expect(revealed(valueAt(event, "data", "previous_attributes", "client_secret"))).toBe(S2)
      expect(valueAt(event, "data", "object", "metadata", "password")).toBe("user data, not a secret field")
      expect(valueAt(event, "data", "object", "next_action", "redirect_to_url", "url")).toBe("https://example.com/3ds")
      const page = yield* Events.list().pipe(Effect.provide(layer))
      expect(revealed(valueAt(page.data[1], "data", "object", "url"))).toBe(S3)
      for (const s of sentinels) {
        expect(leaks(event, s)).toBe(false)
        expect(leaks(page, s)).toBe(false)
      }
    }))

  it.effect("V2.Core.Events.retrieve: data and changes", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({
        json: {
          id: "evt_v2_1",
          object: "v2.core.event",
          type: "v2.core.event_destination.ping",
          created: "2026-01-01T00:00:00.000Z",
          livemode: false,
          data: { webhook_endpoint: { signing_secret: S4, url: "https://example.com/hook" } },
          changes: { before: { wifi: { password: S5 } } }
        }
      }))
      const event = yield* V2.Core.Events.retrieve("evt_v2_1").pipe(Effect.provide(layer))
      expect(revealed(valueAt(event, "data", "webhook_endpoint", "signing_secret"))).toBe(S4)
      expect(revealed(valueAt(event, "changes", "before", "wifi", "password"))).toBe(S5)
      for (const s of sentinels) expect(leaks(event, s)).toBe(false)
    }))
})
