/**
 * The emulator's core: one request in, one response out. It authenticates,
 * picks the API version's table, routes, validates, replays idempotent
 * requests, runs the operation's handler (a domain module's lifecycle, or the
 * generic CRUD of `crud.ts`), expands the result and records what happened.
 * It also owns the store, the clock, ids and events, which handlers use.
 *
 * @internal
 */
import { seedCatalogs } from "./catalogs.js"
import { generic, v2Generic } from "./crud.js"
import { ApiFailure, invalidRequest, resourceMissing } from "./errors.js"
import { expand } from "./expand.js"
import type { RawRequest, RawResponse } from "./http.js"
import { authenticate, failureResponse, headerValue, jsonResponse, parseParams } from "./http.js"
import { IdempotencyCache } from "./idempotency.js"
import { IdGenerator } from "./ids.js"
import type { Obj, Value } from "./json.js"
import { clone, isObj, stableStringify } from "./json.js"
import type { Params } from "./params.js"
import { expandPaths } from "./params.js"
import { routerOf } from "./router.js"
import type { Shapes } from "./shapes.js"
import { parseCode, shapesOf } from "./shapes.js"
import type { OperationSpec } from "./spec.js"
import { defaultTable, tableFor } from "./spec.js"
import { Store } from "./store.js"
import type { WebhookDelivery, WebhookTarget } from "./webhooks.js"
import { Webhooks } from "./webhooks.js"

/** @internal */
export type { RawRequest, RawResponse, WebhookDelivery, WebhookTarget }

/** @internal */
export interface Ctx {
  readonly method: string
  readonly path: string
  readonly op: OperationSpec
  /** Path params by name. */
  readonly pathParams: Readonly<Record<string, string>>
  /** The last path param (the object a retrieve/update/action is about). */
  readonly targetId: string | undefined
  /** Every path param before the target. */
  readonly parentIds: ReadonlyArray<string>
  readonly params: Params
  readonly requestId: string
  readonly idempotencyKey: string | undefined
}

/** @internal */
export interface Binary {
  readonly _tag: "Binary"
  readonly contentType: string
  readonly bytes: Uint8Array
}

/** @internal */
export type HandlerResult = Obj | Binary

/** @internal */
export const isBinary = (result: HandlerResult): result is Binary => result._tag === "Binary" && "bytes" in result

/** @internal */
export type Handler = (engine: Engine, ctx: Ctx) => HandlerResult

/** A v2 endpoint: method, path, params, the request's authorization header. @internal */
export type V2Handler = (engine: Engine, params: Params, authorization: string | undefined) => Obj

/** @internal */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  readonly replayed: boolean
}

/** @internal */
export interface EngineOptions {
  readonly meterSessionLifetimeMillis: number
  readonly now: () => number
  readonly seed: number
  readonly webhooks?: WebhookTarget | undefined
  /** v1 lifecycles by `METHOD /path/template`; other operations use the generic CRUD. */
  readonly handlers: Readonly<Record<string, Handler>>
  /** v2 endpoints by `METHOD /path`. */
  readonly v2: Readonly<Record<string, V2Handler>>
}

const maxLogged = 10_000

const eventPrefixes: Readonly<Record<string, string>> = {
  "subscription": "customer.subscription",
  "tax_id": "customer.tax_id",
  "discount": "customer.discount",
  "bank_account": "customer.source",
  "card": "customer.source",
  "customer_cash_balance_transaction": "customer_cash_balance_transaction",
  "test_helpers.test_clock": "test_helpers.test_clock"
}

/** @internal */
export class Engine {
  readonly ids: IdGenerator
  readonly store = new Store()
  readonly idempotency = new IdempotencyCache()
  readonly webhooksOut: Webhooks
  readonly requests: Array<RecordedRequest> = []
  /** Which test card a payment method was made from (drives declines). */
  readonly cardBehaviour = new Map<string, string>()
  /** State of domain modules that is not a Stripe object (meter sessions, stream events). */
  readonly state = new Map<string, unknown>()
  private active: Shapes = shapesOf(defaultTable)
  private currentRequest: { id: string; idempotencyKey: string | undefined } | undefined

  constructor(readonly options: EngineOptions) {
    this.ids = new IdGenerator(options.seed)
    this.webhooksOut = new Webhooks(options.webhooks, () => this.nowSeconds())
    seedCatalogs(this)
  }

  /** The shapes of the API version of the request being handled (the default one outside requests). */
  get spec(): Shapes {
    return this.active
  }

