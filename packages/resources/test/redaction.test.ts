import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { inspect } from "node:util"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { BillingPortal, PaymentIntents } from "../src/index.js"
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
