/**
 * Subscription schedules: phased schedules (starting now, with a subscription,
 * or later), schedules from an existing subscription, cancel and release.
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Json } from "../json.js"
import { isObj, listData } from "../json.js"
import type { Params } from "../params.js"
import { paramArray, paramInt, paramObject, paramString, stripExpand } from "../params.js"
import { priceFor } from "./catalog.js"
import { addInterval } from "./periods.js"
import { cancelSubscription, createSubscriptionFrom } from "./subscriptions.js"

const schedulePhases = (engine: Engine, params: Params, start: number, currency: string | undefined): Array<Json> => {
  let cursor = start
  return paramArray(params, "phases").map(paramObject).map((phase, i) => {
    const items = paramArray(phase, "items").map(paramObject)
    const prices = items.map((item, j) => priceFor(engine, item, currency, `phases[${i}][items][${j}][price]`))
    const iterations = paramInt(phase, "iterations")
    const phaseStart = paramInt(phase, "start_date") ?? cursor
    // `duration` (API versions from 2025) replaces `iterations`.
    const duration = isObj(phase.duration) ? phase.duration : undefined
    const end = paramInt(phase, "end_date") ?? (duration === undefined
      ? addInterval(phaseStart, prices[0]?.recurring, iterations ?? 1)
      : addInterval(phaseStart, {
        interval: paramString(duration, "interval") ?? "month",
        interval_count: paramInt(duration, "interval_count") ?? 1
      }))
    cursor = end
    const out = engine.spec.template("subscription_schedule_phase_configuration")
    engine.spec.merge("subscription_schedule_phase_configuration", out, { ...phase, items: "", add_invoice_items: "" })
    out.currency = String(prices[0]?.currency ?? currency ?? "usd")
    out.proration_behavior = paramString(phase, "proration_behavior") ?? "create_prorations"
    out.start_date = phaseStart
    out.end_date = end
    out.items = items.map((item, j) => {
      const config = engine.spec.template("subscription_schedule_configuration_item")
      engine.spec.merge("subscription_schedule_configuration_item", config, { ...item, price: "" })
      config.price = prices[j].id ?? ""
      config.quantity = paramInt(item, "quantity") ?? 1
      return config
    })
    return out
  })
}

const fromSubscription = (engine: Engine, subId: string) => {
  const now = engine.nowSeconds()
  const sub = engine.mustGet(subId, "subscription", "from_subscription")
  const items = listData(sub.items).filter(isObj)
  const start = Number(sub.current_period_start ?? now)
  const end = Number(sub.current_period_end ?? now)
  const schedule = engine.create("subscription_schedule", { end_behavior: "release" }, {
    customer: sub.customer ?? "",
    status: "active",
    subscription: sub.id ?? null,
    current_phase: { start_date: start, end_date: end }
  })
  schedule.phases = schedulePhases(
    engine,
    {
      phases: [{
        items: items.map((item) => ({
          price: isObj(item.price) ? String(item.price.id) : "",
          quantity: String(item.quantity ?? 1)
        })),
        start_date: String(start),
        end_date: String(end)
      }]
    },
    start,
    undefined
  )
  schedule.default_settings = engine.spec.template("subscription_schedules_resource_default_settings")
  sub.schedule = schedule.id ?? null
  engine.emit("subscription_schedule.created", schedule)
  return schedule
}

const scheduleCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const now = engine.nowSeconds()
  const fromSub = paramString(params, "from_subscription")
  const customer = paramString(params, "customer")
  if (fromSub !== undefined && customer !== undefined) {
    throw invalidRequest(
      "You cannot set `customer` when `from_subscription` is set.",
      "customer",
      "parameter_invalid_empty"
    )
  }
  if (fromSub !== undefined) return fromSubscription(engine, fromSub)
  if (customer === undefined) throw invalidRequest("Missing required param: customer.", "customer", "parameter_missing")
  engine.mustGet(customer, "customer", "customer")
  if (paramArray(params, "phases").length === 0) {
    throw invalidRequest("Missing required param: phases.", "phases", "parameter_missing")
  }
  const startRaw = params.start_date
  const start = startRaw === "now" || startRaw === undefined ? now : paramInt(params, "start_date") ?? now
  const phases = schedulePhases(engine, params, start, undefined)
  const schedule = engine.create("subscription_schedule", { ...params, phases: "", start_date: "" }, {
    customer,
    end_behavior: paramString(params, "end_behavior") ?? "release",
    status: start <= now ? "active" : "not_started"
  })
  schedule.phases = phases
  if (start <= now) {
    const first = phases[0]
    const firstItems = isObj(first) && Array.isArray(first.items) ? first.items.filter(isObj) : []
    const sub = createSubscriptionFrom(
      engine,
      customer,
      firstItems.map((i) => ({ price: String(i.price), quantity: String(i.quantity ?? 1) })),
      {},
      schedule.id ?? null
    )
    schedule.subscription = sub.id ?? null
    if (isObj(first)) {
      schedule.current_phase = { start_date: Number(first.start_date), end_date: Number(first.end_date) }
    }
  }
  engine.emit("subscription_schedule.created", schedule)
  return schedule
}

const ending = (action: "cancel" | "release"): Handler => (engine, ctx) => {
  const schedule = engine.mustGet(ctx.targetId, "subscription_schedule", "schedule")
  if (schedule.status !== "active" && schedule.status !== "not_started") {
    throw invalidRequest(
      `You cannot ${action} a subscription schedule whose status is ${String(schedule.status)}.`,
      undefined,
      "subscription_schedule_invalid_state"
    )
  }
  const now = engine.nowSeconds()
  if (action === "cancel") {
    schedule.status = "canceled"
    schedule.canceled_at = now
    if (typeof schedule.subscription === "string") {
      const sub = engine.get(schedule.subscription)
      if (sub !== undefined && sub.status !== "canceled") cancelSubscription(engine, sub, {})
    }
  } else {
    schedule.status = "released"
    schedule.released_at = now
    schedule.released_subscription = typeof schedule.subscription === "string" ? schedule.subscription : null
    schedule.subscription = null
  }
  schedule.current_phase = null
  engine.emit(`subscription_schedule.${action === "cancel" ? "canceled" : "released"}`, schedule)
  return schedule
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/subscription_schedules": scheduleCreate,
  "POST /v1/subscription_schedules/{schedule}/cancel": ending("cancel"),
  "POST /v1/subscription_schedules/{schedule}/release": ending("release")
}