  get webhooks(): WebhookTarget | undefined {
    return this.webhooksOut.target
  }

  set webhooks(target: WebhookTarget | undefined) {
    this.webhooksOut.target = target
  }

  get deliveries(): ReadonlyArray<WebhookDelivery> {
    return this.webhooksOut.deliveries
  }

  flushWebhooks(): Promise<void> {
    return this.webhooksOut.flush()
  }

  // ---------------------------------------------------------------- clock

  nowMillis(): number {
    return this.options.now()
  }

  nowSeconds(): number {
    return Math.floor(this.options.now() / 1000)
  }

  // ---------------------------------------------------------------- store

  get(id: string): Obj | undefined {
    return this.store.get(id)
  }

  typeOf(id: string): string | undefined {
    return this.store.typeOf(id)
  }

  all(type: string): Array<Obj> {
    return this.store.all(type)
  }

  put(type: string, obj: Obj): Obj {
    return this.store.put(type, obj)
  }

  remove(id: string): void {
    this.store.remove(id)
  }

  reset(): void {
    this.store.clear()
    this.idempotency.clear()
    this.state.clear()
    this.requests.length = 0
    this.cardBehaviour.clear()
    this.webhooksOut.clear()
    seedCatalogs(this)
  }

  /** A domain module's own state, created on first use. */
  stateOf<A>(key: string, make: () => A, is: (u: unknown) => u is A): A {
    const known = this.state.get(key)
    if (is(known)) return known
    const made = make()
    this.state.set(key, made)
    return made
  }

  /**
   * Builds, stores and returns a new object of a type: the template of the
   * request's API version, params merged, then `extra` (fields the version
   * does not have are dropped, so objects keep the version's shape).
   */
  create(type: string, params: Params, extra: Obj = {}): Obj {
    const spec = this.active
    const obj = spec.template(type)
    if (spec.hasField(type, "id")) obj.id = this.ids.id(type)
    // v1 timestamps are Unix seconds; v2 ones RFC 3339 strings.
    const createdCode = spec.fieldsOf(type).created
    if (createdCode !== undefined) {
      obj.created = parseCode(createdCode).base === "s" ? new Date(this.nowMillis()).toISOString() : this.nowSeconds()
    }
    if (spec.hasField(type, "livemode")) obj.livemode = false
    // New coupons, promotion codes, tax rates, features... start usable.
    for (const flag of ["active", "valid"]) {
      if (spec.fieldsOf(type)[flag] === "b") obj[flag] = true
    }
    spec.merge(type, obj, this.withNow(type, params), this.resolver)
    for (const [k, v] of Object.entries(extra)) if (spec.hasField(type, k)) obj[k] = v
    spec.fillTagged(type, obj)
    return this.put(type, obj)
  }

  /** Params with Stripe's `"now"` for a timestamp (`active_from=now`, `start_date=now`) as the clock's time. */
  withNow(type: string, params: Params): Params {
    let out: Record<string, Value> | undefined
    for (const [key, value] of Object.entries(params)) {
      if (value !== "now") continue
      const code = this.active.fieldsOf(type)[key]
      if (code === undefined || !/^[~?]*[in]$/.test(code)) continue
      out ??= { ...params }
      out[key] = this.nowSeconds()
    }
    return out ?? params
  }

  /** Resolves an id param into the object a field embeds, or 404s. */
  readonly resolver = (id: string, field: string, type: string): Obj => {
    const found = this.store.get(id)
    if (found !== undefined && (this.store.typeOf(id) === type || this.active.fieldsOf(type).object === undefined)) {
      return found
    }
    throw resourceMissing(field, id, field)
  }

  /** The stored object, or a 404 naming it as Stripe does. */
  mustGet(id: string | undefined, type: string | undefined, param = "id"): Obj {
    const obj = id === undefined ? undefined : this.store.get(id)
    const found = obj !== undefined && (type === undefined || type === "" || this.store.typeOf(id ?? "") === type)
    if (!found || obj === undefined) {
      const what = (type === undefined ? undefined : this.active.objectName(type)) ?? type ?? "object"
      throw resourceMissing(what, id ?? "", param)
    }
    return obj
  }

