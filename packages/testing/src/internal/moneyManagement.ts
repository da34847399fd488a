/**
 * v2 money management: an outbound setup intent given `payout_method_data`
 * makes the payout method it sets up (a bank account or a card), as Stripe
 * does.
 *
 * @internal
 */
import { generic } from "./crud.js"
import type { Handler } from "./engine.js"
import { isObj } from "./json.js"

const outboundSetupIntentCreate: Handler = (engine, ctx) => {
  const data = ctx.params.payout_method_data
  const intent = generic(engine, ctx)
  if (isObj(data)) {
    const type = typeof data.type === "string" ? data.type : "bank_account"
    const method = engine.create("v2.money_management.payout_method", {}, {
      archived: false,
      restricted: false,
      type,
      usage_status: { payments: "eligible", transfers: "eligible" }
    })
    intent.payout_method = method
    intent.status = "succeeded"
  }
  return intent
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v2/money_management/outbound_setup_intents": outboundSetupIntentCreate
}
