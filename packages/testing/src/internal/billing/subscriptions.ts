/**
 * Subscriptions: create (items, trials, `default_incomplete`) with their
 * first invoice paid, update (items added, changed, deleted), cancel, resume,
 * subscription items and their usage records, and discounts.
 *
 * @internal
 */
import { deleteDiscount, discountFor } from "../customers.js"
import type { Engine, Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Json, Obj } from "../json.js"
import { isObj, listData } from "../json.js"
import type { Params } from "../params.js"
import { paramArray, paramBool, paramInt, paramObject, paramString, stripExpand } from "../params.js"
import { priceFor } from "./catalog.js"
import { grantEntitlements } from "./entitlements.js"
import { buildInvoice } from "./invoices.js"
import { addInterval } from "./periods.js"

/** Creates a subscription (and its items and first invoice) for a customer. @internal */
export const createSubscriptionFrom = (
  engine: Engine,
  customer: string,
  items: ReadonlyArray<Params>,
  params: Params,
  schedule: Json | undefined
): Obj => {
  engine.mustGet(customer, "customer", "customer")
  if (items.length === 0) throw invalidRequest("Missing required param: items.", "items", "parameter_missing")
  const now = engine.nowSeconds()
  const priced = items.map((item, i) => ({
    price: priceFor(engine, item, paramString(params, "currency"), `items[${i}][price]`),
    quantity: paramInt(item, "quantity") ?? 1,
    metadata: item.metadata
  }))
  const recurring = priced[0].price.recurring
  const trialDays = paramInt(params, "trial_period_days")
  const trialEnd = paramInt(params, "trial_end") ?? (trialDays === undefined ? undefined : now + 86400 * trialDays)
  const periodEnd = trialEnd ?? addInterval(now, recurring)
  const incomplete = paramString(params, "payment_behavior") === "default_incomplete"
  const sub = engine.create("subscription", stripExpand({ ...params, items: "", coupon: "", promotion_code: "" }), {
    billing_cycle_anchor: trialEnd ?? now,
    cancel_at_period_end: paramBool(params, "cancel_at_period_end") ?? false,
    currency: String(priced[0].price.currency ?? "usd"),
    current_period_end: periodEnd,
    current_period_start: now,
    customer,
    schedule: schedule ?? null,
    start_date: now,
    status: trialEnd !== undefined ? "trialing" : incomplete ? "incomplete" : "active",
    trial_end: trialEnd ?? null,
    trial_start: trialEnd === undefined ? null : now
  })
  const data: Array<Json> = []
  for (const p of priced) {
    data.push(engine.create("subscription_item", { metadata: p.metadata ?? {} }, {
      // The billing period is the item's since 2025-03-31.basil (the subscription's before).
      current_period_end: periodEnd,
      current_period_start: now,
      price: structuredClone(p.price),
      quantity: p.quantity,
      subscription: String(sub.id)
    }))
  }
  sub.items = {
    object: "list",
    data,
    has_more: false,
    total_count: data.length,
    url: `/v1/subscription_items?subscription=${String(sub.id)}`
  }
  const discount = discountFor(engine, params, sub)
  if (discount !== undefined) {
    sub.discount = discount
    if (engine.spec.hasField("subscription", "discounts")) sub.discounts = [String(discount.id)]
  }
  engine.emit("customer.subscription.created", sub)
  const invoice = buildInvoice(
    engine,
    customer,
    sub,
    priced.map((p, i) => {
      const item = data[i]
      return {
        price: p.price,
        quantity: trialEnd === undefined ? p.quantity : 0,
        itemId: isObj(item) ? item.id : undefined
      }
    }),
    now,
    periodEnd,
    !incomplete
  )
  sub.latest_invoice = invoice.id ?? null
  grantEntitlements(engine, customer, priced.map((p) => String(p.price.product)))
  return sub
}

const subscriptionCreate: Handler = (engine, ctx) => {
  const params = ctx.params
  const customer = paramString(params, "customer") ?? ""
  return createSubscriptionFrom(engine, customer, paramArray(params, "items").map(paramObject), params, undefined)
}

/** Cancels a subscription now. @internal */
export const cancelSubscription = (engine: Engine, sub: Obj, params: Params): Obj => {
  if (sub.status === "canceled") {
    throw invalidRequest(
      `No such subscription: '${String(sub.id)}' is already canceled.`,
      undefined,
      "resource_missing",
      404
    )
  }
  const now = engine.nowSeconds()
  sub.status = "canceled"
  sub.canceled_at = now
  sub.ended_at = now
  const details = paramObject(params.cancellation_details)
  sub.cancellation_details = engine.spec.coerce("#cancellation_details", {
    comment: details.comment ?? "",
    feedback: details.feedback ?? "",
    reason: "cancellation_requested"
  }, undefined)
  engine.emit("customer.subscription.deleted", sub)
  return sub
}

const subscriptionResume: Handler = (engine, ctx) => {
  const sub = engine.mustGet(ctx.targetId, "subscription", "subscription")
  if (sub.status !== "paused") {
    throw invalidRequest(
      "Only subscriptions with a status of `paused` can be resumed (a trial that ends without a payment method pauses one).",
      undefined,
      "subscription_not_paused"
    )
  }
  sub.status = "active"
  sub.pause_collection = null
  engine.emit("customer.subscription.resumed", sub)
  return sub
}