  /** Merges params into a stored object and records `<type>.updated`. */
  update(type: string, obj: Obj, params: Params, emit = true): Obj {
    const before = clone(obj)
    const withoutExpand: Record<string, Value> = { ...params }
    delete withoutExpand.expand
    this.active.merge(type, obj, this.withNow(type, withoutExpand), this.resolver)
    if (emit) {
      const previous: Obj = {}
      for (const key of Object.keys(withoutExpand)) {
        if (key in before && JSON.stringify(before[key]) !== JSON.stringify(obj[key])) previous[key] = before[key]
      }
      this.emit(this.eventTypeFor(type, "updated"), obj, previous)
    }
    return obj
  }

  // ---------------------------------------------------------------- events

  eventTypeFor(type: string, action: string): string {
    return `${eventPrefixes[type] ?? this.active.objectName(type) ?? type}.${action}`
  }

  /** Records an event when the type is one the API version defines, and delivers it. */
  emit(eventType: string, object: Obj, previousAttributes?: Obj): Obj | undefined {
    if (!this.active.eventTypes.has(eventType)) return undefined
    const data: Obj = { object: clone(object) }
    if (previousAttributes !== undefined) data.previous_attributes = clone(previousAttributes)
    const event = this.create("event", {}, {
      api_version: this.active.apiVersion,
      data,
      pending_webhooks: 0,
      request: {
        id: this.currentRequest?.id ?? null,
        idempotency_key: this.currentRequest?.idempotencyKey ?? null
      },
      type: eventType
    })
    this.webhooksOut.deliver(event, this.all("webhook_endpoint"))
    return event
  }

  registerWebhookSecret(endpointId: string, secret: string): void {
    this.webhooksOut.registerSecret(endpointId, secret)
  }

  // ---------------------------------------------------------------- requests

  /** Keeps the request log bounded for long-running servers (the CLI, benchmarks). */
  record(request: RecordedRequest): void {
    this.requests.push(request)
    // Trimmed in batches so each request stays O(1).
    if (this.requests.length > 2 * maxLogged) this.requests.splice(0, this.requests.length - maxLogged)
  }

  failure(failure: ApiFailure, requestId: string): RawResponse {
    return failureResponse(failure, requestId, this.active.apiVersion)
  }

  async respond(req: RawRequest): Promise<RawResponse> {
    const requestId = this.ids.prefixed("req", 14)
    const url = new URL(req.url, "http://emulator.invalid")
    const method = req.method.toUpperCase()
    const path = url.pathname.replace(/\/+$/, "") || "/"
    const idempotencyKey = headerValue(req.headers, "idempotency-key")
    const version = headerValue(req.headers, "stripe-version")
    const shapes = shapesOf(tableFor(version))
    let response: RawResponse
    let replayed = false
    try {
      const result = await this.dispatch(req, method, path, url, requestId, idempotencyKey, shapes)
      response = result.response
      replayed = result.replayed
    } catch (e) {
      const failure = e instanceof ApiFailure ?
        e :
        new ApiFailure(500, {
          type: "api_error",
          message: `Emulator error: ${e instanceof Error ? e.message : String(e)}`
        })
      response = failureResponse(failure, requestId, shapes.apiVersion)
    }
    const headers: Record<string, string> = { ...response.headers, "stripe-version": version ?? shapes.apiVersion }
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey
    const account = headerValue(req.headers, "stripe-account")
    if (account !== undefined) headers["stripe-account"] = account
    this.record({ method, path, status: response.status, requestId, idempotencyKey, replayed })
    return { ...response, headers }
  }

  private async dispatch(
    req: RawRequest,
    method: string,
    path: string,
    url: URL,
    requestId: string,
    idempotencyKey: string | undefined,
    shapes: Shapes
  ): Promise<{ response: RawResponse; replayed: boolean }> {
    const authorization = headerValue(req.headers, "authorization")
    const isV2 = path.startsWith("/v2/")
    const isStream = path === "/v2/billing/meter_event_stream"
    const apiKey = isStream ? undefined : authenticate(authorization)
    const contentType = headerValue(req.headers, "content-type") ?? ""
    const params = await parseParams(method, url, req.body, contentType, isV2)

    const mutating = method === "POST" || (isV2 && method === "DELETE")
    const idemKey = mutating && idempotencyKey !== undefined
      ? `${apiKey ?? authorization ?? ""}\u0000${idempotencyKey}`
      : undefined
    const fingerprint = `${method} ${path} ${stableStringify(params)}`
    if (idemKey !== undefined && idempotencyKey !== undefined) {
      const stored = this.idempotency.replay(idemKey, fingerprint, idempotencyKey)
      if (stored !== undefined) {
        return {
          response: {
            ...stored,
            headers: { ...stored.headers, "idempotent-replayed": "true", "original-request": requestId }
          },
          replayed: true
        }
      }
    }

    // From here to the response nothing awaits: the request's table and id stay put.
    this.active = shapes
    this.currentRequest = { id: requestId, idempotencyKey }
    let response: RawResponse
    try {
      response = isV2
        ? this.v2(method, path, params, authorization, requestId, idempotencyKey)
        : this.v1(method, path, params, requestId, idempotencyKey)
    } catch (e) {
      if (!(e instanceof ApiFailure)) throw e
      response = this.failure(e, requestId)
      // Stripe only saves results for requests that started executing:
      // parameter validation failures can be retried with the same key.
      const code = e.error.code
      if (code === "parameter_missing" || code === "parameter_unknown" || e.status === 401) {
        return { response, replayed: false }
      }
    } finally {
      this.currentRequest = undefined
      this.active = shapesOf(defaultTable)
    }
    if (idemKey !== undefined && response.status < 500) this.idempotency.save(idemKey, fingerprint, response)
    return { response, replayed: false }
  }

