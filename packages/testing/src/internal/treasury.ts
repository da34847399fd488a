/**
 * Treasury: every money movement of a financial account (a received credit
 * or debit, an inbound or outbound transfer, an outbound payment, a
 * reversal) is recorded as a transaction with one transaction entry, as
 * Stripe does; the flow links back to its transaction.
 *
 * @internal
 */
import type { Engine } from "./engine.js"
import type { Obj } from "./json.js"

const flows: ReadonlySet<string> = new Set([
  "treasury.credit_reversal",
  "treasury.debit_reversal",
  "treasury.inbound_transfer",
  "treasury.outbound_payment",
  "treasury.outbound_transfer",
  "treasury.received_credit",
  "treasury.received_debit"
])

// Money that leaves the account: a negative balance impact.
const outgoing: ReadonlySet<string> = new Set([
  "treasury.debit_reversal",
  "treasury.outbound_payment",
  "treasury.outbound_transfer",
  "treasury.received_debit"
])

/**
 * Records the transaction of a new flow, if the object is one.
 *
 * @internal
 */
export const recordFlow = (engine: Engine, type: string, flow: Obj): void => {
  if (!flows.has(type) || engine.spec.table.schemas["treasury.transaction"] === undefined) return
  const flowType = type.slice("treasury.".length)
  const amount = typeof flow.amount === "number" ? flow.amount : 0
  const signed = outgoing.has(type) ? -amount : amount
  const now = engine.nowSeconds()
  const common = {
    currency: typeof flow.currency === "string" ? flow.currency : "usd",
    financial_account: typeof flow.financial_account === "string" ? flow.financial_account : "",
    flow: String(flow.id),
    flow_type: flowType
  }
  const transaction = engine.create("treasury.transaction", {}, {
    ...common,
    amount: signed,
    balance_impact: { cash: signed, inbound_pending: 0, outbound_pending: 0 },
    description: typeof flow.description === "string" ? flow.description : flowType,
    status: "posted",
    status_transitions: { posted_at: now, void_at: null }
  })
  engine.create("treasury.transaction_entry", {}, {
    ...common,
    balance_impact: { cash: signed, inbound_pending: 0, outbound_pending: 0 },
    effective_at: now,
    transaction: String(transaction.id),
    type: flowType
  })
  if (engine.spec.hasField(type, "transaction")) flow.transaction = String(transaction.id)
}
