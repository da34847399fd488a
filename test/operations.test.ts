/**
 * Resource operations beyond the notebook, against the configured target:
 * every top-level list decodes, and each resource's lifecycle works end to
 * end. Stateful assertions are skipped, with the reason printed, on
 * stateless stripe-mock.
 */
import { describe, expect, layer } from "@effect/vitest"
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
import { beforeAll } from "vitest"
import { isStateful, statelessReason, StripeTest, targetName } from "./src/target.js"

beforeAll(() => {
  if (!isStateful) console.log(`[operations] stateful assertions skipped: ${statelessReason}`)
})

const lists = {
  accounts: Accounts.list({ limit: 3 }),
  applicationFees: ApplicationFees.list({ limit: 3 }),
  balanceTransactions: BalanceTransactions.list({ limit: 3 }),
  billingMeters: Billing.Meters.list({ limit: 3 }),
  billingPortalConfigurations: BillingPortal.Configurations.list({ limit: 3 }),
  charges: Charges.list({ limit: 3 }),
  checkoutSessions: Checkout.Sessions.list({ limit: 3 }),
  coupons: Coupons.list({ limit: 3 }),
  creditNotes: CreditNotes.list({ limit: 3 }),
  customers: Customers.list({ limit: 3 }),
  disputes: Disputes.list({ limit: 3 }),
  entitlementsFeatures: Entitlements.Features.list({ limit: 3 }),
  events: Events.list({ limit: 3 }),
  fileLinks: FileLinks.list({ limit: 3 }),
  files: Files.list({ limit: 3 }),
  invoiceItems: InvoiceItems.list({ limit: 3 }),
  invoices: Invoices.list({ limit: 3 }),
  paymentIntents: PaymentIntents.list({ limit: 3 }),
  paymentMethods: PaymentMethods.list({ limit: 3, type: "card" }),
  payouts: Payouts.list({ limit: 3 }),
  prices: Prices.list({ limit: 3 }),
  products: Products.list({ limit: 3 }),
  promotionCodes: PromotionCodes.list({ limit: 3 }),
  quotes: Quotes.list({ limit: 3 }),
  refunds: Refunds.list({ limit: 3 }),
  setupIntents: SetupIntents.list({ limit: 3 }),
  subscriptionSchedules: SubscriptionSchedules.list({ limit: 3 }),
  subscriptions: Subscriptions.list({ limit: 3 }),
  taxIds: TaxIds.list({ limit: 3 }),
  taxRates: TaxRates.list({ limit: 3 }),
  testClocks: TestHelpers.TestClocks.list({ limit: 3 }),
  transfers: Transfers.list({ limit: 3 }),
  webhookEndpoints: WebhookEndpoints.list({ limit: 3 })
}

