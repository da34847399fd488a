/**
 * Tokens and the legacy Sources API: a token's `type` is what it was made
 * from (a card, a bank account, PII, an account or a person); a source's
 * `flow` follows its type (`receiver` for credit transfers, `redirect` for
 * redirect-based methods, else `none`).
 *
 * @internal
 */
import { generic } from "../crud.js"
import type { Handler } from "../engine.js"

const tokenKinds = ["card", "bank_account", "pii", "account", "person", "cvc_update"] as const

const tokenCreate: Handler = (engine, ctx) => {
  const kind = tokenKinds.find((k) => ctx.params[k] !== undefined) ?? "card"
  return engine.create("token", ctx.params, { type: kind, used: false, client_ip: null })
}

const receiverTypes: ReadonlySet<string> = new Set(["ach_credit_transfer", "multibanco"])
const redirectTypes: ReadonlySet<string> = new Set(["alipay", "bancontact", "eps", "giropay", "ideal", "p24", "sofort"])

const sourceCreate: Handler = (engine, ctx) => {
  const source = generic(engine, ctx)
  const type = String(source.type)
  if (typeof ctx.params.flow !== "string") {
    source.flow = receiverTypes.has(type) ? "receiver" : redirectTypes.has(type) ? "redirect" : "none"
  }
  return engine.spec.fillTagged("source", source)
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/tokens": tokenCreate,
  "POST /v1/sources": sourceCreate
}
