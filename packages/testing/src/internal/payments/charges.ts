/**
 * Charges, refunds and disputes: direct charges and their capture, refunds
 * of a payment intent or a charge (partial ones add up), and the disputes a
 * disputed test card opens, which can be updated with evidence or closed.
 *
 * @internal
 */
import type { Ctx, Engine, Handler } from "../engine.js"
import { invalidRequest, resourceMissing } from "../errors.js"
import type { Obj } from "../json.js"
import { isObj } from "../json.js"
import { paramBool, paramInt, paramString, stripExpand } from "../params.js"
import { balanceTransaction } from "./balance.js"
import { createCharge } from "./paymentIntents.js"
import { behaviourOf, cardFailure, resolvePaymentMethod } from "./testCards.js"

const chargeCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const source = paramString(params, "source") ?? "tok_visa"
  const pm = resolvePaymentMethod(engine, source, params.customer, "source")
  const direct: Obj = {
    amount: paramInt(params, "amount") ?? 0,
    currency: paramString(params, "currency") ?? "usd",
    customer: paramString(params, "customer") ?? null,
    description: paramString(params, "description") ?? null,
    id: null
  }
  const decline = behaviourOf(engine, String(pm.id))?.decline
  const capture = paramBool(params, "capture") ?? true
  const charge = createCharge(engine, direct, pm, decline === undefined ? "succeeded" : "failed", capture)
  charge.payment_intent = null
  engine.spec.merge("charge", charge, { metadata: params.metadata ?? {} })
  if (decline !== undefined) throw cardFailure(decline, { charge: charge.id ?? null })
  return charge
}

const chargeCapture: Handler = (engine, ctx) => {
  const charge = engine.mustGet(ctx.targetId, "charge", "charge")
  if (charge.captured === true) {
    throw invalidRequest(`Charge ${String(charge.id)} has already been captured.`, undefined, "charge_already_captured")
  }
  const amount = paramInt(ctx.params, "amount") ?? Number(charge.amount ?? 0)
  charge.captured = true
  charge.amount_captured = amount
  charge.balance_transaction = balanceTransaction(engine, "charge", amount, charge.currency, charge.id ?? null)
  engine.emit("charge.captured", charge)
  return charge
}

