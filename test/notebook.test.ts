/**
 * Every flow of the seed notebook, against the configured target.
 *
 * Each test makes what it needs (the notebook binds values cell by cell; here
 * every cell's prerequisites are created by the test itself, so tests run in
 * any order). Assertions that also hold on stateless stripe-mock (ids, object
 * types, successful decoding, Stripe's own validation) run everywhere;
 * assertions that need state (retrieve returns what was created, status
 * transitions) are guarded by `stateful`, which prints and counts every skip.
 */
import { assert, describe, expect, layer } from "@effect/vitest"
import { Batch } from "@lattice-stripe/batch"
import { ApiVersion, StripeClient } from "@lattice-stripe/core"
import {
  AccountLinks,
  Accounts,
  Billing,
  BillingPortal,
  Customers,
  Invoices,
  PaymentIntents,
  Prices,
  Products,
  Refunds,
  SetupIntents,
  Subscriptions,
  SubscriptionScheduleBuilder,
  SubscriptionSchedules,
  Transfers
} from "@lattice-stripe/resources"
import { Webhook } from "@lattice-stripe/webhook"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { stateful, statefulEffect, StripeTest, targetName, unlessStripeMock } from "./src/target.js"

// The notebook's cells, as effects each test composes.
const customer = Customers.create({ email: "explorer@example.com", name: "SDK Explorer" })

const confirmedIntent = Effect.gen(function*() {
  const c = yield* customer
  const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd", customer: c.id })
  const confirmed = yield* PaymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" })
  return { customer: c, intent, confirmed }
})

const monthlyPrice = Effect.gen(function*() {
  const product = yield* Products.create({ name: "Explorer Pro Plan" })
  const price = yield* Prices.create({
    product: product.id,
    currency: "usd",
    unit_amount: 2000,
    recurring: { interval: "month" }
  })
  return { product, price }
})

const subscription = Effect.gen(function*() {
  const c = yield* customer
  const { price } = yield* monthlyPrice
  const sub = yield* Subscriptions.create({ customer: c.id, items: [{ price: price.id }] })
  return { customer: c, price, sub }
})

