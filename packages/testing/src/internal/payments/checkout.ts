/**
 * Checkout Sessions: create (open, with a hosted URL), expire, line items.
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Json, Obj } from "../json.js"
import { paramArray, paramInt, paramObject, paramString, stripExpand } from "../params.js"

const lineItems = (engine: Parameters<Handler>[0], params: ReturnType<typeof stripExpand>, sessionId: string) => {
  const data: Array<Json> = []
  let total = 0
  for (const [i, raw] of paramArray(params, "line_items").entries()) {
    const item = paramObject(raw)
    const priceId = paramString(item, "price")
    const price = priceId === undefined ? undefined : engine.mustGet(priceId, "price", `line_items[${i}][price]`)
    const quantity = paramInt(item, "quantity") ?? 1
    const amount = Number(price?.unit_amount ?? 0) * quantity
    total += amount
    const line: Obj = engine.spec.template("item")
    Object.assign(line, {
      id: engine.ids.id("item"),
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: String(price?.currency ?? "usd"),
      description: String(price?.nickname ?? "Item"),
      price: price === undefined ? null : structuredClone(price),
      quantity
    })
    data.push(line)
  }
  return {
    list: { object: "list", data, has_more: false, url: `/v1/checkout/sessions/${sessionId}/line_items` },
    total
  }
}

const checkoutSessionCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const mode = paramString(params, "mode") ?? "payment"
  if (mode !== "setup" && paramArray(params, "line_items").length === 0) {
    throw invalidRequest("You must provide at least one line item.", "line_items", "parameter_missing")
  }
  const session = engine.create("checkout.session", { ...params, line_items: "" }, {
    expires_at: engine.nowSeconds() + 86400,
    mode,
    status: "open",
    payment_status: "unpaid"
  })
  const id = String(session.id)
  const items = lineItems(engine, params, id)
  session.line_items = items.list
  session.amount_subtotal = items.total
  session.amount_total = items.total
  session.url = `https://checkout.stripe.com/c/pay/${id}`
  return session
}

const checkoutSessionExpire: Handler = (engine, ctx) => {
  const session = engine.mustGet(ctx.targetId, "checkout.session", "session")
  if (session.status !== "open") {
    throw invalidRequest(
      `Only Checkout Sessions with a status of \`open\` can be expired; this one is ${String(session.status)}.`,
      undefined,
      "checkout_session_unexpected_state"
    )
  }
  session.status = "expired"
  session.url = null
  engine.emit("checkout.session.expired", session)
  return session
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/checkout/sessions": checkoutSessionCreate,
  "POST /v1/checkout/sessions/{session}/expire": checkoutSessionExpire
}