const refundOf = (engine: Engine, charge: Obj, intent: Obj | undefined, params: Record<string, unknown>) => {
  if (charge.status !== "succeeded") {
    throw invalidRequest("This charge cannot be refunded.", "charge", "charge_not_refundable")
  }
  const charged = typeof charge.amount === "number" ? charge.amount : 0
  const already = typeof charge.amount_refunded === "number" ? charge.amount_refunded : 0
  const remaining = charged - already
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${String(charge.id)} has already been refunded.`, undefined, "charge_already_refunded")
  }
  const amount = typeof params.amount === "number" ? params.amount : remaining
  if (amount > remaining || amount <= 0) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
      "amount",
      "amount_too_large"
    )
  }
  return amount
}

const refund = (engine: Engine, ctx: Ctx, charge: Obj, intent: Obj | undefined): Obj => {
  const params = stripExpand(ctx.params)
  const amount = refundOf(engine, charge, intent, { amount: paramInt(params, "amount") })
  const created = engine.create("refund", { ...params, charge: "", payment_intent: "" }, {
    amount,
    charge: charge.id ?? null,
    currency: charge.currency ?? "usd",
    destination_details: { card: { type: "refund" }, type: "card" },
    payment_intent: intent?.id ?? charge.payment_intent ?? null,
    status: "succeeded"
  })
  created.balance_transaction = balanceTransaction(engine, "refund", -amount, created.currency, created.id ?? null)
  const already = Number(charge.amount_refunded ?? 0)
  charge.amount_refunded = already + amount
  charge.refunded = already + amount >= Number(charge.amount ?? 0)
  engine.emit("refund.created", created)
  engine.emit("charge.refunded", charge)
  return created
}

const refundCreate: Handler = (engine, ctx) => {
  const params = ctx.params
  const piId = paramString(params, "payment_intent")
  const chargeId = paramString(params, "charge")
  if (piId === undefined && chargeId === undefined) {
    throw invalidRequest("One of `charge` or `payment_intent` is required.", "payment_intent", "parameter_missing")
  }
  if (piId !== undefined) {
    const intent = engine.mustGet(piId, "payment_intent", "payment_intent")
    const charge = typeof intent.latest_charge === "string" ? engine.get(intent.latest_charge) : undefined
    if (intent.status !== "succeeded" || charge === undefined) {
      throw invalidRequest(
        `This PaymentIntent (${piId}) does not have a successful charge to refund.`,
        "payment_intent",
        "charge_not_refundable"
      )
    }
    return refund(engine, ctx, charge, intent)
  }
  return refund(engine, ctx, engine.mustGet(chargeId, "charge", "charge"), undefined)
}

const chargeRefundCreate: Handler = (engine, ctx) =>
  refund(engine, ctx, engine.mustGet(ctx.parentIds[0], "charge", "charge"), undefined)

// The legacy `POST /v1/charges/{charge}/refund`: refunds, and answers with the charge.
const chargeRefundLegacy: Handler = (engine, ctx) => {
  const charge = engine.mustGet(ctx.targetId, "charge", "charge")
  refund(engine, ctx, charge, undefined)
  return charge
}

const refundCancel: Handler = (engine, ctx) => {
  const found = engine.mustGet(ctx.targetId, "refund", "refund")
  if (found.status !== "requires_action" && found.status !== "pending") {
    throw invalidRequest(
      `Refund ${String(found.id)} has a status of ${String(found.status)} and cannot be canceled.`,
      undefined,
      "refund_unexpected_state"
    )
  }
  found.status = "canceled"
  engine.emit("refund.updated", found)
  return found
}

// ------------------------------------------------------------------ disputes

/** Opens a dispute on a successful charge (the `pm_card_createDispute` test card). @internal */
export const openDispute = (engine: Engine, charge: Obj): Obj => {
  const details = isObj(charge.payment_method_details) && isObj(charge.payment_method_details.card)
    ? charge.payment_method_details.card
    : {}
  const dispute = engine.create("dispute", {}, {
    amount: charge.amount ?? 0,
    balance_transactions: [],
    charge: charge.id ?? "",
    currency: charge.currency ?? "usd",
    evidence: engine.spec.template("dispute_evidence"),
    evidence_details: {
      due_by: engine.nowSeconds() + 7 * 86400,
      has_evidence: false,
      past_due: false,
      submission_count: 0
    },
    is_charge_refundable: false,
    payment_intent: charge.payment_intent ?? null,
    payment_method_details: { card: { brand: details.brand ?? "visa", network_reason_code: "10.4" }, type: "card" },
    reason: "fraudulent",
    status: "needs_response"
  })
  charge.disputed = true
  engine.emit("charge.dispute.created", dispute)
  return dispute
}

const disputeOfCharge = (engine: Engine, chargeId: string | undefined): Obj => {
  const charge = engine.mustGet(chargeId, "charge", "charge")
  const dispute = engine.all("dispute").find((d) => d.charge === charge.id)
  if (dispute === undefined) throw resourceMissing("dispute", `for charge ${String(charge.id)}`, "charge")
  return dispute
}

const closeDispute = (engine: Engine, dispute: Obj): Obj => {
  if (dispute.status === "lost" || dispute.status === "won") {
    throw invalidRequest("This dispute is already closed.", undefined, "dispute_already_closed")
  }
  dispute.status = "lost"
  dispute.is_charge_refundable = false
  engine.emit("charge.dispute.closed", dispute)
  return dispute
}

const updateDispute = (engine: Engine, dispute: Obj, params: Record<string, unknown>, ctx: Ctx): Obj => {
  engine.update("dispute", dispute, { ...stripExpand(ctx.params), submit: "" }, false)
  const evidence = isObj(dispute.evidence_details) ? dispute.evidence_details : {}
  if (params.evidence !== undefined) dispute.evidence_details = { ...evidence, has_evidence: true }
  if (paramBool(ctx.params, "submit") === true) {
    dispute.status = "under_review"
    dispute.evidence_details = {
      ...evidence,
      has_evidence: true,
      submission_count: Number(evidence.submission_count ?? 0) + 1
    }
  }
  engine.emit("charge.dispute.updated", dispute)
  return dispute
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/charges": chargeCreate,
  "POST /v1/charges/{charge}/capture": chargeCapture,
  "GET /v1/charges/{charge}/dispute": (engine, ctx) => disputeOfCharge(engine, ctx.parentIds[0] ?? ctx.targetId),
  "POST /v1/charges/{charge}/dispute": (engine, ctx) =>
    updateDispute(engine, disputeOfCharge(engine, ctx.parentIds[0] ?? ctx.targetId), ctx.params, ctx),
  "POST /v1/charges/{charge}/dispute/close": (engine, ctx) =>
    closeDispute(engine, disputeOfCharge(engine, ctx.parentIds[0] ?? ctx.targetId)),
  "POST /v1/charges/{charge}/refund": chargeRefundLegacy,
  "POST /v1/charges/{charge}/refunds": chargeRefundCreate,
  "POST /v1/disputes/{dispute}": (engine, ctx) =>
    updateDispute(engine, engine.mustGet(ctx.targetId, "dispute", "dispute"), ctx.params, ctx),
  "POST /v1/disputes/{dispute}/close": (engine, ctx) =>
    closeDispute(engine, engine.mustGet(ctx.targetId, "dispute", "dispute")),
  "POST /v1/refunds": refundCreate,
  "POST /v1/refunds/{refund}/cancel": refundCancel
}
