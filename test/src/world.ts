/**
 * The parents an operation needs, created on a stateful target by ordinary
 * Stripe calls (what a user would do first): a customer before its tax ids,
 * a confirmed payment before its refund, an open invoice before a credit
 * note. Each kind is created once per world, on first use.
 */
import type { IdFor } from "./params.js"
import { minimalParams } from "./params.js"
import type { SdkOperation } from "./sdk.js"
import { pathParams, sdkOperations } from "./sdk.js"
import type { Reply, Send } from "./wire.js"
import { field, firstItem, REFERENCE_VERSION, stringField } from "./wire.js"

/**
 * What a world knows of the API it talks to: the version its requests name,
 * the SDK's operations (to find how a kind of object is made) and how to
 * derive an operation's minimal params (from the OpenAPI spec for stripe-mock's
 * version, from the shipped model for the shipped one).
 */
export interface Catalog {
  readonly version: string
  readonly ops: ReadonlyArray<SdkOperation>
  readonly params: (op: SdkOperation, idFor: IdFor) => Record<string, unknown>
}

/** The reference catalog: stripe-mock's API version, params from the spec. */
export const referenceCatalog: Catalog = {
  version: REFERENCE_VERSION,
  ops: sdkOperations,
  params: (op, idFor) => minimalParams(op.method, op.template, idFor)
}

export class MissingParent extends Error {
  constructor(readonly kind: string, readonly reply: Reply) {
    super(`could not create the parent ${kind}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`)
  }
}

type Maker = (world: World) => Promise<string>

const post = async (world: World, kind: string, path: string, params: Record<string, unknown>) => {
  const reply = await world.send({ method: "POST", path, params })
  if (reply.status !== 200) throw new MissingParent(kind, reply)
  return reply.body
}

const get = async (world: World, kind: string, path: string, params: Record<string, unknown> = {}) => {
  const reply = await world.send({ method: "GET", path, params })
  if (reply.status !== 200) throw new MissingParent(kind, reply)
  return reply.body
}

const created =
  (kind: string, path: string, params: (w: World) => Promise<Record<string, unknown>>): Maker => async (w) => {
    const body = await post(w, kind, path, await params(w))
    const id = stringField(body, "id")
    if (id === "") throw new MissingParent(kind, { status: 200, body })
    return id
  }

const under = (
  kind: string,
  parent: string,
  path: (parentId: string) => string,
  params: (w: World) => Promise<Record<string, unknown>>
): Maker =>
async (w) => {
  const parentId = await w.id(parent)
  return created(kind, path(parentId), params)(w)
}

/** The first item of a list, or a missing parent. */
const listFirst = async (w: World, kind: string, path: string, params: Record<string, unknown>) => {
  const id = stringField(firstItem(await get(w, kind, path, params)), "id")
  if (id === "") throw new MissingParent(kind, { status: 200, body: `${path} listed nothing` })
  return id
}

