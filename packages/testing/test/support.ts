/**
 * Test support: a raw Stripe wire client over anything that handles an
 * emulator request (the in-memory emulator or `fetch` to the loopback server).
 */
import type { Emulator } from "@lattice-stripe/testing"

export type Params = { readonly [key: string]: unknown }

const encodeInto = (out: Array<string>, key: string, value: unknown) => {
  if (value === undefined) return
  if (value === null) {
    out.push(`${encodeURIComponent(key)}=`)
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => encodeInto(out, `${key}[${i}]`, v))
  } else if (typeof value === "object") {
    for (const [k, v] of Object.entries(value)) encodeInto(out, `${key}[${k}]`, v)
  } else {
    out.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
  }
}

/** Stripe's form encoding, written independently of core's encoder. */
export const encode = (params: Params): string => {
  const out: Array<string> = []
  for (const [k, v] of Object.entries(params)) encodeInto(out, k, v)
  return out.join("&")
}

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  // The emulator's JSON, read loosely: tests assert on its fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly json: any
}

export type Handle = (request: Emulator.Request) => Promise<Emulator.Response>

export interface CallOptions {
  readonly key?: string | null
  readonly headers?: Readonly<Record<string, string>>
}

/** `defaults.headers` go with every request (a test's own headers win). */
export const wire = (handle: Handle, defaults: Pick<CallOptions, "headers"> = {}) => {
  const call = async (method: string, path: string, params: Params = {}, options: CallOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...defaults.headers, ...options.headers }
    const key = options.key === undefined ? "sk_test_123" : options.key
    if (key !== null) headers.authorization = `Bearer ${key}`
    let url = path
    let body: string | undefined
    if (path.startsWith("/v2/")) {
      headers["content-type"] = "application/json"
      body = JSON.stringify(params)
    } else if (method === "POST") {
      headers["content-type"] = "application/x-www-form-urlencoded"
      body = encode(params)
    } else {
      const q = encode(params)
      if (q.length > 0) url += `?${q}`
    }
    const res = await handle({ method, url, headers, body })
    const text = typeof res.body === "string" ? res.body : new TextDecoder().decode(res.body)
    const contentType = res.headers["content-type"] ?? ""
    return { status: res.status, headers: res.headers, json: contentType.includes("json") ? JSON.parse(text) : text }
  }
  return {
    call,
    get: (path: string, params?: Params, options?: CallOptions) => call("GET", path, params, options),
    post: (path: string, params?: Params, options?: CallOptions) => call("POST", path, params, options),
    del: (path: string, params?: Params, options?: CallOptions) => call("DELETE", path, params, options)
  }
}

export type Wire = ReturnType<typeof wire>

/** A handle that sends real HTTP to a base URL (the loopback server). */
export const fetchHandle = (baseUrl: string): Handle => async (request) => {
  const res = await fetch(`${baseUrl}${request.url}`, {
    method: request.method,
    headers: Object.fromEntries(
      Object.entries(request.headers ?? {}).flatMap(([k, v]) => (typeof v === "string" ? [[k, v]] : []))
    ),
    ...(request.body === undefined
      ? {}
      : { body: typeof request.body === "string" ? request.body : new Uint8Array(request.body) })
  })
  const headers: Record<string, string> = {}
  res.headers.forEach((v, k) => {
    headers[k] = v
  })
  const contentType = headers["content-type"] ?? ""
  const body = contentType.includes("json") ? await res.text() : new Uint8Array(await res.arrayBuffer())
  return { status: res.status, headers, body }
}

/**
 * The seed notebook's flows over the wire; returns what later assertions
 * need. Shared by the in-memory and loopback suites.
 */
