/**
 * Stateful behaviours of the emulator that stripe-mock cannot check (it keeps
 * no state), each against what Stripe's documentation says: test tokens
 * become cards and bank accounts, microdeposit amounts verify a bank account,
 * usage records add up, `pm_card_createDispute` is disputed, destination
 * charges collect application fees, the v2 meter stream deduplicates by
 * identifier, includable fields appear only when expanded, subscribers to a
 * product with features hold entitlements.
 */
import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@lattice-stripe/testing"
import { wire } from "./support.js"

// These behaviours are documented for API 2024-04-10 (usage records, the
// upcoming invoice, top-level subscription periods): the requests ask for that
// version, which the emulator answers from its 2024-04-10 table.
const setup = () => {
  const emulator = Emulator.make({ seed: 77, now: () => 1_700_000_000_000 })
  return { emulator, w: wire((r) => emulator.handle(r), { headers: { "stripe-version": "2024-04-10" } }) }
}

describe("payment sources (docs.stripe.com/api/cards, /api/customer_bank_accounts)", () => {
  it("a card token becomes the customer's card and default source; deleting it leaves a stub", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", { email: "s@example.com" })).json
    const card = await w.post(`/v1/customers/${customer.id}/sources`, { source: "tok_mastercard" })
    expect(card.status).toBe(200)
    expect(card.json).toMatchObject({ object: "card", brand: "MasterCard", last4: "4444", customer: customer.id })
    expect((await w.get(`/v1/customers/${customer.id}`)).json.default_source).toBe(card.json.id)
    const listed = await w.get(`/v1/customers/${customer.id}/sources`, { object: "card" })
    expect(listed.json.data.map((s: { id: string }) => s.id)).toEqual([card.json.id])
    const deleted = await w.del(`/v1/customers/${customer.id}/sources/${card.json.id}`)
    expect(deleted.json).toEqual({ id: card.json.id, object: "card", deleted: true })
    expect((await w.get(`/v1/customers/${customer.id}/sources/${card.json.id}`)).status).toBe(404)
    expect((await w.get(`/v1/customers/${customer.id}`)).json.default_source).toBeNull()
    expect((await w.post(`/v1/customers/${customer.id}/sources`, { source: "tok_nonsense" })).status).toBe(404)
  })

  it("a bank account verifies with the test amounts 32 and 45 only", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", {})).json
    const bank = (await w.post(`/v1/customers/${customer.id}/sources`, { source: "btok_us" })).json
    expect(bank).toMatchObject({ object: "bank_account", status: "new", last4: "6789" })
    const wrong = await w.post(`/v1/customers/${customer.id}/sources/${bank.id}/verify`, { amounts: [1, 2] })
    expect(wrong.status).toBe(400)
    const ok = await w.post(`/v1/customers/${customer.id}/sources/${bank.id}/verify`, { amounts: [32, 45] })
    expect(ok.json.status).toBe("verified")
  })

  it("an account's external account is a bank account in its list", async () => {
    const { w } = setup()
    const account = (await w.post("/v1/accounts", { type: "custom", country: "US" })).json
    const bank = (await w.post(`/v1/accounts/${account.id}/external_accounts`, { external_account: "btok_us" })).json
    expect(bank.object).toBe("bank_account")
    const list = await w.get(`/v1/accounts/${account.id}/external_accounts`)
    expect(list.json.data.map((b: { id: string }) => b.id)).toEqual([bank.id])
    const gone = await w.del(`/v1/accounts/${account.id}/external_accounts/${bank.id}`)
    expect(gone.json).toEqual({ id: bank.id, object: "bank_account", deleted: true })
  })
})