/** How each kind of object is made. */
const makers: Readonly<Record<string, Maker>> = {
  // Objects Stripe makes as a side effect of another call.
  "/v1/invoice_payments/*": async (w) => {
    const invoice = await w.id("open_invoice")
    await post(w, "/v1/invoice_payments/*", `/v1/invoices/${invoice}/pay`, {})
    return listFirst(w, "/v1/invoice_payments/*", "/v1/invoice_payments", { invoice })
  },
  "/v1/billing/credit_balance_transactions/*": async (w) => {
    const grant = await w.id("/v1/billing/credit_grants/*")
    return listFirst(w, "/v1/billing/credit_balance_transactions/*", "/v1/billing/credit_balance_transactions", {
      customer: await w.id("customer"),
      credit_grant: grant
    })
  },
  "/v1/payment_attempt_records/*": async (w) => {
    const record = await w.id("/v1/payment_records/*")
    return listFirst(w, "/v1/payment_attempt_records/*", "/v1/payment_attempt_records", { payment_record: record })
  },
  // Money moving in a Treasury financial account (a received credit, from a test helper) is a transaction.
  "/v1/treasury/transactions/*": async (w) => {
    await w.id("/v1/treasury/received_credits/*")
    return listFirst(w, "/v1/treasury/transactions/*", "/v1/treasury/transactions", {
      financial_account: await w.id("/v1/treasury/financial_accounts/*")
    })
  },
  "/v1/treasury/transaction_entries/*": async (w) => {
    await w.id("/v1/treasury/received_credits/*")
    return listFirst(w, "/v1/treasury/transaction_entries/*", "/v1/treasury/transaction_entries", {
      financial_account: await w.id("/v1/treasury/financial_accounts/*")
    })
  },
  // An outbound setup intent with `payout_method_data` makes the payout method.
  "/v2/money_management/payout_methods/*": async (w) => {
    const body = await post(w, "/v2/money_management/payout_methods/*", "/v2/money_management/outbound_setup_intents", {
      payout_method_data: {
        type: "bank_account",
        bank_account: { account_number: "000123456789", country: "US", routing_number: "110000000" }
      }
    })
    const method = field(body, "payout_method")
    const id = stringField(method, "id")
    if (id === "") throw new MissingParent("/v2/money_management/payout_methods/*", { status: 200, body })
    return id
  },
  // Objects with the optional settings stripe-mock's fixtures have (a splash screen, a beneficiary).
  "/v1/terminal/configurations/*": async (w) =>
    stringField(
      await post(w, "/v1/terminal/configurations/*", "/v1/terminal/configurations", {
        bbpos_wisepos_e: { splashscreen: await w.id("file") }
      }),
      "id"
    ),
  "/v1/climate/orders/*": async (w) =>
    stringField(
      await post(w, "/v1/climate/orders/*", "/v1/climate/orders", {
        product: await w.id("/v1/climate/products/*"),
        metric_tons: "1",
        beneficiary: { public_name: "Reference" }
      }),
      "id"
    ),
  // Pinging an event destination sends it a `v2.core.event_destination.ping` event.
  "/v2/core/events/*": async (w) => {
    const destination = await w.id("/v2/core/event_destinations/*")
    return stringField(await post(w, "/v2/core/events/*", `/v2/core/event_destinations/${destination}/ping`, {}), "id")
  },
  // The test helper that funds a customer's cash balance (as a bank transfer would) records the transaction.
  cash_balance_transaction: async (w) => {
    const customer = await w.id("customer")
    const body = await post(w, "cash_balance_transaction", `/v1/test_helpers/customers/${customer}/fund_cash_balance`, {
      amount: 1000,
      currency: "usd"
    })
    return stringField(body, "id")
  },
  account: created("account", "/v1/accounts", async () => ({
    type: "custom",
    country: "US",
    email: "connect@example.com",
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } }
  })),
  active_entitlement: async (w) => {
    await w.id("product_feature")
    const customer = await w.id("customer")
    await post(w, "active_entitlement", "/v1/subscriptions", { customer, items: [{ price: await w.id("price") }] })
    const page = await get(w, "active_entitlement", "/v1/entitlements/active_entitlements", { customer })
    return stringField(firstItem(page), "id")
  },
  application_fee: async (w) => {
    await post(w, "application_fee", "/v1/payment_intents", {
      amount: 2000,
      currency: "usd",
      payment_method: "pm_card_visa",
      confirm: true,
      application_fee_amount: 200,
      transfer_data: { destination: await w.id("account") }
    })
    return stringField(firstItem(await get(w, "application_fee", "/v1/application_fees", { limit: 1 })), "id")
  },
  application_fee_refund: async (w) => {
    const fee = await w.id("application_fee")
    return stringField(
      await post(w, "application_fee_refund", `/v1/application_fees/${fee}/refunds`, { amount: 50 }),
      "id"
    )
  },
  balance_transaction: async (w) =>
    stringField(await get(w, "charge", `/v1/charges/${await w.id("charge")}`), "balance_transaction"),
  capability: async () => "card_payments",
  charge: async (w) =>
    stringField(
      await get(w, "payment_intent", `/v1/payment_intents/${await w.id("succeeded_payment_intent")}`),
      "latest_charge"
    ),
  capturable_payment_intent: created("capturable_payment_intent", "/v1/payment_intents", async (w) => ({
    amount: 2000,
    currency: "usd",
    customer: await w.id("customer"),
    payment_method: "pm_card_visa",
    capture_method: "manual",
    confirm: true
  })),
  checkout_session: created("checkout_session", "/v1/checkout/sessions", async (w) => ({
    mode: "payment",
    success_url: "https://example.com/success",
    line_items: [{ price: await w.id("one_time_price"), quantity: 1 }]
  })),
  coupon: created("coupon", "/v1/coupons", async () => ({ percent_off: 10, duration: "once" })),
  // `coupon` became `discounts` (2025-03-31.basil).
  discounted_customer: created("discounted_customer", "/v1/customers", async (w) => ({
    email: "discounted@example.com",
    ...(w.version === REFERENCE_VERSION ? { coupon: await w.id("coupon") } : {})
  })),
  discounted_subscription: created("discounted_subscription", "/v1/subscriptions", async (w) => ({
    customer: await w.id("customer"),
    items: [{ price: await w.id("price") }],
    ...(w.version === REFERENCE_VERSION
      ? { coupon: await w.id("coupon") }
      : { discounts: [{ coupon: await w.id("coupon") }] })
  })),
  dispute: async (w) => {
    const charge = await w.id("disputed_charge")
    return stringField(firstItem(await get(w, "dispute", "/v1/disputes", { charge })), "id")
  },
  disputed_charge: async (w) =>
    stringField(
      await post(w, "disputed_charge", "/v1/payment_intents", {
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_createDispute",
        confirm: true
      }),
      "latest_charge"
    ),
  credit_note: under("credit_note", "open_invoice", () => "/v1/credit_notes", async (w) => ({
    invoice: await w.id("open_invoice"),
    amount: 100
  })),
  customer: created("customer", "/v1/customers", async () => ({ email: "reference@example.com", name: "Reference" })),
  customer_balance_transaction: under(
    "customer_balance_transaction",
    "customer",
    (c) => `/v1/customers/${c}/balance_transactions`,
    async () => ({ amount: -500, currency: "usd" })
  ),
  customer_bank_account: under(
    "customer_bank_account",
    "customer",
    (c) => `/v1/customers/${c}/sources`,
    async () => ({ source: "btok_us_verified" })
  ),
  customer_card: under("customer_card", "customer", (c) => `/v1/customers/${c}/sources`, async () => ({
    source: "tok_visa"
  })),
  customer_payment_method: async (w) => {
    const body = await post(w, "customer_payment_method", "/v1/payment_methods/pm_card_visa/attach", {
      customer: await w.id("customer")
    })
    return stringField(body, "id")
  },
  customer_subscription: async (w) => w.id("subscription"),
  customer_tax_id: under("customer_tax_id", "customer", (c) => `/v1/customers/${c}/tax_ids`, async () => ({
    type: "eu_vat",
    value: "DE123456789"
  })),
  draft_invoice: async (w) => {
    const customer = await w.id("customer")
    await post(w, "invoiceitem", "/v1/invoiceitems", { customer, amount: 1000, currency: "usd" })
    return created("draft_invoice", "/v1/invoices", async () => ({
      customer,
      pending_invoice_items_behavior: "include"
    }))(w)
  },
  event: async (w) => {
    await w.id("customer")
    return stringField(firstItem(await get(w, "event", "/v1/events", { limit: 1 })), "id")
  },
  external_account: under(
    "external_account",
    "account",
    (a) => `/v1/accounts/${a}/external_accounts`,
    async () => ({ external_account: "btok_us" })
  ),
  express_account: created(
    "express_account",
    "/v1/accounts",
    async () => ({ type: "express", email: "x@example.com" })
  ),
  feature: created("feature", "/v1/entitlements/features", async (w) => ({
    name: "Reference feature",
    lookup_key: `reference_${w.seed}`
  })),
  file: async (w) => {
    const reply = await w.send({
      method: "POST",
      path: "/v1/files",
      params: { purpose: "dispute_evidence", file: "reference" },
      multipart: true
    })
    if (reply.status !== 200) throw new MissingParent("file", reply)
    return stringField(reply.body, "id")
  },
  file_link: async (w) => created("file_link", "/v1/file_links", async () => ({ file: await w.id("file") }))(w),
  invoice_line_item: async (w) =>
    stringField(firstItem(await get(w, "invoice", `/v1/invoices/${await w.id("draft_invoice")}/lines`)), "id"),
  invoiceitem: created("invoiceitem", "/v1/invoiceitems", async (w) => ({
    customer: await w.id("customer"),
    amount: 1000,
    currency: "usd"
  })),
  meter: created("meter", "/v1/billing/meters", async (w) => ({
    display_name: "Reference",
    event_name: `reference_${w.seed}`,
    default_aggregation: { formula: "sum" }
  })),
  inactive_meter: async (w) => {
    const id = await w.id("meter")
    await post(w, "inactive_meter", `/v1/billing/meters/${id}/deactivate`, {})
    return id
  },
  one_time_price: created("one_time_price", "/v1/prices", async (w) => ({
    product: await w.id("product"),
    currency: "usd",
    unit_amount: 1000
  })),
  open_invoice: async (w) => {
    const id = await w.id("draft_invoice")
    await post(w, "open_invoice", `/v1/invoices/${id}/finalize`, {})
    return id
  },
  open_quote: async (w) => {
    const id = await w.id("quote")
    await post(w, "open_quote", `/v1/quotes/${id}/finalize`, {})
    return id
  },
  payment_intent: created("payment_intent", "/v1/payment_intents", async (w) => ({
    amount: 2000,
    currency: "usd",
    customer: await w.id("customer")
  })),
  payment_method: created("payment_method", "/v1/payment_methods", async () => ({
    type: "card",
    card: { token: "tok_visa" }
  })),
  payout: created("payout", "/v1/payouts", async () => ({ amount: 100, currency: "usd" })),
  person: under("person", "account", (a) => `/v1/accounts/${a}/persons`, async () => ({
    first_name: "Ada",
    last_name: "Lovelace"
  })),
  portal_configuration: created("portal_configuration", "/v1/billing_portal/configurations", async () => ({
    business_profile: { headline: "Reference" },
    features: { invoice_history: { enabled: true } }
  })),
  price: created("price", "/v1/prices", async (w) => ({
    product: await w.id("product"),
    currency: "usd",
    unit_amount: 1000,
    recurring: { interval: "month" }
  })),
  second_price: created("second_price", "/v1/prices", async (w) => ({
    product: await w.id("product"),
    currency: "usd",
    unit_amount: 500,
    recurring: { interval: "month" }
  })),
  send_invoice: async (w) => {
    const customer = await w.id("customer")
    await post(w, "invoiceitem", "/v1/invoiceitems", { customer, amount: 1000, currency: "usd" })
    const id = await created("send_invoice", "/v1/invoices", async () => ({
      customer,
      collection_method: "send_invoice",
      days_until_due: 30,
      pending_invoice_items_behavior: "include"
    }))(w)
    await post(w, "send_invoice", `/v1/invoices/${id}/finalize`, {})
    return id
  },
  unverified_bank_account: under(
    "unverified_bank_account",
    "customer",
    (c) => `/v1/customers/${c}/sources`,
    async () => ({ source: "btok_us" })
  ),
  uncaptured_charge: async (w) =>
    stringField(
      await get(w, "payment_intent", `/v1/payment_intents/${await w.id("capturable_payment_intent")}`),
      "latest_charge"
    ),
  product: created("product", "/v1/products", async () => ({ name: "Reference product" })),
  product_feature: under(
    "product_feature",
    "product",
    (p) => `/v1/products/${p}/features`,
    async (w) => ({ entitlement_feature: await w.id("feature") })
  ),
  // `coupon` became `promotion: { type: "coupon", coupon }` (2025-09-30.clover).
  promotion_code: created("promotion_code", "/v1/promotion_codes", async (w) =>
    w.version === REFERENCE_VERSION
      ? { coupon: await w.id("coupon") }
      : { promotion: { type: "coupon", coupon: await w.id("coupon") } }),
  quote: created("quote", "/v1/quotes", async (w) => ({
    customer: await w.id("customer"),
    line_items: [{ price: await w.id("price"), quantity: 1 }]
  })),
  refund: created("refund", "/v1/refunds", async (w) => ({
    payment_intent: await w.id("succeeded_payment_intent"),
    amount: 500
  })),
  setup_intent: created("setup_intent", "/v1/setup_intents", async (w) => ({ customer: await w.id("customer") })),
  subscription: created("subscription", "/v1/subscriptions", async (w) => ({
    customer: await w.id("customer"),
    items: [{ price: await w.id("price") }]
  })),
  subscription_item: async (w) =>
    stringField(
      firstItem(field(await get(w, "subscription", `/v1/subscriptions/${await w.id("subscription")}`), "items")),
      "id"
    ),
  subscription_schedule: created("subscription_schedule", "/v1/subscription_schedules", async (w) => ({
    customer: await w.id("customer"),
    start_date: "now",
    end_behavior: "release",
    phases: [{ items: [{ price: await w.id("price"), quantity: 1 }], iterations: 2 }]
  })),
  succeeded_payment_intent: created("succeeded_payment_intent", "/v1/payment_intents", async (w) => ({
    amount: 2000,
    currency: "usd",
    customer: await w.id("customer"),
    payment_method: "pm_card_visa",
    confirm: true
  })),
  tax_calculation: created("tax_calculation", "/v1/tax/calculations", async () => ({
    currency: "usd",
    line_items: [{ amount: 1000, reference: "L1" }],
    customer_details: { address: { country: "US", postal_code: "10001" }, address_source: "shipping" }
  })),
  tax_id: created("tax_id", "/v1/tax_ids", async () => ({ type: "eu_vat", value: "DE123456789" })),
  tax_rate: created("tax_rate", "/v1/tax_rates", async () => ({
    display_name: "VAT",
    inclusive: false,
    percentage: 20
  })),
  tax_transaction: async (w) =>
    created("tax_transaction", "/v1/tax/transactions/create_from_calculation", async () => ({
      calculation: await w.id("tax_calculation"),
      reference: `order_${w.seed}`
    }))(w),
  test_clock: created("test_clock", "/v1/test_helpers/test_clocks", async () => ({ frozen_time: 1_700_000_000 })),
  transfer: created("transfer", "/v1/transfers", async (w) => ({
    amount: 1000,
    currency: "usd",
    destination: await w.id("account")
  })),
  transfer_reversal: under("transfer_reversal", "transfer", (t) => `/v1/transfers/${t}/reversals`, async () => ({
    amount: 100
  })),
  webhook_endpoint: created("webhook_endpoint", "/v1/webhook_endpoints", async () => ({
    url: "https://example.com/hook",
    enabled_events: ["*"]
  }))
}