const subscriptionUpdate: Handler = (engine, ctx) => {
  const sub = engine.mustGet(ctx.targetId, "subscription", "subscription_exposed_id")
  const params = stripExpand(ctx.params)
  const items = paramArray(params, "items").map(paramObject)
  const before = structuredClone(sub)
  engine.spec.merge("subscription", sub, { ...params, items: "", coupon: "", promotion_code: "" })
  const discount = discountFor(engine, params, sub)
  if (discount !== undefined) {
    sub.discount = discount
    if (engine.spec.hasField("subscription", "discounts")) sub.discounts = [String(discount.id)]
  }
  const list = listData(sub.items)
  for (const [i, item] of items.entries()) {
    const id = paramString(item, "id")
    const existing = id === undefined ? undefined : list.find((x) => isObj(x) && x.id === id)
    if (isObj(existing)) {
      if (paramBool(item, "deleted") === true) {
        list.splice(list.indexOf(existing), 1)
        engine.remove(String(existing.id))
        continue
      }
      if (item.price !== undefined) {
        existing.price = structuredClone(priceFor(engine, item, undefined, `items[${i}][price]`))
      }
      const quantity = paramInt(item, "quantity")
      if (quantity !== undefined) existing.quantity = quantity
      const stored = engine.get(String(existing.id))
      if (stored !== undefined) Object.assign(stored, existing)
    } else {
      list.push(engine.create("subscription_item", {}, {
        price: structuredClone(priceFor(engine, item, undefined, `items[${i}][price]`)),
        quantity: paramInt(item, "quantity") ?? 1,
        subscription: String(sub.id)
      }))
    }
  }
  if (paramBool(params, "cancel_at_period_end") === true) sub.cancel_at = sub.current_period_end ?? null
  const previous: Obj = {}
  for (const key of Object.keys(params)) {
    if (key in before && JSON.stringify(before[key]) !== JSON.stringify(sub[key])) previous[key] = before[key]
  }
  engine.emit("customer.subscription.updated", sub, previous)
  return sub
}

const subscriptionItemCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const subId = paramString(params, "subscription") ?? ""
  const sub = engine.mustGet(subId, "subscription", "subscription")
  const item = engine.create("subscription_item", { metadata: params.metadata ?? {} }, {
    price: structuredClone(priceFor(engine, params, undefined, "price")),
    quantity: paramInt(params, "quantity") ?? 1,
    subscription: subId
  })
  listData(sub.items).push(item)
  return item
}

// Usage records (metered billing before meters): each report is a record of
// the item; summaries add them up per billing period.
const usageRecordCreate: Handler = (engine, ctx) => {
  const item = engine.mustGet(ctx.parentIds[0] ?? ctx.targetId, "subscription_item", "subscription_item")
  const params = stripExpand(ctx.params)
  const quantity = paramInt(params, "quantity") ?? 0
  const timestamp = paramString(params, "timestamp") === "now" || params.timestamp === undefined
    ? engine.nowSeconds()
    : paramInt(params, "timestamp") ?? engine.nowSeconds()
  const action = paramString(params, "action") ?? "increment"
  if (action === "set") {
    for (const r of engine.all("usage_record")) if (r.subscription_item === item.id) engine.remove(String(r.id))
  }
  return engine.create("usage_record", {}, { quantity, subscription_item: String(item.id), timestamp })
}

const usageRecordSummaries: Handler = (engine, ctx) => {
  const item = engine.mustGet(ctx.parentIds[0], "subscription_item", "subscription_item")
  const sub = engine.get(String(item.subscription))
  const start = Number(sub?.current_period_start ?? 0)
  const end = Number(sub?.current_period_end ?? engine.nowSeconds())
  const total = engine.all("usage_record")
    .filter((r) => r.subscription_item === item.id)
    .reduce((n, r) => n + Number(r.quantity ?? 0), 0)
  const summary = engine.spec.template("usage_record_summary")
  Object.assign(summary, {
    id: engine.ids.id("usage_record_summary"),
    invoice: null,
    livemode: false,
    period: { end, start },
    subscription_item: String(item.id),
    total_usage: total
  })
  return { object: "list", data: [summary], has_more: false, url: ctx.path }
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/subscription_items": subscriptionItemCreate,
  "GET /v1/subscription_items/{subscription_item}/usage_record_summaries": usageRecordSummaries,
  "POST /v1/subscription_items/{subscription_item}/usage_records": usageRecordCreate,
  "POST /v1/subscriptions": subscriptionCreate,
  "POST /v1/subscriptions/{subscription_exposed_id}": subscriptionUpdate,
  "DELETE /v1/subscriptions/{subscription_exposed_id}": (engine, ctx) =>
    cancelSubscription(engine, engine.mustGet(ctx.targetId, "subscription", "subscription_exposed_id"), ctx.params),
  "DELETE /v1/subscriptions/{subscription_exposed_id}/discount": (engine, ctx) => deleteDiscount(engine, ctx.targetId),
  "POST /v1/subscriptions/{subscription}/resume": subscriptionResume
}
