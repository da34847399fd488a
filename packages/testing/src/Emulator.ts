/**
 * An in-memory, stateful Stripe for tests: no sockets, no Docker, no account.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Customers } from "@lattice-stripe/resources"
 * import { Emulator } from "@lattice-stripe/testing"
 *
 * const program = Customers.create({ email: "a@example.com" })
 * program.pipe(Effect.provide(Emulator.layerClient()), Effect.runPromise)
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { StripeClient } from "@lattice-stripe/core"
import type { StripeError } from "@lattice-stripe/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Fault from "./Fault.js"
import { streamEvents } from "./internal/billing/meterEventStream.js"
import type { RawRequest, RawResponse, RecordedRequest, WebhookDelivery } from "./internal/engine.js"
import { Engine } from "./internal/engine.js"
import { handlers, v2Handlers } from "./internal/handlers.js"
import type { Obj } from "./internal/json.js"
import { defaultTable } from "./internal/spec.js"

/**
 * A request as the emulator sees it (the loopback server and the layer both
 * build one).
 *
 * @since 0.1.0
 * @category models
 */
export type Request = RawRequest

/**
 * @since 0.1.0
 * @category models
 */
export type Response = RawResponse

/**
 * A JSON value as stored by the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export type StripeObject = Obj

/**
 * @since 0.1.0
 * @category models
 */
export type { RecordedRequest, WebhookDelivery }

/**
 * Where the emulator POSTs the events it records, signed like Stripe.
 *
 * @since 0.1.0
 * @category models
 */
export interface WebhookConfig {
  readonly url: string
  readonly secret: string | Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Lifetime of v2 meter event session tokens. Default 15 minutes. */
  readonly meterSessionLifetime?: Duration.DurationInput | undefined
  /** The emulator's clock in milliseconds. Default `Date.now`. */
  readonly now?: (() => number) | undefined
  /** Seeds id generation, for deterministic ids. */
  readonly seed?: number | undefined
  readonly webhooks?: WebhookConfig | undefined
}