/** A path template's shape with `*` for each param: `/v1/issuing/cards/{card}` → `/v1/issuing/cards/*`. */
export const starShape = (template: string): string => template.replace(/\{[^}]+\}/g, "*")

/**
 * The kind of object a path prefix names (`/v1/customers/*`): the
 * hand-written kinds of `pathKinds`, or the prefix itself, which the world
 * makes generically (see {@link World.id}).
 */
export const kindOfPrefix = (prefix: string, pathKinds: Readonly<Record<string, string>>): string => {
  // A test helper acts on the object of its path without `test_helpers`.
  const object = prefix.replace(/^\/(v1|v2)\/test_helpers\/(?!test_clocks\/)/, "/$1/")
  return pathKinds[object] ?? object
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const substitute = (value: unknown, ids: Readonly<Record<string, string>>): unknown => {
  if (typeof value === "string") return ids[value] ?? value
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids))
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]))
  return value
}

/** Objects created on one target, by kind. */
export class World {
  private readonly ids = new Map<string, Promise<string>>()
  constructor(
    readonly send: Send,
    readonly seed: number,
    readonly catalog: Catalog = referenceCatalog,
    /** Hand-written kinds of path prefixes and of params naming an object (see `differential.ts`). */
    readonly kinds: {
      readonly paths: Readonly<Record<string, string>>
      readonly params: Readonly<Record<string, string>>
    } = { paths: {}, params: {} }
  ) {}

