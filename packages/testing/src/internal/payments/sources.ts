/**
 * Payment sources: cards and bank accounts made from Stripe's test tokens
 * (`tok_visa`, `btok_us`, `btok_us_verified`...), saved on a customer
 * (`/v1/customers/{customer}/sources`, `/cards`, `/bank_accounts`) or on a
 * connected account as an external account. Retrieve, update, delete (a
 * deleted stub) and bank account verification.
 *
 * @internal
 */
import type { Ctx, Engine, Handler } from "../engine.js"
import { invalidRequest, resourceMissing } from "../errors.js"
import type { Obj } from "../json.js"
import { isObj } from "../json.js"
import { list } from "../lists.js"
import { paramArray, paramString, stripExpand } from "../params.js"
import { testCardOf } from "./testCards.js"

/** Who a source belongs to. @internal */
export type Owner = { readonly customer: string } | { readonly account: string }

const bankTokens: Readonly<Record<string, { readonly status: string }>> = {
  btok_us: { status: "new" },
  btok_us_verified: { status: "verified" },
  btok_1: { status: "new" }
}

const ownerFields = (owner: Owner): Obj => ("customer" in owner ? { customer: owner.customer } : {})

/** A card or bank account made from a token (or a raw `card`/`bank_account` hash). @internal */
export const sourceFromToken = (engine: Engine, token: string, owner: Owner, param: string): Obj => {
  const bank = bankTokens[token]
  if (bank !== undefined || token.startsWith("btok_")) {
    return engine.create("bank_account", {}, {
      account_holder_name: null,
      account_holder_type: "individual",
      account_type: null,
      bank_name: "STRIPE TEST BANK",
      country: "US",
      currency: "usd",
      customer: null,
      fingerprint: engine.ids.random(16),
      last4: "6789",
      metadata: {},
      routing_number: "110000000",
      status: bank?.status ?? "new",
      ...ownerFields(owner)
    })
  }
  const test = testCardOf(token)
  if (test === undefined) throw resourceMissing("token", token, param)
  const card = engine.create("card", {}, {
    brand: test.card.brand === "visa" ? "Visa" : test.card.brand === "mastercard" ? "MasterCard" : test.card.brand,
    country: "US",
    customer: null,
    cvc_check: "pass",
    exp_month: 12,
    exp_year: new Date(engine.nowMillis()).getUTCFullYear() + 8,
    fingerprint: engine.ids.random(16),
    funding: test.card.funding,
    last4: test.card.last4,
    metadata: {},
    tokenization_method: null,
    ...ownerFields(owner)
  })
  engine.cardBehaviour.set(String(card.id), test.name)
  return card
}

const sourceTypes = new Set(["card", "bank_account", "source"])

/** A customer's (or account's) stored source, or a 404. @internal */
export const ownedSource = (engine: Engine, id: string | undefined, owner: Owner): Obj => {
  const obj = id === undefined ? undefined : engine.get(id)
  const type = id === undefined ? undefined : engine.typeOf(id)
  const owned = obj !== undefined && type !== undefined && sourceTypes.has(type) &&
    ("customer" in owner ? obj.customer === owner.customer : isOnAccount(engine, owner.account, String(obj.id)))
  if (!owned || obj === undefined) throw resourceMissing("source", id ?? "", "id")
  return obj
}

const isOnAccount = (engine: Engine, account: string, id: string): boolean => {
  const acct = engine.get(account)
  const data = isObj(acct?.external_accounts) && Array.isArray(acct.external_accounts.data)
    ? acct.external_accounts.data
    : []
  return data.some((item) => isObj(item) && item.id === id)
}

const customerOf = (engine: Engine, ctx: Ctx): Obj => engine.mustGet(ctx.parentIds[0], "customer", "customer")

const customerSources = (engine: Engine, customerId: string): Array<Obj> =>
  [...engine.all("card"), ...engine.all("bank_account")]
    .filter((s) => s.customer === customerId)
    .sort((a, b) => Number(b.created ?? 0) - Number(a.created ?? 0))

