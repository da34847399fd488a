/**
 * PaymentMethods: create (cards), retrieve (test card ids such as
 * `pm_card_visa` resolve to a fresh card), attach to and detach from a
 * customer, and a customer's saved payment methods.
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { resourceMissing } from "../errors.js"
import { paramObject, paramString, stripExpand } from "../params.js"
import { paymentMethodCard, resolvePaymentMethod, testCardOf } from "./testCards.js"

const paymentMethodCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const type = paramString(params, "type") ?? "card"
  const pm = engine.create("payment_method", { ...params, card: "" }, { type, customer: null })
  pm.billing_details = engine.spec.coerce("#billing_details", paramObject(params.billing_details), undefined)
  if (type === "card") {
    const token = paramString(paramObject(params.card), "token") ?? "tok_visa"
    const test = testCardOf(token) ?? testCardOf("tok_visa")
    if (test !== undefined) {
      pm.card = paymentMethodCard(engine, test.card)
      engine.cardBehaviour.set(String(pm.id), test.name)
    }
  }
  return pm
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

const customerPaymentMethod: Handler = (engine, ctx) => {
  const pm = engine.mustGet(ctx.targetId, "payment_method", "payment_method")
  if (pm.customer !== ctx.parentIds[0]) throw resourceMissing("payment_method", String(ctx.targetId), "payment_method")
  return pm
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "GET /v1/customers/{customer}/payment_methods/{payment_method}": customerPaymentMethod,
  "POST /v1/payment_methods": paymentMethodCreate,
  "GET /v1/payment_methods/{payment_method}": (engine, ctx) =>
    resolvePaymentMethod(engine, ctx.targetId ?? "", undefined, "payment_method"),
  "POST /v1/payment_methods/{payment_method}/attach": paymentMethodAttach,
  "POST /v1/payment_methods/{payment_method}/detach": paymentMethodDetach
}
