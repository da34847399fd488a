/**
 * Money movement: balance transactions for charges, refunds and transfers,
 * and the balance they add up to.
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import type { Json } from "../json.js"

/** Records a balance transaction so `/v1/balance_transactions` and `/v1/balance` add up. @internal */
export const balanceTransaction = (
  engine: Engine,
  type: string,
  amount: number,
  currency: Json | undefined,
  source: Json
): string => {
  const now = engine.nowSeconds()
  const txn = engine.create("balance_transaction", {}, {
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
  return String(txn.id)
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
  const balance = engine.spec.template("balance")
  balance.available = [amount(net)]
  balance.pending = [amount(0)]
  if (Array.isArray(balance.connect_reserved)) balance.connect_reserved = [{ amount: 0, currency: "usd" }]
  return balance
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "GET /v1/balance": balanceRetrieve
}
