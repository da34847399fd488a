import * as Redacted from "effect/Redacted"

export const SENTINEL = "whsec_SENTINEL_do_not_leak_4f1c2a"
export const secret = Redacted.make(SENTINEL)

export const makeEvent = (
  type: string,
  object: Record<string, unknown>,
  extra: Record<string, unknown> = {}
): Record<string, unknown> => ({
  id: "evt_1NG8Du2eZvKYlo2CUI79vXWy",
  object: "event",
  api_version: "2024-04-10",
  created: 1_700_000_000,
  data: { object },
  livemode: false,
  pending_webhooks: 1,
  request: { id: "req_123", idempotency_key: "ik_123" },
  type,
  ...extra
})

export const paymentIntent = {
  id: "pi_123",
  object: "payment_intent",
  amount: 2000,
  capture_method: "automatic",
  confirmation_method: "automatic",
  created: 1_700_000_000,
  currency: "usd",
  livemode: false,
  payment_method_types: ["card"],
  status: "succeeded"
}

export const subscription = {
  id: "sub_123",
  object: "subscription",
  automatic_tax: { enabled: false },
  billing_cycle_anchor: 1_700_000_000,
  cancel_at_period_end: false,
  collection_method: "charge_automatically",
  created: 1_700_000_000,
  currency: "usd",
  current_period_end: 1_702_592_000,
  current_period_start: 1_700_000_000,
  customer: "cus_123",
  discounts: [],
  items: { object: "list", data: [], has_more: false, url: "/v1/subscription_items?subscription=sub_123" },
  livemode: false,
  metadata: {},
  start_date: 1_700_000_000,
  status: "canceled"
}

export const customer = { id: "cus_123", object: "customer", created: 1_700_000_000, livemode: false }

export const paymentIntentPayload = JSON.stringify(makeEvent("payment_intent.succeeded", paymentIntent))