  /** The operation a request names, with its path params, checked params and parents. */
  private context(
    method: string,
    path: string,
    params: Params,
    requestId: string,
    idempotencyKey: string | undefined
  ): Ctx {
    const matched = routerOf(this.active.table).route(method, path)
    if (matched === undefined) {
      throw invalidRequest(
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        undefined,
        undefined,
        404
      )
    }
    const { op } = matched
    validate(op, params)
    const pathParams: Record<string, string> = {}
    for (const [k, v] of matched.params) pathParams[k] = v
    const values = matched.params.map(([, v]) => v)
    const hasTarget = op.k === "retrieve" || op.k === "update" || op.k === "delete" || op.k === "action" ||
      op.k === "binary"
    const ctx: Ctx = {
      method,
      path,
      op,
      pathParams,
      targetId: hasTarget ? values[values.length - 1] : undefined,
      parentIds: hasTarget ? values.slice(0, -1) : values,
      params,
      requestId,
      idempotencyKey
    }
    for (const [name, value] of matched.params) {
      if (ctx.parentIds.includes(value) && !this.store.has(value)) throw resourceMissing(name, value, name)
    }
    return ctx
  }

  private v1(
    method: string,
    path: string,
    params: Params,
    requestId: string,
    idempotencyKey: string | undefined
  ): RawResponse {
    const ctx = this.context(method, path, params, requestId, idempotencyKey)
    const { op } = ctx
    const handler = this.options.handlers[`${method} ${op.p}`]
    const result = handler !== undefined ? handler(this, ctx) : generic(this, ctx)
    if (isBinary(result)) {
      return {
        status: 200,
        headers: { "content-type": result.contentType, "request-id": requestId },
        body: result.bytes
      }
    }
    const spec = this.active
    const body = expand(
      clone(result),
      expandPaths(params),
      (id) => this.store.getOrTombstone(id),
      (value) => isObj(value) ? spec.conformResponse(op.t, value) : value
    )
    return jsonResponse(200, body, requestId, this.active.apiVersion)
  }

  private v2(
    method: string,
    path: string,
    params: Params,
    authorization: string | undefined,
    requestId: string,
    idempotencyKey: string | undefined
  ) {
    const handler = this.options.v2[`${method} ${path}`]
    if (handler !== undefined) {
      return jsonResponse(200, handler(this, params, authorization), requestId, this.active.apiVersion)
    }
    const ctx = this.context(method, path, params, requestId, idempotencyKey)
    const lifecycle = this.options.handlers[`${method} ${ctx.op.p}`]
    const handled = lifecycle === undefined ? v2Generic(this, ctx) : lifecycle(this, ctx)
    if (isBinary(handled)) throw invalidRequest(`${method} ${path} has no binary response`, undefined, undefined, 500)
    const result = handled
    return jsonResponse(200, this.active.conformResponse(ctx.op.t, clone(result)), requestId, this.active.apiVersion)
  }
}

const validate = (op: OperationSpec, params: Params) => {
  const allowed = new Set(op.q)
  allowed.add("expand")
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw invalidRequest(`Received unknown parameter: ${key}`, key, "parameter_unknown")
  }
  for (const key of op.r) {
    const v = params[key]
    if (v === undefined || v === "") {
      throw invalidRequest(`Missing required param: ${key}.`, key, "parameter_missing")
    }
  }
}
