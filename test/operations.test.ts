/**
 * Resource operations beyond the notebook, against the configured target:
 * every top-level list decodes a page with at least one object (each list
 * first creates one, so a page is never vacuously empty), and each
 * resource's lifecycle works end to end. Stateful assertions are guarded by
 * `stateful`, which prints and counts every skip.
 */
import { assert, describe, expect, layer } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import {
  Accounts,
  ApplicationFees,
  Balance,
  BalanceTransactions,
  Billing,
  BillingPortal,
  Charges,
  Checkout,
  Coupons,
  CreditNotes,
  Customers,
  Disputes,
  Entitlements,
  Events,
  FileLinks,
  Files,
  InvoiceItems,
  Invoices,
  PaymentIntents,
  PaymentMethods,
  Payouts,
  Prices,
  Products,
  PromotionCodes,
  Quotes,
  Refunds,
  SetupIntents,
  SubscriptionItems,
  Subscriptions,
  SubscriptionSchedules,
  TaxIds,
  TaxRates,
  TestHelpers,
  Transfers,
  WebhookEndpoints
} from "@lattice-stripe/resources"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { acrossVersions, stateful, statefulEffect, StripeTest, targetName } from "./src/target.js"

const customer = Customers.create({ email: "ops@example.com" })

const price = Effect.flatMap(
  Products.create({ name: "Ops" }),
  (product) =>
    Prices.create({ product: product.id, currency: "usd", unit_amount: 500, recurring: { interval: "month" } })
)

const paid = Effect.gen(function*() {
  const c = yield* customer
  return yield* PaymentIntents.create({
    amount: 2000,
    currency: "usd",
    customer: c.id,
    payment_method: "pm_card_visa",
    confirm: true
  })
})

const account = Accounts.create({ type: "custom", country: "US", email: "c@example.com" })

const openInvoice = Effect.gen(function*() {
  const c = yield* customer
  yield* InvoiceItems.create({ customer: c.id, amount: 1200, currency: "usd" })
  const invoice = yield* Invoices.create({ customer: c.id, pending_invoice_items_behavior: "include" })
  const id = yield* Effect.fromNullable(invoice.id)
  return yield* Invoices.finalizeInvoice(id)
})

const file = Files.create({ purpose: "dispute_evidence", file: new TextEncoder().encode("evidence") })

/** A list, and what makes sure it has an object to list. */
interface ListCase {
  readonly seed: Effect.Effect<unknown, unknown, StripeClient.StripeClient>
  readonly list: Effect.Effect<
    { readonly object: string; readonly data: ReadonlyArray<unknown> },
    unknown,
    StripeClient.StripeClient
  >
}

