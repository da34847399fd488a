import { describe, expect, it } from "@effect/vitest"
import { Emulator } from "@lattice-stripe/testing"
import type { Wire } from "./support.js"
import { notebook, wire } from "./support.js"

const setup = (options?: Emulator.Options) => {
  const emulator = Emulator.make({ seed: 42, ...options })
  return { emulator, w: wire((r) => emulator.handle(r)) }
}

const customers = async (w: Wire, n: number) => {
  const ids: Array<string> = []
  for (let i = 0; i < n; i++) {
    const c = await w.post("/v1/customers", { email: `c${i}@example.com`, metadata: { index: String(i) } })
    ids.push(c.json.id)
  }
  return ids
}

describe("Emulator (in memory)", () => {
  it("runs the seed notebook's flows", async () => {
    const { emulator, w } = setup()
    const failures: Array<string> = []
    const out = await notebook(w, (ok, what) => {
      if (!ok) failures.push(what)
    })
    expect(failures).toEqual([])
    expect(emulator.retrieve(out.intent.latest_charge)?.status).toBe("succeeded")
    expect(emulator.meterEvents().map((e) => e.identifier)).toEqual(["notebook_1"])
    expect(emulator.meterEventStream()).toHaveLength(1)
    const types = emulator.events().map((e) => e.type)
    for (
      const t of [
        "customer.created",
        "payment_intent.created",
        "payment_intent.succeeded",
        "charge.succeeded",
        "refund.created",
        "customer.subscription.created",
        "customer.subscription.deleted",
        "invoice.created",
        "invoice.paid"
      ]
    ) expect(types).toContain(t)
  })

  it("is deterministic for a seed", async () => {
    const a = setup({ seed: 7, now: () => 1_700_000_000_000 })
    const b = setup({ seed: 7, now: () => 1_700_000_000_000 })
    const ca = await a.w.post("/v1/customers", { email: "x@example.com" })
    const cb = await b.w.post("/v1/customers", { email: "x@example.com" })
    expect(ca.json).toEqual(cb.json)
    expect(ca.json.created).toBe(1_700_000_000)
  })

  describe("CRUD", () => {
    it("creates with every field, coerces params, retrieves what was stored", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { email: "a@example.com", balance: "150", metadata: { plan: "pro" } })
      expect(c.json).toMatchObject({ object: "customer", email: "a@example.com", balance: 150, livemode: false })
      expect(c.json.metadata).toEqual({ plan: "pro" })
      // nullable fields the spec defines are present as null
      expect(c.json.phone).toBeNull()
      expect(c.json.address).toBeNull()
      const r = await w.get(`/v1/customers/${c.json.id}`)
      expect(r.json).toEqual(c.json)
    })

    it("update merges metadata and unsets with empty strings", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { name: "A", metadata: { a: "1", b: "2" } })
      const u = await w.post(`/v1/customers/${c.json.id}`, { metadata: { b: "", c: "3" }, description: "vip" })
      expect(u.json.metadata).toEqual({ a: "1", c: "3" })
      expect(u.json.description).toBe("vip")
      expect(u.json.name).toBe("A")
      const cleared = await w.post(`/v1/customers/${c.json.id}`, { name: "" })
      expect(cleared.json.name).toBeNull()
    })

    it("delete returns the deleted stub and forgets the object", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { email: "a@example.com" })
      const d = await w.del(`/v1/customers/${c.json.id}`)
      expect(d.json).toEqual({ id: c.json.id, object: "customer", deleted: true })
      const r = await w.get(`/v1/customers/${c.json.id}`)
      expect(r.status).toBe(404)
    })

    it("coupons take a chosen id and start valid; numbers are coerced", async () => {
      const { w } = setup()
      const coupon = await w.post("/v1/coupons", { id: "SUMMER", percent_off: "12.5", duration: "once" })
      expect(coupon.json).toMatchObject({ id: "SUMMER", object: "coupon", valid: true, percent_off: 12.5 })
      expect((await w.get("/v1/coupons/SUMMER")).json.id).toBe("SUMMER")
      expect((await w.post("/v1/coupons", { id: "SUMMER", percent_off: 5, duration: "once" })).status).toBe(400)
      // 2026-10-28.endive: a promotion code names its coupon in `promotion` (an expandable id).
      const promo = await w.post("/v1/promotion_codes", {
        promotion: { type: "coupon", coupon: "SUMMER" },
        code: "SUN"
      })
      expect(promo.json.active).toBe(true)
      expect(promo.json.promotion).toEqual({ type: "coupon", coupon: "SUMMER" })
      // The pre-2025 top-level `coupon` param is gone.
      expect((await w.post("/v1/promotion_codes", { coupon: "SUMMER" })).json.error).toMatchObject({
        code: "parameter_unknown",
        param: "coupon"
      })
    })

    it("booleans and nested objects are coerced by the schema", async () => {
      const { w } = setup()
      const p = await w.post("/v1/products", { name: "P", active: "false", package_dimensions: { height: "1.5" } })
      expect(p.json.active).toBe(false)
      expect(p.json.package_dimensions.height).toBe(1.5)
    })
  })

  describe("list pagination", () => {
    it("pages newest first with limit, starting_after and ending_before", async () => {
      const { w } = setup()
      const ids = await customers(w, 7)
      const newest = [...ids].reverse()
      const p1 = await w.get("/v1/customers", { limit: 3 })
      expect(p1.json.data.map((c: { id: string }) => c.id)).toEqual(newest.slice(0, 3))
      expect(p1.json.has_more).toBe(true)
      expect(p1.json.url).toBe("/v1/customers")
      const p2 = await w.get("/v1/customers", { limit: 3, starting_after: newest[2] })
      expect(p2.json.data.map((c: { id: string }) => c.id)).toEqual(newest.slice(3, 6))
      const p3 = await w.get("/v1/customers", { limit: 3, starting_after: newest[5] })
      expect(p3.json.data.map((c: { id: string }) => c.id)).toEqual(newest.slice(6))
      expect(p3.json.has_more).toBe(false)
      const back = await w.get("/v1/customers", { limit: 2, ending_before: newest[5] })
      expect(back.json.data.map((c: { id: string }) => c.id)).toEqual(newest.slice(3, 5))
      expect(back.json.has_more).toBe(true)
      const def = await w.get("/v1/customers")
      expect(def.json.data).toHaveLength(7)
    })

    it("rejects limits outside 1..100 and unknown cursors", async () => {
      const { w } = setup()
      expect((await w.get("/v1/customers", { limit: 0 })).status).toBe(400)
      expect((await w.get("/v1/customers", { limit: 101 })).json.error.param).toBe("limit")
      const bad = await w.get("/v1/customers", { starting_after: "cus_missing" })
      expect(bad.status).toBe(404)
      expect(bad.json.error.param).toBe("starting_after")
    })

    it("filters by equality params and parent paths", async () => {
      const { w } = setup()
      const [a, b] = await customers(w, 2)
      await w.post("/v1/payment_intents", { amount: 100, currency: "usd", customer: a })
      await w.post("/v1/payment_intents", { amount: 200, currency: "usd", customer: b })
      await w.post("/v1/payment_intents", { amount: 300, currency: "usd", customer: a })
      const onlyA = await w.get("/v1/payment_intents", { customer: a })
      expect(onlyA.json.data.map((p: { amount: number }) => p.amount)).toEqual([300, 100])
      const taxId = await w.post(`/v1/customers/${a}/tax_ids`, { type: "eu_vat", value: "DE123456789" })
      expect(taxId.json.customer).toBe(a)
      const taxIds = await w.get(`/v1/customers/${a}/tax_ids`)
      expect(taxIds.json.data.map((t: { id: string }) => t.id)).toEqual([taxId.json.id])
      expect((await w.get(`/v1/customers/${b}/tax_ids`)).json.data).toEqual([])
    })

    it("lists events with a type filter", async () => {
      const { w } = setup()
      await customers(w, 2)
      await w.post("/v1/products", { name: "P" })
      const events = await w.get("/v1/events", { type: "customer.created" })
      expect(events.json.data).toHaveLength(2)
      expect(events.json.data[0].data.object.object).toBe("customer")
      const wildcard = await w.get("/v1/events", { type: "product.*" })
      expect(wildcard.json.data.map((e: { type: string }) => e.type)).toEqual(["product.created"])
    })
  })

  describe("search", () => {
    it("understands field, metadata, AND, OR and negation", async () => {
      const { w } = setup()
      const ids = await customers(w, 4)
      await w.post(`/v1/customers/${ids[1]}`, { name: "Jane" })
      const byEmail = await w.get("/v1/customers/search", { query: "email:\"c2@example.com\"" })
      expect(byEmail.json.object).toBe("search_result")
      expect(byEmail.json.data.map((c: { id: string }) => c.id)).toEqual([ids[2]])
      const byMeta = await w.get("/v1/customers/search", { query: "metadata[\"index\"]:\"3\"" })
      expect(byMeta.json.data.map((c: { id: string }) => c.id)).toEqual([ids[3]])
      const and = await w.get("/v1/customers/search", { query: "name:\"Jane\" AND metadata[\"index\"]:\"1\"" })
      expect(and.json.data.map((c: { id: string }) => c.id)).toEqual([ids[1]])
      const none = await w.get("/v1/customers/search", { query: "name:\"Jane\" AND metadata[\"index\"]:\"2\"" })
      expect(none.json.data).toEqual([])
      const or = await w.get("/v1/customers/search", { query: "email:\"c0@example.com\" OR email:\"c3@example.com\"" })
      expect(or.json.total_count).toBe(2)
      const not = await w.get("/v1/customers/search", { query: "-email:\"c0@example.com\"" })
      expect(not.json.total_count).toBe(3)
    })

    it("pages with next_page and rejects bad queries", async () => {
      const { w } = setup()
      await customers(w, 5)
      const p1 = await w.get("/v1/customers/search", { query: "email~\"example.com\"", limit: 2 })
      expect(p1.json.has_more).toBe(true)
      const p2 = await w.get("/v1/customers/search", {
        query: "email~\"example.com\"",
        limit: 2,
        page: p1.json.next_page
      })
      const p3 = await w.get("/v1/customers/search", {
        query: "email~\"example.com\"",
        limit: 2,
        page: p2.json.next_page
      })
      expect([...p1.json.data, ...p2.json.data, ...p3.json.data].map((c: { id: string }) => c.id)).toHaveLength(5)
      // The last page has no next page: Stripe's spec leaves `next_page` optional, and it is left out.
      expect(p3.json.has_more).toBe(false)
      expect(p3.json).not.toHaveProperty("next_page")
      const bad = await w.get("/v1/customers/search", { query: "email = oops" })
      expect(bad.status).toBe(400)
      expect(bad.json.error.param).toBe("query")
    })

    it("searches payment intents by amount", async () => {
      const { w } = setup()
      await w.post("/v1/payment_intents", { amount: 100, currency: "usd" })
      await w.post("/v1/payment_intents", { amount: 5000, currency: "usd" })
      const big = await w.get("/v1/payment_intents/search", { query: "amount>1000" })
      expect(big.json.data.map((p: { amount: number }) => p.amount)).toEqual([5000])
    })
  })

  describe("expand", () => {
    it("inflates fields on retrieve, create and lists (data.x)", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { email: "e@example.com" })
      const pi = await w.post("/v1/payment_intents", {
        amount: 100,
        currency: "usd",
        customer: c.json.id,
        expand: ["customer"]
      })
      expect(pi.json.customer.email).toBe("e@example.com")
      const stored = await w.get(`/v1/payment_intents/${pi.json.id}`)
      expect(stored.json.customer).toBe(c.json.id)
      const list = await w.get("/v1/payment_intents", { expand: ["data.customer"] })
      expect(list.json.data[0].customer.id).toBe(c.json.id)
      const confirmed = await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, {
        payment_method: "pm_card_visa",
        expand: ["latest_charge", "payment_method"]
      })
      expect(confirmed.json.latest_charge.object).toBe("charge")
      expect(confirmed.json.payment_method.card.last4).toBe("4242")
    })

    it("expands nested paths", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { email: "n@example.com" })
      const price = await w.post("/v1/prices", {
        currency: "usd",
        unit_amount: 500,
        recurring: { interval: "month" },
        product_data: { name: "Nested" }
      })
      const sub = await w.post("/v1/subscriptions", { customer: c.json.id, items: [{ price: price.json.id }] })
      const r = await w.get(`/v1/subscriptions/${sub.json.id}`, { expand: ["latest_invoice.customer"] })
      expect(r.json.latest_invoice.object).toBe("invoice")
      expect(r.json.latest_invoice.customer.email).toBe("n@example.com")
      expect(r.json.latest_invoice.amount_paid).toBe(500)
      await w.del(`/v1/customers/${c.json.id}`)
      const gone = await w.get(`/v1/subscriptions/${sub.json.id}`, { expand: ["customer"] })
      expect(gone.json.customer).toEqual({ id: c.json.id, object: "customer", deleted: true })
    })
  })

  describe("lifecycles", () => {
    it("declining test cards give 402 card errors", async () => {
      const { w, emulator } = setup()
      const pi = await w.post("/v1/payment_intents", { amount: 700, currency: "usd" })
      const declined = await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, {
        payment_method: "pm_card_chargeDeclined"
      })
      expect(declined.status).toBe(402)
      expect(declined.json.error).toMatchObject({
        type: "card_error",
        code: "card_declined",
        decline_code: "generic_decline"
      })
      expect(declined.json.error.payment_intent.status).toBe("requires_payment_method")
      const pi2 = await w.post("/v1/payment_intents", {
        amount: 700,
        currency: "usd",
        payment_method: "pm_card_insufficientFunds",
        confirm: true
      })
      expect(pi2.status).toBe(402)
      expect(pi2.json.error.decline_code).toBe("insufficient_funds")
      expect(emulator.events("payment_intent.payment_failed")).toHaveLength(2)
      // the intent can be retried with a good card
      const ok = await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, { payment_method: "pm_card_visa" })
      expect(ok.json.status).toBe("succeeded")
    })

    it("manual capture, capture and cancel", async () => {
      const { w } = setup()
      const pi = await w.post("/v1/payment_intents", {
        amount: 1000,
        currency: "usd",
        capture_method: "manual",
        payment_method: "pm_card_visa"
      })
      expect(pi.json.status).toBe("requires_confirmation")
      const confirmed = await w.post(`/v1/payment_intents/${pi.json.id}/confirm`)
      expect(confirmed.json.status).toBe("requires_capture")
      expect(confirmed.json.amount_capturable).toBe(1000)
      const captured = await w.post(`/v1/payment_intents/${pi.json.id}/capture`, { amount_to_capture: 600 })
      expect(captured.json.status).toBe("succeeded")
      expect(captured.json.amount_received).toBe(600)
      const again = await w.post(`/v1/payment_intents/${pi.json.id}/cancel`)
      expect(again.status).toBe(400)
      expect(again.json.error.code).toBe("payment_intent_unexpected_state")
      const other = await w.post("/v1/payment_intents", { amount: 1000, currency: "usd" })
      const canceled = await w.post(`/v1/payment_intents/${other.json.id}/cancel`, {
        cancellation_reason: "abandoned"
      })
      expect(canceled.json.status).toBe("canceled")
      expect(canceled.json.cancellation_reason).toBe("abandoned")
    })

    it("refunds only succeeded intents, partially and up to the amount", async () => {
      const { w } = setup()
      const pi = await w.post("/v1/payment_intents", { amount: 1000, currency: "usd" })
      const early = await w.post("/v1/refunds", { payment_intent: pi.json.id })
      expect(early.status).toBe(400)
      await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, { payment_method: "pm_card_visa" })
      const partial = await w.post("/v1/refunds", { payment_intent: pi.json.id, amount: 400 })
      expect(partial.json.amount).toBe(400)
      const rest = await w.post("/v1/refunds", { payment_intent: pi.json.id })
      expect(rest.json.amount).toBe(600)
      const charge = await w.get(`/v1/charges/${rest.json.charge}`)
      expect(charge.json.refunded).toBe(true)
      expect(charge.json.amount_refunded).toBe(1000)
      const txns = await w.get("/v1/balance_transactions")
      expect(txns.json.data.map((t: { type: string; amount: number }) => [t.type, t.amount])).toEqual([
        ["refund", -600],
        ["refund", -400],
        ["charge", 1000]
      ])
      const balance = await w.get("/v1/balance")
      expect(balance.json.available[0]).toMatchObject({ amount: 0, currency: "usd" })
      const byCharge = await w.get("/v1/balance_transactions", { source: rest.json.charge })
      expect(byCharge.json.data).toHaveLength(1)
      const over = await w.post("/v1/refunds", { payment_intent: pi.json.id })
      expect(over.status).toBe(400)
    })

    it("subscriptions: first invoice, item list, default list excludes canceled", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", { email: "s@example.com" })
      const price = await w.post("/v1/prices", {
        currency: "usd",
        unit_amount: 1500,
        recurring: { interval: "month" },
        product_data: { name: "Plan" }
      })
      const sub = await w.post("/v1/subscriptions", {
        customer: c.json.id,
        items: [{ price: price.json.id, quantity: 2 }]
      })
      expect(sub.json.items.data[0].price.id).toBe(price.json.id)
      expect(sub.json.items.data[0].quantity).toBe(2)
      // The shipped version (2026-10-28.endive): the billing period is the item's, the subscription the invoice's parent.
      expect(sub.json.items.data[0].current_period_end).toBeGreaterThan(sub.json.items.data[0].current_period_start)
      expect(sub.json.current_period_end).toBeUndefined()
      const invoice = await w.get(`/v1/invoices/${sub.json.latest_invoice}`)
      expect(invoice.json).toMatchObject({
        status: "paid",
        amount_due: 3000,
        parent: { type: "subscription_details", subscription_details: { subscription: sub.json.id } }
      })
      const lines = await w.get(`/v1/invoices/${sub.json.latest_invoice}/lines`)
      expect(lines.json.data[0].amount).toBe(3000)
      const items = await w.get("/v1/subscription_items", { subscription: sub.json.id })
      expect(items.json.data).toHaveLength(1)
      await w.del(`/v1/subscriptions/${sub.json.id}`)
      expect((await w.get("/v1/subscriptions", { customer: c.json.id })).json.data).toEqual([])
      expect((await w.get("/v1/subscriptions", { customer: c.json.id, status: "all" })).json.data).toHaveLength(1)
      const missingPrice = await w.post("/v1/subscriptions", { customer: c.json.id, items: [{ price: "price_nope" }] })
      expect(missingPrice.status).toBe(404)
    })

    it("subscription schedules: active now or not started, cancel and release", async () => {
      let now = 1_700_000_000_000
      const { w } = setup({ now: () => now })
      const c = await w.post("/v1/customers", {})
      const price = await w.post("/v1/prices", {
        currency: "usd",
        unit_amount: 100,
        recurring: { interval: "month" },
        product_data: { name: "Plan" }
      })
      const active = await w.post("/v1/subscription_schedules", {
        customer: c.json.id,
        start_date: "now",
        phases: [{ items: [{ price: price.json.id }], iterations: 3 }]
      })
      expect(active.json.status).toBe("active")
      expect(active.json.subscription).toMatch(/^sub_/)
      expect(active.json.phases[0].start_date).toBe(1_700_000_000)
      // three monthly iterations
      expect(active.json.phases[0].end_date - active.json.phases[0].start_date).toBeGreaterThan(88 * 86400)
      const future = await w.post("/v1/subscription_schedules", {
        customer: c.json.id,
        start_date: 1_800_000_000,
        phases: [{ items: [{ price: price.json.id }] }]
      })
      expect(future.json.status).toBe("not_started")
      expect(future.json.subscription).toBeNull()
      const released = await w.post(`/v1/subscription_schedules/${active.json.id}/release`)
      expect(released.json.status).toBe("released")
      expect(released.json.released_subscription).toBe(active.json.subscription)
      now += 1000
      const canceled = await w.post(`/v1/subscription_schedules/${future.json.id}/cancel`)
      expect(canceled.json.status).toBe("canceled")
      const noPhases = await w.post("/v1/subscription_schedules", { customer: c.json.id })
      expect(noPhases.status).toBe(400)
    })

    it("setup intents confirm and cancel", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", {})
      const si = await w.post("/v1/setup_intents", { customer: c.json.id })
      const confirmed = await w.post(`/v1/setup_intents/${si.json.id}/confirm`, { payment_method: "pm_card_visa" })
      expect(confirmed.json.status).toBe("succeeded")
      const pm = await w.get(`/v1/payment_methods/${confirmed.json.payment_method}`)
      expect(pm.json.customer).toBe(c.json.id)
      const other = await w.post("/v1/setup_intents", {})
      expect((await w.post(`/v1/setup_intents/${other.json.id}/cancel`)).json.status).toBe("canceled")
    })

    it("meters deactivate, reactivate and summarize events", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", {})
      const meter = await w.post("/v1/billing/meters", {
        display_name: "Calls",
        event_name: "call",
        default_aggregation: { formula: "sum" },
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        value_settings: { event_payload_key: "value" }
      })
      const off = await w.post(`/v1/billing/meters/${meter.json.id}/deactivate`)
      expect(off.json.status).toBe("inactive")
      expect(off.json.status_transitions.deactivated_at).toBeTypeOf("number")
      expect((await w.post(`/v1/billing/meters/${meter.json.id}/deactivate`)).status).toBe(400)
      const on = await w.post(`/v1/billing/meters/${meter.json.id}/reactivate`)
      expect(on.json.status).toBe("active")
      for (const value of ["2", "3"]) {
        await w.post("/v1/billing/meter_events", {
          event_name: "call",
          payload: { stripe_customer_id: c.json.id, value }
        })
      }
      const summaries = await w.get(`/v1/billing/meters/${meter.json.id}/event_summaries`, {
        customer: c.json.id,
        start_time: 0,
        end_time: 4_000_000_000
      })
      expect(summaries.json.data[0].aggregated_value).toBe(5)
      const dup = await w.post("/v1/billing/meter_events", {
        event_name: "call",
        identifier: "same",
        payload: { stripe_customer_id: c.json.id }
      })
      expect(dup.status).toBe(200)
      const again = await w.post("/v1/billing/meter_events", {
        event_name: "call",
        identifier: "same",
        payload: { stripe_customer_id: c.json.id }
      })
      expect(again.status).toBe(400)
    })

    it("connect: account links need an existing account; transfers reverse", async () => {
      const { w } = setup()
      const link = await w.post("/v1/account_links", {
        account: "acct_missing",
        type: "account_onboarding",
        refresh_url: "https://example.com/r",
        return_url: "https://example.com/r"
      })
      expect(link.status).toBe(404)
      const account = await w.post("/v1/accounts", { type: "express" })
      const transfer = await w.post("/v1/transfers", { amount: 1000, currency: "usd", destination: account.json.id })
      const reversal = await w.post(`/v1/transfers/${transfer.json.id}/reversals`, { amount: 400 })
      expect(reversal.json.amount).toBe(400)
      const after = await w.get(`/v1/transfers/${transfer.json.id}`)
      expect(after.json.amount_reversed).toBe(400)
      expect(after.json.reversals.data[0].id).toBe(reversal.json.id)
      const reversals = await w.get(`/v1/transfers/${transfer.json.id}/reversals`)
      expect(reversals.json.data.map((r: { id: string }) => r.id)).toEqual([reversal.json.id])
      const badDestination = await w.post("/v1/transfers", { amount: 1, currency: "usd", destination: "acct_nope" })
      expect(badDestination.status).toBe(400)
    })

    it("invoices move through finalize, pay and void", async () => {
      const { w } = setup()
      const c = await w.post("/v1/customers", {})
      await w.post("/v1/invoiceitems", { customer: c.json.id, amount: 1234, currency: "usd" })
      const draft = await w.post("/v1/invoices", { customer: c.json.id })
      expect(draft.json.status).toBe("draft")
      expect(draft.json.amount_due).toBe(1234)
      expect((await w.post(`/v1/invoices/${draft.json.id}/pay`)).status).toBe(400)
      const open = await w.post(`/v1/invoices/${draft.json.id}/finalize`)
      expect(open.json.status).toBe("open")
      expect(open.json.number).toBeTypeOf("string")
      const paid = await w.post(`/v1/invoices/${draft.json.id}/pay`)
      // `paid` left invoices in 2025-03-31.basil (`status` says it).
      expect(paid.json).toMatchObject({ status: "paid", amount_paid: 1234 })
      expect(paid.json.paid).toBeUndefined()
    })

    it("serves the quote PDF as bytes and uploads files as multipart", async () => {
      const emulator = Emulator.make({ seed: 3 })
      const w = wire((r) => emulator.handle(r))
      const quote = await w.post("/v1/quotes", {})
      // Stripe serves the PDF of a finalized quote only.
      const draftPdf = await w.get(`/v1/quotes/${quote.json.id}/pdf`)
      expect(draftPdf.status).toBe(400)
      expect((await w.post(`/v1/quotes/${quote.json.id}/finalize`)).json.status).toBe("open")
      const pdf = await emulator.handle({
        method: "GET",
        url: `/v1/quotes/${quote.json.id}/pdf`,
        headers: { authorization: "Bearer sk_test_1" }
      })
      expect(pdf.headers["content-type"]).toBe("application/pdf")
      expect(pdf.body).toBeInstanceOf(Uint8Array)
      expect(typeof pdf.body === "string" ? pdf.body : new TextDecoder().decode(pdf.body)).toMatch(/^%PDF/)
      const form = new FormData()
      form.append("purpose", "dispute_evidence")
      form.append("file", new Blob(["hello"], { type: "text/plain" }), "evidence.txt")
      const encoded = new Response(form)
      const upload = await emulator.handle({
        method: "POST",
        url: "/v1/files",
        headers: {
          authorization: "Bearer sk_test_1",
          "content-type": encoded.headers.get("content-type") ?? ""
        },
        body: new Uint8Array(await encoded.arrayBuffer())
      })
      const file = JSON.parse(String(upload.body))
      expect(file).toMatchObject({ object: "file", purpose: "dispute_evidence", filename: "evidence.txt", size: 5 })
    })
  })

  describe("errors", () => {
    it("401 without a key or with a non test key, never echoing it", async () => {
      const { w } = setup()
      const none = await w.get("/v1/customers", {}, { key: null })
      expect(none.status).toBe(401)
      expect(none.json.error.type).toBe("authentication_error")
      const live = await w.get("/v1/customers", {}, { key: "sk_live_secret123" })
      expect(live.status).toBe(401)
      expect(JSON.stringify(live.json)).not.toContain("sk_live_secret123")
    })

    it("400 parameter_unknown / parameter_missing, 404 resource_missing and unknown URLs", async () => {
      const { w } = setup()
      const unknown = await w.post("/v1/customers", { colour: "blue" })
      expect(unknown.json.error).toMatchObject({ code: "parameter_unknown", param: "colour" })
      const missing = await w.post("/v1/prices", { unit_amount: 100 })
      expect(missing.json.error).toMatchObject({ code: "parameter_missing", param: "currency" })
      const notFound = await w.get("/v1/customers/cus_nope")
      expect(notFound.status).toBe(404)
      expect(notFound.json.error).toMatchObject({
        type: "invalid_request_error",
        code: "resource_missing",
        param: "id",
        message: "No such customer: 'cus_nope'"
      })
      const nested = await w.get("/v1/customers/cus_nope/tax_ids")
      expect(nested.status).toBe(404)
      const route = await w.get("/v1/nothing_here")
      expect(route.status).toBe(404)
      expect(route.headers["request-id"]).toMatch(/^req_/)
    })
  })

  describe("idempotency", () => {
    it("replays the first response for the same key and params", async () => {
      const { w, emulator } = setup()
      const headers = { "idempotency-key": "key-1" }
      const first = await w.post("/v1/customers", { email: "i@example.com" }, { headers })
      const second = await w.post("/v1/customers", { email: "i@example.com" }, { headers })
      expect(second.json).toEqual(first.json)
      expect(second.headers["idempotent-replayed"]).toBe("true")
      expect(first.headers["idempotent-replayed"]).toBeUndefined()
      expect(second.headers["idempotency-key"]).toBe("key-1")
      expect(emulator.list("customer")).toHaveLength(1)
      expect(emulator.requests().map((r) => r.replayed)).toEqual([false, true])
    })

    it("replays errors too, and rejects a reused key with other params", async () => {
      const { w } = setup()
      const headers = { "idempotency-key": "key-2" }
      const pi = await w.post("/v1/payment_intents", { amount: 100, currency: "usd" })
      const a = await w.post(
        `/v1/payment_intents/${pi.json.id}/confirm`,
        { payment_method: "pm_card_chargeDeclined" },
        {
          headers
        }
      )
      const b = await w.post(
        `/v1/payment_intents/${pi.json.id}/confirm`,
        { payment_method: "pm_card_chargeDeclined" },
        {
          headers
        }
      )
      expect(a.status).toBe(402)
      expect(b.status).toBe(402)
      expect(b.headers["idempotent-replayed"]).toBe("true")
      const c = await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, { payment_method: "pm_card_visa" }, {
        headers
      })
      expect(c.status).toBe(400)
      expect(c.json.error.type).toBe("idempotency_error")
    })

    it("does not save validation failures, so the key can be retried", async () => {
      const { w } = setup()
      const headers = { "idempotency-key": "key-3" }
      const bad = await w.post("/v1/payment_intents", { currency: "usd" }, { headers })
      expect(bad.status).toBe(400)
      const good = await w.post("/v1/payment_intents", { currency: "usd", amount: 5 }, { headers })
      expect(good.status).toBe(200)
    })
  })

  describe("v2 meter event stream", () => {
    it("sessions expire after the configured lifetime", async () => {
      let now = Date.UTC(2024, 3, 10)
      const { w, emulator } = setup({ now: () => now, meterSessionLifetime: "10 minutes" })
      const session = await w.post("/v2/billing/meter_event_session")
      expect(session.json.created).toBe("2024-04-10T00:00:00.000Z")
      expect(session.json.expires_at).toBe("2024-04-10T00:10:00.000Z")
      expect(session.json.authentication_token).toMatch(/^mest_/)
      const token = session.json.authentication_token
      const event = { event_name: "api_call", payload: { stripe_customer_id: "cus_1", value: "1" } }
      expect((await w.post("/v2/billing/meter_event_stream", { events: [event] }, { key: token })).status).toBe(200)
      now += 10 * 60 * 1000
      const expired = await w.post("/v2/billing/meter_event_stream", { events: [event] }, { key: token })
      expect(expired.status).toBe(401)
      expect(expired.json.error.code).toBe("billing_meter_event_session_expired")
      expect(emulator.meterEventStream()).toHaveLength(1)
    })

    it("checks the bearer token and the batch size", async () => {
      const { w } = setup()
      const event = { event_name: "api_call", payload: { stripe_customer_id: "cus_1" } }
      const noSession = await w.post("/v2/billing/meter_event_stream", { events: [event] }, { key: "sk_test_123" })
      expect(noSession.status).toBe(401)
      const noKey = await w.post("/v2/billing/meter_event_session", {}, { key: null })
      expect(noKey.status).toBe(401)
      const token = (await w.post("/v2/billing/meter_event_session")).json.authentication_token
      const tooMany = await w.post("/v2/billing/meter_event_stream", {
        events: Array.from({ length: 101 }, () => event)
      }, { key: token })
      expect(tooMany.status).toBe(400)
      const hundred = await w.post("/v2/billing/meter_event_stream", {
        events: Array.from({ length: 100 }, () => event)
      }, { key: token })
      expect(hundred.status).toBe(200)
      expect(hundred.json).toEqual({})
      const noPayload = await w.post("/v2/billing/meter_event_stream", {
        events: [{ event_name: "x" }]
      }, { key: token })
      expect(noPayload.status).toBe(400)
    })
  })

  describe("faults", () => {
    it("are consumed in order per path and method", async () => {
      const { w, emulator } = setup()
      emulator.faults.inject({ method: "POST", path: "/v1/customers" }, [
        { _tag: "Status", status: 503, shouldRetry: true },
        { _tag: "Status", status: 429, retryAfter: 2 }
      ])
      expect((await w.get("/v1/customers")).status).toBe(200)
      const a = await w.post("/v1/customers", {})
      expect(a.status).toBe(503)
      expect(a.headers["stripe-should-retry"]).toBe("true")
      expect(a.json.error.type).toBe("api_error")
      const b = await w.post("/v1/customers", {})
      expect(b.status).toBe(429)
      expect(b.headers["retry-after"]).toBe("2")
      expect((await w.post("/v1/customers", {})).status).toBe(200)
      expect(emulator.faults.pending).toBe(0)
    })

    it("drop rejects with ECONNRESET; templates match ids", async () => {
      const { w, emulator } = setup()
      emulator.faults.inject({ path: "/v1/customers/{customer}" }, [{ _tag: "Drop" }])
      await expect(w.get("/v1/customers/cus_x")).rejects.toMatchObject({ code: "ECONNRESET" })
      expect((await w.get("/v1/customers/cus_x")).status).toBe(404)
    })
  })

  it("inspection output never shows session tokens", async () => {
    const { w, emulator } = setup({ webhooks: { url: "http://127.0.0.1:9/x", secret: "whsec_hidden" } })
    const s = await w.post("/v2/billing/meter_event_session")
    const { inspect } = await import("node:util")
    const shown = inspect(emulator, { depth: 10 }) + JSON.stringify(emulator) + String(emulator)
    expect(shown).not.toContain(s.json.authentication_token)
    expect(shown).not.toContain("whsec_hidden")
  })
})
