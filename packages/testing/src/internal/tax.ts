/**
 * Stripe Tax: calculations (line items, totals; the emulator computes no tax,
 * as for an account without tax registrations) and the transactions recorded
 * from them, with reversals.
 *
 * @internal
 */
import type { Engine, Handler } from "./engine.js"
import { invalidRequest } from "./errors.js"
import type { Json, Obj } from "./json.js"
import { listData } from "./json.js"
import { paramArray, paramInt, paramObject, paramString, stripExpand } from "./params.js"

const lineList = (engine: Engine, type: string, items: ReadonlyArray<Obj>, url: string): Obj => ({
  object: "list",
  data: items.map((item) => {
    const line = engine.spec.template(type)
    Object.assign(line, item, { id: engine.ids.id(type), livemode: false, object: type })
    return line
  }),
  has_more: false,
  url
})

const calculationCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const items: Array<Obj> = paramArray(params, "line_items").map(paramObject).map((item, i) => {
    const amount = paramInt(item, "amount")
    if (amount === undefined) {
      throw invalidRequest(
        `Missing required param: line_items[${i}][amount].`,
        `line_items[${i}][amount]`,
        "parameter_missing"
      )
    }
    return {
      amount,
      amount_tax: 0,
      product: paramString(item, "product") ?? null,
      quantity: paramInt(item, "quantity") ?? 1,
      reference: paramString(item, "reference") ?? null,
      tax_behavior: paramString(item, "tax_behavior") ?? "exclusive",
      tax_breakdown: [],
      tax_code: paramString(item, "tax_code") ?? "txcd_10000000"
    }
  })
  const total = items.reduce((n, i) => n + Number(i.amount ?? 0), 0)
  const now = engine.nowSeconds()
  const calculation = engine.create("tax.calculation", { ...params, line_items: "" }, {
    amount_total: total,
    expires_at: now + 90 * 86400,
    tax_amount_exclusive: 0,
    tax_amount_inclusive: 0,
    tax_breakdown: [],
    tax_date: paramInt(params, "tax_date") ?? now
  })
  calculation.line_items = lineList(
    engine,
    "tax.calculation_line_item",
    items,
    `/v1/tax/calculations/${String(calculation.id)}/line_items`
  )
  return calculation
}

const transactionLines = (engine: Engine, lines: ReadonlyArray<Json>, id: string, reversal: boolean): Obj =>
  lineList(
    engine,
    "tax.transaction_line_item",
    lines.flatMap((l) => {
      if (l === null || typeof l !== "object" || Array.isArray(l)) return []
      const amount = Number(l.amount ?? 0)
      return [{
        amount: reversal ? -amount : amount,
        amount_tax: 0,
        metadata: {},
        product: l.product ?? null,
        quantity: l.quantity ?? 1,
        reference: l.reference ?? "",
        reversal: reversal ? { original_line_item: String(l.id) } : null,
        tax_behavior: l.tax_behavior ?? "exclusive",
        tax_code: l.tax_code ?? "txcd_10000000",
        type: reversal ? "reversal" : "transaction"
      }]
    }),
    `/v1/tax/transactions/${id}/line_items`
  )

const fromCalculation: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const calculation = engine.mustGet(paramString(params, "calculation"), "tax.calculation", "calculation")
  const transaction = engine.create("tax.transaction", { metadata: params.metadata ?? {} }, {
    currency: calculation.currency ?? "usd",
    customer: calculation.customer ?? null,
    customer_details: calculation.customer_details ?? null,
    reference: paramString(params, "reference") ?? "",
    reversal: null,
    shipping_cost: null,
    tax_date: calculation.tax_date ?? engine.nowSeconds(),
    type: "transaction"
  })
  transaction.line_items = transactionLines(engine, listData(calculation.line_items), String(transaction.id), false)
  return transaction
}

const reversal: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const original = engine.mustGet(
    paramString(params, "original_transaction"),
    "tax.transaction",
    "original_transaction"
  )
  const transaction = engine.create("tax.transaction", { metadata: params.metadata ?? {} }, {
    currency: original.currency ?? "usd",
    customer: original.customer ?? null,
    customer_details: original.customer_details ?? null,
    reference: paramString(params, "reference") ?? "",
    reversal: { original_transaction: String(original.id) },
    shipping_cost: null,
    tax_date: engine.nowSeconds(),
    type: "reversal"
  })
  transaction.line_items = transactionLines(engine, listData(original.line_items), String(transaction.id), true)
  return transaction
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/tax/calculations": calculationCreate,
  "POST /v1/tax/transactions/create_from_calculation": fromCalculation,
  "POST /v1/tax/transactions/create_reversal": reversal
}
