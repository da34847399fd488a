import { describe, expect, it } from "@effect/vitest"
import { TestWebhooks } from "@lattice-stripe/testing"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import Stripe from "stripe"

describe("TestWebhooks", () => {
  it("makeEvent wraps an object like Stripe's events", () => {
    const event = TestWebhooks.makeEvent("payment_intent.succeeded", { id: "pi_1", object: "payment_intent" }, {
      created: 1_712_707_200
    })
    expect(event).toMatchObject({
      object: "event",
      type: "payment_intent.succeeded",
      api_version: "2026-10-28.endive",
      created: 1_712_707_200,
      livemode: false,
      data: { object: { id: "pi_1" } }
    })
    expect(event.id).toMatch(/^evt_/)
    expect(TestWebhooks.makeEvent("x", {}).id).not.toBe(event.id)
  })

  it("signedPayload computes t=<ts>,v1=<HMAC-SHA256>", () => {
    const { payload, header } = TestWebhooks.signedPayload({ id: "evt_1", object: "event" }, "whsec_abc", {
      timestamp: 1_700_000_000
    })
    expect(payload).toBe("{\"id\":\"evt_1\",\"object\":\"event\"}")
    const v1 = Crypto.createHmac("sha256", "whsec_abc").update(`1700000000.${payload}`).digest("hex")
    expect(header).toBe(`t=1700000000,v1=${v1}`)
  })

  it("is accepted by the official SDK and rejects other secrets", () => {
    const event = TestWebhooks.makeEvent("customer.created", { id: "cus_1", object: "customer" })
    const secret = Redacted.make("whsec_redacted")
    const { payload, header } = TestWebhooks.signedPayload(event, secret)
    const stripe = new Stripe("sk_test_unused")
    expect(stripe.webhooks.constructEvent(payload, header, "whsec_redacted").id).toBe(event.id)
    expect(() => stripe.webhooks.constructEvent(payload, header, "whsec_other")).toThrow()
  })

  it("signs a raw string payload as is", () => {
    const raw = "{\"id\":\"evt_test_001\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\"}"
    const { payload, header } = TestWebhooks.signedPayload(raw, "whsec_test_secret_for_notebook", { timestamp: 1 })
    expect(payload).toBe(raw)
    expect(header.startsWith("t=1,v1=")).toBe(true)
  })
})
