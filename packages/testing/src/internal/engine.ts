/**
 * The emulator's request handling: auth, routing, validation, idempotency,
 * generic CRUD over an in-memory store, expand, events and webhooks. The
 * resource lifecycles live in `lifecycles.ts`.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"
import type { OperationSpec } from "../generated/spec.js"
import { apiVersion, eventTypes } from "../generated/spec.js"
import { decodeForm } from "./form.js"
import { IdGenerator } from "./ids.js"
import { handlers } from "./lifecycles.js"
import { route } from "./router.js"
import type { Json, Obj, Value } from "./schema.js"
import { emptyList, fieldsOf, hasField, isObj, merge, parseCode, template, toJson } from "./schema.js"
import { matches, parseQuery } from "./search.js"
import { signatureHeader } from "./signature.js"

/** @internal */
export interface RawRequest {
  readonly method: string
  /** Path and query, e.g. `/v1/customers?limit=3` (an absolute URL works too). */
  readonly url: string
  readonly headers?: Readonly<Record<string, string | ReadonlyArray<string> | undefined>> | undefined
  readonly body?: string | Uint8Array | undefined
}

/** @internal */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** @internal */
export type Params = { readonly [key: string]: Value }

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

/** A Stripe API failure, thrown inside handlers and turned into a response. @internal */
export class ApiFailure {
  constructor(
    readonly status: number,
    readonly error: Obj,
    readonly headers: Readonly<Record<string, string>> = {}
  ) {}
}

/** @internal */
export const invalidRequest = (message: string, param?: string, code?: string, status = 400): ApiFailure =>
  new ApiFailure(status, {
    type: "invalid_request_error",
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` })
  })

/** @internal */
export const resourceMissing = (what: string, id: string, param = "id"): ApiFailure =>
  invalidRequest(`No such ${what}: '${id}'`, param, "resource_missing", 404)

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

/** @internal */
export interface WebhookTarget {
  readonly url: string
  readonly secret: Redacted.Redacted<string>
}

/** @internal */
export interface WebhookDelivery {
  readonly eventId: string
  readonly type: string
  readonly url: string
  readonly status: number | undefined
  readonly error: string | undefined
}

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
export interface MeterSession {
  readonly id: string
  readonly token: string
  readonly createdAt: number
  readonly expiresAt: number
}

/** @internal */
export interface EngineOptions {
  readonly meterSessionLifetimeMillis: number
  readonly now: () => number
  readonly seed: number
  readonly webhooks?: WebhookTarget | undefined
}

interface StoredIdempotent {
  readonly fingerprint: string
  readonly response: RawResponse
}

const eventTypeSet: ReadonlySet<string> = new Set(eventTypes)

const maxLogged = 10_000
const maxIdempotencyKeys = 100_000

const eventPrefixes: Readonly<Record<string, string>> = {
  "subscription": "customer.subscription",
  "tax_id": "customer.tax_id",
  "discount": "customer.discount",
  "bank_account": "customer.source",
  "card": "customer.source",
  "customer_cash_balance_transaction": "customer_cash_balance_transaction",
  "test_helpers.test_clock": "test_helpers.test_clock"
}

const headerValue = (
  headers: RawRequest["headers"],
  name: string
): string | undefined => {
  if (headers === undefined) return undefined
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue
    const v = headers[key]
    if (v === undefined) return undefined
    return typeof v === "string" ? v : v.join(", ")
  }
  return undefined
}

const stableStringify = (value: Value | undefined): string => {
  if (value === undefined) return "null"
  if (Array.isArray(value)) return `[${value.map((v: Value) => stableStringify(v)).join(",")}]`
  if (isObj(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`
  }
  return JSON.stringify(value)
}

const textDecoder = new TextDecoder()

const clone = <A extends Json>(value: A): A => structuredClone(value)

/** @internal */
export const paramString = (params: Params, key: string): string | undefined => {
  const v = params[key]
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined
}

/** @internal */
export const paramInt = (params: Params, key: string): number | undefined => {
  const v = params[key]
  if (typeof v === "number") return Math.trunc(v)
  if (typeof v !== "string" || v === "") return undefined
  const n = Number.parseInt(v, 10)
  return Number.isNaN(n) ? undefined : n
}

