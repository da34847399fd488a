/**
 * Resource lifecycles: the state machines the generic CRUD cannot express
 * (PaymentIntent confirm/capture/cancel, Refunds, Subscriptions and their first
 * Invoice, schedules, meters, portal sessions, Connect onboarding).
 *
 * @internal
 */
import type { Engine, Handler, Params } from "./engine.js"
import {
  ApiFailure,
  invalidRequest,
  paramArray,
  paramBool,
  paramInt,
  paramObject,
  paramString,
  resourceMissing
} from "./engine.js"
import type { Json, Obj, Value } from "./schema.js"
import { coerce, emptyList, isObj, merge, template, toJson } from "./schema.js"

interface TestCard {
  readonly brand: string
  readonly last4: string
  readonly funding: string
  readonly decline?: { readonly code: string; readonly declineCode: string; readonly message: string }
}

const generic = { code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." }
const insufficient = {
  code: "card_declined",
  declineCode: "insufficient_funds",
  message: "Your card has insufficient funds."
}

// Stripe's documented test payment methods (https://docs.stripe.com/testing).
const testCards: Readonly<Record<string, TestCard>> = {
  visa: { brand: "visa", last4: "4242", funding: "credit" },
  visa_debit: { brand: "visa", last4: "5556", funding: "debit" },
  mastercard: { brand: "mastercard", last4: "4444", funding: "credit" },
  mastercard_debit: { brand: "mastercard", last4: "8210", funding: "debit" },
  amex: { brand: "amex", last4: "8431", funding: "credit" },
  discover: { brand: "discover", last4: "1117", funding: "credit" },
  diners: { brand: "diners", last4: "0004", funding: "credit" },
  jcb: { brand: "jcb", last4: "0505", funding: "credit" },
  unionpay: { brand: "unionpay", last4: "0005", funding: "credit" },
  chargeDeclined: { brand: "visa", last4: "0002", funding: "credit", decline: generic },
  visa_chargeDeclined: { brand: "visa", last4: "0002", funding: "credit", decline: generic },
  chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", funding: "credit", decline: insufficient },
  insufficientFunds: { brand: "visa", last4: "9995", funding: "credit", decline: insufficient },
  visa_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", funding: "credit", decline: insufficient },
  chargeDeclinedLostCard: {
    brand: "visa",
    last4: "9987",
    funding: "credit",
    decline: { code: "card_declined", declineCode: "lost_card", message: "Your card was declined." }
  },
  chargeDeclinedStolenCard: {
    brand: "visa",
    last4: "9979",
    funding: "credit",
    decline: { code: "card_declined", declineCode: "stolen_card", message: "Your card was declined." }
  },
  chargeDeclinedFraudulent: {
    brand: "visa",
    last4: "0019",
    funding: "credit",
    decline: { code: "card_declined", declineCode: "fraudulent", message: "Your card was declined." }
  },
  chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    funding: "credit",
    decline: { code: "expired_card", declineCode: "expired_card", message: "Your card has expired." }
  },
  chargeDeclinedIncorrectCvc: {
    brand: "visa",
    last4: "0127",
    funding: "credit",
    decline: { code: "incorrect_cvc", declineCode: "incorrect_cvc", message: "Your card's security code is incorrect." }
  },
  chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    funding: "credit",
    decline: {
      code: "processing_error",
      declineCode: "processing_error",
      message: "An error occurred while processing your card. Try again in a little bit."
    }
  }
}

const testCardName = (id: string): string | undefined => {
  const m = /^(?:pm_card_|tok_)(.+)$/.exec(id)
  return m === null ? undefined : m[1]
}

/** The payment method an id names: a stored one, or a fresh one for a test card. */
const resolvePaymentMethod = (engine: Engine, id: string, customer: Value | undefined, param: string): Obj => {
  const stored = engine.get(id)
  if (stored !== undefined) return stored
  const name = testCardName(id)
  const card = name === undefined ? undefined : testCards[name]
  if (name === undefined || card === undefined) throw resourceMissing("PaymentMethod", id, param)
  const exp = new Date(engine.nowMillis()).getUTCFullYear() + 8
  const pm = engine.create("payment_method", {
    type: "card",
    customer: typeof customer === "string" ? customer : ""
  })
  pm.card = coerce("#payment_method_card", {
    brand: card.brand,
    country: "US",
    exp_month: "12",
    exp_year: String(exp),
    fingerprint: engine.ids.random(16),
    funding: card.funding,
    last4: card.last4
  }, undefined)
  pm.billing_details = template("billing_details")
  engine.cardBehaviour.set(String(pm.id), name)
  return pm
}

const declineOf = (engine: Engine, pmId: string) => {
  const name = engine.cardBehaviour.get(pmId)
  return name === undefined ? undefined : testCards[name]?.decline
}

const cardDetails = (pm: Obj): Obj => {
  const card = isObj(pm.card) ? pm.card : {}
  return {
    type: "card",
    card: coerce("#payment_method_details_card", {
      brand: card.brand ?? "visa",
      country: "US",
      exp_month: String(card.exp_month ?? 12),
      exp_year: String(card.exp_year ?? 2034),
      funding: card.funding ?? "credit",
      last4: card.last4 ?? "4242"
    }, undefined)
  }
}

const cardFailure = (
  decline: NonNullable<TestCard["decline"]>,
  extra: Obj
): ApiFailure =>
  new ApiFailure(402, {
    type: "card_error",
    code: decline.code,
    decline_code: decline.declineCode,
    message: decline.message,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    ...extra
  })

const unexpectedState = (what: string, obj: Obj, action: string): ApiFailure =>
  invalidRequest(
    `You cannot ${action} this ${what} because it has a status of ${String(obj.status)}.`,
    undefined,
    `${what === "PaymentIntent" ? "payment_intent" : "setup_intent"}_unexpected_state`
  )

const stripExpand = (params: Params): Record<string, Value> => {
  const out: Record<string, Value> = { ...params }
  delete out.expand
  return out
}

/** Records money movement so `/v1/balance_transactions` and `/v1/balance` add up. */
const balanceTransaction = (engine: Engine, type: string, amount: number, currency: Json | undefined, source: Json) => {
  const now = engine.nowSeconds()
  return engine.create("balance_transaction", {}, {
    amount,
    available_on: now + 2 * 86400,
    currency: typeof currency === "string" ? currency : "usd",
    description: null,
    fee: 0,
    fee_details: [],
    net: amount,
    reporting_category: type,
    source,
    status: "pending",
    type
  })
}

// ------------------------------------------------------------------ PaymentIntents

