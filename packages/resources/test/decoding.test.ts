/**
 * Decoding what Stripe sends, with Stripe's documented objects as the
 * oracle: each example below is written by hand after the object's example
 * in Stripe's API reference (docs.stripe.com/api: the same fields,
 * nullability and nesting; our own ids and values), as Stripe renders it for
 * the SDK's API version, 2026-10-28.endive (the fields that version always
 * sends, such as `customer_account`, present; a subscription's billing
 * periods on its items), served
 * by a mock transport to the SDK operation that returns it, and the decoded
 * value is checked field by field against what the example says. The
 * reference lane decodes stripe-mock's fixtures for every operation too
 * (`test/sweep.reference.test.ts`).
 *
 * Then the SDK's decoding rules, each on a hand-written input: unknown enum
 * values and new fields are accepted, required fields and types are not,
 * expandable fields are an id, the object or its deleted stub.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { Customers, PaymentIntents, Prices, Refunds, Subscriptions } from "../src/index.js"
import * as ObjectRegistry from "../src/ObjectRegistry.js"
import * as Schemas from "../src/Schemas.js"
import { mockStripe } from "./support.js"

// ------------------------------------------------------------------ documented objects

const customer = {
  id: "cus_Doc1Example",
  object: "customer",
  address: null,
  balance: 0,
  created: 1_712_700_000,
  currency: null,
  default_source: null,
  delinquent: false,
  description: null,
  discount: null,
  email: "ada@example.com",
  invoice_prefix: "7A1B2C3D",
  invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
  livemode: false,
  metadata: {},
  name: "Ada Lovelace",
  next_invoice_sequence: 1,
  phone: null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: "none",
  test_clock: null
}

const paymentIntent = {
  id: "pi_Doc1Example",
  object: "payment_intent",
  allowed_payment_method_types: null,
  amount: 2000,
  amount_capturable: 0,
  amount_details: { tip: {} },
  amount_received: 2000,
  application: null,
  application_fee_amount: null,
  automatic_payment_methods: { enabled: true },
  canceled_at: null,
  cancellation_reason: null,
  capture_method: "automatic",
  client_secret: "pi_Doc1Example_secret_AbCdEfGh",
  confirmation_method: "automatic",
  created: 1_712_700_100,
  currency: "usd",
  customer: "cus_Doc1Example",
  customer_account: null,
  description: null,
  excluded_payment_method_types: null,
  invoice: null,
  last_payment_error: null,
  latest_charge: "ch_Doc1Example",
  livemode: false,
  managed_payments: null,
  metadata: { order_id: "6735" },
  next_action: null,
  on_behalf_of: null,
  payment_method: "pm_Doc1Example",
  payment_method_configuration_details: null,
  payment_method_options: {
    card: { installments: null, mandate_options: null, network: null, request_three_d_secure: "automatic" }
  },
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
  transfer_data: null,
  transfer_group: null
}

const refund = {
  id: "re_Doc1Example",
  object: "refund",
  amount: 500,
  balance_transaction: "txn_Doc1Example",
  charge: "ch_Doc1Example",
  created: 1_712_700_200,
  currency: "usd",
  customer: "cus_Doc1Example",
  customer_account: null,
  destination_details: {
    card: { reference_status: "pending", reference_type: "acquirer_reference_number", type: "refund" },
    type: "card"
  },
  metadata: {},
  payment_intent: "pi_Doc1Example",
  payment_method: "pm_Doc1Example",
  reason: null,
  receipt_number: null,
  source_transfer_reversal: null,
  status: "succeeded",
  transfer_reversal: null
}

const price = {
  id: "price_Doc1Example",
  object: "price",
  active: true,
  billing_scheme: "per_unit",
  created: 1_712_700_300,
  currency: "usd",
  custom_unit_amount: null,
  livemode: false,
  lookup_key: null,
  metadata: {},
  nickname: null,
  product: "prod_Doc1Example",
  recurring: {
    interval: "month",
    interval_count: 1,
    meter: null,
    trial_period_days: null,
    usage_type: "licensed"
  },
  tax_behavior: "unspecified",
  tiers_mode: null,
  transform_quantity: null,
  type: "recurring",
  unit_amount: 1200,
  unit_amount_decimal: "1200"
}

const subscription = {
  id: "sub_Doc1Example",
  object: "subscription",
  application: null,
  application_fee_percent: null,
  automatic_tax: { disabled_reason: null, enabled: false, liability: null },
  billing_cycle_anchor: 1_712_700_400,
  billing_cycle_anchor_config: null,
  billing_mode: { flexible: null, type: "classic" },
  billing_schedules: [],
  billing_thresholds: null,
  cancel_at: null,
  cancel_at_period_end: false,
  canceled_at: null,
  cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
  collection_method: "charge_automatically",
  created: 1_712_700_400,
  currency: "usd",
  customer: "cus_Doc1Example",
  customer_account: null,
  days_until_due: null,
  default_payment_method: null,
  default_source: null,
  default_tax_rates: [],
  description: null,
  discount: null,
  discounts: [],
  ended_at: null,
  invoice_settings: {
    account_tax_ids: null,
    custom_fields: null,
    description: null,
    footer: null,
    issuer: { type: "self" }
  },
  items: {
    object: "list",
    data: [{
      id: "si_Doc1Example",
      object: "subscription_item",
      billing_thresholds: null,
      created: 1_712_700_401,
      current_period_end: 1_715_292_400,
      current_period_start: 1_712_700_400,
      current_trial: null,
      discounts: [],
      metadata: {},
      plan: {
        id: "price_Doc1Example",
        object: "plan",
        active: true,
        amount: 1200,
        amount_decimal: "1200",
        billing_scheme: "per_unit",
        created: 1_712_700_300,
        currency: "usd",
        interval: "month",
        interval_count: 1,
        livemode: false,
        metadata: {},
        meter: null,
        nickname: null,
        product: "prod_Doc1Example",
        tiers_mode: null,
        transform_usage: null,
        trial_period_days: null,
        usage_type: "licensed"
      },
      price,
      quantity: 2,
      subscription: "sub_Doc1Example",
      tax_rates: []
    }],
    has_more: false,
    total_count: 1,
    url: "/v1/subscription_items?subscription=sub_Doc1Example"
  },
  latest_invoice: "in_Doc1Example",
  livemode: false,
  managed_payments: null,
  metadata: {},
  next_pending_invoice_item_invoice: null,
  on_behalf_of: null,
  pause_collection: null,
  payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
  pending_invoice_item_interval: null,
  pending_setup_intent: null,
  pending_update: null,
  schedule: null,
  start_date: 1_712_700_400,
  status: "active",
  test_clock: null,
  transfer_data: null,
  trial_end: null,
  trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
  trial_start: null
}

const record = (u: object): Record<string, unknown> => ({ ...u })

describe("documented Stripe objects decode to what they say", () => {
  it.effect("a customer", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: customer }))
      const c = yield* Customers.retrieve("cus_Doc1Example").pipe(Effect.provide(layer))
      expect(recorded[0]?.url.pathname).toBe("/v1/customers/cus_Doc1Example")
      assert(!("deleted" in c), "a live customer")
      expect(c.email).toBe("ada@example.com")
      expect(c.name).toBe("Ada Lovelace")
      expect(c.address).toBeNull()
      expect(c.invoice_settings?.default_payment_method).toBeNull()
      expect(c.preferred_locales).toEqual([])
      expect(c.tax_exempt).toBe("none")
    }))

  it.effect("a deleted customer", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: { id: "cus_Doc1Example", object: "customer", deleted: true } }))
      const deleted = yield* Customers.del("cus_Doc1Example").pipe(Effect.provide(layer))
      expect(deleted).toEqual({ id: "cus_Doc1Example", object: "customer", deleted: true })
    }))

  it.effect("a succeeded payment intent, with its secret redacted", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: paymentIntent }))
      const pi = yield* PaymentIntents.retrieve("pi_Doc1Example").pipe(Effect.provide(layer))
      expect(pi.status).toBe("succeeded")
      expect(pi.amount_received).toBe(2000)
      expect(pi.latest_charge).toBe("ch_Doc1Example")
      expect(pi.metadata).toEqual({ order_id: "6735" })
      const card = pi.payment_method_options?.card
      assert(card !== undefined && "request_three_d_secure" in card, "card payment method options")
      expect(card.request_three_d_secure).toBe("automatic")
      expect(JSON.stringify(pi)).not.toContain("secret_AbCdEfGh")
    }))

  it.effect("a refund", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: refund }))
      const r = yield* Refunds.retrieve("re_Doc1Example").pipe(Effect.provide(layer))
      expect(r.amount).toBe(500)
      expect(r.status).toBe("succeeded")
      expect(r.destination_details?.type).toBe("card")
      expect(r.destination_details?.card?.reference_type).toBe("acquirer_reference_number")
    }))

  it.effect("a subscription with its items, and its customer expanded", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: { ...subscription, customer } }))
      const sub = yield* Subscriptions.retrieve("sub_Doc1Example", { expand: ["customer"] }).pipe(Effect.provide(layer))
      expect(recorded[0]?.url.search).toBe("?expand[0]=customer")
      assert(!("deleted" in sub.customer), "a live customer")
      expect(sub.customer.email).toBe("ada@example.com")
      expect(sub.items.data).toHaveLength(1)
      expect(sub.items.data[0]?.price.unit_amount).toBe(1200)
      expect(sub.items.data[0]?.price.recurring?.interval).toBe("month")
      expect(sub.items.data[0]?.quantity).toBe(2)
      // 2026-10-28.endive: the billing period is the item's.
      const item = sub.items.data[0]
      expect(item === undefined ? 0 : item.current_period_end - item.current_period_start).toBe(30 * 86400)
    }))

  it.effect("a page of prices, and a search page without next_page", () =>
    Effect.gen(function*() {
      const list = { object: "list", url: "/v1/prices", has_more: false, data: [price] }
      const { layer: listLayer } = mockStripe(() => ({ json: list }))
      const page = yield* Prices.list({ limit: 1 }).pipe(Effect.provide(listLayer))
      expect(page.data.map((p) => p.id)).toEqual(["price_Doc1Example"])
      // Stripe's documented search result carries no `next_page` on its last page.
      const search = { object: "search_result", url: "/v1/prices/search", has_more: false, data: [price] }
      const { layer: searchLayer } = mockStripe(() => ({ json: search }))
      const found = yield* Prices.search({ query: "active:'true'" }).pipe(Effect.provide(searchLayer))
      expect(found.data).toHaveLength(1)
      expect(found.next_page).toBeUndefined()
    }))
})

describe("decoding rules", () => {
  it("an unknown enum value is kept, a new field is dropped", () => {
    const decoded = Schema.decodeUnknownSync(Schemas.Subscription)({
      ...record(subscription),
      status: "paused_by_a_future_feature",
      collection_method: "invoice_by_carrier_pigeon",
      field_added_in_2030: { nested: true }
    })
    expect(decoded.status).toBe("paused_by_a_future_feature")
    expect(decoded.collection_method).toBe("invoice_by_carrier_pigeon")
    expect(decoded).not.toHaveProperty("field_added_in_2030")
    // Known values keep their literal type for narrowing.
    const active: Schemas.Subscription["status"] = "active"
    expect(active).toBe("active")
  })

  it("a required field is required, nullable fields take null, others do not", () => {
    const decode = Schema.decodeUnknownEither(Schemas.Customer)
    expect(Either.isRight(decode({ ...customer, email: null }))).toBe(true)
    const { created: _created, ...withoutCreated } = customer
    expect(Either.isLeft(decode(withoutCreated))).toBe(true)
    expect(Either.isLeft(decode({ ...customer, livemode: null }))).toBe(true)
    expect(Either.isLeft(decode({ ...customer, balance: "0" }))).toBe(true)
  })

  it("an expandable field is an id, the object, or its deleted stub", () => {
    const decode = Schema.decodeUnknownSync(Schemas.Subscription)
    expect(decode(subscription).customer).toBe("cus_Doc1Example")
    const expanded = decode({ ...subscription, customer }).customer
    assert(typeof expanded === "object", "the expanded customer is an object")
    expect(expanded.object).toBe("customer")
    const stub = decode({ ...subscription, customer: { id: "cus_Gone", object: "customer", deleted: true } }).customer
    expect(stub).toEqual({ id: "cus_Gone", object: "customer", deleted: true })
  })

  it.effect("the registry decodes by `object` and passes unknown types through", () =>
    Effect.gen(function*() {
      const decoded = yield* ObjectRegistry.decodeUnknown(refund)
      expect(decoded).toMatchObject({ object: "refund", amount: 500 })
      const unknown = { object: "brand_new_object", id: "bno_1", whatever: [1, 2] }
      expect(yield* ObjectRegistry.decodeUnknown(unknown)).toBe(unknown)
      expect(yield* ObjectRegistry.decodeUnknown("cus_123")).toBe("cus_123")
      expect(ObjectRegistry.isKnown("customer")).toBe(true)
      expect(ObjectRegistry.get("not_a_stripe_object")).toBeUndefined()
      const broken = yield* Effect.either(ObjectRegistry.decodeUnknown({ object: "customer" }))
      expect(Either.isLeft(broken)).toBe(true)
    }))

  it.effect("a response that does not decode is a StripeDecodeError with the request id and status", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: { ...subscription, id: 42 } }))
      const error = yield* Subscriptions.retrieve("sub_1").pipe(Effect.flip, Effect.provide(layer))
      assert(error._tag === "StripeDecodeError", `expected StripeDecodeError, got ${error._tag}`)
      expect(error.requestId).toBe("req_test")
      expect(error.status).toBe(200)
    }))
})