/**
 * Thrown by {@link Emulator.handle} when a `Fault.drop()` resets the
 * connection; `code` is `ECONNRESET` like Node's socket errors.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionReset extends Error {
  /** @since 0.1.0 */
  readonly code = "ECONNRESET"
  constructor() {
    super("socket hang up (connection reset by the Stripe emulator)")
    this.name = "ConnectionReset"
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * One emulated Stripe account: its objects, events, idempotency keys, meter
 * sessions and fault scripts.
 *
 * @since 0.1.0
 * @category models
 */
export class Emulator {
  /** @internal */
  readonly engine: Engine
  /**
   * Fault scripts consumed by matching requests, in order.
   *
   * @since 0.1.0
   */
  readonly faults = new Fault.FaultScript()

  constructor(options: Options = {}) {
    this.engine = new Engine({
      meterSessionLifetimeMillis: Duration.toMillis(Duration.decode(options.meterSessionLifetime ?? "15 minutes")),
      now: options.now ?? Date.now,
      seed: options.seed ?? Math.floor(Math.random() * 2 ** 32),
      webhooks: options.webhooks === undefined ? undefined : toTarget(options.webhooks),
      handlers,
      v2: v2Handlers
    })
  }

  /**
   * Handles one request, applying any scripted fault first. Rejects with
   * {@link ConnectionReset} for a dropped connection.
   *
   * @since 0.1.0
   */
  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url, "http://emulator.invalid")
    const fault = this.faults.take(request.method, url.pathname)
    if (fault !== undefined) {
      if (fault._tag === "Drop") throw new ConnectionReset()
      if (fault._tag === "Status") return this.faultResponse(request, fault)
      await sleep(Duration.toMillis(fault.duration))
    }
    return this.engine.respond(request)
  }

  /**
   * Handles one request, ignoring fault scripts.
   *
   * @since 0.1.0
   */
  respond(request: Request): Promise<Response> {
    return this.engine.respond(request)
  }

  /** @internal */
  faultResponse(request: Request, fault: Fault.Status): Response {
    const requestId = this.engine.ids.prefixed("req", 14)
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "request-id": requestId,
      "stripe-version": defaultTable.apiVersion,
      ...fault.headers
    }
    if (fault.shouldRetry !== undefined) headers["stripe-should-retry"] = String(fault.shouldRetry)
    if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter)
    const type = fault.errorType ?? (fault.status >= 500 ? "api_error" : "invalid_request_error")
    const error: Record<string, string> = {
      type,
      message: fault.message ?? `Injected failure (HTTP ${fault.status}).`
    }
    if (fault.code !== undefined) error.code = fault.code
    const url = new URL(request.url, "http://emulator.invalid")
    this.engine.record({
      method: request.method.toUpperCase(),
      path: url.pathname,
      status: fault.status,
      requestId,
      idempotencyKey: undefined,
      replayed: false
    })
    return { status: fault.status, headers, body: JSON.stringify({ error }) }
  }

  /**
   * Where recorded events are POSTed, signed like Stripe; assign a
   * `{ url, secret }` to start delivering, `undefined` to stop.
   *
   * @since 0.1.0
   */
  get webhooks(): { readonly url: string; readonly secret: Redacted.Redacted<string> } | undefined {
    return this.engine.webhooks
  }

  set webhooks(config: WebhookConfig | undefined) {
    this.engine.webhooks = config === undefined ? undefined : toTarget(config)
  }

  /**
   * Sets (or clears) where recorded events are POSTed.
   *
   * @since 0.1.0
   */
  setWebhooks(config: WebhookConfig | undefined): void {
    this.webhooks = config
  }

  /**
   * A copy of a stored object by id.
   *
   * @since 0.1.0
   */
  retrieve(id: string): StripeObject | undefined {
    const obj = this.engine.get(id)
    return obj === undefined ? undefined : structuredClone(obj)
  }

  /**
   * Copies of every stored object of a type (a spec schema name such as
   * `customer`, `billing.meter`), oldest first.
   *
   * @since 0.1.0
   */
  list(type: string): ReadonlyArray<StripeObject> {
    return this.engine.all(type).map((o) => structuredClone(o))
  }

  /**
   * Stores an object as is (to seed state). Returns it.
   *
   * @since 0.1.0
   */
  insert(type: string, object: StripeObject): StripeObject {
    return this.engine.put(type, structuredClone(object))
  }

  /**
   * Recorded events, oldest first, optionally of one type.
   *
   * @since 0.1.0
   */
  events(type?: string): ReadonlyArray<StripeObject> {
    const all = this.list("event")
    return type === undefined ? all : all.filter((e) => e.type === type)
  }

  /**
   * v1 meter events (`POST /v1/billing/meter_events`), oldest first.
   *
   * @since 0.1.0
   */
  meterEvents(): ReadonlyArray<StripeObject> {
    return this.list("billing.meter_event")
  }

  /**
   * Events received on the v2 meter event stream, oldest first.
   *
   * @since 0.1.0
   */
  meterEventStream(): ReadonlyArray<StripeObject> {
    return streamEvents(this.engine).map((e) => structuredClone(e))
  }

  /**
   * The requests handled (at least the last 10,000), oldest first.
   *
   * @since 0.1.0
   */
  requests(): ReadonlyArray<RecordedRequest> {
    return [...this.engine.requests]
  }

  /**
   * Webhook delivery attempts, oldest first.
   *
   * @since 0.1.0
   */
  webhookDeliveries(): ReadonlyArray<WebhookDelivery> {
    return [...this.engine.deliveries]
  }

  /**
   * Resolves once every queued webhook delivery has been attempted.
   *
   * @since 0.1.0
   */
  flushWebhooks(): Promise<void> {
    return this.engine.flushWebhooks()
  }

  /**
   * Forgets all state (objects, events, idempotency keys, sessions, faults).
   *
   * @since 0.1.0
   */
  reset(): void {
    this.engine.reset()
    this.faults.clear()
  }

  /** @since 0.1.0 */
  toJSON(): unknown {
    return { _id: "Emulator", requests: this.engine.requests.length }
  }

  /** @since 0.1.0 */
  toString(): string {
    return `Emulator(${this.engine.requests.length} requests)`
  }

  /** Keeps session tokens and webhook secrets out of `console.log`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString()
  }
}

const toTarget = (config: WebhookConfig) => ({
  url: config.url,
  secret: typeof config.secret === "string" ? Redacted.make(config.secret) : config.secret
})

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: Options): Emulator => new Emulator(options)

const connectionReset = (): Error => new ConnectionReset()

const bodyOf = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<
  { body: string | Uint8Array | undefined; contentType: string | undefined },
  HttpClientError.RequestError
> => {
  const body = request.body
  const encodeError = (cause: unknown) =>
    new HttpClientError.RequestError({ request, reason: "Encode", cause, description: "could not read the body" })
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ body: undefined, contentType: undefined })
    case "Uint8Array":
      return Effect.succeed({ body: body.body, contentType: body.contentType })
    case "Raw": {
      const raw = body.body
      const value = typeof raw === "string" || raw instanceof Uint8Array ? raw : String(raw)
      return Effect.succeed({ body: value, contentType: body.contentType })
    }
    case "FormData":
      return Effect.tryPromise({
        try: async () => {
          // Let the platform's own multipart encoder pick the boundary.
          const encoded = new globalThis.Response(body.formData)
          const bytes = new Uint8Array(await encoded.arrayBuffer())
          return { body: bytes, contentType: encoded.headers.get("content-type") ?? undefined }
        },
        catch: encodeError
      })
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
          let offset = 0
          for (const p of parts) {
            out.set(p, offset)
            offset += p.length
          }
          return { body: out, contentType: body.contentType }
        }),
        Effect.mapError(encodeError)
      )
  }
}

/**
 * An `HttpClient` answered by an existing emulator, so tests can inspect and
 * script it.
 *
 * @example
 * ```ts
 * import { Emulator, Fault } from "@lattice-stripe/testing"
 *
 * const emulator = Emulator.make({ seed: 1 })
 * emulator.faults.inject({ path: "/v1/customers" }, [Fault.status(500, { shouldRetry: true })])
 * const HttpLive = Emulator.layerWith(emulator)
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (emulator: Emulator): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(
    HttpClient.HttpClient,
    HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const fault = emulator.faults.take(request.method, url.pathname)
        if (fault?._tag === "Delay") yield* Effect.sleep(fault.duration)
        if (fault?._tag === "Drop") {
          return yield* new HttpClientError.RequestError({
            request,
            reason: "Transport",
            cause: connectionReset(),
            description: "connection reset"
          })
        }
        const { body, contentType } = yield* bodyOf(request)
        const headers: Record<string, string> = { ...request.headers }
        if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType
        const raw: Request = { method: request.method, url: url.pathname + url.search, headers, body }
        const res = fault?._tag === "Status"
          ? emulator.faultResponse(raw, fault)
          : yield* Effect.promise(() => emulator.respond(raw))
        return HttpClientResponse.fromWeb(
          request,
          new globalThis.Response(typeof res.body === "string" ? res.body : new Uint8Array(res.body), {
            status: res.status,
            headers: res.headers
          })
        )
      })
    )
  )

/**
 * An `HttpClient` answered by a fresh in-memory emulator.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.sync(() => layerWith(make(options))))

/**
 * The base URL the client layers point at; requests never leave the process.
 *
 * @since 0.1.0
 * @category constants
 */
export const baseUrl = "http://stripe-emulator.invalid"

/**
 * The test key the client layers use.
 *
 * @since 0.1.0
 * @category constants
 */
export const apiKey = "sk_test_emulator"

/**
 * A `StripeClient` backed by the emulator: `StripeClient.layer` with
 * `apiKey: sk_test_emulator` and every host pointing at the emulator.
 * Pass `emulator` to share an instance with the test.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerClient = (
  options?: Options & {
    readonly emulator?: Emulator | undefined
    readonly client?: Partial<Omit<StripeClient.Options, "apiKey" | "baseUrl" | "filesBaseUrl" | "meterEventsBaseUrl">>
  }
): Layer.Layer<StripeClient.StripeClient, StripeError.StripeConfigError> =>
  StripeClient.layer({
    ...options?.client,
    apiKey: Redacted.make(apiKey),
    baseUrl,
    filesBaseUrl: baseUrl,
    meterEventsBaseUrl: baseUrl
  }).pipe(Layer.provide(options?.emulator === undefined ? layer(options) : layerWith(options.emulator)))
