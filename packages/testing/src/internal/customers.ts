/**
 * Customers: create (with an invoice prefix and settings), discounts applied
 * with a coupon or promotion code, and the customer's discount endpoints.
 *
 * @internal
 */
import type { Engine, Handler } from "./engine.js"
import { resourceMissing } from "./errors.js"
import type { Obj } from "./json.js"
import { paramObject, paramString, stripExpand } from "./params.js"

/** A discount of a coupon (or promotion code) for a customer or subscription. @internal */
export const discountFor = (
  engine: Engine,
  params: Obj | ReturnType<typeof stripExpand>,
  target: Obj
): Obj | undefined => {
  // `coupon` / `promotion_code` up to 2025-03-31.basil; `discounts: [{ coupon } | { promotion_code }]` since.
  const first = Array.isArray(params.discounts) ? params.discounts[0] : undefined
  const entry = typeof first === "object" && first !== null && !Array.isArray(first) ? first : {}
  const promotion = paramString(params, "promotion_code") ?? paramString(entry, "promotion_code")
  const promo = promotion === undefined ? undefined : engine.mustGet(promotion, "promotion_code", "promotion_code")
  const couponId = paramString(params, "coupon") ?? paramString(entry, "coupon") ??
    (promo !== undefined && typeof promo.coupon === "object" && promo.coupon !== null && !Array.isArray(promo.coupon)
      ? String(promo.coupon.id)
      : undefined)
  if (couponId === undefined) return undefined
  const coupon = engine.mustGet(couponId, "coupon", "coupon")
  const isSubscription = target.object === "subscription"
  const discount = engine.spec.template("discount")
  Object.assign(discount, {
    id: engine.ids.id("discount"),
    coupon: structuredClone(coupon),
    customer: isSubscription ? target.customer ?? null : target.id ?? null,
    promotion_code: promo?.id ?? null,
    start: engine.nowSeconds(),
    subscription: isSubscription ? target.id ?? null : null
  })
  coupon.times_redeemed = Number(coupon.times_redeemed ?? 0) + 1
  return discount
}

const customerCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = engine.create("customer", { ...params, coupon: "", promotion_code: "" }, {
    invoice_prefix: engine.ids.random(8).toUpperCase(),
    next_invoice_sequence: 1
  })
  customer.invoice_settings = engine.spec.coerce(
    "#invoice_setting_customer_setting",
    paramObject(params.invoice_settings),
    undefined
  )
  const discount = discountFor(engine, params, customer)
  if (discount !== undefined) customer.discount = discount
  engine.emit("customer.created", customer)
  if (discount !== undefined) engine.emit("customer.discount.created", discount)
  return customer
}

const customerUpdate: Handler = (engine, ctx) => {
  const customer = engine.mustGet(ctx.targetId, "customer", "customer")
  const params = stripExpand(ctx.params)
  const discount = discountFor(engine, params, customer)
  engine.update("customer", customer, { ...params, coupon: "", promotion_code: "" })
  if (discount !== undefined) {
    customer.discount = discount
    engine.emit("customer.discount.created", discount)
  }
  return customer
}

const discountOf = (engine: Engine, id: string | undefined): { owner: Obj; discount: Obj } => {
  const owner = engine.mustGet(id, undefined, "customer")
  const discount = owner.discount
  if (discount === null || discount === undefined || typeof discount !== "object" || Array.isArray(discount)) {
    throw resourceMissing("discount", `on ${String(owner.id)}`, "discount")
  }
  return { owner, discount }
}

/** Removes the discount of a customer or subscription. @internal */
export const deleteDiscount = (engine: Engine, id: string | undefined): Obj => {
  const { owner, discount } = discountOf(engine, id)
  owner.discount = null
  const stub = engine.spec.template("deleted_discount")
  Object.assign(stub, discount, { deleted: true })
  delete stub.end
  engine.emit("customer.discount.deleted", discount)
  return stub
}

// A test helper standing for a bank transfer that funds the customer's cash balance.
const fundCashBalance: Handler = (engine, ctx) => {
  const customer = engine.mustGet(ctx.targetId, "customer", "customer")
  const params = stripExpand(ctx.params)
  const amount = typeof params.amount === "number" ? params.amount : Number(params.amount ?? 0)
  const transaction = engine.create("customer_cash_balance_transaction", {}, {
    currency: paramString(params, "currency") ?? "usd",
    customer: String(customer.id),
    ending_balance: amount,
    net_amount: amount,
    type: "funded",
    funded: { bank_transfer: { reference: paramString(params, "reference") ?? null, type: "us_bank_transfer" } }
  })
  engine.emit("customer_cash_balance_transaction.created", transaction)
  return transaction
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/test_helpers/customers/{customer}/fund_cash_balance": fundCashBalance,
  "POST /v1/customers": customerCreate,
  "POST /v1/customers/{customer}": customerUpdate,
  "GET /v1/customers/{customer}/discount": (engine, ctx) =>
    discountOf(engine, ctx.parentIds[0] ?? ctx.targetId).discount,
  "DELETE /v1/customers/{customer}/discount": (engine, ctx) => deleteDiscount(engine, ctx.parentIds[0] ?? ctx.targetId),
  "GET /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": (engine, ctx) =>
    discountOf(engine, ctx.parentIds[1] ?? ctx.targetId).discount,
  "DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": (engine, ctx) =>
    deleteDiscount(engine, ctx.parentIds[1] ?? ctx.targetId)
}
