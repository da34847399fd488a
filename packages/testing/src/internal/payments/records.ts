/**
 * Payment records (payments made outside Stripe, reported to it): reporting
 * a payment makes the record and its first payment attempt record.
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { stripExpand } from "../params.js"

const reportPayment: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const record = engine.create("payment_record", params)
  const attempt = engine.create("payment_attempt_record", params, { payment_record: String(record.id) })
  record.latest_payment_attempt_record = String(attempt.id)
  return record
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/payment_records/report_payment": reportPayment
}
