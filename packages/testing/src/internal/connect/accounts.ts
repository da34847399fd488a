/**
 * Connected accounts: create (with requested capabilities), onboarding and
 * login links (Express accounts only), capabilities, and external accounts
 * (bank accounts and debit cards from test tokens).
 *
 * @internal
 */
import type { Ctx, Engine, Handler } from "../engine.js"
import { invalidRequest, resourceMissing } from "../errors.js"
import type { Obj } from "../json.js"
import { emptyList, isObj, listData } from "../json.js"
import { list } from "../lists.js"
import { paramBool, paramObject, paramString, stripExpand } from "../params.js"
import { deleteSource, ownedSource, sourceFromToken } from "../payments/sources.js"

const capabilityFor = (engine: Engine, account: Obj, name: string, requested: boolean): Obj => {
  const cap = engine.spec.template("capability")
  Object.assign(cap, {
    account: String(account.id),
    id: name,
    requested,
    requested_at: requested ? engine.nowSeconds() : null,
    status: requested ? "inactive" : "unrequested"
  })
  return cap
}

interface Capabilities {
  readonly byAccount: Map<string, Map<string, Obj>>
}

const isCapabilities = (u: unknown): u is Capabilities =>
  typeof u === "object" && u !== null && "byAccount" in u && u.byAccount instanceof Map

const capabilitiesOf = (engine: Engine, account: Obj): Map<string, Obj> => {
  const state = engine.stateOf("capabilities", (): Capabilities => ({ byAccount: new Map() }), isCapabilities)
  const id = String(account.id)
  const known = state.byAccount.get(id)
  if (known !== undefined) return known
  const made = new Map<string, Obj>()
  state.byAccount.set(id, made)
  return made
}

const accountCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const type = paramString(params, "type") ?? "custom"
  const account = engine.create("account", { ...params, external_account: "", bank_account: "" }, {
    business_type: paramString(params, "business_type") ?? null,
    charges_enabled: false,
    country: paramString(params, "country") ?? "US",
    default_currency: "usd",
    details_submitted: false,
    email: paramString(params, "email") ?? null,
    payouts_enabled: false,
    type
  })
  const caps: Obj = {}
  const requested = paramObject(params.capabilities)
  const store = capabilitiesOf(engine, account)
  for (const name of Object.keys(requested)) {
    const wanted = paramBool(paramObject(requested[name]), "requested") === true
    const cap = capabilityFor(engine, account, name, wanted)
    store.set(name, cap)
    if (wanted) caps[name] = "inactive"
  }
  account.capabilities = caps
  account.controller = { type: type === "standard" ? "account" : "application", is_controller: true }
  account.external_accounts = emptyList(`/v1/accounts/${String(account.id)}/external_accounts`)
  account.requirements = engine.spec.template("account_requirements")
  account.future_requirements = engine.spec.template("account_future_requirements")
  account.tos_acceptance = {}
  const token = paramString(params, "external_account")
  if (token !== undefined) addExternalAccount(engine, account, token)
  engine.emit("account.updated", account)
  return account
}

const accountOf = (engine: Engine, ctx: Ctx): Obj => engine.mustGet(ctx.parentIds[0], "account", "account")

const capability = (engine: Engine, ctx: Ctx): Obj => {
  const account = accountOf(engine, ctx)
  const cap = capabilitiesOf(engine, account).get(ctx.targetId ?? "")
  if (cap === undefined) throw resourceMissing("capability", ctx.targetId ?? "", "capability")
  return cap
}

const capabilityUpdate: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  const store = capabilitiesOf(engine, account)
  const name = ctx.targetId ?? ""
  const requested = paramBool(ctx.params, "requested") ?? true
  const cap = store.get(name) ?? capabilityFor(engine, account, name, requested)
  cap.requested = requested
  cap.requested_at = requested ? engine.nowSeconds() : null
  cap.status = requested ? "inactive" : "unrequested"
  store.set(name, cap)
  if (isObj(account.capabilities)) {
    if (requested) account.capabilities[name] = "inactive"
    else delete account.capabilities[name]
  }
  engine.emit("capability.updated", cap)
  return cap
}

const capabilityList: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  return { object: "list", data: [...capabilitiesOf(engine, account).values()], has_more: false, url: ctx.path }
}

