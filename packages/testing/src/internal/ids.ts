/**
 * Deterministic ids with Stripe's prefixes.
 *
 * @internal
 */

const prefixes: Readonly<Record<string, string>> = {
  "account": "acct",
  "application_fee": "fee",
  "balance_transaction": "txn",
  "bank_account": "ba",
  "billing.meter": "mtr",
  "billing.meter_event_adjustment": "mtradj",
  "billing_portal.configuration": "bpc",
  "billing_portal.session": "bps",
  "card": "card",
  "charge": "ch",
  "checkout.session": "cs_test",
  "coupon": "co",
  "credit_note": "cn",
  "credit_note_line_item": "cnli",
  "customer": "cus",
  "customer_balance_transaction": "cbtxn",
  "customer_cash_balance_transaction": "ccsbtxn",
  "discount": "di",
  "dispute": "dp",
  "entitlements.active_entitlement": "ent",
  "entitlements.feature": "feat",
  "event": "evt",
  "fee_refund": "fr",
  "file": "file",
  "file_link": "link",
  "invoice": "in",
  "invoiceitem": "ii",
  "item": "li",
  "line_item": "il",
  "mandate": "mandate",
  "payment_intent": "pi",
  "payment_method": "pm",
  "payout": "po",
  "person": "person",
  "price": "price",
  "product": "prod",
  "promotion_code": "promo",
  "quote": "qt",
  "refund": "re",
  "setup_attempt": "setatt",
  "setup_intent": "seti",
  "source": "src",
  "subscription": "sub",
  "subscription_item": "si",
  "subscription_schedule": "sub_sched",
  "tax.calculation": "taxcalc",
  "tax.calculation_line_item": "tax_li",
  "tax.transaction": "tax",
  "tax.transaction_line_item": "tax_li",
  "tax_id": "txi",
  "tax_rate": "txr",
  "test_helpers.test_clock": "clock",
  "transfer": "tr",
  "transfer_reversal": "trr",
  "usage_record": "mbur",
  "usage_record_summary": "sis",
  "webhook_endpoint": "we"
}

/** @internal */
export const prefixFor = (type: string): string => {
  const known = prefixes[type]
  if (known !== undefined) return known
  const last = type.split(".").pop() ?? type
  return last.replace(/[^a-z]/g, "").slice(0, 4) || "obj"
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same ids, which
 * keeps snapshots and logs stable across runs.
 *
 * @internal
 */
export class IdGenerator {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  random(length: number): string {
    let out = ""
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)]
    return out
  }
  id(type: string): string {
    return `${prefixFor(type)}_${this.random(24)}`
  }
  prefixed(prefix: string, length = 24): string {
    return `${prefix}_${this.random(length)}`
  }
}
