/**
 * Invoices and invoice items: invoices built from a subscription's items or a
 * customer's pending items, the draft → open → paid / void / uncollectible
 * transitions, line items, the upcoming invoice preview, and credit note
 * voiding.
 *
 * @internal
 */
import type { Ctx, Engine, Handler } from "../engine.js"
import { invalidRequest, resourceMissing } from "../errors.js"
import type { Json, Obj } from "../json.js"
import { isObj, listData } from "../json.js"
import type { Params } from "../params.js"
import { paramInt, paramString, stripExpand } from "../params.js"
import { addInterval } from "./periods.js"

/** One line of an invoice: a price and a quantity (and the subscription item it bills). @internal */
export interface InvoiceLine {
  readonly price: Obj
  readonly quantity: number
  readonly itemId?: Json | undefined
}

const lineItem = (
  engine: Engine,
  invoice: Obj,
  line: InvoiceLine,
  subscription: Obj | undefined,
  start: number,
  end: number
) => {
  const unit = typeof line.price.unit_amount === "number" ? line.price.unit_amount : 0
  const amount = unit * line.quantity
  const currency = String(line.price.currency ?? "usd")
  const out = engine.spec.template("line_item")
  out.id = engine.ids.id("line_item")
  out.livemode = false
  out.metadata = {}
  engine.spec.merge("line_item", out, {
    amount,
    amount_excluding_tax: amount,
    currency,
    description: `${line.quantity} × ${String(line.price.nickname ?? line.price.product ?? "item")}`,
    discountable: true,
    invoice: String(invoice.id),
    quantity: line.quantity,
    type: subscription === undefined ? "invoiceitem" : "subscription",
    unit_amount_excluding_tax: String(unit)
  })
  out.period = { end, start }
  out.price = structuredClone(line.price)
  if (subscription !== undefined) {
    out.subscription = subscription.id ?? null
    if (typeof line.itemId === "string") out.subscription_item = line.itemId
  }
  return { out, amount }
}

const totals = (total: number): Obj => ({
  amount_due: total,
  amount_remaining: total,
  subtotal: total,
  subtotal_excluding_tax: total,
  total,
  total_excluding_tax: total
})

/**
 * Builds (and stores) an invoice for a customer, from lines; a paid one is
 * finalized and paid at once (a subscription's first invoice).
 *
 * @internal
 */
export const buildInvoice = (
  engine: Engine,
  customer: string,
  subscription: Obj | undefined,
  lines: ReadonlyArray<InvoiceLine>,
  periodStart: number,
  periodEnd: number,
  paid: boolean,
  quiet = false
): Obj => {
  const currency = String(lines[0]?.price.currency ?? "usd")
  const invoice = engine.create("invoice", {}, {
    automatic_tax: engine.spec.coerce("#automatic_tax", { enabled: "false" }, undefined),
    billing_reason: subscription === undefined ? "manual" : "subscription_create",
    collection_method: "charge_automatically",
    currency,
    customer,
    issuer: { type: "self" },
    period_end: periodEnd,
    period_start: periodStart,
    status: "draft",
    subscription: subscription?.id ?? null,
    // Since 2025-03-31.basil an invoice names its subscription under `parent`.
    parent: subscription === undefined ? null : engine.spec.coerce("#Invoice.Parent", {
      type: "subscription_details",
      subscription_details: { subscription: String(subscription.id) }
    }, undefined)
  })
  const data: Array<Json> = []
  let total = 0
  for (const line of lines) {
    const { out, amount } = lineItem(engine, invoice, line, subscription, periodStart, periodEnd)
    total += amount
    data.push(out)
  }
  invoice.lines = {
    object: "list",
    data,
    has_more: false,
    total_count: data.length,
    url: `/v1/invoices/${String(invoice.id)}/lines`
  }
  Object.assign(invoice, totals(total), { customer_email: null, number: null })
  const customerObj = engine.get(customer)
  if (customerObj !== undefined) {
    invoice.customer_email = customerObj.email ?? null
    invoice.customer_name = customerObj.name ?? null
  }
  if (!quiet) engine.emit("invoice.created", invoice)
  if (paid) {
    finalizeInvoice(engine, invoice)
    payInvoice(engine, invoice)
  }
  return invoice
}

/** draft → open, with a number and hosted URLs. @internal */
export const finalizeInvoice = (engine: Engine, invoice: Obj): void => {
  const now = engine.nowSeconds()
  invoice.status = "open"
  invoice.number = `${engine.ids.random(8).toUpperCase()}-0001`
  invoice.effective_at = now
  invoice.hosted_invoice_url = `https://invoice.stripe.com/i/acct_emulator/test_${engine.ids.random(24)}`
  invoice.invoice_pdf = `https://pay.stripe.com/invoice/acct_emulator/test_${engine.ids.random(24)}/pdf`
  const transitions = isObj(invoice.status_transitions) ? invoice.status_transitions : {}
  invoice.status_transitions = { ...transitions, finalized_at: now }
  engine.emit("invoice.finalized", invoice)
}