  /** The API version the world's requests name. */
  get version(): string {
    return this.catalog.version
  }

  /**
   * The id of an object of a kind, created on first use: a hand-written
   * kind (`customer`, `open_invoice`), or a path prefix (`/v1/issuing/cards/*`)
   * made by the operation that creates it (`POST /v1/issuing/cards`, or a
   * test helper that does), with minimal params, else read from its list.
   */
  id(kind: string, via: ReadonlyArray<string> = []): Promise<string> {
    if (via.includes(kind)) {
      // Making it needs itself (an object whose create names another of its kind).
      return Promise.reject(
        new MissingParent(kind, { status: 0, body: `needs itself: ${[...via, kind].join(" -> ")}` })
      )
    }
    const known = this.ids.get(kind)
    if (known !== undefined) return known
    const maker = makers[kind]
    const made = maker !== undefined
      ? maker(this)
      : kind.startsWith("/")
      ? this.generic(kind, [...via, kind])
      : Promise.reject(new Error(`no maker for ${kind}`))
    // A failed attempt is remembered too: one try per kind and world.
    made.catch(() => undefined)
    this.ids.set(kind, made)
    return made
  }

  /** Whether a kind can be made (or tried: a path prefix). */
  knows(kind: string): boolean {
    return makers[kind] !== undefined || kind.startsWith("/")
  }