export const notebook = async (w: Wire, expect: (cond: boolean, what: string) => void) => {
  const customer = await w.post("/v1/customers", { email: "explorer@example.com", name: "SDK Explorer" })
  expect(customer.status === 200 && customer.json.id.startsWith("cus_"), "customer created")

  const intent = await w.post("/v1/payment_intents", { amount: "2000", currency: "usd", customer: customer.json.id })
  expect(intent.json.status === "requires_payment_method" && intent.json.amount === 2000, "intent created")
  const retrieved = await w.get(`/v1/payment_intents/${intent.json.id}`)
  expect(retrieved.json.id === intent.json.id && retrieved.json.customer === customer.json.id, "intent retrieved")
  const listed = await w.get("/v1/payment_intents", { limit: 5 })
  expect(listed.json.object === "list" && listed.json.data[0].id === intent.json.id, "intents listed")
  const confirmed = await w.post(`/v1/payment_intents/${intent.json.id}/confirm`, { payment_method: "pm_card_visa" })
  expect(confirmed.json.status === "succeeded" && confirmed.json.latest_charge.startsWith("ch_"), "intent confirmed")
  const missing = await w.post("/v1/payment_intents", { currency: "usd" })
  expect(
    missing.status === 400 && missing.json.error.code === "parameter_missing" && missing.json.error.param === "amount",
    "missing amount"
  )

  const setup = await w.post("/v1/setup_intents", { customer: customer.json.id, usage: "off_session" })
  expect(setup.json.id.startsWith("seti_") && setup.json.status === "requires_payment_method", "setup intent")
  const setupRetrieved = await w.get(`/v1/setup_intents/${setup.json.id}`)
  expect(setupRetrieved.json.usage === "off_session", "setup intent retrieved")

  const refund = await w.post("/v1/refunds", { payment_intent: confirmed.json.id })
  expect(
    refund.json.id.startsWith("re_") && refund.json.status === "succeeded" && refund.json.amount === 2000,
    "refund"
  )

  const product = await w.post("/v1/products", { name: "Explorer Pro Plan" })
  const price = await w.post("/v1/prices", {
    product: product.json.id,
    currency: "usd",
    unit_amount: "2000",
    recurring: { interval: "month" }
  })
  expect(price.json.unit_amount === 2000 && price.json.recurring.interval === "month", "price")

  const sub = await w.post("/v1/subscriptions", { customer: customer.json.id, items: [{ price: price.json.id }] })
  expect(sub.json.status === "active" && sub.json.latest_invoice.startsWith("in_"), "subscription active")
  const subs = await w.get("/v1/subscriptions", { customer: customer.json.id })
  expect(subs.json.data.length === 1 && subs.json.data[0].id === sub.json.id, "subscriptions listed")

  const schedule = await w.post("/v1/subscription_schedules", {
    customer: customer.json.id,
    start_date: "now",
    end_behavior: "release",
    phases: [{ items: [{ price: price.json.id, quantity: 1 }], iterations: 3 }]
  })
  expect(schedule.json.id.startsWith("sub_sched_") && schedule.json.status === "active", "schedule")

  const meter = await w.post("/v1/billing/meters", {
    display_name: "API Calls",
    event_name: "api_call",
    default_aggregation: { formula: "sum" },
    customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
    value_settings: { event_payload_key: "value" }
  })
  expect(meter.json.id.startsWith("mtr_") && meter.json.event_name === "api_call", "meter")
  const meterEvent = await w.post("/v1/billing/meter_events", {
    event_name: "api_call",
    payload: { stripe_customer_id: customer.json.id, value: "1" },
    identifier: "notebook_1"
  })
  expect(meterEvent.json.object === "billing.meter_event" && meterEvent.json.identifier === "notebook_1", "event")

  const session = await w.post("/v2/billing/meter_event_session")
  expect(session.json.object === "v2.billing.meter_event_session", "meter session")
  const sent = await w.post("/v2/billing/meter_event_stream", {
    events: [{ event_name: "api_call", payload: { stripe_customer_id: customer.json.id, value: "1" } }]
  }, { key: session.json.authentication_token })
  expect(sent.status === 200, "meter stream")

  const portal = await w.post("/v1/billing_portal/sessions", {
    customer: customer.json.id,
    return_url: "https://example.com/account"
  })
  expect(portal.json.url.startsWith("https://billing.stripe.com/"), "portal session")

  const cancelled = await w.del(`/v1/subscriptions/${sub.json.id}`)
  expect(cancelled.json.status === "canceled", "subscription canceled")

  const account = await w.post("/v1/accounts", { type: "express", email: "merchant@example.com" })
  expect(account.json.id.startsWith("acct_") && account.json.type === "express", "account")
  const accountRetrieved = await w.get(`/v1/accounts/${account.json.id}`)
  expect(accountRetrieved.json.email === "merchant@example.com", "account retrieved")
  const link = await w.post("/v1/account_links", {
    account: account.json.id,
    type: "account_onboarding",
    refresh_url: "https://example.com/reauth",
    return_url: "https://example.com/return"
  })
  expect(link.json.object === "account_link" && link.json.expires_at > link.json.created, "account link")
  const transfer = await w.post("/v1/transfers", { amount: "1000", currency: "usd", destination: account.json.id })
  expect(transfer.json.id.startsWith("tr_") && transfer.json.amount === 1000, "transfer")

  const expanded = await w.get(`/v1/subscriptions/${sub.json.id}`, { expand: ["customer"] })
  expect(expanded.json.customer.email === "explorer@example.com", "expand")
  const invoices = await w.get("/v1/invoices", { customer: customer.json.id })
  expect(invoices.json.data.length >= 1, "invoices listed")

  return { customer: customer.json, intent: confirmed.json, sub: cancelled.json, schedule: schedule.json }
}