/** open → paid. @internal */
export const payInvoice = (engine: Engine, invoice: Obj): void => {
  const now = engine.nowSeconds()
  invoice.status = "paid"
  invoice.paid = true
  invoice.attempted = true
  invoice.attempt_count = 1
  invoice.amount_paid = invoice.amount_due ?? 0
  invoice.amount_remaining = 0
  const transitions = isObj(invoice.status_transitions) ? invoice.status_transitions : {}
  invoice.status_transitions = { ...transitions, paid_at: now }
  // Versions with invoice payments (2025-03-31.basil on) record the payment as an `invoice_payment`.
  if (engine.spec.table.schemas["invoice_payment"] !== undefined) {
    engine.create("invoice_payment", {}, {
      amount_paid: invoice.amount_due ?? 0,
      amount_requested: invoice.amount_due ?? 0,
      currency: invoice.currency ?? "usd",
      invoice: String(invoice.id),
      is_default: true,
      payment: typeof invoice.payment_intent === "string"
        ? { type: "payment_intent", payment_intent: invoice.payment_intent }
        : { type: "payment_intent" },
      status: "paid",
      status_transitions: { paid_at: now, canceled_at: null }
    })
  }
  engine.emit("invoice.paid", invoice)
  engine.emit("invoice.payment_succeeded", invoice)
}

const invoiceAction = (
  to: string,
  from: ReadonlyArray<string>,
  event: string,
  apply?: (engine: Engine, invoice: Obj, ctx: Ctx) => void
): Handler =>
(engine, ctx) => {
  const invoice = engine.mustGet(ctx.targetId, "invoice", "invoice")
  if (!from.includes(String(invoice.status))) {
    throw invalidRequest(
      `This invoice can only be ${to === "open" && event === "invoice.sent" ? "sent" : `marked ${to}`} from ${
        from.join(" or ")
      }; it is ${String(invoice.status)}.`,
      undefined,
      "invoice_not_editable"
    )
  }
  if (apply !== undefined) apply(engine, invoice, ctx)
  else {
    invoice.status = to
    engine.emit(event, invoice)
  }
  return invoice
}

const sendInvoice = (engine: Engine, invoice: Obj) => {
  if (invoice.collection_method !== "send_invoice") {
    throw invalidRequest(
      "You can only manually send an invoice if its collection method is 'send_invoice'.",
      undefined,
      "invoice_not_editable"
    )
  }
  engine.emit("invoice.sent", invoice)
}

const invoiceCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer")
  if (customer !== undefined) engine.mustGet(customer, "customer", "customer")
  const now = engine.nowSeconds()
  const include = paramString(params, "pending_invoice_items_behavior") !== "exclude"
  const pending = include
    ? engine.all("invoiceitem").filter((ii) => ii.customer === customer && ii.invoice === null)
    : []
  const invoice = buildInvoice(engine, customer ?? "", undefined, [], now, now, false)
  engine.spec.merge("invoice", invoice, params)
  const data = listData(invoice.lines)
  let total = 0
  for (const ii of pending) {
    ii.invoice = invoice.id ?? null
    const amount = Number(ii.amount ?? 0)
    total += amount
    const line = engine.spec.template("line_item")
    engine.spec.merge("line_item", line, {
      amount,
      currency: String(ii.currency ?? "usd"),
      type: "invoiceitem",
      quantity: 1
    })
    line.id = engine.ids.id("line_item")
    line.invoice = invoice.id ?? null
    line.invoice_item = ii.id ?? ""
    line.metadata = {}
    line.period = { start: now, end: now }
    data.push(line)
  }
  Object.assign(invoice, totals(total))
  return invoice
}

const invoiceItemCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer") ?? ""
  engine.mustGet(customer, "customer", "customer")
  let amount = paramInt(params, "amount")
  let price: Obj | null = null
  const priceId = paramString(params, "price")
  if (priceId !== undefined) {
    price = engine.mustGet(priceId, "price", "price")
    amount = Number(price.unit_amount ?? 0) * (paramInt(params, "quantity") ?? 1)
  }
  const now = engine.nowSeconds()
  const item = engine.create("invoiceitem", { ...params, price: "" }, {
    amount: amount ?? 0,
    currency: paramString(params, "currency") ?? String(price?.currency ?? "usd"),
    date: now,
    invoice: paramString(params, "invoice") ?? null,
    period: { start: now, end: now },
    price: price === null ? null : structuredClone(price),
    quantity: paramInt(params, "quantity") ?? 1
  })
  engine.emit("invoiceitem.created", item)
  return item
}

