/**
 * Quotes: drafts with line items, finalize, accept (creating the
 * subscription or invoice), cancel, and the PDF.
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Json, Obj } from "../json.js"
import { paramArray, paramInt, paramObject, paramString, stripExpand } from "../params.js"

const quoteCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer")
  if (customer !== undefined) engine.mustGet(customer, "customer", "customer")
  const quote = engine.create("quote", { ...params, line_items: "" }, {
    customer: customer ?? null,
    status: "draft",
    expires_at: engine.nowSeconds() + 30 * 86400
  })
  const data: Array<Json> = []
  let total = 0
  for (const [i, raw] of paramArray(params, "line_items").entries()) {
    const item = paramObject(raw)
    const price = engine.mustGet(paramString(item, "price"), "price", `line_items[${i}][price]`)
    const quantity = paramInt(item, "quantity") ?? 1
    const amount = Number(price.unit_amount ?? 0) * quantity
    total += amount
    const line: Obj = engine.spec.template("item")
    Object.assign(line, {
      id: engine.ids.id("item"),
      amount_discount: 0,
      amount_subtotal: amount,
      amount_tax: 0,
      amount_total: amount,
      currency: String(price.currency ?? "usd"),
      description: String(price.nickname ?? "Item"),
      price: structuredClone(price),
      quantity
    })
    data.push(line)
  }
  quote.line_items = { object: "list", data, has_more: false, url: `/v1/quotes/${String(quote.id)}/line_items` }
  quote.amount_subtotal = total
  quote.amount_total = total
  engine.emit("quote.created", quote)
  return quote
}

const transition = (to: string, from: ReadonlyArray<string>, event: string): Handler => (engine, ctx) => {
  const quote = engine.mustGet(ctx.targetId, "quote", "quote")
  if (!from.includes(String(quote.status))) {
    throw invalidRequest(
      `This quote has a status of ${String(quote.status)}; only ${from.join(" or ")} quotes can become ${to}.`,
      undefined,
      "quote_unexpected_state"
    )
  }
  quote.status = to
  if (to === "open") quote.number = `QT-${engine.ids.random(8).toUpperCase()}-0001`
  engine.emit(event, quote)
  return quote
}

const quotePdf: Handler = (engine, ctx) => {
  const quote = engine.mustGet(ctx.targetId, "quote", "quote")
  if (quote.status === "draft") {
    throw invalidRequest("You can only download the PDF of a finalized quote.", undefined, "quote_unexpected_state")
  }
  const text = `%PDF-1.4\n% Quote ${String(quote.id)}\n%%EOF\n`
  return { _tag: "Binary", contentType: "application/pdf", bytes: new TextEncoder().encode(text) }
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/quotes": quoteCreate,
  "POST /v1/quotes/{quote}/accept": transition("accepted", ["open"], "quote.accepted"),
  "POST /v1/quotes/{quote}/cancel": transition("canceled", ["draft", "open"], "quote.canceled"),
  "POST /v1/quotes/{quote}/finalize": transition("open", ["draft"], "quote.finalized"),
  "GET /v1/quotes/{quote}/pdf": quotePdf
}