layer(StripeTest, { timeout: 60_000, excludeTestServices: true })(`resource operations against ${targetName}`, (it) => {
  describe("every top-level list decodes", () => {
    for (const [name, list] of Object.entries(lists)) {
      it.effect(name, () =>
        Effect.gen(function*() {
          const page = yield* list
          expect(page.object).toBe("list")
          expect(page.data.length).toBeLessThanOrEqual(3)
        }))
    }
    it.effect("balance", () =>
      Effect.gen(function*() {
        const balance = yield* Balance.retrieve()
        expect(balance.object).toBe("balance")
      }))
  })

  it.effect("Customers: create, update merges metadata, search, listAll, delete", () =>
    Effect.gen(function*() {
      const created = yield* Customers.create({ email: "ops@example.com", metadata: { tier: "gold", keep: "1" } })
      const updated = yield* Customers.update(created.id, { name: "Ops", metadata: { tier: "", region: "eu" } })
      expect(updated.object).toBe("customer")
      const deleted = yield* Customers.del(created.id)
      expect(deleted.deleted).toBe(true)
      if (isStateful) {
        expect(updated.name).toBe("Ops")
        expect(updated.metadata).toEqual({ keep: "1", region: "eu" })
        const gone = yield* Effect.flip(Customers.retrieve(created.id))
        expect(gone._tag).toBe("StripeInvalidRequestError")
      }
    }))

  it.effect.skipIf(!isStateful)("Customers: search and listAll walk every page", () =>
    Effect.gen(function*() {
      const marker = `ops-${Date.now()}`
      const ids: Array<string> = []
      for (let i = 0; i < 7; i++) {
        const c = yield* Customers.create({ email: `${i}@example.com`, metadata: { batch: marker } })
        ids.push(c.id)
      }
      const found = yield* Customers.search({ query: `metadata["batch"]:"${marker}"` })
      expect(found.data.map((c) => c.id).sort()).toEqual([...ids].sort())
      const all = yield* Customers.listAll({ limit: 2 }).pipe(Stream.runCollect)
      const seen = Chunk.toReadonlyArray(all).map((c) => c.id)
      for (const id of ids) expect(seen).toContain(id)
      expect(new Set(seen).size).toBe(seen.length)
      const searched = yield* Customers.searchAll({ query: `metadata["batch"]:"${marker}"`, limit: 3 }).pipe(
        Stream.runCollect
      )
      expect(Chunk.size(searched)).toBe(7)
    }))

  it.effect("Customers: balance transactions and tax ids", () =>
    Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "tax@example.com" })
      const txn = yield* Customers.createBalanceTransaction(customer.id, { amount: -500, currency: "usd" })
      expect(txn.object).toBe("customer_balance_transaction")
      const txns = yield* Customers.listBalanceTransactions(customer.id)
      expect(txns.object).toBe("list")
      const taxId = yield* Customers.createTaxId(customer.id, { type: "eu_vat", value: "DE123456789" })
      expect(taxId.object).toBe("tax_id")
      const taxIds = yield* Customers.listTaxIds(customer.id)
      if (isStateful) {
        expect(txn.amount).toBe(-500)
        expect(txns.data.map((t) => t.id)).toContain(txn.id)
        expect(taxIds.data.map((t) => t.id)).toContain(taxId.id)
      }
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
      if (isStateful) {
        expect(manual.status).toBe("requires_capture")
        expect(captured.status).toBe("succeeded")
        expect(cancelled.status).toBe("canceled")
        expect(search.data.map((pi) => pi.id)).toContain(manual.id)
      }
    }))

  it.effect("PaymentMethods attach and detach; SetupIntent confirm and cancel", () =>
    Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "pm@example.com" })
      const attached = yield* PaymentMethods.attach("pm_card_visa", { customer: customer.id })
      expect(attached.object).toBe("payment_method")
      const detached = yield* PaymentMethods.detach(attached.id)
      expect(detached.object).toBe("payment_method")
      const si = yield* SetupIntents.create({ customer: customer.id })
      const confirmed = yield* SetupIntents.confirm(si.id, { payment_method: "pm_card_visa" })
      expect(confirmed.object).toBe("setup_intent")
      const other = yield* SetupIntents.create({ customer: customer.id })
      const cancelled = yield* SetupIntents.cancel(other.id)
      if (isStateful) {
        expect(attached.customer).toBe(customer.id)
        expect(detached.customer).toBeNull()
        expect(confirmed.status).toBe("succeeded")
        expect(cancelled.status).toBe("canceled")
      }
    }))

  it.effect("Products, Prices and Coupons: update, search, delete", () =>
    Effect.gen(function*() {
      const product = yield* Products.create({ name: "Ops Widget" })
      const renamed = yield* Products.update(product.id, { name: "Ops Widget 2" })
      const price = yield* Prices.create({ product: product.id, currency: "usd", unit_amount: 999 })
      const priceUpdated = yield* Prices.update(price.id, { nickname: "standard" })
      const coupon = yield* Coupons.create({ percent_off: 25, duration: "once" })
      const couponDeleted = yield* Coupons.del(coupon.id)
      expect(couponDeleted.deleted).toBe(true)
      const promo = yield* PromotionCodes.create({
        promotion: {
          type: "coupon",
          coupon: (yield* Coupons.create({ amount_off: 100, currency: "usd", duration: "once" })).id
        }
      })
      expect(promo.object).toBe("promotion_code")
      if (isStateful) {
        expect(renamed.name).toBe("Ops Widget 2")
        expect(priceUpdated.nickname).toBe("standard")
        expect(coupon.percent_off).toBe(25)
      }
    }))

  it.effect("Invoices: item, create, finalize, pay; void another", () =>
    Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "inv@example.com" })
      const item = yield* InvoiceItems.create({ customer: customer.id, amount: 1200, currency: "usd" })
      expect(item.object).toBe("invoiceitem")
      // `id` is optional on Invoice in the spec (an upcoming invoice has none).
      const invoice = yield* Invoices.create({ customer: customer.id, pending_invoice_items_behavior: "include" })
      const invoiceId = yield* Effect.fromNullable(invoice.id)
      const finalized = yield* Invoices.finalizeInvoice(invoiceId)
      const paid = yield* Invoices.pay(invoiceId, { paid_out_of_band: true })
      expect(paid.object).toBe("invoice")
      const second = yield* Invoices.create({ customer: customer.id })
      const secondId = yield* Effect.fromNullable(second.id)
      yield* Invoices.finalizeInvoice(secondId)
      const voided = yield* Invoices.voidInvoice(secondId)
      const lines = yield* Invoices.listLineItems(invoiceId)
      expect(lines.object).toBe("list")
      if (isStateful) {
        expect(finalized.status).toBe("open")
        expect(paid.status).toBe("paid")
        expect(voided.status).toBe("void")
      }
    }))

  it.effect("Subscriptions: items, schedules release, resume flow", () =>
    Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "subs@example.com" })
      const product = yield* Products.create({ name: "Seat" })
      const price = yield* Prices.create({
        product: product.id,
        currency: "usd",
        unit_amount: 500,
        recurring: { interval: "month" }
      })
      const sub = yield* Subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: 2 }] })
      const items = yield* SubscriptionItems.list({ subscription: sub.id })
      expect(items.object).toBe("list")
      const schedule = yield* SubscriptionSchedules.create({ from_subscription: sub.id })
      const released = yield* SubscriptionSchedules.release(schedule.id)
      expect(released.object).toBe("subscription_schedule")
      if (isStateful) {
        expect(items.data[0]?.quantity).toBe(2)
        expect(released.status).toBe("released")
      }
    }))

  it.effect("Connect: persons, external accounts, login links, capabilities, payouts, transfer reversals", () =>
    Effect.gen(function*() {
      const account = yield* Accounts.create({ type: "custom", country: "US", email: "c@example.com" })
      const person = yield* Accounts.createPerson(account.id, { first_name: "Ada", last_name: "Lovelace" })
      expect(person.object).toBe("person")
      const capabilities = yield* Accounts.listCapabilities(account.id)
      expect(capabilities.object).toBe("list")
      const external = yield* Accounts.listExternalAccounts(account.id)
      expect(external.object).toBe("list")
      const transfer = yield* Transfers.create({ amount: 300, currency: "usd", destination: account.id })
      const reversal = yield* Transfers.createReversal(transfer.id, { amount: 100 })
      expect(reversal.object).toBe("transfer_reversal")
      const payout = yield* Payouts.create({ amount: 100, currency: "usd" })
      expect(payout.object).toBe("payout")
      if (isStateful) {
        expect(person.first_name).toBe("Ada")
        expect(reversal.amount).toBe(100)
      }
    }))

  it.effect("Checkout sessions, portal configuration, meters, test clocks, webhook endpoints, files", () =>
    Effect.gen(function*() {
      const product = yield* Products.create({ name: "Checkout item" })
      const price = yield* Prices.create({ product: product.id, currency: "usd", unit_amount: 100 })
      const session = yield* Checkout.Sessions.create({
        mode: "payment",
        success_url: "https://example.com/ok",
        line_items: [{ price: price.id, quantity: 1 }]
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
      // The signing secret is a credential: decoded as Redacted.
      if (endpoint.secret !== undefined) expect(Redacted.isRedacted(endpoint.secret)).toBe(true)
      const removed = yield* WebhookEndpoints.del(endpoint.id)
      expect(removed.deleted).toBe(true)
      const file = yield* Files.create({ purpose: "dispute_evidence", file: new TextEncoder().encode("evidence") })
      expect(file.object).toBe("file")
      if (isStateful) {
        expect(deactivated.status).toBe("inactive")
        expect(reactivated.status).toBe("active")
        expect(expired.status).toBe("expired")
      }
    }))

  it.effect.skipIf(!isStateful)("Events record mutations", () =>
    Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "events@example.com" })
      const events = yield* Events.list({ type: "customer.created", limit: 100 })
      expect(events.data.some((e) => Reflect.get(e.data.object, "id") === customer.id)).toBe(true)
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
      if (isStateful) {
        expect(second.id).toBe(first.id)
        expect(meta.replayed).toBe(true)
      }
    }))
})
