import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import { WebhookError, WebhookEvent } from "../src/index.js"

export const SENTINEL = "whsec_SENTINEL_do_not_leak_4f1c2a"
export const secret = Redacted.make(SENTINEL)

export const makeEvent = (
  type: string,
  object: Record<string, unknown>,
  extra: Record<string, unknown> = {}
): Record<string, unknown> => ({
  id: "evt_1NG8Du2eZvKYlo2CUI79vXWy",
  object: "event",
  api_version: "2026-10-28.endive",
  created: 1_700_000_000,
  data: { object },
  livemode: false,
  pending_webhooks: 1,
  request: { id: "req_123", idempotency_key: "ik_123" },
  type,
  ...extra
})

// Objects as Stripe renders them for the pinned API version (2026-10-28.endive):
// the documented examples, with every field the version declares as always
// present (nullable ones as `null`).
export const paymentIntent = {
  id: "pi_123",
  object: "payment_intent",
  allowed_payment_method_types: null,
  amount: 2000,
  amount_capturable: 0,
  amount_received: 2000,
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: { enabled: true },
  canceled_at: null,
  cancellation_reason: null,
  capture_method: "automatic",
  client_secret: "pi_123_secret_abc",
  confirmation_method: "automatic",
  created: 1_700_000_000,
  currency: "usd",
  customer: null,
  customer_account: null,
  description: null,
  excluded_payment_method_types: null,
  last_payment_error: null,
  latest_charge: "ch_123",
  livemode: false,
  managed_payments: null,
  metadata: {},
  next_action: null,
  on_behalf_of: null,
  payment_method: "pm_123",
  payment_method_configuration_details: null,
  payment_method_options: {},
  payment_method_types: ["card"],
  payment_record: null,
  processing: null,
  receipt_email: null,
  review: null,
  setup_future_usage: null,
  shipping: null,
  source: null,
  statement_descriptor: null,
  statement_descriptor_suffix: null,
  status: "succeeded",
  transfer_group: null
}

export const subscription = {
  id: "sub_123",
  object: "subscription",
  application: null,
  application_fee_percent: null,
  automatic_tax: { disabled_reason: null, enabled: false, liability: null },
  billing_cycle_anchor: 1_700_000_000,
  billing_cycle_anchor_config: null,
  billing_mode: { flexible: null, type: "classic" },
  billing_schedules: [],
  billing_thresholds: null,
  cancel_at: null,
  cancel_at_period_end: false,
  canceled_at: 1_700_100_000,
  cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: "cancellation_requested" },
  collection_method: "charge_automatically",
  created: 1_700_000_000,
  currency: "usd",
  customer: "cus_123",
  customer_account: null,
  days_until_due: null,
  default_payment_method: null,
  default_source: null,
  description: null,
  discounts: [],
  ended_at: 1_700_100_000,
  invoice_settings: {
    account_tax_ids: null,
    custom_fields: null,
    description: null,
    footer: null,
    issuer: { type: "self" }
  },
  items: { object: "list", data: [], has_more: false, url: "/v1/subscription_items?subscription=sub_123" },
  latest_invoice: null,
  livemode: false,
  managed_payments: null,
  metadata: {},
  next_pending_invoice_item_invoice: null,
  on_behalf_of: null,
  pause_collection: null,
  payment_settings: null,
  pending_invoice_item_interval: null,
  pending_setup_intent: null,
  pending_update: null,
  schedule: null,
  start_date: 1_700_000_000,
  status: "canceled",
  test_clock: null,
  transfer_data: null,
  trial_end: null,
  trial_settings: null,
  trial_start: null
}

export const customer = {
  id: "cus_123",
  object: "customer",
  balance: 0,
  created: 1_700_000_000,
  default_source: null,
  description: null,
  email: "jenny.rosen@example.com",
  invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
  livemode: false,
  metadata: {},
  shipping: null
}

export const paymentIntentPayload = JSON.stringify(makeEvent("payment_intent.succeeded", paymentIntent))

/** What an exit says, for assertions: `ok`, an error's `reason` (or `_tag`), `defect` or `unknown`. */
export const exitReason = <A, E>(exit: Exit.Exit<A, E>): string => {
  if (Exit.isSuccess(exit)) return "ok"
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "None") return "defect"
  const error: unknown = failure.value
  if (error instanceof WebhookError.WebhookSignatureError || error instanceof WebhookError.WebhookPayloadError) {
    return error.reason
  }
  if (error instanceof WebhookEvent.WebhookObjectError) return error._tag
  return "unknown"
}