const lists: Readonly<Record<string, ListCase>> = {
  accounts: { seed: account, list: Accounts.list({ limit: 3 }) },
  applicationFees: {
    // A destination charge with an application fee collects one.
    seed: Effect.flatMap(account, (a) =>
      PaymentIntents.create({
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_visa",
        confirm: true,
        application_fee_amount: 200,
        transfer_data: { destination: a.id }
      })),
    list: ApplicationFees.list({ limit: 3 })
  },
  balanceTransactions: { seed: paid, list: BalanceTransactions.list({ limit: 3 }) },
  billingMeters: {
    seed: Billing.Meters.create({
      display_name: "Ops",
      event_name: `ops_list_${Date.now()}`,
      default_aggregation: { formula: "count" }
    }),
    list: Billing.Meters.list({ limit: 3 })
  },
  billingPortalConfigurations: {
    seed: BillingPortal.Configurations.create({
      business_profile: { headline: "Ops" },
      features: { invoice_history: { enabled: true } }
    }),
    list: BillingPortal.Configurations.list({ limit: 3 })
  },
  charges: { seed: paid, list: Charges.list({ limit: 3 }) },
  checkoutSessions: {
    seed: Effect.flatMap(
      Effect.flatMap(
        Products.create({ name: "Checkout" }),
        (p) => Prices.create({ product: p.id, currency: "usd", unit_amount: 100 })
      ),
      (p) =>
        Checkout.Sessions.create({
          mode: "payment",
          success_url: "https://example.com/ok",
          line_items: [{ price: p.id, quantity: 1 }]
        })
    ),
    list: Checkout.Sessions.list({ limit: 3 })
  },
  coupons: { seed: Coupons.create({ percent_off: 10, duration: "once" }), list: Coupons.list({ limit: 3 }) },
  creditNotes: {
    seed: Effect.flatMap(openInvoice, (inv) => CreditNotes.create({ invoice: inv.id ?? "", amount: 100 })),
    list: CreditNotes.list({ limit: 3 })
  },
  customers: { seed: customer, list: Customers.list({ limit: 3 }) },
  disputes: {
    // Stripe's test card that is disputed after a successful payment.
    seed: PaymentIntents.create({
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_createDispute",
      confirm: true
    }),
    list: Disputes.list({ limit: 3 })
  },
  entitlementsFeatures: {
    seed: Entitlements.Features.create({ name: "Ops feature", lookup_key: `ops_${Date.now()}_${Math.random()}` }),
    list: Entitlements.Features.list({ limit: 3 })
  },
  events: { seed: customer, list: Events.list({ limit: 3 }) },
  fileLinks: {
    seed: Effect.flatMap(file, (f) => FileLinks.create({ file: f.id })),
    list: FileLinks.list({ limit: 3 })
  },
  files: { seed: file, list: Files.list({ limit: 3 }) },
  invoiceItems: {
    seed: Effect.flatMap(customer, (c) => InvoiceItems.create({ customer: c.id, amount: 100, currency: "usd" })),
    list: InvoiceItems.list({ limit: 3 })
  },
  invoices: { seed: openInvoice, list: Invoices.list({ limit: 3 }) },
  paymentIntents: { seed: paid, list: PaymentIntents.list({ limit: 3 }) },
  paymentMethods: {
    seed: PaymentMethods.create({ type: "card", card: { token: "tok_visa" } }),
    list: PaymentMethods.list({ limit: 3, type: "card" })
  },
  payouts: { seed: Payouts.create({ amount: 100, currency: "usd" }), list: Payouts.list({ limit: 3 }) },
  prices: { seed: price, list: Prices.list({ limit: 3 }) },
  products: { seed: Products.create({ name: "Listed" }), list: Products.list({ limit: 3 }) },
  promotionCodes: {
    seed: Effect.flatMap(
      Coupons.create({ percent_off: 5, duration: "once" }),
      (c) =>
        acrossVersions(
          "promotion code through promotion.coupon",
          PromotionCodes.create({ promotion: { type: "coupon", coupon: c.id } }),
          {
            path: "/v1/promotion_codes",
            params: { coupon: c.id }
          }
        )
    ),
    list: PromotionCodes.list({ limit: 3 })
  },
  quotes: {
    seed: Effect.gen(function*() {
      const c = yield* customer
      const p = yield* price
      return yield* Quotes.create({ customer: c.id, line_items: [{ price: p.id, quantity: 1 }] })
    }),
    list: Quotes.list({ limit: 3 })
  },
  refunds: {
    seed: Effect.flatMap(paid, (pi) => Refunds.create({ payment_intent: pi.id })),
    list: Refunds.list({ limit: 3 })
  },
  setupIntents: {
    seed: Effect.flatMap(customer, (c) => SetupIntents.create({ customer: c.id })),
    list: SetupIntents.list({ limit: 3 })
  },
  subscriptionSchedules: {
    seed: Effect.gen(function*() {
      const c = yield* customer
      const p = yield* price
      // An explicit end reads the same in every API version (`iterations` became `duration`).
      return yield* SubscriptionSchedules.create({
        customer: c.id,
        start_date: "now",
        phases: [{ items: [{ price: p.id, quantity: 1 }], end_date: Math.floor(Date.now() / 1000) + 60 * 86_400 }]
      })
    }),
    list: SubscriptionSchedules.list({ limit: 3 })
  },
  subscriptions: {
    seed: Effect.gen(function*() {
      const c = yield* customer
      const p = yield* price
      return yield* Subscriptions.create({ customer: c.id, items: [{ price: p.id }] })
    }),
    list: Subscriptions.list({ limit: 3 })
  },
  taxIds: { seed: TaxIds.create({ type: "eu_vat", value: "DE123456789" }), list: TaxIds.list({ limit: 3 }) },
  taxRates: {
    seed: TaxRates.create({ display_name: "VAT", inclusive: false, percentage: 20 }),
    list: TaxRates.list({ limit: 3 })
  },
  testClocks: {
    seed: TestHelpers.TestClocks.create({ frozen_time: 1_700_000_000 }),
    list: TestHelpers.TestClocks.list({ limit: 3 })
  },
  transfers: {
    seed: Effect.flatMap(account, (a) => Transfers.create({ amount: 100, currency: "usd", destination: a.id })),
    list: Transfers.list({ limit: 3 })
  },
  webhookEndpoints: {
    seed: WebhookEndpoints.create({ url: "https://example.com/hook", enabled_events: ["charge.succeeded"] }),
    list: WebhookEndpoints.list({ limit: 3 })
  }
}

