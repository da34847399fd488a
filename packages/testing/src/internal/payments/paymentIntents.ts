/**
 * PaymentIntents: create, confirm (charging a test card, declining as the
 * card says), manual capture, cancel, incremental authorization, and what a
 * successful payment sets off (a charge, a balance transaction, a dispute
 * for `pm_card_createDispute`, an application fee for destination charges).
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest, unexpectedState } from "../errors.js"
import type { Obj, Value } from "../json.js"
import { isObj } from "../json.js"
import { paramArray, paramBool, paramInt, paramString, stripExpand } from "../params.js"
import type { Params } from "../params.js"
import { balanceTransaction } from "./balance.js"
import { openDispute } from "./charges.js"
import { behaviourOf, cardDetails, cardFailure, confirmablePaymentMethod, resolvePaymentMethod } from "./testCards.js"

/** A charge for an intent (or a direct charge), succeeded or failed. @internal */
export const createCharge = (
  engine: Engine,
  intent: Obj,
  pm: Obj,
  status: "succeeded" | "failed",
  captured: boolean
): Obj => {
  const amount = typeof intent.amount === "number" ? intent.amount : 0
  const succeeded = status === "succeeded"
  const charge = engine.create("charge", {}, {
    amount,
    amount_captured: succeeded && captured ? amount : 0,
    amount_refunded: 0,
    application_fee_amount: intent.application_fee_amount ?? null,
    billing_details: engine.spec.template("billing_details"),
    captured: succeeded && captured,
    currency: intent.currency ?? "usd",
    customer: intent.customer ?? null,
    description: intent.description ?? null,
    metadata: {},
    outcome: engine.spec.coerce("#charge_outcome", {
      network_status: succeeded ? "approved_by_network" : "declined_by_network",
      risk_level: "normal",
      risk_score: "20",
      seller_message: succeeded ? "Payment complete." : "The bank did not return any further details.",
      type: succeeded ? "authorized" : "issuer_declined"
    }, undefined),
    paid: succeeded,
    payment_intent: intent.id ?? null,
    payment_method: pm.id ?? null,
    payment_method_details: cardDetails(engine, pm),
    receipt_url: `https://pay.stripe.com/receipts/payment/${engine.ids.random(32)}`,
    refunded: false,
    status,
    transfer_data: intent.transfer_data ?? null
  })
  const behaviour = behaviourOf(engine, String(pm.id))
  if (!succeeded && behaviour?.decline !== undefined) {
    charge.failure_code = behaviour.decline.code
    charge.failure_message = behaviour.decline.message
  }
  if (succeeded && captured) {
    charge.balance_transaction = balanceTransaction(engine, "charge", amount, charge.currency, charge.id ?? null)
  }
  engine.emit(succeeded ? "charge.succeeded" : "charge.failed", charge)
  if (succeeded && captured) settle(engine, charge)
  if (succeeded && behaviour?.dispute === true) openDispute(engine, charge)
  return charge
}

/**
 * A captured destination charge with `application_fee_amount` collects an
 * application fee for the platform, as Stripe does.
 */
const settle = (engine: Engine, charge: Obj) => {
  const fee = charge.application_fee_amount
  const transfer = isObj(charge.transfer_data) ? charge.transfer_data : undefined
  if (typeof fee !== "number" || fee <= 0 || transfer === undefined) return
  const account = typeof transfer.destination === "string" ? transfer.destination : ""
  const applicationFee = engine.create("application_fee", {}, {
    account,
    amount: fee,
    amount_refunded: 0,
    application: `ca_${engine.ids.random(24)}`,
    charge: charge.id ?? "",
    currency: charge.currency ?? "usd",
    originating_transaction: null,
    refunded: false,
    refunds: { object: "list", data: [], has_more: false, url: "" }
  })
  const id = String(applicationFee.id)
  applicationFee.refunds = {
    object: "list",
    data: [],
    has_more: false,
    total_count: 0,
    url: `/v1/application_fees/${id}/refunds`
  }
  applicationFee.balance_transaction = balanceTransaction(engine, "application_fee", fee, charge.currency, id)
  charge.application_fee = id
  engine.emit("application_fee.created", applicationFee)
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
  const decline = behaviourOf(engine, String(pm.id))?.decline
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
    intent.last_payment_error = engine.spec.coerce("#api_errors", error, undefined)
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
    intent.payment_method = resolvePaymentMethod(engine, pm, intent.customer, "payment_method").id ?? null
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
  engine.spec.merge("payment_intent", intent, rest)
  return confirmIntent(engine, intent, params)
}

const paymentIntentCapture: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  if (intent.status !== "requires_capture") throw unexpectedState("payment_intent", "PaymentIntent", intent, "capture")
  const amount = paramInt(ctx.params, "amount_to_capture") ?? (typeof intent.amount === "number" ? intent.amount : 0)
  intent.status = "succeeded"
  intent.amount_received = amount
  intent.amount_capturable = 0
  const charge = typeof intent.latest_charge === "string" ? engine.get(intent.latest_charge) : undefined
  if (charge !== undefined) {
    charge.captured = true
    charge.amount_captured = amount
    charge.balance_transaction = balanceTransaction(engine, "charge", amount, charge.currency, charge.id ?? null)
    engine.emit("charge.captured", charge)
    settle(engine, charge)
  }
  engine.emit("payment_intent.succeeded", intent)
  return intent
}

const paymentIntentCancel: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  if (intent.status === "succeeded" || intent.status === "canceled") {
    throw unexpectedState("payment_intent", "PaymentIntent", intent, "cancel")
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
  if (intent.status !== "requires_capture") {
    throw unexpectedState("payment_intent", "PaymentIntent", intent, "increment")
  }
  const amount = paramInt(ctx.params, "amount") ?? 0
  if (amount <= Number(intent.amount ?? 0)) {
    throw invalidRequest(
      "The amount must be greater than the PaymentIntent's current amount.",
      "amount",
      "amount_too_small"
    )
  }
  intent.amount = amount
  intent.amount_capturable = amount
  return intent
}

// Microdeposit verification and customer-balance funding apply to bank and
// cash-balance payment methods; the emulator's payment methods are cards,
// and Stripe refuses these actions for a card intent.
const notForCards = (action: string): Handler => (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "payment_intent", "intent")
  throw invalidRequest(
    `This PaymentIntent's payment method cannot ${action}: it is not a ${
      action === "apply a customer balance" ? "customer_balance" : "us_bank_account"
    } payment method (status ${String(intent.status)}).`,
    undefined,
    "payment_intent_unexpected_state"
  )
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/payment_intents": paymentIntentCreate,
  "POST /v1/payment_intents/{intent}/apply_customer_balance": notForCards("apply a customer balance"),
  "POST /v1/payment_intents/{intent}/cancel": paymentIntentCancel,
  "POST /v1/payment_intents/{intent}/capture": paymentIntentCapture,
  "POST /v1/payment_intents/{intent}/confirm": paymentIntentConfirm,
  "POST /v1/payment_intents/{intent}/increment_authorization": paymentIntentIncrement,
  "POST /v1/payment_intents/{intent}/verify_microdeposits": notForCards("verify microdeposits")
}
