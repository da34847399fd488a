/**
 * The differential test of the emulator against stripe-mock: every SDK
 * operation sent as the same request to both, after the emulator has the
 * parents the call needs (stripe-mock answers any id). Compared: the status,
 * the top-level fields, and each field's kind of value.
 */
import { operation, responseObjects, responseSchema } from "./oas.js"
import type { SdkOperation } from "./sdk.js"
import { label, pathParams } from "./sdk.js"
import type { Reply, Request, Send } from "./wire.js"
import type { Catalog } from "./world.js"
import { kindOfPrefix, MissingParent, World } from "./world.js"

/** The kind of object a path parameter names, by its path prefix (params as `*`). */
const pathKinds: Readonly<Record<string, string>> = {
  "/v1/accounts/*": "account",
  "/v1/accounts/*/bank_accounts/*": "external_account",
  "/v1/accounts/*/capabilities/*": "capability",
  "/v1/accounts/*/external_accounts/*": "external_account",
  "/v1/accounts/*/persons/*": "person",
  "/v1/application_fees/*": "application_fee",
  "/v1/application_fees/*/refunds/*": "application_fee_refund",
  "/v1/balance_transactions/*": "balance_transaction",
  "/v1/billing/meters/*": "meter",
  "/v1/billing_portal/configurations/*": "portal_configuration",
  "/v1/charges/*": "charge",
  "/v1/charges/*/refunds/*": "refund",
  "/v1/checkout/sessions/*": "checkout_session",
  "/v1/coupons/*": "coupon",
  "/v1/credit_notes/*": "credit_note",
  "/v1/customers/*": "customer",
  "/v1/customers/*/balance_transactions/*": "customer_balance_transaction",
  "/v1/customers/*/bank_accounts/*": "customer_bank_account",
  "/v1/customers/*/cards/*": "customer_card",
  "/v1/customers/*/cash_balance_transactions/*": "cash_balance_transaction",
  "/v1/customers/*/payment_methods/*": "customer_payment_method",
  "/v1/customers/*/sources/*": "customer_card",
  "/v1/customers/*/subscriptions/*": "subscription",
  "/v1/customers/*/tax_ids/*": "customer_tax_id",
  "/v1/disputes/*": "dispute",
  "/v1/entitlements/active_entitlements/*": "active_entitlement",
  "/v1/entitlements/features/*": "feature",
  "/v1/events/*": "event",
  "/v1/file_links/*": "file_link",
  "/v1/files/*": "file",
  "/v1/invoiceitems/*": "invoiceitem",
  "/v1/invoices/*": "draft_invoice",
  "/v1/invoices/*/lines/*": "invoice_line_item",
  "/v1/mandates/*": "mandate",
  "/v1/payment_intents/*": "payment_intent",
  "/v1/payment_methods/*": "payment_method",
  "/v1/payouts/*": "payout",
  "/v1/prices/*": "price",
  "/v1/products/*": "product",
  "/v1/products/*/features/*": "product_feature",
  "/v1/promotion_codes/*": "promotion_code",
  "/v1/quotes/*": "quote",
  "/v1/refunds/*": "refund",
  "/v1/setup_intents/*": "setup_intent",
  "/v1/subscription_items/*": "subscription_item",
  "/v1/subscription_schedules/*": "subscription_schedule",
  "/v1/subscriptions/*": "subscription",
  "/v1/tax/calculations/*": "tax_calculation",
  "/v1/tax/transactions/*": "tax_transaction",
  "/v1/tax_ids/*": "tax_id",
  "/v1/tax_rates/*": "tax_rate",
  "/v1/test_helpers/test_clocks/*": "test_clock",
  "/v1/transfers/*": "transfer",
  "/v1/transfers/*/reversals/*": "transfer_reversal",
  "/v1/webhook_endpoints/*": "webhook_endpoint"
}

/** The kind of object a body or query param names. */
const paramKinds: Readonly<Record<string, string>> = {
  account: "account",
  calculation: "tax_calculation",
  coupon: "coupon",
  customer: "customer",
  destination: "account",
  entitlement_feature: "feature",
  file: "file",
  invoice: "open_invoice",
  original_transaction: "tax_transaction",
  setup_intent: "setup_intent",
  subscription: "subscription"
}