const addExternalAccount = (engine: Engine, account: Obj, token: string): Obj => {
  const external = sourceFromToken(engine, token, { account: String(account.id) }, "external_account")
  const data = listData(account.external_accounts)
  if (isObj(account.external_accounts)) {
    data.unshift(external)
    account.external_accounts = { ...account.external_accounts, data, total_count: data.length }
  }
  engine.emit("account.external_account.created", external)
  return external
}

const externalAccountCreate: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  const params = stripExpand(ctx.params)
  const token = paramString(params, "external_account") ?? paramString(params, "bank_account")
  if (token === undefined) {
    throw invalidRequest("Missing required param: external_account.", "external_account", "parameter_missing")
  }
  const external = addExternalAccount(engine, account, token)
  engine.spec.merge(String(engine.typeOf(String(external.id))), external, { metadata: params.metadata ?? {} })
  return external
}

const externalAccount = (engine: Engine, ctx: Ctx): Obj =>
  ownedSource(engine, ctx.targetId, { account: String(accountOf(engine, ctx).id) })

const externalAccountUpdate: Handler = (engine, ctx) => {
  const external = externalAccount(engine, ctx)
  const updated = engine.update(engine.typeOf(String(external.id)) ?? "bank_account", external, ctx.params, false)
  engine.emit("account.external_account.updated", updated)
  return updated
}

const externalAccountDelete: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  const external = externalAccount(engine, ctx)
  if (isObj(account.external_accounts)) {
    const data = listData(account.external_accounts).filter((e) => !(isObj(e) && e.id === external.id))
    account.external_accounts = { ...account.external_accounts, data, total_count: data.length }
  }
  engine.emit("account.external_account.deleted", external)
  return deleteSource(engine, external)
}

const externalAccountList: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  const wanted = paramString(ctx.params, "object")
  const items = listData(account.external_accounts)
    .filter(isObj)
    .map((e) => engine.get(String(e.id)) ?? e)
    .filter((e) => wanted === undefined || e.object === wanted)
  const { object: _object, ...rest } = ctx.params
  return list(engine, { ...ctx, params: rest }, "bank_account", items)
}

const accountLinkCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const account = paramString(params, "account") ?? ""
  engine.mustGet(account, "account", "account")
  return engine.create("account_link", {}, {
    expires_at: engine.nowSeconds() + 300,
    url: `https://connect.stripe.com/setup/e/${account}/${engine.ids.random(20)}`
  })
}

const loginLinkCreate: Handler = (engine, ctx) => {
  const account = accountOf(engine, ctx)
  if (account.type !== "express") {
    throw invalidRequest(
      "Cannot create a login link for an account that is not an Express account.",
      "account",
      "account_invalid"
    )
  }
  return engine.create("login_link", {}, {
    url: `https://connect.stripe.com/express/${String(account.id)}/${engine.ids.random(20)}`
  })
}

const accountReject: Handler = (engine, ctx) => {
  const account = engine.mustGet(ctx.targetId, "account", "account")
  const reason = paramString(ctx.params, "reason") ?? "other"
  account.charges_enabled = false
  account.payouts_enabled = false
  if (isObj(account.requirements)) account.requirements.disabled_reason = `rejected.${reason}`
  engine.emit("account.updated", account)
  return account
}

const externalRoutes = (base: string): Record<string, Handler> => ({
  [`GET /v1/accounts/{account}/${base}`]: externalAccountList,
  [`POST /v1/accounts/{account}/${base}`]: externalAccountCreate,
  [`GET /v1/accounts/{account}/${base}/{id}`]: externalAccount,
  [`POST /v1/accounts/{account}/${base}/{id}`]: externalAccountUpdate,
  [`DELETE /v1/accounts/{account}/${base}/{id}`]: externalAccountDelete
})

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/account_links": accountLinkCreate,
  "POST /v1/accounts": accountCreate,
  "GET /v1/accounts/{account}/capabilities": capabilityList,
  "GET /v1/accounts/{account}/capabilities/{capability}": capability,
  "POST /v1/accounts/{account}/capabilities/{capability}": capabilityUpdate,
  "POST /v1/accounts/{account}/login_links": loginLinkCreate,
  "POST /v1/accounts/{account}/reject": accountReject,
  ...externalRoutes("external_accounts"),
  ...externalRoutes("bank_accounts")
}
