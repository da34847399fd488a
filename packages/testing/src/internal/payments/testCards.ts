/**
 * Stripe's documented test payment methods (https://docs.stripe.com/testing):
 * `pm_card_visa` and `tok_visa` succeed, `pm_card_chargeDeclined` declines
 * with `generic_decline`, `pm_card_createDispute` succeeds and is then
 * disputed, and so on.
 *
 * @internal
 */
import type { Engine } from "../engine.js"
import { ApiFailure, invalidRequest, resourceMissing, unexpectedState } from "../errors.js"
import type { Obj, Value } from "../json.js"
import { isObj } from "../json.js"
import type { Params } from "../params.js"
import { paramString } from "../params.js"

/** @internal */
export interface Decline {
  readonly code: string
  readonly declineCode: string
  readonly message: string
}

/** @internal */
export interface TestCard {
  readonly brand: string
  readonly last4: string
  readonly funding: string
  readonly decline?: Decline
  /** A successful charge that the cardholder then disputes. */
  readonly dispute?: boolean
}

const generic: Decline = { code: "card_declined", declineCode: "generic_decline", message: "Your card was declined." }
const insufficient: Decline = {
  code: "card_declined",
  declineCode: "insufficient_funds",
  message: "Your card has insufficient funds."
}
const declined = (declineCode: string, message = "Your card was declined.", code = "card_declined"): Decline => ({
  code,
  declineCode,
  message
})

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
  chargeDeclinedLostCard: { brand: "visa", last4: "9987", funding: "credit", decline: declined("lost_card") },
  chargeDeclinedStolenCard: { brand: "visa", last4: "9979", funding: "credit", decline: declined("stolen_card") },
  chargeDeclinedFraudulent: { brand: "visa", last4: "0019", funding: "credit", decline: declined("fraudulent") },
  chargeDeclinedExpiredCard: {
    brand: "visa",
    last4: "0069",
    funding: "credit",
    decline: declined("expired_card", "Your card has expired.", "expired_card")
  },
  chargeDeclinedIncorrectCvc: {
    brand: "visa",
    last4: "0127",
    funding: "credit",
    decline: declined("incorrect_cvc", "Your card's security code is incorrect.", "incorrect_cvc")
  },
  chargeDeclinedProcessingError: {
    brand: "visa",
    last4: "0119",
    funding: "credit",
    decline: declined(
      "processing_error",
      "An error occurred while processing your card. Try again in a little bit.",
      "processing_error"
    )
  },
  createDispute: { brand: "visa", last4: "0259", funding: "credit", dispute: true },
  createDisputeProductNotReceived: { brand: "visa", last4: "2685", funding: "credit", dispute: true }
}

/** The test card an id names (`pm_card_visa`, `tok_visa`), if any. @internal */
export const testCardOf = (id: string): { readonly name: string; readonly card: TestCard } | undefined => {
  const m = /^(?:pm_card_|tok_)(.+)$/.exec(id)
  const name = m?.[1]
  const card = name === undefined ? undefined : testCards[name]
  return name === undefined || card === undefined ? undefined : { name, card }
}

/** The `card` hash of a payment method for a test card. @internal */
export const paymentMethodCard = (engine: Engine, card: TestCard): Obj => {
  const exp = new Date(engine.nowMillis()).getUTCFullYear() + 8
  const out = engine.spec.coerceField("payment_method", "card", {
    brand: card.brand,
    country: "US",
    exp_month: "12",
    exp_year: String(exp),
    fingerprint: engine.ids.random(16),
    funding: card.funding,
    last4: card.last4
  })
  return isObj(out) ? out : {}
}

/** The payment method an id names: a stored one, or a fresh one for a test card. @internal */
export const resolvePaymentMethod = (engine: Engine, id: string, customer: Value | undefined, param: string): Obj => {
  const stored = engine.get(id)
  if (stored !== undefined) return stored
  const test = testCardOf(id)
  if (test === undefined) throw resourceMissing("PaymentMethod", id, param)
  const pm = engine.create("payment_method", {
    type: "card",
    customer: typeof customer === "string" ? customer : ""
  })
  pm.card = paymentMethodCard(engine, test.card)
  pm.billing_details = engine.spec.template("billing_details")
  engine.cardBehaviour.set(String(pm.id), test.name)
  return pm
}

/** The behaviour of the test card a payment method came from. @internal */
export const behaviourOf = (engine: Engine, pmId: string): TestCard | undefined => {
  const name = engine.cardBehaviour.get(pmId)
  return name === undefined ? undefined : testCards[name]
}

/** The `payment_method_details` of a charge made with a card payment method. @internal */
export const cardDetails = (engine: Engine, pm: Obj): Obj => {
  const card = isObj(pm.card) ? pm.card : {}
  return {
    type: "card",
    card: engine.spec.coerce("#payment_method_details_card", {
      brand: card.brand ?? "visa",
      country: "US",
      exp_month: String(card.exp_month ?? 12),
      exp_year: String(card.exp_year ?? 2034),
      funding: card.funding ?? "credit",
      last4: card.last4 ?? "4242"
    }, undefined)
  }
}

/** A 402 `card_error` for a decline. @internal */
export const cardFailure = (decline: Decline, extra: Obj): ApiFailure =>
  new ApiFailure(402, {
    type: "card_error",
    code: decline.code,
    decline_code: decline.declineCode,
    message: decline.message,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, "-")}`,
    ...extra
  })

/**
 * Payment and setup intents confirm alike: a confirmable status, then the
 * payment method from the params or the one already on the intent.
 *
 * @internal
 */
export const confirmablePaymentMethod = (
  engine: Engine,
  what: "PaymentIntent" | "SetupIntent",
  intent: Obj,
  params: Params,
  missingMessage: string
): Obj => {
  const type = what === "PaymentIntent" ? "payment_intent" : "setup_intent"
  if (intent.status !== "requires_payment_method" && intent.status !== "requires_confirmation") {
    throw unexpectedState(type, what, intent, "confirm")
  }
  const pmParam = paramString(params, "payment_method") ??
    (typeof intent.payment_method === "string" ? intent.payment_method : undefined)
  if (pmParam === undefined) throw invalidRequest(missingMessage, "payment_method", `${type}_unexpected_state`)
  return resolvePaymentMethod(engine, pmParam, intent.customer, "payment_method")
}
