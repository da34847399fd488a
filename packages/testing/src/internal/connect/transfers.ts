/**
 * Moving money to connected accounts: transfers and their reversals, and the
 * application fees a platform collects on destination charges, with refunds.
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Obj } from "../json.js"
import { emptyList, isObj, listData } from "../json.js"
import { paramInt, paramString, stripExpand } from "../params.js"
import { balanceTransaction } from "../payments/balance.js"

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
  )
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
  listData(transfer.reversals).unshift(reversal)
  engine.emit("transfer.reversed", transfer)
  return reversal
}

const refundFee = (engine: Engine, fee: Obj, amountParam: number | undefined): Obj => {
  const remaining = Number(fee.amount ?? 0) - Number(fee.amount_refunded ?? 0)
  const amount = amountParam ?? remaining
  if (amount > remaining || amount <= 0) {
    throw invalidRequest(
      `Refund amount (${amount}) is greater than the unrefunded amount of the fee (${remaining}).`,
      "amount",
      "amount_too_large"
    )
  }
  const refund = engine.create("fee_refund", {}, {
    amount,
    currency: fee.currency ?? "usd",
    fee: String(fee.id)
  })
  refund.balance_transaction = balanceTransaction(
    engine,
    "application_fee_refund",
    -amount,
    fee.currency,
    refund.id ?? null
  )
  fee.amount_refunded = Number(fee.amount_refunded ?? 0) + amount
  fee.refunded = fee.amount_refunded === fee.amount
  if (isObj(fee.refunds)) {
    const data = listData(fee.refunds)
    data.unshift(refund)
    fee.refunds = { ...fee.refunds, data, total_count: data.length }
  }
  engine.emit("application_fee.refunded", fee)
  return refund
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/application_fees/{id}/refund": (engine, ctx) => {
    const fee = engine.mustGet(ctx.targetId, "application_fee", "id")
    refundFee(engine, fee, paramInt(ctx.params, "amount"))
    return fee
  },
  "POST /v1/application_fees/{id}/refunds": (engine, ctx) =>
    refundFee(engine, engine.mustGet(ctx.parentIds[0], "application_fee", "id"), paramInt(ctx.params, "amount")),
  "POST /v1/transfers": transferCreate,
  "POST /v1/transfers/{id}/reversals": transferReversalCreate
}
