/**
 * Billing credits: a credit grant records its grant as a credit balance
 * transaction (`type: credit`), as Stripe does.
 *
 * @internal
 */
import { generic } from "../crud.js"
import type { Handler } from "../engine.js"
import { isObj } from "../json.js"

const creditGrantCreate: Handler = (engine, ctx) => {
  const grant = generic(engine, ctx)
  if (engine.spec.table.schemas["billing.credit_balance_transaction"] !== undefined) {
    engine.create("billing.credit_balance_transaction", {}, {
      credit: {
        amount: isObj(grant.amount) ? grant.amount : null,
        credits_application_invoice_voided: null,
        type: "credits_granted"
      },
      credit_grant: String(grant.id),
      debit: null,
      effective_at: typeof grant.effective_at === "number" ? grant.effective_at : engine.nowSeconds(),
      test_clock: null,
      type: "credit"
    })
  }
  return grant
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/billing/credit_grants": creditGrantCreate
}