/** The invoice a customer's next billing would create, without storing it. */
const preview = (engine: Engine, params: Params): Obj => {
  const customer = paramString(params, "customer")
  if (customer !== undefined) engine.mustGet(customer, "customer", "customer")
  const subId = paramString(params, "subscription")
  const sub = subId === undefined
    ? engine.all("subscription").find((s) => s.customer === customer && s.status !== "canceled")
    : engine.mustGet(subId, "subscription", "subscription")
  const pending = engine.all("invoiceitem").filter((ii) => ii.customer === customer && ii.invoice === null)
  if (sub === undefined && pending.length === 0) {
    throw invalidRequest(
      `No upcoming invoices for customer: ${customer ?? ""}`,
      undefined,
      "invoice_upcoming_none",
      404
    )
  }
  const items = sub === undefined ? [] : listData(sub.items).filter(isObj)
  const start = sub === undefined ? engine.nowSeconds() : Number(sub.current_period_end ?? engine.nowSeconds())
  const firstPrice = items[0]?.price
  const end = sub === undefined ? start : addInterval(start, isObj(firstPrice) ? firstPrice.recurring : undefined)
  const invoice = buildInvoice(
    engine,
    customer ?? String(sub?.customer ?? ""),
    sub,
    items.map((i) => ({ price: isObj(i.price) ? i.price : {}, quantity: Number(i.quantity ?? 1), itemId: i.id })),
    start,
    end,
    false,
    true
  )
  // Pending invoice items are billed with the next invoice.
  const lines = listData(invoice.lines)
  let total = Number(invoice.total ?? 0)
  for (const ii of pending) {
    const amount = Number(ii.amount ?? 0)
    total += amount
    const line = engine.spec.template("line_item")
    engine.spec.merge("line_item", line, {
      amount,
      currency: String(ii.currency ?? "usd"),
      type: "invoiceitem",
      quantity: 1
    })
    Object.assign(line, {
      id: engine.ids.id("line_item"),
      invoice: invoice.id ?? null,
      invoice_item: ii.id ?? "",
      metadata: {},
      period: { start: engine.nowSeconds(), end: engine.nowSeconds() }
    })
    lines.push(line)
  }
  Object.assign(invoice, totals(total))
  // A preview is not stored, and its creation is no event.
  engine.remove(String(invoice.id))
  return { ...invoice, billing_reason: "upcoming" }
}

const upcomingInvoice: Handler = (engine, ctx) => {
  // An upcoming invoice has no id (Stripe: "always present unless the invoice is an upcoming invoice").
  const out = preview(engine, ctx.params)
  delete out.id
  return out
}

const upcomingLines: Handler = (engine, ctx) => {
  const invoice = preview(engine, ctx.params)
  return { object: "list", data: listData(invoice.lines), has_more: false, url: ctx.path }
}

const createPreview: Handler = (engine, ctx) => {
  const out = preview(engine, ctx.params)
  out.id = `upcoming_${String(out.id)}`
  return out
}

const updateLineItem: Handler = (engine, ctx) => {
  const invoice = engine.mustGet(ctx.parentIds[0], "invoice", "invoice")
  const line = listData(invoice.lines).filter(isObj).find((l) => l.id === ctx.targetId)
  if (line === undefined) throw resourceMissing("line_item", ctx.targetId ?? "", "line_item_id")
  if (invoice.status !== "draft") {
    throw invalidRequest("Invoice line items can only be updated on draft invoices.", undefined, "invoice_not_editable")
  }
  engine.spec.merge("line_item", line, stripExpand(ctx.params))
  return line
}

const creditNoteVoid: Handler = (engine, ctx) => {
  const note = engine.mustGet(ctx.targetId, "credit_note", "id")
  if (note.status !== "issued") {
    throw invalidRequest("This credit note is already void.", undefined, "credit_note_unexpected_state")
  }
  note.status = "void"
  note.voided_at = engine.nowSeconds()
  engine.emit("credit_note.voided", note)
  return note
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/credit_notes/{id}/void": creditNoteVoid,
  "POST /v1/invoiceitems": invoiceItemCreate,
  "POST /v1/invoices": invoiceCreate,
  "POST /v1/invoices/create_preview": createPreview,
  "GET /v1/invoices/upcoming": upcomingInvoice,
  "GET /v1/invoices/upcoming/lines": upcomingLines,
  "POST /v1/invoices/{invoice}/finalize": invoiceAction("open", ["draft"], "invoice.finalized", finalizeInvoice),
  "POST /v1/invoices/{invoice}/lines/{line_item_id}": updateLineItem,
  "POST /v1/invoices/{invoice}/mark_uncollectible": invoiceAction(
    "uncollectible",
    ["open"],
    "invoice.marked_uncollectible"
  ),
  "POST /v1/invoices/{invoice}/pay": invoiceAction("paid", ["open"], "invoice.paid", payInvoice),
  "POST /v1/invoices/{invoice}/send": invoiceAction("open", ["open"], "invoice.sent", sendInvoice),
  "POST /v1/invoices/{invoice}/void": invoiceAction("void", ["open"], "invoice.voided")
}
