/**
 * SetupIntents: create, confirm with a test card (saving it to the
 * customer), cancel, and the microdeposit verification Stripe refuses for
 * card setups.
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest, unexpectedState } from "../errors.js"
import type { Obj } from "../json.js"
import type { Params } from "../params.js"
import { paramArray, paramBool, paramString, stripExpand } from "../params.js"
import { behaviourOf, cardFailure, confirmablePaymentMethod, resolvePaymentMethod } from "./testCards.js"

const confirmSetupIntent = (engine: Engine, intent: Obj, params: Params): Obj => {
  const pm = confirmablePaymentMethod(
    engine,
    "SetupIntent",
    intent,
    params,
    "You cannot confirm this SetupIntent because it's missing a payment method."
  )
  const decline = behaviourOf(engine, String(pm.id))?.decline
  if (decline !== undefined) {
    intent.status = "requires_payment_method"
    intent.last_setup_error = engine.spec.coerce("#api_errors", {
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

const setupIntentCancel: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "setup_intent", "intent")
  if (intent.status === "succeeded" || intent.status === "canceled") {
    throw unexpectedState("setup_intent", "SetupIntent", intent, "cancel")
  }
  intent.status = "canceled"
  intent.cancellation_reason = paramString(ctx.params, "cancellation_reason") ?? null
  engine.emit("setup_intent.canceled", intent)
  return intent
}

const verifyMicrodeposits: Handler = (engine, ctx) => {
  const intent = engine.mustGet(ctx.targetId, "setup_intent", "intent")
  throw invalidRequest(
    `This SetupIntent (status ${String(intent.status)}) is not awaiting microdeposit verification: ` +
      "only us_bank_account setups verified with microdeposits are.",
    undefined,
    "setup_intent_unexpected_state"
  )
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/setup_intents": setupIntentCreate,
  "POST /v1/setup_intents/{intent}/cancel": setupIntentCancel,
  "POST /v1/setup_intents/{intent}/confirm": (engine, ctx) =>
    confirmSetupIntent(engine, engine.mustGet(ctx.targetId, "setup_intent", "intent"), stripExpand(ctx.params)),
  "POST /v1/setup_intents/{intent}/verify_microdeposits": verifyMicrodeposits
}