layer(StripeTest, { timeout: 60_000, excludeTestServices: true })(`resource operations against ${targetName}`, (it) => {
  describe("every top-level list decodes a non-empty page", () => {
    for (const [name, { list, seed }] of Object.entries(lists)) {
      it.effect(name, () =>
        Effect.gen(function*() {
          yield* seed
          const page = yield* list
          expect(page.object).toBe("list")
          expect(page.data.length).toBeGreaterThanOrEqual(1)
          expect(page.data.length).toBeLessThanOrEqual(3)
        }))
    }
    it.effect("balance", () =>
      Effect.gen(function*() {
        yield* paid
        const balance = yield* Balance.retrieve()
        expect(balance.object).toBe("balance")
        expect(balance.available.length).toBeGreaterThanOrEqual(1)
      }))
  })

  it.effect("Customers: create, update merges metadata, delete", () =>
    Effect.gen(function*() {
      const created = yield* Customers.create({ email: "ops@example.com", metadata: { tier: "gold", keep: "1" } })
      const updated = yield* Customers.update(created.id, { name: "Ops", metadata: { tier: "", region: "eu" } })
      expect(updated.object).toBe("customer")
      const deleted = yield* Customers.del(created.id)
      expect(deleted.deleted).toBe(true)
      yield* statefulEffect(
        "update merges metadata (\"\" unsets a key), and a deleted customer is gone",
        Effect.gen(function*() {
          expect(updated.name).toBe("Ops")
          expect(updated.metadata).toEqual({ keep: "1", region: "eu" })
          const gone = yield* Effect.flip(Customers.retrieve(created.id))
          expect(gone._tag).toBe("StripeInvalidRequestError")
        })
      )
    }))

  it.effect("Customers: search and listAll walk every page", () =>
    Effect.gen(function*() {
      const marker = `ops-${Date.now()}-${Math.random()}`
      const ids: Array<string> = []
      for (let i = 0; i < 7; i++) {
        const c = yield* Customers.create({ email: `${i}@example.com`, metadata: { batch: marker } })
        ids.push(c.id)
      }
      const query = `metadata["batch"]:"${marker}"`
      const found = yield* Customers.search({ query })
      expect(found.object).toBe("search_result")
      const all = yield* Customers.listAll({ limit: 2 }).pipe(Stream.take(50), Stream.runCollect)
      const seen = Chunk.toReadonlyArray(all).map((c) => c.id)
      expect(seen.length).toBeGreaterThanOrEqual(1)
      const searched = yield* Customers.searchAll({ query, limit: 3 }).pipe(Stream.take(50), Stream.runCollect)
      expect(Chunk.size(searched)).toBeGreaterThanOrEqual(1)
      stateful("search finds exactly the batch, listAll walks it without repeats, searchAll pages through it", () => {
        expect(found.data.map((c) => c.id).sort()).toEqual([...ids].sort())
        for (const id of ids) expect(seen).toContain(id)
        expect(new Set(seen).size).toBe(seen.length)
        expect(Chunk.size(searched)).toBe(7)
      })
    }))

  it.effect("Customers: balance transactions and tax ids", () =>
    Effect.gen(function*() {
      const c = yield* Customers.create({ email: "tax@example.com" })
      const txn = yield* Customers.createBalanceTransaction(c.id, { amount: -500, currency: "usd" })
      expect(txn.object).toBe("customer_balance_transaction")
      const txns = yield* Customers.listBalanceTransactions(c.id)
      expect(txns.data.length).toBeGreaterThanOrEqual(1)
      const taxId = yield* Customers.createTaxId(c.id, { type: "eu_vat", value: "DE123456789" })
      expect(taxId.object).toBe("tax_id")
      const taxIds = yield* Customers.listTaxIds(c.id)
      expect(taxIds.data.length).toBeGreaterThanOrEqual(1)
      stateful("the customer's lists hold what was created", () => {
        expect(txn.amount).toBe(-500)
        expect(txns.data.map((t) => t.id)).toContain(txn.id)
        expect(taxIds.data.map((t) => t.id)).toContain(taxId.id)
      })
    }))

  it.effect("PaymentIntents: manual capture, cancel, search", () =>
    Effect.gen(function*() {
      const manual = yield* PaymentIntents.create({
        amount: 1500,
        currency: "usd",
        capture_method: "manual",
        payment_method: "pm_card_visa",
        confirm: true
      })
      const captured = yield* PaymentIntents.capture(manual.id)
      expect(captured.object).toBe("payment_intent")
      const other = yield* PaymentIntents.create({ amount: 700, currency: "usd" })
      const cancelled = yield* PaymentIntents.cancel(other.id)
      expect(cancelled.object).toBe("payment_intent")
      const search = yield* PaymentIntents.search({ query: "status:\"succeeded\"" })
      expect(search.object).toBe("search_result")
      expect(search.data.length).toBeGreaterThanOrEqual(1)
      stateful("capture and cancel move the status, search finds the captured intent", () => {
        expect(manual.status).toBe("requires_capture")
        expect(captured.status).toBe("succeeded")
        expect(cancelled.status).toBe("canceled")
        expect(search.data.map((pi) => pi.id)).toContain(manual.id)
      })
    }))

  it.effect("PaymentMethods attach and detach; SetupIntent confirm and cancel", () =>
    Effect.gen(function*() {
      const c = yield* Customers.create({ email: "pm@example.com" })
      const attached = yield* PaymentMethods.attach("pm_card_visa", { customer: c.id })
      expect(attached.object).toBe("payment_method")
      const detached = yield* PaymentMethods.detach(attached.id)
      expect(detached.object).toBe("payment_method")
      const si = yield* SetupIntents.create({ customer: c.id })
      const confirmed = yield* SetupIntents.confirm(si.id, { payment_method: "pm_card_visa" })
      expect(confirmed.object).toBe("setup_intent")
      const other = yield* SetupIntents.create({ customer: c.id })
      const cancelled = yield* SetupIntents.cancel(other.id)
      expect(cancelled.object).toBe("setup_intent")
      stateful("attach and detach set the customer, confirm and cancel move the status", () => {
        expect(attached.customer).toBe(c.id)
        expect(detached.customer).toBeNull()
        expect(confirmed.status).toBe("succeeded")
        expect(cancelled.status).toBe("canceled")
      })
    }))

  it.effect("Products, Prices and Coupons: update, delete; promotion codes", () =>
    Effect.gen(function*() {
      const product = yield* Products.create({ name: "Ops Widget" })
      const renamed = yield* Products.update(product.id, { name: "Ops Widget 2" })
      const p = yield* Prices.create({ product: product.id, currency: "usd", unit_amount: 999 })
      const priceUpdated = yield* Prices.update(p.id, { nickname: "standard" })
      const coupon = yield* Coupons.create({ percent_off: 25, duration: "once" })
      const couponDeleted = yield* Coupons.del(coupon.id)
      expect(couponDeleted.deleted).toBe(true)
      const promoCoupon = yield* Coupons.create({ amount_off: 100, currency: "usd", duration: "once" })
      const promo = yield* acrossVersions(
        "promotion code through promotion.coupon",
        PromotionCodes.create({ promotion: { type: "coupon", coupon: promoCoupon.id } }),
        { path: "/v1/promotion_codes", params: { coupon: promoCoupon.id } }
      )
      expect(promo.object).toBe("promotion_code")
      stateful("updates keep what was sent", () => {
        expect(renamed.name).toBe("Ops Widget 2")
        expect(priceUpdated.nickname).toBe("standard")
        expect(coupon.percent_off).toBe(25)
      })
    }))

  it.effect("Invoices: item, create, finalize, pay; void another", () =>
    Effect.gen(function*() {
      const c = yield* Customers.create({ email: "inv@example.com" })
      const item = yield* InvoiceItems.create({ customer: c.id, amount: 1200, currency: "usd" })
      expect(item.object).toBe("invoiceitem")
      // `id` is optional on Invoice in the spec (an upcoming invoice has none).
      const invoice = yield* Invoices.create({ customer: c.id, pending_invoice_items_behavior: "include" })
      const invoiceId = yield* Effect.fromNullable(invoice.id)
      const finalized = yield* Invoices.finalizeInvoice(invoiceId)
      const paidInvoice = yield* Invoices.pay(invoiceId, { paid_out_of_band: true })
      expect(paidInvoice.object).toBe("invoice")
      const second = yield* Invoices.create({ customer: c.id })
      const secondId = yield* Effect.fromNullable(second.id)
      yield* Invoices.finalizeInvoice(secondId)
      const voided = yield* Invoices.voidInvoice(secondId)
      const lines = yield* Invoices.listLineItems(invoiceId)
      expect(lines.object).toBe("list")
      expect(lines.data.length).toBeGreaterThanOrEqual(1)
      stateful("draft → open → paid, and open → void", () => {
        expect(finalized.status).toBe("open")
        expect(paidInvoice.status).toBe("paid")
        expect(voided.status).toBe("void")
        expect(lines.data[0]?.amount).toBe(1200)
      })
    }))

  it.effect("Subscriptions: items, schedule from a subscription, release", () =>
    Effect.gen(function*() {
      const c = yield* Customers.create({ email: "subs@example.com" })
      const p = yield* price
      const sub = yield* Subscriptions.create({ customer: c.id, items: [{ price: p.id, quantity: 2 }] })
      const items = yield* SubscriptionItems.list({ subscription: sub.id })
      expect(items.data.length).toBeGreaterThanOrEqual(1)
      const schedule = yield* SubscriptionSchedules.create({ from_subscription: sub.id })
      const released = yield* SubscriptionSchedules.release(schedule.id)
      expect(released.object).toBe("subscription_schedule")
      stateful("the item has the quantity, and the schedule is released", () => {
        expect(items.data[0]?.quantity).toBe(2)
        expect(released.status).toBe("released")
      })
    }))

  it.effect("Connect: persons, external accounts, capabilities, payouts, transfer reversals", () =>
    Effect.gen(function*() {
      const a = yield* Accounts.create({
        type: "custom",
        country: "US",
        email: "c@example.com",
        capabilities: { transfers: { requested: true } }
      })
      const person = yield* Accounts.createPerson(a.id, { first_name: "Ada", last_name: "Lovelace" })
      expect(person.object).toBe("person")
      const capabilities = yield* Accounts.listCapabilities(a.id)
      expect(capabilities.data.length).toBeGreaterThanOrEqual(1)
      const bank = yield* Accounts.createExternalAccount(a.id, { external_account: "btok_us" })
      expect(bank.object).toBe("bank_account")
      const external = yield* Accounts.listExternalAccounts(a.id)
      expect(external.data.length).toBeGreaterThanOrEqual(1)
      const transfer = yield* Transfers.create({ amount: 300, currency: "usd", destination: a.id })
      const reversal = yield* Transfers.createReversal(transfer.id, { amount: 100 })
      expect(reversal.object).toBe("transfer_reversal")
      const payout = yield* Payouts.create({ amount: 100, currency: "usd" })
      expect(payout.object).toBe("payout")
      stateful("what was created comes back", () => {
        expect(person.first_name).toBe("Ada")
        expect(capabilities.data.map((cap) => cap.id)).toContain("transfers")
        expect(external.data.map((e) => e.id)).toContain(bank.id)
        expect(reversal.amount).toBe(100)
      })
    }))

  it.effect("Checkout sessions, meters, test clocks, webhook endpoints, files", () =>
    Effect.gen(function*() {
      const product = yield* Products.create({ name: "Checkout item" })
      const p = yield* Prices.create({ product: product.id, currency: "usd", unit_amount: 100 })
      const session = yield* Checkout.Sessions.create({
        mode: "payment",
        success_url: "https://example.com/ok",
        line_items: [{ price: p.id, quantity: 1 }]
      })
      expect(session.object).toBe("checkout.session")
      const expired = yield* Checkout.Sessions.expire(session.id)
      expect(expired.object).toBe("checkout.session")
      const meter = yield* Billing.Meters.create({
        display_name: "Ops",
        event_name: `ops_${Date.now()}`,
        default_aggregation: { formula: "count" }
      })
      const deactivated = yield* Billing.Meters.deactivate(meter.id)
      const reactivated = yield* Billing.Meters.reactivate(meter.id)
      const clock = yield* TestHelpers.TestClocks.create({ frozen_time: Math.floor(Date.now() / 1000) })
      const advanced = yield* TestHelpers.TestClocks.advance(clock.id, {
        frozen_time: Math.floor(Date.now() / 1000) + 3600
      })
      expect(advanced.object).toBe("test_helpers.test_clock")
      const endpoint = yield* WebhookEndpoints.create({
        url: "https://example.com/hook",
        enabled_events: ["payment_intent.succeeded"]
      })
      expect(endpoint.object).toBe("webhook_endpoint")
      // When present (always on create, where Stripe returns it), the signing secret decodes as Redacted.
      expect(endpoint.secret === undefined || Redacted.isRedacted(endpoint.secret)).toBe(true)
      const removed = yield* WebhookEndpoints.del(endpoint.id)
      expect(removed.deleted).toBe(true)
      const uploaded = yield* file
      expect(uploaded.object).toBe("file")
      stateful("statuses move, and create returns the endpoint's signing secret", () => {
        expect(deactivated.status).toBe("inactive")
        expect(reactivated.status).toBe("active")
        expect(expired.status).toBe("expired")
        assert(endpoint.secret !== undefined, "the create response carries the secret")
        expect(Redacted.value(endpoint.secret)).toMatch(/^whsec_/)
      })
    }))

  it.effect("Events record mutations", () =>
    Effect.gen(function*() {
      const c = yield* Customers.create({ email: "events@example.com" })
      const events = yield* Events.list({ type: "customer.created", limit: 100 })
      expect(events.data.length).toBeGreaterThanOrEqual(1)
      stateful("the customer's creation is an event", () => {
        expect(events.data.some((e) => Reflect.get(e.data.object, "id") === c.id)).toBe(true)
      })
    }))

  it.effect("idempotency: the same key replays the first response", () =>
    Effect.gen(function*() {
      const key = `ops-${Date.now()}-${Math.random()}`
      const [first] = yield* StripeClient.withResponse(
        Customers.create({ email: "idem@example.com" }, { idempotencyKey: key })
      )
      const [second, meta] = yield* StripeClient.withResponse(
        Customers.create({ email: "idem@example.com" }, { idempotencyKey: key })
      )
      expect(meta.idempotencyKey).toBe(key)
      stateful("the second call is a replay of the first", () => {
        expect(second.id).toBe(first.id)
        expect(meta.replayed).toBe(true)
      })
    }))
})
