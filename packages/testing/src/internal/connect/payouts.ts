/**
 * Payouts: create (pending, arriving in two days), cancel while pending, and
 * reverse (a new payout that undoes the first).
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import { paramString, stripExpand } from "../params.js"

const payoutCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const payout = engine.create("payout", params, {
    arrival_date: engine.nowSeconds() + 2 * 86400,
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

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/payouts": payoutCreate,
  "POST /v1/payouts/{payout}/cancel": payoutCancel,
  "POST /v1/payouts/{payout}/reverse": payoutReverse
}