// Live clock: the target is a real server, and retries back off in real time.
layer(StripeTest, { timeout: 60_000, excludeTestServices: true })(`notebook flows against ${targetName}`, (it) => {
  describe("Payments", () => {
    it.effect("Customer.create", () =>
      Effect.gen(function*() {
        const c = yield* customer
        expect(c.id).toMatch(/^cus_/)
        expect(c.object).toBe("customer")
        stateful("the customer has the email and name it was created with", () => {
          expect(c.email).toBe("explorer@example.com")
          expect(c.name).toBe("SDK Explorer")
        })
      }))

    it.effect("PaymentIntent.create, retrieve, list", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd", customer: c.id })
        expect(intent.id).toMatch(/^pi_/)
        expect(intent.object).toBe("payment_intent")
        const retrieved = yield* PaymentIntents.retrieve(intent.id)
        expect(retrieved.object).toBe("payment_intent")
        const page = yield* PaymentIntents.list({ limit: 5 })
        expect(page.object).toBe("list")
        // stripe-mock answers with one fixture, the emulator has at least the intent just created.
        expect(page.data.length).toBeGreaterThanOrEqual(1)
        expect(page.data.length).toBeLessThanOrEqual(5)
        stateful("the intent keeps its amount, customer and status, and is listed", () => {
          expect(intent.amount).toBe(2000)
          expect(intent.customer).toBe(c.id)
          expect(intent.status).toBe("requires_payment_method")
          expect(retrieved.id).toBe(intent.id)
          expect(retrieved.amount).toBe(2000)
          expect(page.data.map((pi) => pi.id)).toContain(intent.id)
        })
      }))

    it.effect("PaymentIntent.confirm with pm_card_visa", () =>
      Effect.gen(function*() {
        const { confirmed, intent } = yield* confirmedIntent
        expect(confirmed.object).toBe("payment_intent")
        stateful("confirming with pm_card_visa succeeds and charges", () => {
          expect(confirmed.id).toBe(intent.id)
          expect(confirmed.status).toBe("succeeded")
          expect(confirmed.latest_charge).toMatch(/^ch_/)
        })
      }))

    it.effect("error handling: a missing required param is a StripeInvalidRequestError naming it", () =>
      Effect.gen(function*() {
        // @ts-expect-error amount is required: the error is Stripe's, not the type checker's
        const error = yield* Effect.flip(PaymentIntents.create({ currency: "usd" }))
        assert(error._tag === "StripeInvalidRequestError", `expected StripeInvalidRequestError, got ${error._tag}`)
        expect(error.status).toBe(400)
        expect(error.message).toContain("(invalid_request_error) 400")
        // stripe-mock names the param in its message only; Stripe and the emulator set `param`.
        expect(error.param === "amount" || error.message.includes("'amount'")).toBe(true)
      }))

    it.effect("error handling: a declined card is a StripeCardError with its decline code", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const intent = yield* PaymentIntents.create({ amount: 500, currency: "usd", customer: c.id })
        expect(intent.id).toMatch(/^pi_/)
        const exit = yield* Effect.exit(PaymentIntents.confirm(intent.id, { payment_method: "pm_card_chargeDeclined" }))
        yield* statefulEffect(
          "pm_card_chargeDeclined declines with generic_decline (stripe-mock does not simulate declines)",
          Effect.gen(function*() {
            const declined = yield* Effect.flip(exit)
            assert(declined._tag === "StripeCardError", `expected StripeCardError, got ${declined._tag}`)
            expect(declined.status).toBe(402)
            expect(declined.declineCode).toBe("generic_decline")
          })
        )
      }))

    it.effect("SetupIntent.create and retrieve", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const si = yield* SetupIntents.create({ customer: c.id, usage: "off_session" })
        expect(si.id).toMatch(/^seti_/)
        const retrieved = yield* SetupIntents.retrieve(si.id)
        expect(retrieved.object).toBe("setup_intent")
        stateful("the setup intent comes back with its usage and customer", () => {
          expect(retrieved.id).toBe(si.id)
          expect(retrieved.usage).toBe("off_session")
          expect(retrieved.customer).toBe(c.id)
        })
      }))

    it.effect("Refund.create of a confirmed intent", () =>
      Effect.gen(function*() {
        const { confirmed } = yield* confirmedIntent
        const refund = yield* Refunds.create({ payment_intent: confirmed.id })
        expect(refund.id).toMatch(/^(re_|pyr_)/)
        expect(refund.object).toBe("refund")
        stateful("the refund is of the whole payment and succeeds", () => {
          expect(refund.payment_intent).toBe(confirmed.id)
          expect(refund.amount).toBe(2000)
          expect(refund.status).toBe("succeeded")
        })
      }))
  })

  describe("Billing", () => {
    it.effect("Product and Price", () =>
      Effect.gen(function*() {
        const { price, product } = yield* monthlyPrice
        expect(product.id).toMatch(/^prod_/)
        expect(price.id).toMatch(/^price_/)
        stateful("the price is the product's, monthly, 2000", () => {
          expect(product.name).toBe("Explorer Pro Plan")
          expect(price.product).toBe(product.id)
          expect(price.unit_amount).toBe(2000)
          expect(price.recurring?.interval).toBe("month")
        })
      }))

    it.effect("Subscription create, list, cancel", () =>
      Effect.gen(function*() {
        const { customer: c, price, sub } = yield* subscription
        expect(sub.id).toMatch(/^sub_/)
        const page = yield* Subscriptions.list({ customer: c.id })
        expect(page.object).toBe("list")
        expect(page.data.length).toBeGreaterThanOrEqual(1)
        const cancelled = yield* Subscriptions.cancel(sub.id)
        expect(cancelled.object).toBe("subscription")
        stateful("the subscription is active with an invoice, listed, then canceled", () => {
          expect(sub.status).toBe("active")
          expect(sub.customer).toBe(c.id)
          expect(sub.latest_invoice).toMatch(/^in_/)
          expect(sub.items.data[0]?.price.id).toBe(price.id)
          expect(page.data.map((s) => s.id)).toContain(sub.id)
          expect(cancelled.id).toBe(sub.id)
          expect(cancelled.status).toBe("canceled")
        })
      }))

    it.effect("SubscriptionSchedule through the builder", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const { price } = yield* monthlyPrice
        const params = yield* SubscriptionScheduleBuilder.make().pipe(
          SubscriptionScheduleBuilder.customer(c.id),
          SubscriptionScheduleBuilder.startDate("now"),
          SubscriptionScheduleBuilder.endBehavior("release"),
          SubscriptionScheduleBuilder.addPhase(
            SubscriptionScheduleBuilder.Phase.make().pipe(
              SubscriptionScheduleBuilder.Phase.items([{ price: price.id, quantity: 1 }]),
              // An explicit end (three months on) reads the same in every API version.
              SubscriptionScheduleBuilder.Phase.endDate(new Date(Date.now() + 90 * 86_400_000))
            )
          ),
          SubscriptionScheduleBuilder.build
        )
        const schedule = yield* SubscriptionSchedules.create(params)
        expect(schedule.id).toMatch(/^sub_sched_/)
        expect(schedule.object).toBe("subscription_schedule")
        stateful("the schedule releases at the end, has one phase, and is the customer's", () => {
          expect(schedule.end_behavior).toBe("release")
          expect(schedule.phases).toHaveLength(1)
          expect(schedule.customer).toBe(c.id)
        })
      }))

    it.effect("Meter and MeterEvent", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const meter = yield* Billing.Meters.create({
          display_name: "API Calls",
          event_name: "api_call",
          default_aggregation: { formula: "sum" },
          customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
          value_settings: { event_payload_key: "value" }
        })
        expect(meter.id).toMatch(/^(mtr_|meter_)/)
        const identifier = `notebook_${Date.now()}_${Math.floor(Math.random() * 1e9)}`
        const event = yield* Billing.MeterEvents.create({
          event_name: "api_call",
          payload: { stripe_customer_id: c.id, value: "1" },
          identifier
        })
        expect(event.object).toBe("billing.meter_event")
        stateful("the meter and the event are what was sent", () => {
          expect(meter.event_name).toBe("api_call")
          expect(meter.default_aggregation.formula).toBe("sum")
          expect(event.identifier).toBe(identifier)
          expect(event.payload["stripe_customer_id"]).toBe(c.id)
        })
      }))

    // The notebook says stripe-mock does not complete the v2 stream: it has no /v2 endpoints.
    it.effect("MeterEventStream (v2): session and events", () =>
      unlessStripeMock(
        "a session with a redacted token, and events sent with it",
        Effect.gen(function*() {
          const c = yield* customer
          const session = yield* Billing.MeterEventStream.createSession()
          expect(session.object).toBe("v2.billing.meter_event_session")
          expect(Redacted.isRedacted(session.authentication_token)).toBe(true)
          expect(JSON.stringify(session)).not.toContain(Redacted.value(session.authentication_token))
          yield* Billing.MeterEventStream.sendEvents(session, [
            { event_name: "api_call", payload: { stripe_customer_id: c.id, value: "1" } }
          ])
        }),
        Effect.gen(function*() {
          const error = yield* Effect.flip(Billing.MeterEventStream.createSession())
          assert(error._tag === "StripeInvalidRequestError", `expected StripeInvalidRequestError, got ${error._tag}`)
          expect(error.status).toBe(404)
        })
      ))

    it.effect("BillingPortal.Session with a masked url", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const session = yield* BillingPortal.Sessions.create({
          customer: c.id,
          return_url: "https://example.com/account"
        })
        expect(session.object).toBe("billing_portal.session")
        expect(Redacted.isRedacted(session.url)).toBe(true)
        expect(Redacted.value(session.url)).toMatch(/^https:\/\//)
        stateful("the session is the customer's", () => expect(session.customer).toBe(c.id))
      }))
  })

  describe("Connect", () => {
    it.effect("Account create and retrieve, AccountLink, Transfer", () =>
      Effect.gen(function*() {
        const account = yield* Accounts.create({ type: "express", email: "merchant@example.com" })
        expect(account.id).toMatch(/^acct_/)
        const retrieved = yield* Accounts.retrieve(account.id)
        expect(retrieved.object).toBe("account")
        const link = yield* AccountLinks.create({
          account: account.id,
          type: "account_onboarding",
          refresh_url: "https://example.com/reauth",
          return_url: "https://example.com/return"
        })
        expect(link.object).toBe("account_link")
        const transfer = yield* Transfers.create({ amount: 1000, currency: "usd", destination: account.id })
        expect(transfer.id).toMatch(/^tr_/)
        stateful("the account is express with its email, and the transfer goes to it", () => {
          expect(account.type).toBe("express")
          expect(retrieved.id).toBe(account.id)
          expect(retrieved.email).toBe("merchant@example.com")
          expect(transfer.amount).toBe(1000)
          expect(transfer.destination).toBe(account.id)
        })
      }))
  })

  describe("Webhooks", () => {
    it.effect("test signature, verification and dispatch", () =>
      Effect.gen(function*() {
        const { confirmed } = yield* confirmedIntent
        const rawIntent = yield* StripeClient.request({
          method: "GET",
          path: `/v1/payment_intents/${confirmed.id}`,
          schema: Schema.Record({ key: Schema.String, value: Schema.Unknown })
        })
        const rawBody = JSON.stringify({
          id: "evt_test_001",
          object: "event",
          type: "payment_intent.succeeded",
          created: 1_700_000_000,
          livemode: false,
          pending_webhooks: 1,
          // The version the object was rendered with: the one the SDK sent.
          api_version: ApiVersion.API_VERSION,
          request: { id: null, idempotency_key: null },
          data: { object: rawIntent }
        })
        const secret = "whsec_test_secret_for_notebook"
        const header = Webhook.generateTestSignature(rawBody, secret)
        const event = yield* Webhook.constructEvent(rawBody, header, secret)
        expect(event.id).toBe("evt_test_001")
        expect(event.type).toBe("payment_intent.succeeded")
        const tampered = yield* Effect.flip(Webhook.constructEvent(rawBody.replace("001", "002"), header, secret))
        expect(tampered._tag).toBe("WebhookSignatureError")
        const missing = yield* Effect.flip(Webhook.constructEvent(rawBody, undefined, secret))
        assert(missing._tag === "WebhookSignatureError", `expected WebhookSignatureError, got ${missing._tag}`)
        expect(missing.reason).toBe("MissingHeader")
        const outcome = yield* Webhook.dispatch(event, {
          "payment_intent.succeeded": (pi) => Effect.succeed(`fulfill ${pi.id}`),
          "customer.subscription.deleted": (sub) => Effect.succeed(`revoke ${sub.id}`)
        }, (other) => Effect.succeed(`unhandled ${other.type}`))
        expect(outcome).toBe(`fulfill ${String(rawIntent["id"])}`)
      }))
  })

  describe("v1.2 highlights", () => {
    it.effect("Batch.run isolates each task", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const [found, subs, invoices, missing] = yield* Batch.run([
          Customers.retrieve(c.id),
          Subscriptions.list({ customer: c.id }),
          Invoices.list({ customer: c.id }),
          Customers.retrieve("cus_missing", {}, { maxRetries: 0 })
        ])
        expect(Batch.isSuccess(found)).toBe(true)
        expect(Batch.isSuccess(subs)).toBe(true)
        expect(Batch.isSuccess(invoices)).toBe(true)
        stateful("an unknown customer is a failure isolated from the others (stripe-mock answers any id)", () => {
          assert(Batch.isFailure(missing), "the missing customer should fail")
          expect(missing.error._tag).toBe("StripeInvalidRequestError")
        })
      }))

    it.effect("expand: customer is an id without expand and a Customer with it", () =>
      Effect.gen(function*() {
        const { customer: c, sub } = yield* subscription
        const plain = yield* Subscriptions.retrieve(sub.id)
        expect(plain.customer).toMatch(/^cus_/)
        const expanded = yield* Subscriptions.retrieve(sub.id, { expand: ["customer"] })
        // typed: no narrowing needed to reach `object`
        expect(expanded.customer.object).toBe("customer")
        expect(expanded.customer.id).toMatch(/^cus_/)
        stateful("the expanded customer is the subscription's", () => expect(expanded.customer.id).toBe(c.id))
      }))

    it.effect("response metadata is reachable without losing the value", () =>
      Effect.gen(function*() {
        const c = yield* customer
        const [found, meta] = yield* StripeClient.withResponse(Customers.retrieve(c.id))
        expect(found.object).toBe("customer")
        expect(meta.status).toBe(200)
        expect(meta.requestId).toMatch(/^req_/)
      }))
  })
})