describe("billing", () => {
  it("usage records are records of the item, and their summary adds them up", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", {})).json
    const product = (await w.post("/v1/products", { name: "Metered" })).json
    const price = (await w.post("/v1/prices", {
      product: product.id,
      currency: "usd",
      unit_amount: 1,
      recurring: { interval: "month", usage_type: "metered" }
    })).json
    const sub = (await w.post("/v1/subscriptions", { customer: customer.id, items: [{ price: price.id }] })).json
    const item = sub.items.data[0].id
    const first = await w.post(`/v1/subscription_items/${item}/usage_records`, { quantity: 3 })
    expect(first.json).toMatchObject({ object: "usage_record", quantity: 3, subscription_item: item })
    await w.post(`/v1/subscription_items/${item}/usage_records`, { quantity: 4 })
    const summaries = await w.get(`/v1/subscription_items/${item}/usage_record_summaries`)
    expect(summaries.json.data[0]).toMatchObject({ object: "usage_record_summary", total_usage: 7 })
    await w.post(`/v1/subscription_items/${item}/usage_records`, { quantity: 2, action: "set" })
    const reset = await w.get(`/v1/subscription_items/${item}/usage_record_summaries`)
    expect(reset.json.data[0].total_usage).toBe(2)
  })

  it("the v2 meter stream deduplicates events by identifier", async () => {
    const { emulator, w } = setup()
    const customer = (await w.post("/v1/customers", {})).json
    const meter = (await w.post("/v1/billing/meters", {
      display_name: "Calls",
      event_name: "api_call",
      default_aggregation: { formula: "sum" }
    })).json
    const session = (await w.post("/v2/billing/meter_event_session")).json
    const event = {
      event_name: "api_call",
      identifier: "evt-1",
      payload: { stripe_customer_id: customer.id, value: "5" }
    }
    const send = () =>
      w.post("/v2/billing/meter_event_stream", { events: [event] }, { key: session.authentication_token })
    expect((await send()).status).toBe(200)
    expect((await send()).status).toBe(200)
    expect(emulator.meterEventStream().map((e) => e.identifier)).toEqual(["evt-1"])
    const summary = await w.get(`/v1/billing/meters/${meter.id}/event_summaries`, {
      customer: customer.id,
      start_time: 1_699_990_000,
      end_time: 1_700_010_000
    })
    expect(summary.json.data[0].aggregated_value).toBe(5)
  })

  it("includable fields appear only when expanded", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", { email: "i@example.com" })).json
    await w.post(`/v1/customers/${customer.id}/sources`, { source: "tok_visa" })
    const plain = (await w.get(`/v1/customers/${customer.id}`)).json
    for (const field of ["cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax", "tax_ids"]) {
      expect(plain).not.toHaveProperty(field)
    }
    const expanded = (await w.get(`/v1/customers/${customer.id}`, { expand: ["sources"] })).json
    expect(expanded.sources.data).toHaveLength(1)
    const product = (await w.post("/v1/products", { name: "P" })).json
    const price = (await w.post("/v1/prices", { product: product.id, currency: "usd", unit_amount: 100 })).json
    expect(price).not.toHaveProperty("tiers")
    expect(price).not.toHaveProperty("currency_options")
    expect(price).not.toHaveProperty("type", "service")
    expect(product).not.toHaveProperty("type")
  })

  it("a subscriber to a product with a feature holds the entitlement", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", {})).json
    const feature = (await w.post("/v1/entitlements/features", { name: "SSO", lookup_key: "sso" })).json
    const product = (await w.post("/v1/products", { name: "Pro" })).json
    await w.post(`/v1/products/${product.id}/features`, { entitlement_feature: feature.id })
    const price = (await w.post("/v1/prices", {
      product: product.id,
      currency: "usd",
      unit_amount: 100,
      recurring: { interval: "month" }
    })).json
    expect((await w.get("/v1/entitlements/active_entitlements", { customer: customer.id })).json.data).toEqual([])
    await w.post("/v1/subscriptions", { customer: customer.id, items: [{ price: price.id }] })
    const held = (await w.get("/v1/entitlements/active_entitlements", { customer: customer.id })).json.data
    expect(held).toHaveLength(1)
    expect(held[0]).toMatchObject({ object: "entitlements.active_entitlement", feature: feature.id, lookup_key: "sso" })
  })

  it("the upcoming invoice has no id and bills pending invoice items", async () => {
    const { w } = setup()
    const customer = (await w.post("/v1/customers", {})).json
    expect((await w.get("/v1/invoices/upcoming", { customer: customer.id })).status).toBe(404)
    await w.post("/v1/invoiceitems", { customer: customer.id, amount: 700, currency: "usd" })
    const upcoming = (await w.get("/v1/invoices/upcoming", { customer: customer.id })).json
    expect(upcoming).not.toHaveProperty("id")
    expect(upcoming.amount_due).toBe(700)
    expect(upcoming.lines.data.map((l: { amount: number }) => l.amount)).toEqual([700])
  })
})