/** Keeps the customer's `sources` list (an includable field, sent when expanded) current. */
const syncSources = (engine: Engine, customer: Obj): void => {
  const data = customerSources(engine, String(customer.id))
  customer.sources = {
    object: "list",
    data,
    has_more: false,
    total_count: data.length,
    url: `/v1/customers/${String(customer.id)}/sources`
  }
}

const createSource: Handler = (engine, ctx) => {
  const customer = customerOf(engine, ctx)
  const params = stripExpand(ctx.params)
  const token = paramString(params, "source") ?? paramString(params, "card") ?? paramString(params, "bank_account")
  if (token === undefined) throw invalidRequest("Missing required param: source.", "source", "parameter_missing")
  const source = sourceFromToken(engine, token, { customer: String(customer.id) }, "source")
  engine.spec.merge(String(engine.typeOf(String(source.id))), source, { metadata: params.metadata ?? {} })
  if (customer.default_source === null || customer.default_source === undefined) {
    customer.default_source = source.id ?? null
  }
  syncSources(engine, customer)
  engine.emit("customer.source.created", source)
  return source
}

const retrieveSource: Handler = (engine, ctx) =>
  ownedSource(engine, ctx.targetId, { customer: String(customerOf(engine, ctx).id) })

const updateSource: Handler = (engine, ctx) => {
  const source = ownedSource(engine, ctx.targetId, { customer: String(customerOf(engine, ctx).id) })
  return engine.update(engine.typeOf(String(source.id)) ?? "card", source, ctx.params)
}

/** Removes a source and answers with its deleted stub. @internal */
export const deleteSource = (engine: Engine, source: Obj): Obj => {
  const stub: Obj = { id: source.id ?? "", object: source.object ?? "card", deleted: true }
  engine.store.bury(String(source.id), stub)
  return { ...stub }
}

const removeSource: Handler = (engine, ctx) => {
  const customer = customerOf(engine, ctx)
  const source = ownedSource(engine, ctx.targetId, { customer: String(customer.id) })
  if (customer.default_source === source.id) customer.default_source = null
  engine.emit("customer.source.deleted", source)
  const stub = deleteSource(engine, source)
  syncSources(engine, customer)
  return stub
}

const verifySource: Handler = (engine, ctx) => {
  // `/verify` is an action on the source (or, in the table, a create under it).
  const id = ctx.targetId ?? ctx.parentIds[1]
  const source = ownedSource(engine, id, { customer: String(customerOf(engine, ctx).id) })
  if (source.object !== "bank_account") {
    throw invalidRequest("Only bank accounts can be verified.", undefined, "bank_account_unverified")
  }
  if (source.status === "verified") {
    throw invalidRequest("This bank account has already been verified.", undefined, "bank_account_verification_failed")
  }
  const amounts = paramArray(ctx.params, "amounts").map(Number)
  if (amounts.length > 0 && !(amounts[0] === 32 && amounts[1] === 45)) {
    throw invalidRequest(
      "The amounts provided do not match the amounts that were sent to the bank account.",
      "amounts",
      "bank_account_verification_failed"
    )
  }
  source.status = "verified"
  engine.emit("customer.source.updated", source)
  return source
}

const listSources = (objectFilter: string | undefined): Handler => (engine, ctx) => {
  const customer = customerOf(engine, ctx)
  const wanted = paramString(ctx.params, "object") ?? objectFilter
  const all = customerSources(engine, String(customer.id)).filter((s) => wanted === undefined || s.object === wanted)
  const { object: _object, ...rest } = ctx.params
  return list(engine, { ...ctx, params: rest }, "card", all)
}

const routes = (base: string, objectFilter: string | undefined): Record<string, Handler> => ({
  [`GET /v1/customers/{customer}/${base}`]: listSources(objectFilter),
  [`POST /v1/customers/{customer}/${base}`]: createSource,
  [`GET /v1/customers/{customer}/${base}/{id}`]: retrieveSource,
  [`POST /v1/customers/{customer}/${base}/{id}`]: updateSource,
  [`DELETE /v1/customers/{customer}/${base}/{id}`]: removeSource,
  [`POST /v1/customers/{customer}/${base}/{id}/verify`]: verifySource
})

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  ...routes("sources", undefined),
  ...routes("cards", "card"),
  ...routes("bank_accounts", "bank_account")
}