const createCharge = (engine: Engine, intent: Obj, pm: Obj, status: "succeeded" | "failed", captured: boolean) => {
  const amount = typeof intent.amount === "number" ? intent.amount : 0
  const charge = engine.create("charge", {}, {
    amount,
    amount_captured: status === "succeeded" && captured ? amount : 0,
    amount_refunded: 0,
    billing_details: template("billing_details"),
    captured: status === "succeeded" && captured,
    currency: intent.currency ?? "usd",
    customer: intent.customer ?? null,
    description: intent.description ?? null,
    metadata: {},
    outcome: coerce("#charge_outcome", {
      network_status: status === "succeeded" ? "approved_by_network" : "declined_by_network",
      risk_level: "normal",
      risk_score: "20",
      seller_message: status === "succeeded" ? "Payment complete." : "The bank did not return any further details.",
      type: status === "succeeded" ? "authorized" : "issuer_declined"
    }, undefined),
    paid: status === "succeeded",
    payment_intent: intent.id ?? null,
    payment_method: pm.id ?? null,
    payment_method_details: cardDetails(pm),
    receipt_url: `https://pay.stripe.com/receipts/payment/${engine.ids.random(32)}`,
    refunded: false,
    status
  })
  const decline = declineOf(engine, String(pm.id))
  if (status === "failed" && decline !== undefined) {
    charge.failure_code = decline.code
    charge.failure_message = decline.message
  }
  if (status === "succeeded" && captured) {
    charge.balance_transaction = balanceTransaction(engine, "charge", amount, charge.currency, charge.id ?? null).id ??
      null
  }
  engine.emit(status === "succeeded" ? "charge.succeeded" : "charge.failed", charge)
  return charge
}

// Payment and setup intents confirm alike: a confirmable status, then the
// payment method from the params or the one already on the intent.
const confirmablePaymentMethod = (
  engine: Engine,
  what: "PaymentIntent" | "SetupIntent",
  intent: Obj,
  params: Params,
  missingMessage: string
): Obj => {
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
    throw unexpectedState(what, intent, "confirm")
  }
  const pmParam = paramString(params, "payment_method") ??
    (typeof intent.payment_method === "string" ? intent.payment_method : undefined)
  if (pmParam === undefined) {
    throw invalidRequest(
      missingMessage,
      "payment_method",
      what === "PaymentIntent" ? "payment_intent_unexpected_state" : "setup_intent_unexpected_state"
    )
  }
  return resolvePaymentMethod(engine, pmParam, intent.customer, "payment_method")
}

const confirmIntent = (engine: Engine, intent: Obj, params: Params): Obj => {
  const pm = confirmablePaymentMethod(
    engine,
    "PaymentIntent",
    intent,
    params,
    "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with cus_xxx, specify a payment method attached to this customer along with the customer ID."
  )
  intent.payment_method = pm.id ?? null
  const decline = declineOf(engine, String(pm.id))
  const manual = intent.capture_method === "manual"
  const charge = createCharge(engine, intent, pm, decline === undefined ? "succeeded" : "failed", !manual)
  intent.latest_charge = charge.id ?? null
  if (decline !== undefined) {
    const error: Obj = {
      type: "card_error",
      code: decline.code,
      decline_code: decline.declineCode,
      message: decline.message,
      charge: charge.id ?? null,
      payment_method: pm
    }
    intent.status = "requires_payment_method"
    intent.last_payment_error = coerce("#api_errors", error, undefined)
    intent.payment_method = null
    engine.emit("payment_intent.payment_failed", intent)
    throw cardFailure(decline, { charge: charge.id ?? null, payment_intent: structuredClone(intent) })
  }
  intent.last_payment_error = null
  if (manual) {
    intent.status = "requires_capture"
    intent.amount_capturable = intent.amount ?? 0
    engine.emit("payment_intent.amount_capturable_updated", intent)
  } else {
    intent.status = "succeeded"
    intent.amount_received = intent.amount ?? 0
    engine.emit("payment_intent.succeeded", intent)
  }
  return intent
}

const paymentIntentCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const types = params.payment_method_types === undefined ? ["card"] : paramArray(params, "payment_method_types")
  const intent = engine.create("payment_intent", { ...params, payment_method: "" }, {
    amount_capturable: 0,
    amount_received: 0,
    capture_method: paramString(params, "capture_method") ?? "automatic",
    confirmation_method: paramString(params, "confirmation_method") ?? "automatic",
    payment_method_types: types.map(String),
    status: "requires_payment_method"
  })
  intent.client_secret = `${String(intent.id)}_secret_${engine.ids.random(25)}`
  const pm = paramString(params, "payment_method")
  if (pm !== undefined) {
    const resolved = resolvePaymentMethod(engine, pm, intent.customer, "payment_method")
    intent.payment_method = resolved.id ?? null
    intent.status = "requires_confirmation"
  }
  engine.emit("payment_intent.created", intent)
  if (paramBool(params, "confirm") === true) return confirmIntent(engine, intent, {})
  return intent
}

const paymentIntentConfirm: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  const params = stripExpand(ctx.params)
  const rest: Record<string, Value> = { ...params }
  delete rest.payment_method
  merge("payment_intent", intent, rest)
  return confirmIntent(engine, intent, params)
}

const paymentIntentCapture: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  if (intent.status !== "requires_capture") throw unexpectedState("PaymentIntent", intent, "capture")
  const amount = paramInt(ctx.params, "amount_to_capture") ?? (typeof intent.amount === "number" ? intent.amount : 0)
  intent.status = "succeeded"
  intent.amount_received = amount
  intent.amount_capturable = 0
  const charge = typeof intent.latest_charge === "string" ? engine.get(intent.latest_charge) : undefined
  if (charge !== undefined) {
    charge.captured = true
    charge.amount_captured = amount
    charge.balance_transaction = balanceTransaction(engine, "charge", amount, charge.currency, charge.id ?? null).id ??
      null
    engine.emit("charge.captured", charge)
  }
  engine.emit("payment_intent.succeeded", intent)
  return intent
}

const paymentIntentCancel: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  if (intent.status === "succeeded" || intent.status === "canceled") {
    throw unexpectedState("PaymentIntent", intent, "cancel")
  }
  intent.status = "canceled"
  intent.canceled_at = engine.nowSeconds()
  intent.cancellation_reason = paramString(ctx.params, "cancellation_reason") ?? null
  intent.amount_capturable = 0
  engine.emit("payment_intent.canceled", intent)
  return intent
}

const paymentIntentIncrement: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  if (intent.status !== "requires_capture") throw unexpectedState("PaymentIntent", intent, "increment")
  const amount = paramInt(ctx.params, "amount") ?? 0
  intent.amount = amount
  intent.amount_capturable = amount
  return intent
}

// ------------------------------------------------------------------ SetupIntents

const confirmSetupIntent = (engine: Engine, intent: Obj, params: Params): Obj => {
  const pm = confirmablePaymentMethod(
    engine,
    "SetupIntent",
    intent,
    params,
    "You cannot confirm this SetupIntent because it's missing a payment method."
  )
  const decline = declineOf(engine, String(pm.id))
  if (decline !== undefined) {
    intent.status = "requires_payment_method"
    intent.last_setup_error = coerce("#api_errors", {
      type: "card_error",
      code: decline.code,
      decline_code: decline.declineCode,
      message: decline.message
    }, undefined)
    engine.emit("setup_intent.setup_failed", intent)
    throw cardFailure(decline, { setup_intent: structuredClone(intent) })
  }
  intent.payment_method = pm.id ?? null
  if (typeof intent.customer === "string" && intent.customer !== "") pm.customer = intent.customer
  intent.status = "succeeded"
  intent.last_setup_error = null
  engine.emit("setup_intent.succeeded", intent)
  return intent
}

const setupIntentCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const types = params.payment_method_types === undefined ? ["card"] : paramArray(params, "payment_method_types")
  const intent = engine.create("setup_intent", { ...params, payment_method: "" }, {
    payment_method_types: types.map(String),
    status: "requires_payment_method",
    usage: paramString(params, "usage") ?? "off_session"
  })
  intent.client_secret = `${String(intent.id)}_secret_${engine.ids.random(25)}`
  const pm = paramString(params, "payment_method")
  if (pm !== undefined) {
    intent.payment_method = resolvePaymentMethod(engine, pm, intent.customer, "payment_method").id ?? null
    intent.status = "requires_confirmation"
  }
  engine.emit("setup_intent.created", intent)
  if (paramBool(params, "confirm") === true) return confirmSetupIntent(engine, intent, {})
  return intent
}

const setupIntentConfirm: Handler = (engine, ctx) =>
  confirmSetupIntent(engine, engine.mustGet(ctx.targetId, "setup_intent", "intent"), stripExpand(ctx.params))

const setupIntentCancel: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "setup_intent", "intent")
  if (intent.status === "succeeded" || intent.status === "canceled") {
    throw unexpectedState("SetupIntent", intent, "cancel")
  }
  intent.status = "canceled"
  intent.cancellation_reason = paramString(ctx.params, "cancellation_reason") ?? null
  engine.emit("setup_intent.canceled", intent)
  return intent
}

// ------------------------------------------------------------------ Charges and Refunds

const chargeCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const source = paramString(params, "source") ?? "tok_visa"
  const pm = resolvePaymentMethod(engine, source, params.customer, "source")
  const fake: Obj = {
    amount: paramInt(params, "amount") ?? 0,
    currency: paramString(params, "currency") ?? "usd",
    customer: paramString(params, "customer") ?? null,
    description: paramString(params, "description") ?? null,
    id: null
  }
  const decline = declineOf(engine, String(pm.id))
  const charge = createCharge(engine, fake, pm, decline === undefined ? "succeeded" : "failed", true)
  charge.payment_intent = null
  merge("charge", charge, { metadata: params.metadata ?? {} })
  if (decline !== undefined) throw cardFailure(decline, { charge: charge.id ?? null })
  return charge
}

const chargeCapture: Handler = (engine, ctx) => {
  const charge = engine.mustGet(ctx.targetId, "charge", "charge")
  charge.captured = true
  charge.amount_captured = paramInt(ctx.params, "amount") ?? charge.amount ?? 0
  engine.emit("charge.captured", charge)
  return charge
}

const refundCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const piId = paramString(params, "payment_intent")
  const chargeId = paramString(params, "charge")
  if (piId === undefined && chargeId === undefined) {
    throw invalidRequest("One of `charge` or `payment_intent` is required.", "payment_intent", "parameter_missing")
  }
  let charge: Obj | undefined
  let intent: Obj | undefined
  if (piId !== undefined) {
    intent = engine.mustGet(piId, "payment_intent", "payment_intent")
    if (intent.status !== "succeeded" || typeof intent.latest_charge !== "string") {
      throw invalidRequest(
        `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
        "payment_intent",
        "charge_not_refundable"
      )
    }
    charge = engine.get(intent.latest_charge)
  } else {
    charge = engine.mustGet(chargeId, "charge", "charge")
  }
  if (charge === undefined || charge.status !== "succeeded") {
    throw invalidRequest("This charge cannot be refunded.", "charge", "charge_not_refundable")
  }
  const charged = typeof charge.amount === "number" ? charge.amount : 0
  const already = typeof charge.amount_refunded === "number" ? charge.amount_refunded : 0
  const remaining = charged - already
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${String(charge.id)} has already been refunded.`, undefined, "charge_already_refunded")
  }
  const amount = paramInt(params, "amount") ?? remaining
  if (amount > remaining || amount <= 0) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
      "amount",
      "amount_too_large"
    )
  }
  const refund = engine.create("refund", params, {
    amount,
    charge: charge.id ?? null,
    currency: charge.currency ?? "usd",
    payment_intent: intent?.id ?? charge.payment_intent ?? null,
    status: "succeeded"
  })
  refund.balance_transaction = balanceTransaction(engine, "refund", -amount, refund.currency, refund.id ?? null).id ??
    null
  charge.amount_refunded = already + amount
  charge.refunded = already + amount >= charged
  engine.emit("refund.created", refund)
  engine.emit("charge.refunded", charge)
  return refund
}

const refundCancel: Handler = (engine, ctx) => {
  const refund = engine.mustGet(ctx.targetId, "refund", "refund")
  if (refund.status !== "requires_action" && refund.status !== "pending") {
    throw invalidRequest(
      `Refund ${String(refund.id)} has a status of ${String(refund.status)} and cannot be canceled.`,
      undefined,
      "refund_unexpected_state"
    )
  }
  refund.status = "canceled"
  engine.emit("refund.updated", refund)
  return refund
}

// ------------------------------------------------------------------ Billing

const addInterval = (engine: Engine, start: number, recurring: Value | undefined, times = 1): number => {
  const r = isObj(recurring) ? recurring : {}
  const interval = typeof r.interval === "string" ? r.interval : "month"
  const count = (typeof r.interval_count === "number" && r.interval_count > 0 ? r.interval_count : 1) * times
  const d = new Date(start * 1000)
  switch (interval) {
    case "day":
      d.setUTCDate(d.getUTCDate() + count)
      break
    case "week":
      d.setUTCDate(d.getUTCDate() + 7 * count)
      break
    case "year":
      d.setUTCFullYear(d.getUTCFullYear() + count)
      break
    default:
      d.setUTCMonth(d.getUTCMonth() + count)
  }
  void engine
  return Math.floor(d.getTime() / 1000)
}

const priceFor = (engine: Engine, item: Params, currency: string | undefined, param: string): Obj => {
  const priceId = paramString(item, "price")
  if (priceId !== undefined) return engine.mustGet(priceId, "price", param)
  const data = paramObject(item.price_data)
  if (Object.keys(data).length > 0) {
    return engine.create("price", data, {
      active: true,
      currency: paramString(data, "currency") ?? currency ?? "usd",
      type: isObj(data.recurring) ? "recurring" : "one_time"
    })
  }
  throw invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing")
}

const priceCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const productData = paramObject(params.product_data)
  let product = paramString(params, "product")
  if (product !== undefined) engine.mustGet(product, "product", "product")
  else if (Object.keys(productData).length > 0) {
    product = String(engine.create("product", productData, { active: true, type: "service" }).id)
  } else {
    throw invalidRequest("Missing required param: product.", "product", "parameter_missing")
  }
  const price = engine.create("price", { ...params, product }, {
    active: paramBool(params, "active") ?? true,
    type: isObj(params.recurring) ? "recurring" : "one_time"
  })
  if (isObj(price.recurring) && price.recurring.interval_count === 0) price.recurring.interval_count = 1
  if (price.unit_amount !== null && price.unit_amount_decimal === null) {
    price.unit_amount_decimal = String(price.unit_amount)
  }
  engine.emit("price.created", price)
  return price
}

const productCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const product = engine.create("product", params, {
    active: paramBool(params, "active") ?? true,
    type: "service",
    updated: engine.nowSeconds()
  })
  const id = paramString(params, "id")
  if (id !== undefined) {
    engine.remove(String(product.id))
    product.id = id
    engine.put("product", product)
  }
  const defaultPrice = paramObject(params.default_price_data)
  if (Object.keys(defaultPrice).length > 0) {
    const price = engine.create("price", { ...defaultPrice, product: String(product.id) }, {
      active: true,
      type: isObj(defaultPrice.recurring) ? "recurring" : "one_time"
    })
    product.default_price = price.id ?? null
  }
  engine.emit("product.created", product)
  return product
}

const buildInvoice = (
  engine: Engine,
  customer: string,
  subscription: Obj | undefined,
  lines: ReadonlyArray<{ price: Obj; quantity: number; itemId?: Json | undefined }>,
  periodStart: number,
  periodEnd: number,
  paid: boolean
): Obj => {
  const currency = String(lines[0]?.price.currency ?? "usd")
  const invoice = engine.create("invoice", {}, {
    automatic_tax: coerce("#automatic_tax", { enabled: "false" }, undefined),
    billing_reason: subscription === undefined ? "manual" : "subscription_create",
    collection_method: "charge_automatically",
    currency,
    customer,
    issuer: { type: "self" },
    period_end: periodEnd,
    period_start: periodStart,
    status: "draft",
    subscription: subscription?.id ?? null
  })
  const data: Array<Json> = []
  let total = 0
  for (const line of lines) {
    const unit = typeof line.price.unit_amount === "number" ? line.price.unit_amount : 0
    const amount = unit * line.quantity
    total += amount
    const lineItem = template("line_item")
    lineItem.id = engine.ids.id("line_item")
    lineItem.livemode = false
    lineItem.metadata = {}
    merge("line_item", lineItem, {
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
    lineItem.period = { end: periodEnd, start: periodStart }
    lineItem.price = structuredClone(line.price)
    if (subscription !== undefined) {
      lineItem.subscription = subscription.id ?? null
      if (typeof line.itemId === "string") lineItem.subscription_item = line.itemId
    }
    data.push(lineItem)
  }
  const url = `/v1/invoices/${String(invoice.id)}/lines`
  invoice.lines = { object: "list", data, has_more: false, total_count: data.length, url }
  Object.assign(invoice, {
    amount_due: total,
    amount_remaining: total,
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    customer_email: null,
    number: null
  })
  const customerObj = engine.get(customer)
  if (customerObj !== undefined) {
    invoice.customer_email = customerObj.email ?? null
    invoice.customer_name = customerObj.name ?? null
  }
  engine.emit("invoice.created", invoice)
  if (paid) {
    finalizeInvoice(engine, invoice)
    payInvoice(engine, invoice)
  }
  return invoice
}

const finalizeInvoice = (engine: Engine, invoice: Obj) => {
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

const payInvoice = (engine: Engine, invoice: Obj) => {
  const now = engine.nowSeconds()
  invoice.status = "paid"
  invoice.paid = true
  invoice.attempted = true
  invoice.attempt_count = 1
  invoice.amount_paid = invoice.amount_due ?? 0
  invoice.amount_remaining = 0
  const transitions = isObj(invoice.status_transitions) ? invoice.status_transitions : {}
  invoice.status_transitions = { ...transitions, paid_at: now }
  engine.emit("invoice.paid", invoice)
  engine.emit("invoice.payment_succeeded", invoice)
}

const invoiceAction = (
  to: string,
  from: ReadonlyArray<string>,
  event: string,
  apply?: (engine: Engine, invoice: Obj) => void
): Handler =>
(engine, ctx) => {
  const invoice = engine.mustGet(ctx.targetId, "invoice", "invoice")
  if (!from.includes(String(invoice.status))) {
    throw invalidRequest(
      `You can only ${event.split(".").pop()} an invoice with status ${from.join(" or ")}; this one is ${
        String(invoice.status)
      }.`,
      undefined,
      "invoice_not_editable"
    )
  }
  if (apply !== undefined) apply(engine, invoice)
  else {
    invoice.status = to
    engine.emit(event, invoice)
  }
  return invoice
}

const createSubscriptionFrom = (
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
  const trialEnd = paramInt(params, "trial_end") ??
    (paramInt(params, "trial_period_days") === undefined
      ? undefined
      : now + 86400 * paramInt(params, "trial_period_days")!)
  const periodEnd = trialEnd ?? addInterval(engine, now, recurring)
  const incomplete = paramString(params, "payment_behavior") === "default_incomplete"
  const sub = engine.create("subscription", stripExpand({ ...params, items: "" }), {
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
    const item = engine.create("subscription_item", { metadata: p.metadata ?? {} }, {
      price: structuredClone(p.price),
      quantity: p.quantity,
      subscription: String(sub.id)
    })
    data.push(item)
  }
  sub.items = {
    object: "list",
    data,
    has_more: false,
    total_count: data.length,
    url: `/v1/subscription_items?subscription=${String(sub.id)}`
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
  return sub
}

const subscriptionCreate: Handler = (engine, ctx) => {
  const params = ctx.params
  const customer = paramString(params, "customer") ?? ""
  return createSubscriptionFrom(engine, customer, paramArray(params, "items").map(paramObject), params, undefined)
}

const cancelSubscription = (engine: Engine, sub: Obj, params: Params): Obj => {
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
  sub.cancellation_details = coerce("#cancellation_details", {
    comment: details.comment ?? "",
    feedback: details.feedback ?? "",
    reason: "cancellation_requested"
  }, undefined)
  engine.emit("customer.subscription.deleted", sub)
  return sub
}

const subscriptionCancel: Handler = (engine, ctx) =>
  cancelSubscription(engine, engine.mustGet(ctx.targetId, "subscription", "subscription_exposed_id"), ctx.params)

const subscriptionResume: Handler = (engine, ctx) => {
  const sub = engine.mustGet(ctx.targetId, "subscription", "subscription")
  if (sub.status !== "paused") {
    throw invalidRequest("Only paused subscriptions can be resumed.", undefined, "subscription_not_paused")
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
  merge("subscription", sub, { ...params, items: "" })
  if (items.length > 0 && isObj(sub.items) && Array.isArray(sub.items.data)) {
    const list = sub.items.data
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
        const created = engine.create("subscription_item", {}, {
          price: structuredClone(priceFor(engine, item, undefined, `items[${i}][price]`)),
          quantity: paramInt(item, "quantity") ?? 1,
          subscription: String(sub.id)
        })
        list.push(created)
      }
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
  if (isObj(sub.items) && Array.isArray(sub.items.data)) sub.items.data.push(item)
  return item
}

const schedulePhases = (
  engine: Engine,
  params: Params,
  start: number,
  currency: string | undefined
): Array<Json> => {
  let cursor = start
  return paramArray(params, "phases").map(paramObject).map((phase, i) => {
    const items = paramArray(phase, "items").map(paramObject)
    const prices = items.map((item, j) => priceFor(engine, item, currency, `phases[${i}][items][${j}][price]`))
    const iterations = paramInt(phase, "iterations")
    const explicitEnd = paramInt(phase, "end_date")
    const phaseStart = paramInt(phase, "start_date") ?? cursor
    // `duration` (2025+ API versions) replaces `iterations`.
    const duration = isObj(phase.duration) ? phase.duration : undefined
    const end = explicitEnd ?? (duration === undefined
      ? addInterval(engine, phaseStart, prices[0]?.recurring, iterations ?? 1)
      : addInterval(engine, phaseStart, {
        interval: paramString(duration, "interval") ?? "month",
        interval_count: paramInt(duration, "interval_count") ?? 1
      }))
    cursor = end
    const out = template("subscription_schedule_phase_configuration")
    merge("subscription_schedule_phase_configuration", out, {
      ...phase,
      items: "",
      add_invoice_items: ""
    })
    out.currency = String(prices[0]?.currency ?? currency ?? "usd")
    out.proration_behavior = paramString(phase, "proration_behavior") ?? "create_prorations"
    out.start_date = phaseStart
    out.end_date = end
    out.items = items.map((item, j) => {
      const config = template("subscription_schedule_configuration_item")
      merge("subscription_schedule_configuration_item", config, { ...item, price: "" })
      config.price = prices[j].id ?? ""
      config.quantity = paramInt(item, "quantity") ?? 1
      return config
    })
    return out
  })
}

const scheduleCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const now = engine.nowSeconds()
  const fromSub = paramString(params, "from_subscription")
  const customerParam = paramString(params, "customer")
  if (fromSub !== undefined && customerParam !== undefined) {
    throw invalidRequest(
      "You cannot set `customer` when `from_subscription` is set.",
      "customer",
      "parameter_invalid_empty"
    )
  }
  if (fromSub !== undefined) {
    const sub = engine.mustGet(fromSub, "subscription", "from_subscription")
    const items = isObj(sub.items) && Array.isArray(sub.items.data) ? sub.items.data.filter(isObj) : []
    const schedule = engine.create("subscription_schedule", { end_behavior: "release" }, {
      customer: sub.customer ?? "",
      status: "active",
      subscription: sub.id ?? null,
      current_phase: {
        start_date: Number(sub.current_period_start ?? now),
        end_date: Number(sub.current_period_end ?? now)
      }
    })
    schedule.phases = schedulePhases(
      engine,
      {
        phases: [{
          items: items.map((item) => ({
            price: isObj(item.price) ? String(item.price.id) : "",
            quantity: String(item.quantity ?? 1)
          })),
          start_date: String(sub.current_period_start ?? now),
          end_date: String(sub.current_period_end ?? now)
        }]
      },
      Number(sub.current_period_start ?? now),
      undefined
    )
    schedule.default_settings = template("subscription_schedules_resource_default_settings")
    sub.schedule = schedule.id ?? null
    engine.emit("subscription_schedule.created", schedule)
    return schedule
  }
  if (customerParam === undefined) {
    throw invalidRequest("Missing required param: customer.", "customer", "parameter_missing")
  }
  engine.mustGet(customerParam, "customer", "customer")
  const phasesParam = paramArray(params, "phases")
  if (phasesParam.length === 0) throw invalidRequest("Missing required param: phases.", "phases", "parameter_missing")
  const startRaw = params.start_date
  const start = startRaw === "now" || startRaw === undefined ? now : paramInt(params, "start_date") ?? now
  const phases = schedulePhases(engine, params, start, undefined)
  const schedule = engine.create("subscription_schedule", { ...params, phases: "", start_date: "" }, {
    customer: customerParam,
    end_behavior: paramString(params, "end_behavior") ?? "release",
    status: start <= now ? "active" : "not_started"
  })
  schedule.phases = phases
  if (start <= now) {
    const first = phases[0]
    const firstItems = isObj(first) && Array.isArray(first.items) ? first.items.filter(isObj) : []
    const sub = createSubscriptionFrom(
      engine,
      customerParam,
      firstItems.map((i) => ({ price: String(i.price), quantity: String(i.quantity ?? 1) })),
      {},
      schedule.id ?? null
    )
    schedule.subscription = sub.id ?? null
    if (isObj(first)) {
      schedule.current_phase = { start_date: Number(first.start_date), end_date: Number(first.end_date) }
    }
  }
  engine.emit("subscription_schedule.created", schedule)
  return schedule
}

const scheduleCancel: Handler = (engine, ctx) => {
  const schedule = engine.mustGet(ctx.targetId, "subscription_schedule", "schedule")
  if (schedule.status !== "active" && schedule.status !== "not_started") {
    throw invalidRequest(
      `You cannot cancel a subscription schedule whose status is ${String(schedule.status)}.`,
      undefined,
      "subscription_schedule_invalid_state"
    )
  }
  schedule.status = "canceled"
  schedule.canceled_at = engine.nowSeconds()
  schedule.current_phase = null
  if (typeof schedule.subscription === "string") {
    const sub = engine.get(schedule.subscription)
    if (sub !== undefined && sub.status !== "canceled") cancelSubscription(engine, sub, {})
  }
  engine.emit("subscription_schedule.canceled", schedule)
  return schedule
}

const scheduleRelease: Handler = (engine, ctx) => {
  const schedule = engine.mustGet(ctx.targetId, "subscription_schedule", "schedule")
  if (schedule.status !== "active" && schedule.status !== "not_started") {
    throw invalidRequest(
      `You cannot release a subscription schedule whose status is ${String(schedule.status)}.`,
      undefined,
      "subscription_schedule_invalid_state"
    )
  }
  schedule.status = "released"
  schedule.released_at = engine.nowSeconds()
  schedule.released_subscription = typeof schedule.subscription === "string" ? schedule.subscription : null
  schedule.subscription = null
  schedule.current_phase = null
  engine.emit("subscription_schedule.released", schedule)
  return schedule
}

const meterCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const now = engine.nowSeconds()
  const meter = engine.create("billing.meter", params, {
    status: "active",
    status_transitions: { deactivated_at: null },
    updated: now
  })
  const aggregation = paramObject(params.default_aggregation)
  const formula = paramString(aggregation, "formula") ?? "sum"
  meter.default_aggregation = { formula }
  const mapping = paramObject(params.customer_mapping)
  meter.customer_mapping = {
    event_payload_key: paramString(mapping, "event_payload_key") ?? "stripe_customer_id",
    type: "by_id"
  }
  const value = paramObject(params.value_settings)
  meter.value_settings = { event_payload_key: paramString(value, "event_payload_key") ?? "value" }
  return meter
}

const meterStatus = (status: "active" | "inactive"): Handler => (engine, ctx) => {
  const meter = engine.mustGet(ctx.targetId, "billing.meter", "id")
  if (meter.status === status) {
    throw invalidRequest(
      `This meter is already ${status}.`,
      undefined,
      status === "active" ? "billing_meter_already_active" : "billing_meter_already_inactive"
    )
  }
  const now = engine.nowSeconds()
  meter.status = status
  meter.updated = now
  meter.status_transitions = { deactivated_at: status === "inactive" ? now : null }
  return meter
}

const meterEventCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const payload = paramObject(params.payload)
  if (Object.keys(payload).length === 0) {
    throw invalidRequest("Missing required param: payload.", "payload", "parameter_missing")
  }
  const identifier = paramString(params, "identifier") ?? engine.ids.prefixed("mev", 20)
  const duplicate = engine.all("billing.meter_event").some((e) => e.identifier === identifier)
  if (duplicate) {
    throw invalidRequest(
      `An event with identifier ${identifier} already exists.`,
      "identifier",
      "billing_meter_event_duplicate_identifier"
    )
  }
  return engine.create("billing.meter_event", params, {
    identifier,
    payload: toJson(payload),
    timestamp: paramInt(params, "timestamp") ?? engine.nowSeconds()
  })
}

const meterEventSummaries: Handler = (engine, ctx) => {
  const meter = engine.mustGet(ctx.parentIds[0] ?? ctx.targetId, "billing.meter", "id")
  const params = ctx.params
  const customer = paramString(params, "customer") ?? ""
  const start = paramInt(params, "start_time") ?? 0
  const end = paramInt(params, "end_time") ?? engine.nowSeconds() + 1
  const mapping = isObj(meter.customer_mapping)
    ? String(meter.customer_mapping.event_payload_key)
    : "stripe_customer_id"
  const valueKey = isObj(meter.value_settings) ? String(meter.value_settings.event_payload_key) : "value"
  const formula = isObj(meter.default_aggregation) ? meter.default_aggregation.formula : "sum"
  const values: Array<number> = []
  const consider = (name: Json | undefined, payload: Json | undefined, ts: number) => {
    if (name !== meter.event_name || !isObj(payload) || payload[mapping] !== customer) return
    if (ts < start || ts >= end) return
    values.push(Number(payload[valueKey] ?? 1))
  }
  for (const e of engine.all("billing.meter_event")) consider(e.event_name, e.payload, Number(e.timestamp))
  for (const e of engine.meterEventStream) {
    const ts = typeof e.timestamp === "string" ? Math.floor(Date.parse(e.timestamp) / 1000) : engine.nowSeconds()
    consider(e.event_name, e.payload, ts)
  }
  const aggregated = formula === "count" ? values.length : formula === "last" ?
    (values[values.length - 1] ?? 0) :
    values.reduce((a, b) => a + b, 0)
  const summary = engine.create("billing.meter_event_summary", {}, {
    aggregated_value: aggregated,
    end_time: end,
    meter: String(meter.id),
    start_time: start
  })
  engine.remove(String(summary.id))
  return { object: "list", data: [summary], has_more: false, url: ctx.path }
}

const portalConfiguration = (engine: Engine): Obj => {
  const existing = engine.all("billing_portal.configuration").find((c) => c.is_default === true)
  if (existing !== undefined) return existing
  return engine.create("billing_portal.configuration", {}, {
    active: true,
    is_default: true,
    updated: engine.nowSeconds()
  })
}

const portalSessionCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer") ?? ""
  engine.mustGet(customer, "customer", "customer")
  const configuration = paramString(params, "configuration") ?? String(portalConfiguration(engine).id)
  const session = engine.create("billing_portal.session", { ...params, flow_data: "" }, {
    configuration,
    customer,
    locale: paramString(params, "locale") ?? null,
    on_behalf_of: paramString(params, "on_behalf_of") ?? null,
    return_url: paramString(params, "return_url") ?? null,
    url: `https://billing.stripe.com/p/session/test_${engine.ids.random(40)}`
  })
  const flow = paramObject(params.flow_data)
  if (Object.keys(flow).length > 0) {
    const out = coerce("#portal_flows_flow", {
      ...flow,
      after_completion: flow.after_completion ?? { type: "portal_homepage" }
    }, undefined)
    session.flow = out
  }
  return session
}

// ------------------------------------------------------------------ Connect

const accountCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const type = paramString(params, "type") ?? "custom"
  const account = engine.create("account", params, {
    business_type: paramString(params, "business_type") ?? null,
    charges_enabled: false,
    country: paramString(params, "country") ?? "US",
    default_currency: "usd",
    details_submitted: false,
    email: paramString(params, "email") ?? null,
    payouts_enabled: false,
    type
  })
  account.capabilities = {}
  const capabilities = paramObject(params.capabilities)
  for (const name of Object.keys(capabilities)) {
    const cap = paramObject(capabilities[name])
    if (paramBool(cap, "requested") === true && isObj(account.capabilities)) account.capabilities[name] = "inactive"
  }
  account.external_accounts = emptyList(`/v1/accounts/${String(account.id)}/external_accounts`)
  account.requirements = template("account_requirements")
  account.future_requirements = template("account_future_requirements")
  account.settings = null
  account.tos_acceptance = {}
  engine.emit("account.updated", account)
  return account
}

const accountLinkCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const account = paramString(params, "account") ?? ""
  engine.mustGet(account, "account", "account")
  const now = engine.nowSeconds()
  const link = engine.create("account_link", {}, {
    expires_at: now + 300,
    url: `https://connect.stripe.com/setup/e/${account}/${engine.ids.random(20)}`
  })
  return link
}

