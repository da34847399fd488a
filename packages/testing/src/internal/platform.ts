/**
 * The account's developer tools: file uploads (and their hosted URLs),
 * webhook endpoints (the signing secret, shown once), and test clocks.
 *
 * @internal
 */
import type { Handler } from "./engine.js"
import { invalidRequest } from "./errors.js"
import { paramInt, paramObject, paramString, stripExpand } from "./params.js"

const fileCreate: Handler = (engine, ctx) => {
  const params = ctx.params
  const file = paramObject(params.file)
  const filename = typeof file.filename === "string" ? file.filename : "upload"
  const created = engine.create("file", { purpose: params.purpose ?? "" }, {
    filename,
    size: typeof file.size === "number" ? file.size : 0,
    title: null,
    type: filename.includes(".") ? filename.split(".").pop() ?? null : null
  })
  created.url = `https://files.stripe.com/v1/files/${String(created.id)}/contents`
  return created
}

const webhookEndpointCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const endpoint = engine.create("webhook_endpoint", params, {
    api_version: paramString(params, "api_version") ?? null,
    status: "enabled"
  })
  delete endpoint.secret
  const secret = `whsec_${engine.ids.random(32)}`
  engine.registerWebhookSecret(String(endpoint.id), secret)
  // Stripe returns the secret only in the create response.
  return { ...endpoint, secret }
}

const testClockCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const frozen = paramInt(params, "frozen_time") ?? engine.nowSeconds()
  return engine.create("test_helpers.test_clock", params, {
    deletes_after: frozen + 30 * 86400,
    frozen_time: frozen,
    status: "ready"
  })
}

const testClockAdvance: Handler = (engine, ctx) => {
  const clock = engine.mustGet(ctx.targetId, "test_helpers.test_clock", "test_clock")
  const frozen = paramInt(ctx.params, "frozen_time") ?? 0
  if (frozen <= Number(clock.frozen_time ?? 0)) {
    throw invalidRequest("The test clock can only be advanced forward.", "frozen_time", "parameter_invalid_integer")
  }
  clock.frozen_time = frozen
  clock.status = "ready"
  engine.emit("test_helpers.test_clock.ready", clock)
  return clock
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/files": fileCreate,
  "POST /v1/test_helpers/test_clocks": testClockCreate,
  "POST /v1/test_helpers/test_clocks/{test_clock}/advance": testClockAdvance,
  "POST /v1/webhook_endpoints": webhookEndpointCreate
}