  /** The kind of object a param names (`customer`, or an object of the operation's namespace). */
  paramKind(op: SdkOperation, param: string): string | undefined {
    const known = this.kinds.params[param]
    if (known !== undefined) return known
    // `card` in `/v1/test_helpers/issuing/authorizations` names `/v1/issuing/cards/*`.
    const segments = op.template.split("/").slice(2).filter((s) => !s.startsWith("{") && s !== "test_helpers")
    const plurals = [`${param}s`, `${param}es`, param.endsWith("y") ? `${param.slice(0, -1)}ies` : `${param}s`]
    for (let n = segments.length - 1; n >= 0; n--) {
      const base = ["", "v1", ...segments.slice(0, n)].join("/")
      for (const plural of plurals) {
        const prefix = `${base}/${plural}/*`
        if (this.catalog.ops.some((o) => starShape(o.template).startsWith(prefix.slice(0, -2)))) {
          return kindOfPrefix(prefix, this.kinds.paths)
        }
      }
    }
    return undefined
  }

  /** An operation's minimal params with ids of objects that exist on this world's target. */
  async paramsFor(op: SdkOperation, via: ReadonlyArray<string> = []): Promise<Record<string, unknown>> {
    const kinds = new Map<string, string>()
    const base = this.catalog.params(op, (param) => {
      const kind = this.paramKind(op, param)
      if (kind !== undefined) kinds.set(param, kind)
      return kind === undefined ? undefined : `{{${param}}}`
    })
    const ids: Record<string, string> = {}
    for (const [param, kind] of kinds) ids[`{{${param}}}`] = await this.id(kind, via)
    const out = substitute(base, ids)
    return isRecord(out) ? out : {}
  }