/**
 * What a call needs beyond the spec's required params to be valid on a
 * stateful Stripe: a parent in a given state, or params Stripe requires in
 * combinations the spec cannot express. The same request goes to both targets.
 */
export interface Recipe {
  /** Kinds for the path params, by name, replacing the default of the path. */
  readonly kinds?: Readonly<Record<string, string>>
  /** Params added to (or replacing) the minimal ones; functions get ids from the world. */
  readonly params?: (world: World) => Promise<Record<string, unknown>>
}

const searchRecipe: Recipe = { params: async () => ({ query: "metadata['reference']:'1'" }) }
const openInvoice: Recipe = { kinds: { invoice: "open_invoice" } }
// A customer with a pending invoice item: its upcoming invoice has an invoice-item line, the
// kind of line stripe-mock's fixture is (a subscription line also names its subscription item).
const upcoming: Recipe = {
  params: async (w) => {
    await w.id("invoiceitem")
    return { customer: await w.id("customer") }
  }
}
const tax: Recipe = { params: async () => ({ expand: ["line_items"] }) }

export const recipes: Readonly<Record<string, Recipe>> = {
  "POST /v1/accounts/{account}/bank_accounts": { params: async () => ({ external_account: "btok_us" }) },
  "POST /v1/accounts/{account}/external_accounts": { params: async () => ({ external_account: "btok_us" }) },
  // Login links are for Express accounts.
  "POST /v1/accounts/{account}/login_links": { kinds: { account: "express_account" } },
  "POST /v1/billing/meters/{id}/reactivate": { kinds: { id: "inactive_meter" } },
  "POST /v1/charges/{charge}/capture": { kinds: { charge: "uncaptured_charge" } },
  "GET /v1/charges/{charge}/dispute": { kinds: { charge: "disputed_charge" } },
  "POST /v1/charges/{charge}/dispute": { kinds: { charge: "disputed_charge" } },
  "POST /v1/charges/{charge}/dispute/close": { kinds: { charge: "disputed_charge" } },
  "GET /v1/charges/search": searchRecipe,
  "POST /v1/checkout/sessions": {
    params: async (w) => ({ line_items: [{ price: await w.id("one_time_price"), quantity: 1 }] })
  },
  "POST /v1/customers/{customer}/bank_accounts": { params: async () => ({ source: "btok_us" }) },
  "POST /v1/customers/{customer}/bank_accounts/{id}/verify": {
    kinds: { id: "unverified_bank_account" },
    params: async () => ({ amounts: [32, 45] })
  },
  "POST /v1/customers/{customer}/cards": { params: async () => ({ source: "tok_visa" }) },
  "GET /v1/customers/{customer}/discount": { kinds: { customer: "discounted_customer" } },
  "DELETE /v1/customers/{customer}/discount": { kinds: { customer: "discounted_customer" } },
  "POST /v1/customers/{customer}/sources": { params: async () => ({ source: "tok_visa" }) },
  "POST /v1/customers/{customer}/sources/{id}/verify": {
    kinds: { id: "unverified_bank_account" },
    params: async () => ({ amounts: [32, 45] })
  },
  "GET /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": {
    kinds: { subscription_exposed_id: "discounted_subscription" }
  },
  "DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": {
    kinds: { subscription_exposed_id: "discounted_subscription" }
  },
  "GET /v1/customers/search": searchRecipe,
  "POST /v1/invoices/create_preview": upcoming,
  "GET /v1/invoices/search": searchRecipe,
  "GET /v1/invoices/upcoming": upcoming,
  "GET /v1/invoices/upcoming/lines": upcoming,
  "POST /v1/invoices/{invoice}/mark_uncollectible": openInvoice,
  "POST /v1/invoices/{invoice}/pay": openInvoice,
  // Only invoices collected by sending them can be sent.
  "POST /v1/invoices/{invoice}/send": { kinds: { invoice: "send_invoice" } },
  "POST /v1/invoices/{invoice}/void": openInvoice,
  "POST /v1/payment_intents/{intent}/capture": { kinds: { intent: "capturable_payment_intent" } },
  "POST /v1/payment_intents/{intent}/confirm": { params: async () => ({ payment_method: "pm_card_visa" }) },
  "POST /v1/payment_intents/{intent}/increment_authorization": {
    kinds: { intent: "capturable_payment_intent" },
    params: async () => ({ amount: 3000 })
  },
  "GET /v1/payment_intents/search": searchRecipe,
  // Stripe needs the product (or product_data) and an amount the spec leaves optional.
  "POST /v1/prices": { params: async (w) => ({ product: await w.id("product"), unit_amount: 1000 }) },
  "GET /v1/prices/search": searchRecipe,
  "GET /v1/products/search": searchRecipe,
  "POST /v1/quotes/{quote}/accept": { kinds: { quote: "open_quote" } },
  "GET /v1/quotes/{quote}/pdf": { kinds: { quote: "open_quote" } },
  "POST /v1/refunds": { params: async (w) => ({ payment_intent: await w.id("succeeded_payment_intent") }) },
  "POST /v1/setup_intents/{intent}/confirm": { params: async () => ({ payment_method: "pm_card_visa" }) },
  "POST /v1/subscription_items": { params: async (w) => ({ price: await w.id("second_price") }) },
  "POST /v1/subscription_schedules": {
    params: async (w) => ({
      customer: await w.id("customer"),
      start_date: "now",
      phases: [{ items: [{ price: await w.id("price"), quantity: 1 }], iterations: 2 }]
    })
  },
  // Since 2025 `customer` is optional in the declarations (`customer_account` is the other way); one of them is needed.
  "POST /v1/subscriptions": {
    params: async (w) => ({ customer: await w.id("customer"), items: [{ price: await w.id("price") }] })
  },
  "POST /v1/invoiceitems": { params: async (w) => ({ customer: await w.id("customer") }) },
  "POST /v1/billing_portal/sessions": { params: async (w) => ({ customer: await w.id("customer") }) },
  "POST /v1/payment_methods/{payment_method}/attach": { params: async (w) => ({ customer: await w.id("customer") }) },
  // With the optional settings stripe-mock's fixtures have (see world.ts).
  "POST /v1/terminal/configurations": {
    params: async (w) => ({ bbpos_wisepos_e: { splashscreen: await w.id("file") } })
  },
  "POST /v1/climate/orders": { params: async () => ({ beneficiary: { public_name: "Reference" } }) },
  // Connect OAuth: an authorization code from the OAuth flow; a platform's client id and a connected account.
  "POST /oauth/token": { params: async () => ({ grant_type: "authorization_code", code: "ac_emulator" }) },
  "POST /oauth/deauthorize": {
    params: async (w) => ({ client_id: "ca_emulator", stripe_user_id: await w.id("account") })
  },
  "DELETE /v1/subscriptions/{subscription_exposed_id}/discount": {
    kinds: { subscription_exposed_id: "discounted_subscription" }
  },
  "GET /v1/subscriptions/search": searchRecipe,
  "POST /v1/tax/calculations": tax,
  "POST /v1/tax/transactions/create_from_calculation": tax,
  "POST /v1/tax/transactions/create_reversal": tax,
  "GET /v1/tax/transactions/{transaction}": tax,
  "POST /v1/test_helpers/test_clocks/{test_clock}/advance": { params: async () => ({ frozen_time: 1_700_086_400 }) }
}