const loginLinkCreate: Handler = (engine, ctx) => {
  const account = ctx.parentIds[0] ?? ""
  return engine.create("login_link", {}, {
    url: `https://connect.stripe.com/express/${account}/${engine.ids.random(20)}`
  })
}

const transferCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const destination = paramString(params, "destination") ?? ""
  if (engine.get(destination) === undefined) {
    throw invalidRequest(`No such destination: '${destination}'`, "destination", "resource_missing")
  }
  const transfer = engine.create("transfer", params, {
    amount_reversed: 0,
    destination,
    destination_payment: engine.ids.prefixed("py", 24),
    reversed: false,
    source_type: "card"
  })
  transfer.reversals = emptyList(`/v1/transfers/${String(transfer.id)}/reversals`)
  transfer.balance_transaction = balanceTransaction(
    engine,
    "transfer",
    -Number(transfer.amount ?? 0),
    transfer.currency,
    transfer.id ?? null
  ).id ?? null
  engine.emit("transfer.created", transfer)
  return transfer
}

const transferReversalCreate: Handler = (engine, ctx) => {
  const transferId = ctx.parentIds[0] ?? ""
  const transfer = engine.mustGet(transferId, "transfer", "id")
  const params = stripExpand(ctx.params)
  const remaining = Number(transfer.amount ?? 0) - Number(transfer.amount_reversed ?? 0)
  const amount = paramInt(params, "amount") ?? remaining
  if (amount > remaining || amount <= 0) {
    throw invalidRequest("The reversal amount exceeds the transfer's unreversed amount.", "amount", "amount_too_large")
  }
  const reversal = engine.create("transfer_reversal", params, {
    amount,
    currency: transfer.currency ?? "usd",
    transfer: transferId
  })
  transfer.amount_reversed = Number(transfer.amount_reversed ?? 0) + amount
  transfer.reversed = transfer.amount_reversed === transfer.amount
  if (isObj(transfer.reversals) && Array.isArray(transfer.reversals.data)) transfer.reversals.data.unshift(reversal)
  engine.emit("transfer.reversed", transfer)
  return reversal
}

const payoutCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const now = engine.nowSeconds()
  const payout = engine.create("payout", params, {
    arrival_date: now + 2 * 86400,
    automatic: false,
    method: paramString(params, "method") ?? "standard",
    reconciliation_status: "not_applicable",
    source_type: paramString(params, "source_type") ?? "card",
    status: "pending",
    type: "bank_account"
  })
  engine.emit("payout.created", payout)
  return payout
}

const payoutCancel: Handler = (engine, ctx) => {
  const payout = engine.mustGet(ctx.targetId, "payout", "payout")
  if (payout.status !== "pending") {
    throw invalidRequest("Only pending payouts can be canceled.", undefined, "payout_not_cancelable")
  }
  payout.status = "canceled"
  engine.emit("payout.canceled", payout)
  return payout
}

const payoutReverse: Handler = (engine, ctx) => {
  const payout = engine.mustGet(ctx.targetId, "payout", "payout")
  const reversal = engine.create("payout", {}, {
    amount: payout.amount ?? 0,
    arrival_date: engine.nowSeconds(),
    currency: payout.currency ?? "usd",
    method: "standard",
    original_payout: payout.id ?? null,
    reconciliation_status: "not_applicable",
    source_type: "card",
    status: "pending",
    type: "bank_account"
  })
  payout.reversed_by = reversal.id ?? null
  return reversal
}