  /** The path of an operation with the ids of its parents (for the path params before `upTo`). */
  private async pathFor(op: SdkOperation, via: ReadonlyArray<string>): Promise<string> {
    const names = pathParams(op.template)
    const segments = op.template.split("/")
    const args: Array<string> = []
    for (let i = 0; i < names.length; i++) {
      let seen = 0
      const upTo = segments.findIndex((s) => s.startsWith("{") && seen++ === i)
      const prefix = starShape(segments.slice(0, upTo + 1).join("/"))
      args.push(await this.id(kindOfPrefix(prefix, this.kinds.paths), via))
    }
    let i = 0
    return op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(args[i++] ?? ""))
  }

  private async generic(prefix: string, via: ReadonlyArray<string>): Promise<string> {
    const collection = prefix.slice(0, -2)
    const helpers = collection.replace(/^\/(v1|v2)\//, "/$1/test_helpers/")
    const literal = (shape: string, base: string) =>
      shape.startsWith(`${base}/`) && !shape.slice(base.length).includes("*")
    const create = this.catalog.ops.find((o) => o.method === "POST" && starShape(o.template) === collection) ??
      this.catalog.ops.find((o) =>
        o.method === "POST" && (starShape(o.template) === helpers || literal(starShape(o.template), helpers))
      ) ??
      // `POST /v1/payment_records/report_payment`: a create under another name.
      this.catalog.ops.find((o) => o.method === "POST" && literal(starShape(o.template), collection))
    if (create !== undefined) {
      const reply = await this.send({
        method: "POST",
        path: await this.pathFor(create, via),
        params: await this.paramsFor(create, via)
      })
      const id = reply.status === 200 ? stringField(reply.body, "id") : ""
      if (id === "") throw new MissingParent(prefix, reply)
      return id
    }
    const list = this.catalog.ops.find((o) => o.method === "GET" && starShape(o.template) === collection)
    if (list !== undefined) {
      const reply = await this.send({
        method: "GET",
        path: await this.pathFor(list, via),
        params: await this.paramsFor(list, via)
      })
      const id = reply.status === 200 ? stringField(firstItem(reply.body), "id") : ""
      if (id === "") throw new MissingParent(prefix, reply)
      return id
    }
    throw new MissingParent(prefix, { status: 0, body: "no operation creates or lists it" })
  }
}