describe("payments and Connect", () => {
  it("pm_card_createDispute succeeds, then its charge is disputed", async () => {
    const { emulator, w } = setup()
    const pi = (await w.post("/v1/payment_intents", {
      amount: 900,
      currency: "usd",
      payment_method: "pm_card_createDispute",
      confirm: true
    })).json
    expect(pi.status).toBe("succeeded")
    const charge = (await w.get(`/v1/charges/${pi.latest_charge}`)).json
    expect(charge.disputed).toBe(true)
    const dispute = (await w.get(`/v1/charges/${charge.id}/dispute`)).json
    expect(dispute).toMatchObject({ object: "dispute", amount: 900, charge: charge.id, status: "needs_response" })
    expect(emulator.events("charge.dispute.created")).toHaveLength(1)
    const closed = await w.post(`/v1/disputes/${dispute.id}/close`)
    expect(closed.json.status).toBe("lost")
    expect((await w.post(`/v1/disputes/${dispute.id}/close`)).status).toBe(400)
  })

  it("a destination charge with an application fee collects it for the platform", async () => {
    const { w } = setup()
    const account = (await w.post("/v1/accounts", { type: "express" })).json
    const pi = (await w.post("/v1/payment_intents", {
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      application_fee_amount: 150,
      transfer_data: { destination: account.id }
    })).json
    const charge = (await w.get(`/v1/charges/${pi.latest_charge}`)).json
    const fees = (await w.get("/v1/application_fees")).json.data
    expect(fees).toHaveLength(1)
    expect(fees[0]).toMatchObject({ amount: 150, account: account.id, charge: charge.id })
    expect(charge.application_fee).toBe(fees[0].id)
    const refund = (await w.post(`/v1/application_fees/${fees[0].id}/refunds`, { amount: 50 })).json
    expect(refund).toMatchObject({ object: "fee_refund", amount: 50, fee: fees[0].id })
    expect((await w.get(`/v1/application_fees/${fees[0].id}`)).json.amount_refunded).toBe(50)
    expect((await w.post(`/v1/application_fees/${fees[0].id}/refunds`, { amount: 500 })).status).toBe(400)
  })

  it("login links are for Express accounts only; capabilities are objects of the account", async () => {
    const { w } = setup()
    const custom = (await w.post("/v1/accounts", {
      type: "custom",
      capabilities: { card_payments: { requested: true } }
    })).json
    expect((await w.post(`/v1/accounts/${custom.id}/login_links`)).status).toBe(400)
    const cap = (await w.get(`/v1/accounts/${custom.id}/capabilities/card_payments`)).json
    expect(cap).toMatchObject({ object: "capability", id: "card_payments", account: custom.id, requested: true })
    expect((await w.get(`/v1/accounts/${custom.id}/capabilities/transfers`)).status).toBe(404)
    const express = (await w.post("/v1/accounts", { type: "express" })).json
    expect((await w.post(`/v1/accounts/${express.id}/login_links`)).json.object).toBe("login_link")
  })
})

describe("API versions", () => {
  it("answers in the requested version's table, and in the default one for others", async () => {
    const { w } = setup()
    const pinned = await w.post("/v1/customers", {}, { headers: { "stripe-version": "2024-04-10" } })
    expect(pinned.headers["stripe-version"]).toBe("2024-04-10")
    expect(pinned.json.object).toBe("customer")
    const shipped = await w.post("/v1/customers", {}, { headers: { "stripe-version": "2026-10-28.endive" } })
    expect(shipped.json.object).toBe("customer")
    // 2026-10-28.endive customers carry `customer_account`; 2024-04-10 ones do not.
    expect(shipped.json).toHaveProperty("customer_account")
    expect(pinned.json).not.toHaveProperty("customer_account")
    // A version the emulator does not carry gets the default table: the shipped version's.
    const other = await w.post("/v1/customers", {}, { headers: { "stripe-version": "2099-01-01" } })
    expect(other.status).toBe(200)
    expect(Object.keys(other.json).sort()).toEqual(Object.keys(shipped.json).sort())
  })
})