const template = (path: string): ReadonlyArray<string> => {
  const segments = path.split("/")
  const out: Array<string> = []
  segments.forEach((segment, i) => {
    if (segment.startsWith("{")) {
      out.push(segments.slice(0, i + 1).map((s) => (s.startsWith("{") ? "*" : s)).join("/"))
    }
  })
  return out
}

/** A world on a target, with the hand-written kinds of this module. */
export const newWorld = (send: Send, seed: number, catalog?: Catalog): World =>
  new World(send, seed, catalog, { paths: pathKinds, params: paramKinds })

export interface Prepared {
  readonly request: Request
  /** The path arguments, in template order. */
  readonly args: ReadonlyArray<string>
  /** Why a parent the call needs could not be made (the call then names one that does not exist). */
  readonly setupError: string | undefined
}

/** The request for an operation, with ids of objects that exist on `world`'s target. */
export const prepare = async (op: SdkOperation, world: World): Promise<Prepared> => {
  const recipe = recipes[`${op.method} ${op.template}`] ?? {}
  const names = pathParams(op.template)
  const prefixes = template(op.template)
  const args: Array<string> = []
  const problems: Array<string> = []
  const attempt = async <A>(what: () => Promise<A>, fallback: A): Promise<A> => {
    try {
      return await what()
    } catch (e) {
      if (!(e instanceof MissingParent)) throw e
      problems.push(e.message)
      return fallback
    }
  }
  for (const [i, name] of names.entries()) {
    const kind = recipe.kinds?.[name] ?? kindOfPrefix(prefixes[i] ?? "", pathKinds)
    // A kind no Stripe call can make (see the allow-list) is asked for by an id that does not exist.
    args.push(world.knows(kind) ? await attempt(() => world.id(kind), `${name}_none`) : `${kind}_none`)
  }
  const base = await attempt(() => world.paramsFor(op), {})
  const extra = recipe.params === undefined ? {} : await attempt(() => recipe.params!(world), {})
  let i = 0
  const path = op.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(args[i++] ?? ""))
  return {
    args,
    request: {
      method: op.method,
      path,
      params: { ...base, ...extra },
      multipart: op.path === "/v1/files" && op.method === "POST"
    },
    setupError: problems.length === 0 ? undefined : problems.join("; ")
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

// ---------------------------------------------------------------- comparison

type Kind = "null" | "boolean" | "number" | "string" | "array" | "object" | "absent"

const kindOf = (u: unknown): Kind =>
  u === undefined ? "absent" : u === null ? "null" : Array.isArray(u) ? "array" : typeof u === "object" ?
    "object" :
    typeof u === "boolean"
    ? "boolean"
    : typeof u === "number"
    ? "number"
    : "string"

export interface Difference {
  readonly what: "status" | "missing" | "extra" | "kind"
  readonly field: string
  readonly emulator: string
  readonly stripeMock: string
}

const describe = (u: unknown): string => {
  const s = JSON.stringify(u)
  return s === undefined ? "absent" : s.length > 120 ? `${s.slice(0, 117)}...` : s
}

/**
 * Differences between two JSON objects, key by key. `null` on one side and a
 * value on the other is no difference (stripe-mock's fixtures fill nullable
 * fields with example values, such as `canceled_at` on a new intent).
 */
export const compareObjects = (emulator: unknown, stripeMock: unknown, prefix = ""): ReadonlyArray<Difference> => {
  const out: Array<Difference> = []
  if (!isRecord(emulator) || !isRecord(stripeMock)) {
    if (kindOf(emulator) !== kindOf(stripeMock)) {
      out.push({
        what: "kind",
        field: prefix || "(body)",
        emulator: describe(emulator),
        stripeMock: describe(stripeMock)
      })
    }
    return out
  }
  const keys = new Set([...Object.keys(emulator), ...Object.keys(stripeMock)])
  for (const key of [...keys].sort()) {
    const e = emulator[key]
    const m = stripeMock[key]
    const name = `${prefix}${key}`
    if (e === undefined) out.push({ what: "missing", field: name, emulator: "absent", stripeMock: describe(m) })
    else if (m === undefined) out.push({ what: "extra", field: name, emulator: describe(e), stripeMock: "absent" })
    else if (e !== null && m !== null && kindOf(e) !== kindOf(m)) {
      out.push({ what: "kind", field: name, emulator: describe(e), stripeMock: describe(m) })
    }
  }
  return out
}

const errorOf = (body: unknown): string => {
  const error = isRecord(body) ? body["error"] : undefined
  return isRecord(error) ? `${String(error["code"] ?? error["type"])}: ${String(error["message"])}` : describe(body)
}

export interface Comparison {
  readonly label: string
  readonly method: string
  readonly path: string
  readonly request: Request | undefined
  readonly emulatorStatus: number
  readonly stripeMockStatus: number
  readonly differences: ReadonlyArray<Difference>
  /** Why the emulator side could not be set up, if it could not. */
  readonly setupError: string | undefined
}

/** Compares two replies: status, then (for 200s) top-level fields and the first list item's fields. */
export const compareReplies = (emulator: Reply, stripeMock: Reply): ReadonlyArray<Difference> => {
  if (emulator.status !== stripeMock.status) {
    return [{
      what: "status",
      field: "(status)",
      emulator: `${emulator.status} ${emulator.status === 200 ? "" : errorOf(emulator.body)}`,
      stripeMock: `${stripeMock.status} ${stripeMock.status === 200 ? "" : errorOf(stripeMock.body)}`
    }]
  }
  if (emulator.status !== 200) return []
  const top = compareObjects(emulator.body, stripeMock.body)
  const e = isRecord(emulator.body) ? emulator.body : {}
  const m = isRecord(stripeMock.body) ? stripeMock.body : {}
  const isList = m["object"] === "list" || m["object"] === "search_result"
  const eItem = Array.isArray(e["data"]) ? e["data"][0] : undefined
  const mItem = Array.isArray(m["data"]) ? m["data"][0] : undefined
  return isList && eItem !== undefined && mItem !== undefined
    ? [...top, ...compareObjects(eItem, mItem, "data[].")]
    : top
}

/**
 * stripe-mock answers a polymorphic response with its first variant (a
 * customer's new card source comes back as an account). When the emulator
 * answers another variant the spec allows, it is compared with stripe-mock's
 * fixture of that variant, from an endpoint that answers only that variant.
 */
const variantEndpoints: Readonly<Record<string, Request>> = {
  "bank_account": { method: "GET", path: "/v1/customers/cus_variant/bank_accounts/ba_variant", params: {} },
  "card": { method: "GET", path: "/v1/customers/cus_variant/cards/card_variant", params: {} },
  "deleted bank_account": {
    method: "DELETE",
    path: "/v1/accounts/acct_variant/external_accounts/ba_variant",
    params: {}
  },
  "deleted card": { method: "DELETE", path: "/v1/accounts/acct_variant/external_accounts/card_variant", params: {} }
}

const objectOf = (body: unknown): string | undefined => {
  if (!isRecord(body) || typeof body["object"] !== "string") return undefined
  return body["deleted"] === true ? `deleted ${body["object"]}` : body["object"]
}

const variantFixture = async (op: SdkOperation, emulator: Reply, stripeMock: Reply, send: Send): Promise<Reply> => {
  const mine = objectOf(emulator.body)
  const theirs = objectOf(stripeMock.body)
  if (emulator.status !== 200 || stripeMock.status !== 200 || mine === undefined || mine === theirs) return stripeMock
  const spec = operation(op.method, op.template)
  const allowed = responseObjects(spec === undefined ? undefined : responseSchema(spec))
  const endpoint = variantEndpoints[mine]
  if (allowed.size < 2 || !allowed.has(mine.replace(/^deleted /, "")) || endpoint === undefined) return stripeMock
  return send(endpoint)
}

/** Runs one operation on a fresh emulator world and on stripe-mock. */
export const compareOperation = async (
  op: SdkOperation,
  emulator: Send,
  stripeMock: Send,
  seed: number
): Promise<Comparison> => {
  const base = { label: label(op), method: op.method, path: op.template }
  const world = newWorld(emulator, seed)
  let prepared: Prepared
  try {
    prepared = await prepare(op, world)
    if (prepared.setupError !== undefined) throw new Error(prepared.setupError)
  } catch (e) {
    return {
      ...base,
      request: undefined,
      emulatorStatus: 0,
      stripeMockStatus: 0,
      differences: [],
      setupError: e instanceof Error ? e.message : String(e)
    }
  }
  const [e, first] = await Promise.all([emulator(prepared.request), stripeMock(prepared.request)])
  const m = await variantFixture(op, e, first, stripeMock)
  return {
    ...base,
    request: prepared.request,
    emulatorStatus: e.status,
    stripeMockStatus: m.status,
    differences: compareReplies(e, m),
    setupError: undefined
  }
}

export { World }
