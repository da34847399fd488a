/**
 * The customer portal: a default configuration, and sessions with a
 * single-use URL (and optional flows).
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import type { Obj } from "../json.js"
import { paramObject, paramString, stripExpand } from "../params.js"

const defaultConfiguration = (engine: Engine): Obj => {
  const existing = engine.all("billing_portal.configuration").find((c) => c.is_default === true)
  if (existing !== undefined) return existing
  return engine.create("billing_portal.configuration", {}, {
    active: true,
    is_default: true,
    updated: engine.nowSeconds()
  })
}

const configurationCreate: Handler = (engine, ctx) =>
  engine.create("billing_portal.configuration", stripExpand(ctx.params), {
    active: true,
    is_default: engine.all("billing_portal.configuration").length === 0,
    updated: engine.nowSeconds()
  })

const sessionCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const customer = paramString(params, "customer") ?? ""
  engine.mustGet(customer, "customer", "customer")
  const configuration = paramString(params, "configuration") ?? String(defaultConfiguration(engine).id)
  const session = engine.create("billing_portal.session", { ...params, flow_data: "" }, {
    configuration,
    customer,
    locale: paramString(params, "locale") ?? null,
    on_behalf_of: paramString(params, "on_behalf_of") ?? null,
    return_url: paramString(params, "return_url") ?? null,
    url: `https://billing.stripe.com/p/session/test_${engine.ids.random(40)}`
  })
  const flow = paramObject(params.flow_data)
  if (Object.keys(flow).length > 0) {
    session.flow = engine.spec.coerce("#portal_flows_flow", {
      ...flow,
      after_completion: flow.after_completion ?? { type: "portal_homepage" }
    }, undefined)
  }
  return session
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/billing_portal/configurations": configurationCreate,
  "POST /v1/billing_portal/sessions": sessionCreate
}
