/**
 * Usage-based billing: meters (with status transitions), v1 meter events
 * (deduplicated by `identifier`), adjustments, and event summaries that
 * aggregate v1 and v2 events per customer with the meter's formula.
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Json } from "../json.js"
import { isObj, toJson } from "../json.js"
import { paramInt, paramObject, paramString, stripExpand } from "../params.js"
import { streamEvents } from "./meterEventStream.js"

const meterCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const now = engine.nowSeconds()
  const meter = engine.create("billing.meter", params, {
    status: "active",
    status_transitions: { deactivated_at: null },
    updated: now
  })
  meter.default_aggregation = { formula: paramString(paramObject(params.default_aggregation), "formula") ?? "sum" }
  const mapping = paramObject(params.customer_mapping)
  meter.customer_mapping = {
    event_payload_key: paramString(mapping, "event_payload_key") ?? "stripe_customer_id",
    type: "by_id"
  }
  meter.value_settings = {
    event_payload_key: paramString(paramObject(params.value_settings), "event_payload_key") ?? "value"
  }
  return meter
}

const meterStatus = (status: "active" | "inactive"): Handler => (engine, ctx) => {
  const meter = engine.mustGet(ctx.targetId, "billing.meter", "id")
  if (meter.status === status) {
    throw invalidRequest(
      `This meter is already ${status}.`,
      undefined,
      status === "active" ? "billing_meter_already_active" : "billing_meter_already_inactive"
    )
  }
  const now = engine.nowSeconds()
  meter.status = status
  meter.updated = now
  meter.status_transitions = { deactivated_at: status === "inactive" ? now : null }
  return meter
}

const meterEventCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const payload = paramObject(params.payload)
  if (Object.keys(payload).length === 0) {
    throw invalidRequest("Missing required param: payload.", "payload", "parameter_missing")
  }
  const identifier = paramString(params, "identifier") ?? engine.ids.prefixed("mev", 20)
  if (engine.all("billing.meter_event").some((e) => e.identifier === identifier)) {
    throw invalidRequest(
      `An event with identifier ${identifier} already exists.`,
      "identifier",
      "billing_meter_event_duplicate_identifier"
    )
  }
  return engine.create("billing.meter_event", params, {
    identifier,
    payload: toJson(payload),
    timestamp: paramInt(params, "timestamp") ?? engine.nowSeconds()
  })
}

const meterEventAdjustmentCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const identifier = paramString(paramObject(params.cancel), "identifier")
  const event = identifier === undefined
    ? undefined
    : engine.all("billing.meter_event").find((e) => e.identifier === identifier)
  return engine.create("billing.meter_event_adjustment", params, {
    status: event === undefined ? "pending" : "complete"
  })
}

const meterEventSummaries: Handler = (engine, ctx) => {
  const meter = engine.mustGet(ctx.parentIds[0] ?? ctx.targetId, "billing.meter", "id")
  const params = ctx.params
  const customer = paramString(params, "customer") ?? ""
  const start = paramInt(params, "start_time") ?? 0
  const end = paramInt(params, "end_time") ?? engine.nowSeconds() + 1
  const mapping = isObj(meter.customer_mapping)
    ? String(meter.customer_mapping.event_payload_key)
    : "stripe_customer_id"
  const valueKey = isObj(meter.value_settings) ? String(meter.value_settings.event_payload_key) : "value"
  const formula = isObj(meter.default_aggregation) ? meter.default_aggregation.formula : "sum"
  const cancelled = new Set(
    engine.all("billing.meter_event_adjustment").map((a) => (isObj(a.cancel) ? a.cancel.identifier : null))
  )
  const values: Array<number> = []
  const consider = (identifier: Json | undefined, name: Json | undefined, payload: Json | undefined, ts: number) => {
    if (name !== meter.event_name || !isObj(payload) || payload[mapping] !== customer) return
    if (ts < start || ts >= end || cancelled.has(identifier ?? null)) return
    values.push(Number(payload[valueKey] ?? 1))
  }
  for (const e of engine.all("billing.meter_event")) {
    consider(e.identifier, e.event_name, e.payload, Number(e.timestamp))
  }
  for (const e of streamEvents(engine)) {
    const ts = typeof e.timestamp === "string" ? Math.floor(Date.parse(e.timestamp) / 1000) : engine.nowSeconds()
    consider(e.identifier, e.event_name, e.payload, ts)
  }
  const aggregated = formula === "count"
    ? values.length
    : formula === "last"
    ? (values[values.length - 1] ?? 0)
    : values.reduce((a, b) => a + b, 0)
  const summary = engine.spec.template("billing.meter_event_summary")
  Object.assign(summary, {
    id: engine.ids.id("billing.meter_event_summary"),
    aggregated_value: aggregated,
    end_time: end,
    livemode: false,
    meter: String(meter.id),
    start_time: start
  })
  return { object: "list", data: [summary], has_more: false, url: ctx.path }
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/billing/meter_event_adjustments": meterEventAdjustmentCreate,
  "POST /v1/billing/meter_events": meterEventCreate,
  "POST /v1/billing/meters": meterCreate,
  "POST /v1/billing/meters/{id}/deactivate": meterStatus("inactive"),
  "GET /v1/billing/meters/{id}/event_summaries": meterEventSummaries,
  "POST /v1/billing/meters/{id}/reactivate": meterStatus("active")
}