// ------------------------------------------------------------------ misc

const statusAction =
  (type: string, param: string, to: string, from: ReadonlyArray<string>, event?: string): Handler => (engine, ctx) => {
    const obj = engine.mustGet(ctx.targetId, type, param)
    if (from.length > 0 && !from.includes(String(obj.status))) {
      throw invalidRequest(
        `This object has a status of ${String(obj.status)} and cannot become ${to}.`,
        undefined,
        `${type.split(".").pop()}_unexpected_state`
      )
    }
    obj.status = to
    if (event !== undefined) engine.emit(event, obj)
    return obj
  }

const webhookEndpointCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const endpoint = engine.create("webhook_endpoint", params, {
    api_version: paramString(params, "api_version") ?? null,
    status: "enabled"
  })
  delete endpoint.secret
  const secret = `whsec_${engine.ids.random(32)}`
  engine.registerWebhookSecret(String(endpoint.id), secret)
  // Stripe returns the secret only in the create response.
  return { ...endpoint, secret }
}

const fileCreate: Handler = (engine, ctx) => {
  const params = ctx.params
  const file = paramObject(params.file)
  const filename = typeof file.filename === "string" ? file.filename : "upload"
  const created = engine.create("file", { purpose: params.purpose ?? "" }, {
    filename,
    size: typeof file.size === "number" ? file.size : 0,
    title: null,
    type: filename.includes(".") ? filename.split(".").pop() ?? null : null
  })
  created.url = `https://files.stripe.com/v1/files/${String(created.id)}/contents`
  return created
}

const quotePdf: Handler = (engine, ctx) => {
  const quote = engine.mustGet(ctx.targetId, "quote", "quote")
  const text = `%PDF-1.4\n% Quote ${String(quote.id)}\n%%EOF\n`
  return { _tag: "Binary", contentType: "application/pdf", bytes: new TextEncoder().encode(text) }
}

const quoteCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const quote = engine.create("quote", { ...params, line_items: "" }, {
    customer: paramString(params, "customer") ?? null,
    status: "draft",
    expires_at: engine.nowSeconds() + 30 * 86400
  })
  engine.emit("quote.created", quote)
  return quote
}

const checkoutSessionCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const session = engine.create("checkout.session", { ...params, line_items: "" }, {
    expires_at: engine.nowSeconds() + 86400,
    mode: paramString(params, "mode") ?? "payment",
    status: "open",
    payment_status: "unpaid"
  })
  session.url = `https://checkout.stripe.com/c/pay/${String(session.id)}`
  return session
}

const invoiceCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer")
  if (customer !== undefined) engine.mustGet(customer, "customer", "customer")
  const now = engine.nowSeconds()
  const pending = engine.all("invoiceitem").filter((ii) => ii.customer === customer && ii.invoice === null)
  const invoice = buildInvoice(engine, customer ?? "", undefined, [], now, now, false)
  merge("invoice", invoice, params)
  const data = isObj(invoice.lines) && Array.isArray(invoice.lines.data) ? invoice.lines.data : []
  let total = 0
  for (const ii of pending) {
    ii.invoice = invoice.id ?? null
    const amount = Number(ii.amount ?? 0)
    total += amount
    const line = template("line_item")
    merge("line_item", line, { amount, currency: String(ii.currency ?? "usd"), type: "invoiceitem", quantity: 1 })
    line.id = engine.ids.id("line_item")
    line.invoice = invoice.id ?? null
    line.invoice_item = ii.id ?? ""
    line.metadata = {}
    line.period = { start: now, end: now }
    data.push(line)
  }
  Object.assign(invoice, {
    amount_due: total,
    amount_remaining: total,
    subtotal: total,
    total,
    subtotal_excluding_tax: total,
    total_excluding_tax: total
  })
  return invoice
}

const invoiceItemCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer") ?? ""
  engine.mustGet(customer, "customer", "customer")
  let amount = paramInt(params, "amount")
  let price: Obj | null = null
  if (paramString(params, "price") !== undefined) {
    price = engine.mustGet(paramString(params, "price"), "price", "price")
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

const upcomingInvoice: Handler = (engine, ctx) => {
  const params = ctx.params
  const customer = paramString(params, "customer")
  if (customer !== undefined) engine.mustGet(customer, "customer", "customer")
  const subId = paramString(params, "subscription")
  const sub = subId === undefined
    ? engine.all("subscription").find((s) => s.customer === customer && s.status !== "canceled")
    : engine.mustGet(subId, "subscription", "subscription")
  const items = sub !== undefined && isObj(sub.items) && Array.isArray(sub.items.data)
    ? sub.items.data.filter(isObj)
    : []
  const start = sub === undefined ? engine.nowSeconds() : Number(sub.current_period_end ?? engine.nowSeconds())
  const end = sub === undefined
    ? start
    : addInterval(engine, start, isObj(items[0]?.price) ? items[0].price.recurring : undefined)
  const invoice = buildInvoice(
    engine,
    customer ?? String(sub?.customer ?? ""),
    sub,
    items.map((i) => ({ price: isObj(i.price) ? i.price : {}, quantity: Number(i.quantity ?? 1), itemId: i.id })),
    start,
    end,
    false
  )
  // An upcoming invoice is a preview: Stripe gives it no id and does not store it.
  engine.remove(String(invoice.id))
  const preview: Obj = { ...invoice, billing_reason: "upcoming" }
  delete preview.id
  return preview
}

const testClockCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const frozen = paramInt(params, "frozen_time") ?? engine.nowSeconds()
  return engine.create("test_helpers.test_clock", params, {
    deletes_after: frozen + 30 * 86400,
    frozen_time: frozen,
    status: "ready"
  })
}

const testClockAdvance: Handler = (engine, ctx) => {
  const clock = engine.mustGet(ctx.targetId, "test_helpers.test_clock", "test_clock")
  const frozen = paramInt(ctx.params, "frozen_time") ?? 0
  if (frozen <= Number(clock.frozen_time ?? 0)) {
    throw invalidRequest("The test clock can only be advanced forward.", "frozen_time", "parameter_invalid_integer")
  }
  clock.frozen_time = frozen
  clock.status = "ready"
  engine.emit("test_helpers.test_clock.ready", clock)
  return clock
}

const customerCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = engine.create("customer", params, {
    invoice_prefix: engine.ids.random(8).toUpperCase(),
    next_invoice_sequence: 1
  })
  customer.invoice_settings = coerce(
    "#invoice_setting_customer_setting",
    paramObject(params.invoice_settings),
    undefined
  )
  engine.emit("customer.created", customer)
  return customer
}

const paymentMethodAttach: Handler = (engine, ctx) => {
  const pm = resolvePaymentMethod(engine, ctx.targetId ?? "", undefined, "payment_method")
  const customer = paramString(ctx.params, "customer") ?? ""
  engine.mustGet(customer, "customer", "customer")
  pm.customer = customer
  engine.emit("payment_method.attached", pm)
  return pm
}

const paymentMethodDetach: Handler = (engine, ctx) => {
  const pm = engine.mustGet(ctx.targetId, "payment_method", "payment_method")
  pm.customer = null
  engine.emit("payment_method.detached", pm)
  return pm
}

const paymentMethodCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const type = paramString(params, "type") ?? "card"
  const pm = engine.create("payment_method", { ...params, card: "" }, { type, customer: null })
  pm.billing_details = coerce("#billing_details", paramObject(params.billing_details), undefined)
  if (type === "card") {
    pm.card = coerce("#payment_method_card", {
      brand: "visa",
      country: "US",
      exp_month: "12",
      exp_year: String(new Date(engine.nowMillis()).getUTCFullYear() + 8),
      funding: "credit",
      last4: "4242"
    }, undefined)
  }
  return pm
}

const balanceRetrieve: Handler = (engine) => {
  // Available funds are the net of successful charges, refunds and transfers.
  let net = 0
  for (const c of engine.all("charge")) {
    if (c.status === "succeeded" && c.captured === true) {
      net += Number(c.amount_captured ?? 0) - Number(c.amount_refunded ?? 0)
    }
  }
  for (const t of engine.all("transfer")) net -= Number(t.amount ?? 0) - Number(t.amount_reversed ?? 0)
  const amount = (value: number) => ({ amount: value, currency: "usd", source_types: { card: value } })
  const balance = template("balance")
  balance.available = [amount(net)]
  balance.pending = [amount(0)]
  return balance
}

const paymentMethodRetrieve: Handler = (engine, ctx) =>
  resolvePaymentMethod(engine, ctx.targetId ?? "", undefined, "payment_method")

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/account_links": accountLinkCreate,
  "POST /v1/accounts": accountCreate,
  "POST /v1/accounts/{account}/login_links": loginLinkCreate,
  "GET /v1/balance": balanceRetrieve,
  "POST /v1/billing/meter_events": meterEventCreate,
  "POST /v1/billing/meters": meterCreate,
  "POST /v1/billing/meters/{id}/deactivate": meterStatus("inactive"),
  "POST /v1/billing/meters/{id}/reactivate": meterStatus("active"),
  "GET /v1/billing/meters/{id}/event_summaries": meterEventSummaries,
  "POST /v1/billing_portal/sessions": portalSessionCreate,
  "POST /v1/charges": chargeCreate,
  "POST /v1/charges/{charge}/capture": chargeCapture,
  "POST /v1/checkout/sessions": checkoutSessionCreate,
  "POST /v1/checkout/sessions/{session}/expire": statusAction("checkout.session", "session", "expired", ["open"]),
  "POST /v1/credit_notes/{id}/void": statusAction("credit_note", "id", "void", ["issued"], "credit_note.voided"),
  "POST /v1/customers": customerCreate,
  "POST /v1/disputes/{dispute}/close": statusAction("dispute", "dispute", "lost", [], "charge.dispute.closed"),
  "POST /v1/files": fileCreate,
  "POST /v1/invoiceitems": invoiceItemCreate,
  "POST /v1/invoices": invoiceCreate,
  "GET /v1/invoices/upcoming": upcomingInvoice,
  "POST /v1/invoices/{invoice}/finalize": invoiceAction("open", ["draft"], "invoice.finalized", finalizeInvoice),
  "POST /v1/invoices/{invoice}/pay": invoiceAction("paid", ["open"], "invoice.paid", payInvoice),
  "POST /v1/invoices/{invoice}/void": invoiceAction("void", ["open"], "invoice.voided"),
  "POST /v1/invoices/{invoice}/mark_uncollectible": invoiceAction(
    "uncollectible",
    ["open"],
    "invoice.marked_uncollectible"
  ),
  "POST /v1/invoices/{invoice}/send": invoiceAction("open", ["open"], "invoice.sent"),
  "POST /v1/payment_intents": paymentIntentCreate,
  "POST /v1/payment_intents/{intent}/cancel": paymentIntentCancel,
  "POST /v1/payment_intents/{intent}/capture": paymentIntentCapture,
  "POST /v1/payment_intents/{intent}/confirm": paymentIntentConfirm,
  "POST /v1/payment_intents/{intent}/increment_authorization": paymentIntentIncrement,
  "POST /v1/payment_methods": paymentMethodCreate,
  "GET /v1/payment_methods/{payment_method}": paymentMethodRetrieve,
  "POST /v1/payment_methods/{payment_method}/attach": paymentMethodAttach,
  "POST /v1/payment_methods/{payment_method}/detach": paymentMethodDetach,
  "POST /v1/payouts": payoutCreate,
  "POST /v1/payouts/{payout}/cancel": payoutCancel,
  "POST /v1/payouts/{payout}/reverse": payoutReverse,
  "POST /v1/prices": priceCreate,
  "POST /v1/products": productCreate,
  "POST /v1/quotes": quoteCreate,
  "GET /v1/quotes/{quote}/pdf": quotePdf,
  "POST /v1/quotes/{quote}/finalize": statusAction("quote", "quote", "open", ["draft"], "quote.finalized"),
  "POST /v1/quotes/{quote}/accept": statusAction("quote", "quote", "accepted", ["open"], "quote.accepted"),
  "POST /v1/quotes/{quote}/cancel": statusAction("quote", "quote", "canceled", ["draft", "open"], "quote.canceled"),
  "POST /v1/refunds": refundCreate,
  "POST /v1/refunds/{refund}/cancel": refundCancel,
  "POST /v1/setup_intents": setupIntentCreate,
  "POST /v1/setup_intents/{intent}/cancel": setupIntentCancel,
  "POST /v1/setup_intents/{intent}/confirm": setupIntentConfirm,
  "POST /v1/subscription_items": subscriptionItemCreate,
  "POST /v1/subscription_schedules": scheduleCreate,
  "POST /v1/subscription_schedules/{schedule}/cancel": scheduleCancel,
  "POST /v1/subscription_schedules/{schedule}/release": scheduleRelease,
  "POST /v1/subscriptions": subscriptionCreate,
  "POST /v1/subscriptions/{subscription_exposed_id}": subscriptionUpdate,
  "DELETE /v1/subscriptions/{subscription_exposed_id}": subscriptionCancel,
  "POST /v1/subscriptions/{subscription}/resume": subscriptionResume,
  "POST /v1/test_helpers/test_clocks": testClockCreate,
  "POST /v1/test_helpers/test_clocks/{test_clock}/advance": testClockAdvance,
  "POST /v1/transfers": transferCreate,
  "POST /v1/transfers/{id}/reversals": transferReversalCreate,
  "POST /v1/webhook_endpoints": webhookEndpointCreate
}