/** @internal */
export const paramBool = (params: Params, key: string): boolean | undefined => {
  const v = params[key]
  return v === true || v === "true" ? true : v === false || v === "false" ? false : undefined
}

/** @internal */
export const paramArray = (params: Params, key: string): ReadonlyArray<Value> => {
  const v = params[key]
  if (Array.isArray(v)) return v
  if (isObj(v)) return Object.values(v)
  return v === undefined || v === "" ? [] : [v]
}

/** @internal */
export const paramObject = (value: Value | undefined): Params => (isObj(value) ? value : {})

/** @internal */
export class Engine {
  readonly ids: IdGenerator
  private readonly objects = new Map<string, Obj>()
  private readonly types = new Map<string, Array<string>>()
  private readonly typeById = new Map<string, string>()
  private readonly idempotency = new Map<string, StoredIdempotent>()
  /** Deleted stubs, so expanding a deleted customer gives `{ id, object, deleted: true }` like Stripe. */
  private readonly tombstones = new Map<string, Obj>()
  readonly meterSessions = new Map<string, MeterSession>()
  readonly meterEventStream: Array<Obj> = []
  readonly requests: Array<RecordedRequest> = []
  readonly deliveries: Array<WebhookDelivery> = []
  /** Which test card a payment method was made from (drives declines). */
  readonly cardBehaviour = new Map<string, string>()
  private readonly webhookSecrets = new Map<string, Redacted.Redacted<string>>()
  private deliveryChain: Promise<void> = Promise.resolve()
  webhooks: WebhookTarget | undefined
  private currentRequest: { id: string; idempotencyKey: string | undefined } | undefined

  constructor(readonly options: EngineOptions) {
    this.ids = new IdGenerator(options.seed)
    this.webhooks = options.webhooks
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
    return this.objects.get(id)
  }

  typeOf(id: string): string | undefined {
    return this.typeById.get(id)
  }

  all(type: string): Array<Obj> {
    const ids = this.types.get(type) ?? []
    const out: Array<Obj> = []
    for (const id of ids) {
      const obj = this.objects.get(id)
      if (obj !== undefined) out.push(obj)
    }
    return out
  }

  put(type: string, obj: Obj): Obj {
    const id = obj.id
    if (typeof id !== "string" || id === "") {
      // Objects without ids (account links, meter events) are kept under a
      // synthetic key so inspection helpers can still list them.
      const key = `${type}:${this.ids.random(16)}`
      this.store(type, key, obj)
      return obj
    }
    this.store(type, id, obj)
    return obj
  }

  private store(type: string, key: string, obj: Obj) {
    if (!this.objects.has(key)) {
      const list = this.types.get(type)
      if (list === undefined) this.types.set(type, [key])
      else list.push(key)
    }
    this.objects.set(key, obj)
    this.typeById.set(key, type)
  }

  remove(id: string) {
    const type = this.typeById.get(id)
    this.objects.delete(id)
    this.typeById.delete(id)
    if (type !== undefined) {
      const list = this.types.get(type)
      if (list !== undefined) {
        const i = list.indexOf(id)
        if (i >= 0) list.splice(i, 1)
      }
    }
  }

  reset() {
    this.objects.clear()
    this.types.clear()
    this.typeById.clear()
    this.idempotency.clear()
    this.tombstones.clear()
    this.meterSessions.clear()
    this.meterEventStream.length = 0
    this.requests.length = 0
    this.deliveries.length = 0
    this.cardBehaviour.clear()
    this.webhookSecrets.clear()
  }

  /** Builds, stores and returns a new object of a type. */
  create(type: string, params: Params, extra: Obj = {}): Obj {
    const obj = template(type)
    if (hasField(type, "id")) obj.id = this.ids.id(type)
    if (hasField(type, "created")) obj.created = this.nowSeconds()
    if (hasField(type, "livemode")) obj.livemode = false
    if (hasField(type, "metadata") && obj.metadata === null) obj.metadata = {}
    // New coupons, promotion codes, tax rates, features... start usable.
    for (const flag of ["active", "valid"]) {
      if (fieldsOf(type)[flag] === "b") obj[flag] = true
    }
    merge(type, obj, params, this.resolver)
    for (const [k, v] of Object.entries(extra)) obj[k] = v
    return this.put(type, obj)
  }

  /** Resolves an id param into the object a field embeds, or 404s. */
  readonly resolver = (id: string, field: string, type: string): Obj => {
    const found = this.objects.get(id)
    if (found !== undefined && (this.typeById.get(id) === type || fieldsOf(type).object === undefined)) return found
    throw resourceMissing(field, id, field)
  }

  /** The stored object, or a 404 naming it as Stripe does. */
  mustGet(id: string | undefined, type: string | undefined, param = "id"): Obj {
    const obj = id === undefined ? undefined : this.objects.get(id)
    const found = obj !== undefined && (type === undefined || type === "" || this.typeById.get(id!) === type)
    if (!found || obj === undefined) {
      const fields = type === undefined ? {} : fieldsOf(type)
      const objectCode = fields.object === undefined ? undefined : parseCode(fields.object).base
      const what = objectCode?.startsWith("s=") === true ? objectCode.slice(2) : (type ?? "object")
      throw resourceMissing(what, id ?? "", param)
    }
    return obj
  }

  // ---------------------------------------------------------------- events

  eventTypeFor(type: string, action: string): string {
    const objectCode = fieldsOf(type).object
    const objectName = objectCode === undefined ? type : parseCode(objectCode).base.replace(/^s=/, "")
    return `${eventPrefixes[type] ?? objectName}.${action}`
  }

  /** Records an event when the type is one Stripe defines. */
  emit(eventType: string, object: Obj, previousAttributes?: Obj): Obj | undefined {
    if (!eventTypeSet.has(eventType)) return undefined
    const data: Obj = { object: clone(object) }
    if (previousAttributes !== undefined) data.previous_attributes = clone(previousAttributes)
    const event = this.create("event", {}, {
      api_version: apiVersion,
      data,
      pending_webhooks: 0,
      request: {
        id: this.currentRequest?.id ?? null,
        idempotency_key: this.currentRequest?.idempotencyKey ?? null
      },
      type: eventType
    })
    this.deliver(event)
    return event
  }

  private deliver(event: Obj) {
    const targets: Array<{ url: string; secret: string }> = []
    if (this.webhooks !== undefined) {
      targets.push({ url: this.webhooks.url, secret: Redacted.value(this.webhooks.secret) })
    }
    for (const endpoint of this.all("webhook_endpoint")) {
      const enabled = endpoint.enabled_events
      const wanted = Array.isArray(enabled) && (enabled.includes("*") || enabled.includes(event.type))
      const secret = typeof endpoint.id === "string" ? this.webhookSecrets.get(endpoint.id) : undefined
      if (endpoint.status !== "disabled" && wanted && typeof endpoint.url === "string" && secret !== undefined) {
        targets.push({ url: endpoint.url, secret: Redacted.value(secret) })
      }
    }
    if (targets.length === 0) return
    const payload = JSON.stringify(event, null, 2)
    const eventId = String(event.id)
    const eventType = String(event.type)
    for (const target of targets) {
      // Sequential, so a receiver sees events in the order they happened.
      this.deliveryChain = this.deliveryChain.then(async () => {
        const header = signatureHeader(payload, target.secret, this.nowSeconds())
        try {
          const res = await fetch(target.url, {
            method: "POST",
            headers: {
              "content-type": "application/json; charset=utf-8",
              "stripe-signature": header,
              "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
            },
            body: payload
          })
          await res.arrayBuffer()
          this.deliveries.push({ eventId, type: eventType, url: target.url, status: res.status, error: undefined })
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e)
          this.deliveries.push({ eventId, type: eventType, url: target.url, status: undefined, error: message })
        }
      })
    }
  }

  /** Resolves once every queued webhook delivery has been attempted. */
  async flushWebhooks(): Promise<void> {
    let chain = this.deliveryChain
    // Deliveries may enqueue more while we wait; loop until the chain is stable.
    while (true) {
      await chain
      if (chain === this.deliveryChain) return
      chain = this.deliveryChain
    }
  }

  registerWebhookSecret(endpointId: string, secret: string) {
    this.webhookSecrets.set(endpointId, Redacted.make(secret))
  }

  // ---------------------------------------------------------------- responses

  private json(status: number, body: Json, requestId: string, extra: Record<string, string> = {}): RawResponse {
    return {
      status,
      headers: {
        "content-type": "application/json",
        "request-id": requestId,
        "stripe-version": apiVersion,
        "access-control-allow-origin": "*",
        ...extra
      },
      body: JSON.stringify(body, null, 2)
    }
  }

  failure(failure: ApiFailure, requestId: string): RawResponse {
    const error: Obj = { ...failure.error }
    if (error.request_log_url === undefined && error.type !== undefined) {
      error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`
    }
    return this.json(failure.status, { error }, requestId, { ...failure.headers })
  }

  /** Keeps the request log bounded for long-running servers (the CLI, benchmarks). */
  record(request: RecordedRequest) {
    this.requests.push(request)
    // Trimmed in batches so each request stays O(1).
    if (this.requests.length > 2 * maxLogged) this.requests.splice(0, this.requests.length - maxLogged)
  }

  // ---------------------------------------------------------------- entry point

  async respond(req: RawRequest): Promise<RawResponse> {
    const requestId = this.ids.prefixed("req", 14)
    const url = new URL(req.url, "http://emulator.invalid")
    const method = req.method.toUpperCase()
    const path = url.pathname.replace(/\/+$/, "") || "/"
    const idempotencyKey = headerValue(req.headers, "idempotency-key")
    const version = headerValue(req.headers, "stripe-version") ?? apiVersion
    let response: RawResponse
    let replayed = false
    try {
      const result = await this.dispatch(req, method, path, url, requestId, idempotencyKey)
      response = result.response
      replayed = result.replayed
    } catch (e) {
      if (e instanceof ApiFailure) {
        response = this.failure(e, requestId)
      } else {
        const message = e instanceof Error ? e.message : String(e)
        response = this.failure(
          new ApiFailure(500, { type: "api_error", message: `Emulator error: ${message}` }),
          requestId
        )
      }
    }
    const headers: Record<string, string> = { ...response.headers, "stripe-version": version }
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
    idempotencyKey: string | undefined
  ): Promise<{ response: RawResponse; replayed: boolean }> {
    const authorization = headerValue(req.headers, "authorization")
    const isV2 = path.startsWith("/v2/")
    const isStream = path === "/v2/billing/meter_event_stream"
    const apiKey = isStream ? undefined : this.authenticate(authorization)
    const contentType = headerValue(req.headers, "content-type") ?? ""
    const params = await this.parseParams(method, url, req.body, contentType, isV2)

    const mutating = method === "POST" || (isV2 && method === "DELETE")
    const idemKey = mutating && idempotencyKey !== undefined
      ? `${apiKey ?? authorization ?? ""}\u0000${idempotencyKey}`
      : undefined
    const fingerprint = `${method} ${path} ${stableStringify(params)}`
    if (idemKey !== undefined) {
      const stored = this.idempotency.get(idemKey)
      if (stored !== undefined) {
        if (stored.fingerprint !== fingerprint) {
          throw new ApiFailure(400, {
            type: "idempotency_error",
            message:
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
          })
        }
        return {
          response: {
            ...stored.response,
            headers: { ...stored.response.headers, "idempotent-replayed": "true", "original-request": requestId }
          },
          replayed: true
        }
      }
    }

    this.currentRequest = { id: requestId, idempotencyKey }
    let response: RawResponse
    try {
      response = isV2
        ? this.v2(method, path, params, authorization, requestId)
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
    }
    if (idemKey !== undefined && response.status < 500) {
      this.idempotency.set(idemKey, { fingerprint, response })
      // Stripe keeps keys for 24 hours; a bounded map is close enough here.
      if (this.idempotency.size > maxIdempotencyKeys) {
        const oldest = this.idempotency.keys().next()
        if (oldest.done !== true) this.idempotency.delete(oldest.value)
      }
    }
    return { response, replayed: false }
  }

  private authenticate(authorization: string | undefined): string {
    let key: string | undefined
    if (authorization !== undefined) {
      const bearer = /^Bearer\s+(.+)$/i.exec(authorization)
      const basic = /^Basic\s+(.+)$/i.exec(authorization)
      if (bearer !== null) key = bearer[1].trim()
      else if (basic !== null) key = Buffer.from(basic[1], "base64").toString("utf8").split(":")[0]
    }
    if (key === undefined || key === "") {
      throw new ApiFailure(401, {
        type: "authentication_error",
        message:
          "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
      })
    }
    if (!key.startsWith("sk_test_") && !key.startsWith("rk_test_")) {
      // Never echo the key: it may be a live secret sent here by mistake.
      throw new ApiFailure(401, {
        type: "authentication_error",
        code: "api_key_invalid",
        message: "Invalid API Key provided. The emulator only accepts test mode keys (sk_test_...)."
      })
    }
    return key
  }

  private async parseParams(
    method: string,
    url: URL,
    body: string | Uint8Array | undefined,
    contentType: string,
    isV2: boolean
  ): Promise<Params> {
    const query = url.search.length > 1 ? decodeForm(url.search.slice(1)) : {}
    if (method !== "POST" && !(isV2 && method === "DELETE")) return { ...query }
    if (body === undefined || body.length === 0) return { ...query }
    if (contentType.startsWith("multipart/form-data")) {
      const form = await new Response(typeof body === "string" ? body : new Uint8Array(body), {
        headers: { "content-type": contentType }
      }).formData()
      const out: Record<string, Value> = {}
      const fields: Array<string> = []
      for (const [key, value] of form.entries()) {
        if (typeof value === "string") fields.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
        else out[key] = { filename: value.name, size: value.size, type: value.type }
      }
      return { ...query, ...decodeForm(fields.join("&")), ...out }
    }
    const text = typeof body === "string" ? body : textDecoder.decode(body)
    if (isV2 || contentType.includes("json")) {
      try {
        const parsed: unknown = JSON.parse(text)
        if (isObj(parsed)) return { ...query, ...parsed }
      } catch {
        // fall through to the error below
      }
      throw invalidRequest("The request body is not a valid JSON object.")
    }
    return { ...query, ...decodeForm(text) }
  }

  // ---------------------------------------------------------------- v1

  private v1(
    method: string,
    path: string,
    params: Params,
    requestId: string,
    idempotencyKey: string | undefined
  ): RawResponse {
    const matched = route(method, path)
    if (matched === undefined) {
      throw invalidRequest(
        `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        undefined,
        undefined,
        404
      )
    }
    const { op } = matched
    this.validate(op, params)
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
      if (ctx.parentIds.includes(value)) this.checkParent(value, name)
    }
    const handler = handlers[`${method} ${op.p}`]
    const result = handler !== undefined ? handler(this, ctx) : this.generic(ctx)
    if (isBinary(result)) {
      return {
        status: 200,
        headers: { "content-type": result.contentType, "request-id": requestId },
        body: result.bytes
      }
    }
    return this.json(200, this.expand(clone(result), this.expandPaths(params)), requestId)
  }

  private checkParent(id: string, name: string) {
    if (this.objects.has(id)) return
    throw resourceMissing(name, id, name)
  }

  private validate(op: OperationSpec, params: Params) {
    const allowed = new Set(op.q)
    allowed.add("expand")
    for (const key of Object.keys(params)) {
      if (!allowed.has(key)) {
        throw invalidRequest(`Received unknown parameter: ${key}`, key, "parameter_unknown")
      }
    }
    for (const key of op.r) {
      const v = params[key]
      if (v === undefined || v === "") {
        throw invalidRequest(`Missing required param: ${key}.`, key, "parameter_missing")
      }
    }
  }

  expandPaths(params: Params): ReadonlyArray<string> {
    return paramArray(params, "expand").filter((p): p is string => typeof p === "string")
  }

  /** Inflates ids at the given dotted paths from the store. */
  expand(value: Json, paths: ReadonlyArray<string>): Json {
    for (const path of paths) value = this.expandPath(value, path.split("."), 0)
    return value
  }

  private expandPath(value: Json, path: ReadonlyArray<string>, depth: number): Json {
    if (depth > 4 || path.length === 0) return value
    if (Array.isArray(value)) return value.map((v) => this.expandPath(v, path, depth))
    if (!isObj(value)) return value
    const [head, ...rest] = path
    const current = value[head]
    if (current === undefined) return value
    let next: Json = current
    if (typeof current === "string") {
      const found = this.objects.get(current) ?? this.tombstones.get(current)
      if (found !== undefined) next = clone(found)
    } else if (Array.isArray(current)) {
      next = current.map((v) => {
        if (typeof v === "string") {
          const found = this.objects.get(v) ?? this.tombstones.get(v)
          return found === undefined ? v : clone(found)
        }
        return v
      })
    }
    value[head] = rest.length === 0 ? next : this.expandPath(next, rest, depth + 1)
    return value
  }

  // ---------------------------------------------------------------- generic CRUD

  /** Sets the field linking a child to a parent path param (e.g. `customer`). */
  linkParents(type: string, obj: Obj, ctx: Ctx) {
    for (const [name, value] of Object.entries(ctx.pathParams)) {
      if (value === ctx.targetId) continue
      const parentType = this.typeOf(value)
      const objectName = parentType === undefined ? undefined : parentType.split(".").pop()
      for (const field of [name, objectName]) {
        if (field !== undefined && field !== "id" && hasField(type, field)) obj[field] = value
      }
    }
  }

  /** Appends a new child to a parent's embedded list of its type, if any. */
  attachToParents(type: string, obj: Obj, ctx: Ctx) {
    for (const parentId of ctx.parentIds) {
      const parent = this.objects.get(parentId)
      const parentType = this.typeOf(parentId)
      if (parent === undefined || parentType === undefined) continue
      for (const [field, code] of Object.entries(fieldsOf(parentType))) {
        if (parseCode(code).base !== `L#${type}`) continue
        const list = isObj(parent[field]) ? parent[field] : emptyList(ctx.path)
        const data = isObj(list) && Array.isArray(list.data) ? list.data : []
        data.unshift(obj)
        parent[field] = { ...list, data, url: ctx.path }
      }
    }
  }

  generic(ctx: Ctx): Obj {
    const { op, params } = ctx
    const type = op.t
    switch (op.k) {
      case "create": {
        const obj = this.create(type, params)
        const customId = paramString(params, "id")
        if (customId !== undefined && op.q.includes("id") && hasField(type, "id")) {
          // Coupons and a few others take a caller-chosen id.
          if (this.objects.has(customId)) {
            this.remove(String(obj.id))
            throw invalidRequest(`An object with ID ${customId} already exists.`, "id", "resource_already_exists")
          }
          this.remove(String(obj.id))
          obj.id = customId
          this.put(type, obj)
        }
        this.linkParents(type, obj, ctx)
        this.attachToParents(type, obj, ctx)
        this.emit(this.eventTypeFor(type, "created"), obj)
        return obj
      }
      case "retrieve":
        return this.mustGet(ctx.targetId, type)
      case "update":
        return this.update(type, this.mustGet(ctx.targetId, type), params)
      case "delete": {
        const baseType = type.replace(/^deleted_/, "")
        const obj = this.mustGet(ctx.targetId, this.typeOf(ctx.targetId ?? "") ?? baseType)
        this.remove(String(obj.id))
        this.emit(this.eventTypeFor(baseType, "deleted"), obj)
        const deleted = template(type)
        deleted.id = obj.id
        deleted.deleted = true
        this.tombstones.set(String(obj.id), deleted)
        return deleted
      }
      case "list":
        return this.list(ctx, type)
      case "search":
        return this.search(ctx, type)
      case "singleton": {
        const obj = template(type)
        this.linkParents(type, obj, ctx)
        if (hasField(type, "created")) obj.created = this.nowSeconds()
        return obj
      }
      case "action": {
        const target = this.mustGet(ctx.targetId, undefined)
        const targetType = this.typeOf(String(ctx.targetId)) ?? type
        const withoutExpand: Record<string, Value> = { ...params }
        delete withoutExpand.expand
        return this.update(targetType, target, withoutExpand, false)
      }
      case "binary":
        return this.mustGet(ctx.targetId, undefined)
    }
  }

  /** Merges params into a stored object and records `<type>.updated`. */
  update(type: string, obj: Obj, params: Params, emit = true): Obj {
    const before = clone(obj)
    const withoutExpand: Record<string, Value> = { ...params }
    delete withoutExpand.expand
    merge(type, obj, withoutExpand, this.resolver)
    if (emit) {
      const previous: Obj = {}
      for (const key of Object.keys(withoutExpand)) {
        if (key in before && JSON.stringify(before[key]) !== JSON.stringify(obj[key])) previous[key] = before[key]
      }
      this.emit(this.eventTypeFor(type, "updated"), obj, previous)
    }
    return obj
  }

  private candidates(ctx: Ctx, type: string): Array<Obj> {
    // A sub-list the parent embeds (`/v1/invoices/{invoice}/lines`) is read
    // from the parent, refreshed from the store.
    const parentId = ctx.parentIds[ctx.parentIds.length - 1]
    if (parentId !== undefined) {
      const parent = this.objects.get(parentId)
      const parentType = this.typeOf(parentId)
      const segment = ctx.op.p.split("/").pop() ?? ""
      if (parent !== undefined && parentType !== undefined) {
        const embedded = parent[segment]
        if (isObj(embedded) && Array.isArray(embedded.data)) {
          return embedded.data.filter(isObj).map((item) => {
            const fresh = typeof item.id === "string" ? this.objects.get(item.id) : undefined
            return fresh ?? item
          })
        }
      }
    }
    const all = this.all(type).slice().reverse()
    return all.filter((obj) => {
      for (const [name, value] of Object.entries(ctx.pathParams)) {
        const parentType = this.typeOf(value)
        const objectName = parentType === undefined ? undefined : parentType.split(".").pop()
        const field = hasField(type, name) ? name : objectName !== undefined && hasField(type, objectName)
          ? objectName
          : undefined
        if (field === undefined) continue
        const actual = obj[field]
        const actualId = isObj(actual) ? actual.id : actual
        if (actualId !== value) return false
      }
      return true
    })
  }

  private static readonly listControls = new Set([
    "limit",
    "starting_after",
    "ending_before",
    "expand",
    "page",
    "query"
  ])

  private filter(items: Array<Obj>, type: string, params: Params): Array<Obj> {
    let out = items
    for (const [key, value] of Object.entries(params)) {
      if (Engine.listControls.has(key) || !hasField(type, key)) continue
      if (key === "created" || isObj(value)) {
        if (!isObj(value)) {
          const n = Number(value)
          out = out.filter((o) => o[key] === n)
          continue
        }
        const range = value
        out = out.filter((o) => {
          const v = o[key]
          if (typeof v !== "number") return false
          const check = (op: string, f: (a: number, b: number) => boolean) =>
            range[op] === undefined || f(v, Number(range[op]))
          return check("gt", (a, b) => a > b) && check("gte", (a, b) => a >= b) && check("lt", (a, b) => a < b) &&
            check("lte", (a, b) => a <= b)
        })
        continue
      }
      if (type === "subscription" && key === "status" && value === "all") continue
      if (type === "event" && key === "type" && typeof value === "string" && value.endsWith("*")) {
        const prefix = value.slice(0, -1)
        out = out.filter((o) => typeof o.type === "string" && o.type.startsWith(prefix))
        continue
      }
      out = out.filter((o) => {
        const v = o[key]
        const id = isObj(v) ? v.id : v
        return String(id) === String(value)
      })
    }
    if (type === "subscription" && params.status === undefined) {
      out = out.filter((o) => o.status !== "canceled" && o.status !== "incomplete_expired")
    }
    if (type === "event" && params.types !== undefined) {
      const types = paramArray(params, "types").map(String)
      out = out.filter((o) => types.includes(String(o.type)))
    }
    return out
  }

  private limitOf(params: Params): number {
    const raw = params.limit
    if (raw === undefined) return 10
    const n = paramInt(params, "limit")
    if (n === undefined || n < 1 || n > 100) {
      throw invalidRequest(
        "This value must be greater than or equal to 1 and less than or equal to 100.",
        "limit",
        "parameter_invalid_integer"
      )
    }
    return n
  }

  list(ctx: Ctx, type: string, source?: Array<Obj>): Obj {
    const { params } = ctx
    const limit = this.limitOf(params)
    const items = this.filter(source ?? this.candidates(ctx, type), type, params)
    const after = paramString(params, "starting_after")
    const before = paramString(params, "ending_before")
    let page: Array<Obj>
    let hasMore: boolean
    const indexOf = (id: string, param: string) => {
      const i = items.findIndex((o) => o.id === id)
      if (i === -1) throw resourceMissing(type.split(".").pop() ?? type, id, param)
      return i
    }
    if (after !== undefined) {
      const start = indexOf(after, "starting_after") + 1
      page = items.slice(start, start + limit)
      hasMore = start + limit < items.length
    } else if (before !== undefined) {
      const end = indexOf(before, "ending_before")
      const start = Math.max(0, end - limit)
      page = items.slice(start, end)
      hasMore = start > 0
    } else {
      page = items.slice(0, limit)
      hasMore = items.length > limit
    }
    return { object: "list", data: page, has_more: hasMore, url: ctx.path }
  }

  search(ctx: Ctx, type: string): Obj {
    const { params } = ctx
    const raw = paramString(params, "query") ?? ""
    const query = parseQuery(raw)
    if (typeof query === "string") throw invalidRequest(query, "query")
    const limit = this.limitOf(params)
    const all = this.all(type).slice().reverse().filter((o) => matches(o, query))
    const pageToken = paramString(params, "page")
    let offset = 0
    if (pageToken !== undefined) {
      const decoded = Number.parseInt(Buffer.from(pageToken, "base64url").toString("utf8"), 10)
      if (Number.isNaN(decoded)) throw invalidRequest("Invalid page token.", "page")
      offset = decoded
    }
    const data = all.slice(offset, offset + limit)
    const hasMore = offset + limit < all.length
    return {
      object: "search_result",
      data,
      has_more: hasMore,
      next_page: hasMore ? Buffer.from(String(offset + limit), "utf8").toString("base64url") : null,
      total_count: all.length,
      url: ctx.path
    }
  }

  // ---------------------------------------------------------------- v2

  private v2(
    method: string,
    path: string,
    params: Params,
    authorization: string | undefined,
    requestId: string
  ): RawResponse {
    if (method === "POST" && path === "/v2/billing/meter_event_session") {
      const now = this.nowMillis()
      const session: MeterSession = {
        id: this.ids.prefixed("mes", 24),
        token: this.ids.prefixed("mest", 32),
        createdAt: now,
        expiresAt: now + this.options.meterSessionLifetimeMillis
      }
      this.meterSessions.set(session.token, session)
      return this.json(200, {
        id: session.id,
        object: "v2.billing.meter_event_session",
        authentication_token: session.token,
        created: new Date(session.createdAt).toISOString(),
        expires_at: new Date(session.expiresAt).toISOString(),
        livemode: false
      }, requestId)
    }
    if (method === "POST" && path === "/v2/billing/meter_event_stream") {
      const token = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim()
      const session = token === undefined ? undefined : this.meterSessions.get(token)
      if (session === undefined) {
        throw new ApiFailure(401, {
          type: "invalid_request_error",
          code: "invalid_authentication_token",
          message: "The meter event session token is missing or invalid. Create a session first."
        })
      }
      if (this.nowMillis() >= session.expiresAt) {
        throw new ApiFailure(401, {
          type: "invalid_request_error",
          code: "billing_meter_event_session_expired",
          message: "The meter event session has expired. Create a new session."
        })
      }
      const events = params.events
      if (!Array.isArray(events) || events.length === 0) {
        throw invalidRequest("`events` must be a non-empty array.", "events", "parameter_missing")
      }
      if (events.length > 100) {
        throw invalidRequest("A request may contain at most 100 events.", "events", "parameter_invalid")
      }
      events.forEach((e: Value, i: number) => {
        if (!isObj(e) || typeof e.event_name !== "string" || e.event_name === "") {
          throw invalidRequest(`Missing required param: events[${i}].event_name.`, `events[${i}].event_name`)
        }
        if (!isObj(e.payload)) {
          throw invalidRequest(`Missing required param: events[${i}].payload.`, `events[${i}].payload`)
        }
      })
      for (const e of events) {
        const json = toJson(e)
        if (!isObj(json) || !isObj(e)) continue
        this.meterEventStream.push({
          ...json,
          identifier: typeof e.identifier === "string" ? e.identifier : this.ids.prefixed("mev", 20),
          timestamp: typeof e.timestamp === "string" ? e.timestamp : new Date(this.nowMillis()).toISOString()
        })
      }
      return this.json(200, {}, requestId)
    }
    throw invalidRequest(`Unrecognized request URL (${method}: ${path}).`, undefined, undefined, 404)
  }
}
