/**
 * The fast transport for `StripeClient` on Node: Stripe calls sent straight
 * through undici's `dispatch`.
 *
 * `StripeHttpClient.layer` provides two services:
 * - {@link Transport}, which the Stripe pipeline reads when it is built:
 *   with it, every Stripe call is sent through undici's callback API (the
 *   body buffered once, one timer per attempt, no request or response
 *   objects). This is the choice of transport, made by the layer you
 *   provide and visible in its type; wrapping the `HttpClient` never changes
 *   it.
 * - an `HttpClient` over the same connection pool, for any other request of
 *   your program (the pipeline does not use it for Stripe calls).
 *
 * Which layer when:
 * - `StripeHttpClient.layer` on Node, for speed. What it gives up:
 *   `HttpClient` middleware (`HttpClient.mapRequest`, a proxy, your own
 *   retries or logging) does not apply to Stripe calls, and there is no
 *   platform `http.client` span (no transport does that for Stripe calls:
 *   each call has one `stripe.<resource>.<method>` span, which propagates
 *   the trace with `traceparent` and `b3` headers on every transport).
 * - any platform `HttpClient` (`NodeHttpClient.layerUndici`,
 *   `FetchHttpClient.layer`, or one you wrapped) without this layer: Stripe
 *   calls then go through that client and its middleware, with the same
 *   retries, timeouts, errors, spans and redaction, at a higher cost per
 *   call. `FetchHttpClient.layer` is the one for Workers, Deno, Bun and
 *   browsers.
 *
 * Connections are kept alive and reused (one undici `Agent`, a pool per
 * origin); the layer closes them when its scope ends. `undici` (7.x) is an
 * optional peer dependency, loaded when the layer is built: without it the
 * layer fails with a `StripeConfigError` naming `undici`, and nothing else
 * of the SDK needs it (its types are not referenced either).
 *
 * @example
 * ```ts
 * import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
 * import { Layer, Redacted } from "effect"
 *
 * const StripeLive = StripeClient.layer({ apiKey: Redacted.make("sk_test_123") }).pipe(
 *   Layer.provide(StripeHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type {
  RawRequest as InternalRawRequest,
  RawResponse,
  RawResult as InternalRawResult,
  RawTooLarge,
  TransportService as InternalTransportService
} from "./internal/transport.js"
import { Transport as InternalTransport } from "./internal/transport.js"
import { BODY_PREFIX_BYTES } from "./Redaction.js"
import { StripeConfigError } from "./StripeError.js"

/**
 * The transport service: a raw, callback-based `send` of one attempt.
 * `send` calls `done` exactly once unless cancelled first, never throws,
 * and returns the canceller. Provide your own only to replace undici (a
 * test double, another runtime's client).
 *
 * @since 0.1.0
 * @category models
 */
export type TransportService = InternalTransportService

/**
 * One attempt as the pipeline hands it to the transport.
 *
 * @since 0.1.0
 * @category models
 */
export type RawRequest = InternalRawRequest

/**
 * What the transport hands back: a response, a response too large to keep
 * (with its first bytes), or a failure.
 *
 * @since 0.1.0
 * @category models
 */
export type RawResult = InternalRawResult

/**
 * The tag of the transport service: when the context of `StripeClient.make`
 * (or `StripeClient.layer`) has it, Stripe calls are sent through it.
 *
 * @example
 * ```ts
 * import { StripeHttpClient } from "@lattice-stripe/core"
 * import { Effect } from "effect"
 *
 * // Whether Stripe calls of this program take the undici transport:
 * const usesTransport = Effect.map(Effect.serviceOption(StripeHttpClient.Transport), (o) => o._tag === "Some")
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export const Transport: typeof InternalTransport = InternalTransport

/**
 * @since 0.1.0
 * @category tags
 */
export type Transport = InternalTransport

/**
 * What the transport needs of an undici dispatcher (an `Agent`, `Pool`,
 * `MockAgent`…), declared structurally so that this module's types never
 * refer to `undici`'s own: code that does not use a custom dispatcher
 * type-checks without `undici` installed.
 *
 * @since 0.1.0
 * @category models
 */
export interface Dispatcher {
  dispatch(options: DispatchOptions, handler: DispatchHandler): boolean
}

/**
 * The options the transport passes to `dispatch`.
 *
 * @since 0.1.0
 * @category models
 */
export interface DispatchOptions {
  readonly origin: string
  readonly path: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | null
  readonly headersTimeout: number
  readonly bodyTimeout: number
}

/**
 * The part of undici's dispatch controller the transport uses.
 *
 * @since 0.1.0
 * @category models
 */
export interface DispatchController {
  abort(reason: Error): void
}

/**
 * The undici (7.x) dispatch handler the transport implements.
 *
 * @since 0.1.0
 * @category models
 */
export interface DispatchHandler {
  onRequestStart(controller: DispatchController, context: unknown): void
  onResponseStart(
    controller: DispatchController,
    statusCode: number,
    headers: Record<string, string | Array<string> | undefined>,
    statusMessage?: string
  ): void
  onResponseData(controller: DispatchController, chunk: Uint8Array): void
  onResponseEnd(controller: DispatchController, trailers: unknown): void
  onResponseError(controller: DispatchController, error: Error): void
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Use this dispatcher (an undici `Agent`, `Pool`, `MockAgent`...) instead of a new `Agent`; it is not closed by the layer. */
  readonly dispatcher?: Dispatcher | undefined
  /** Connections per origin of the new `Agent`. Default unlimited, like Node's keep-alive agent. */
  readonly connections?: number | undefined
  /** How long an idle connection stays open. Default 30 seconds. */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
}

/**
 * What the layer provides: the transport for Stripe calls and an
 * `HttpClient` over the same connections for anything else.
 *
 * @since 0.1.0
 * @category models
 */
export interface StripeHttpClient {
  readonly transport: TransportService
  readonly httpClient: HttpClient.HttpClient
}

/**
 * undici's response headers (lowercased names; a repeated header as an
 * array) with repeated values joined: the object undici hands over is fresh
 * per response, so it is reused unless it holds something else.
 */
const flattenHeaders = (headers: Record<string, string | Array<string> | undefined>): Record<string, string> => {
  let plain = true
  for (const name in headers) {
    if (typeof headers[name] !== "string") {
      plain = false
      break
    }
  }
  // Boundary cast: every value was just checked to be a string.
  if (plain) return headers as Record<string, string>
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) out[name.toLowerCase()] = typeof value === "string" ? value : value.join(", ")
  }
  return out
}

const concat = (chunks: ReadonlyArray<Uint8Array>, length: number): Buffer => {
  if (chunks.length === 1 && Buffer.isBuffer(chunks[0])) return chunks[0]
  return Buffer.concat(chunks, length)
}

const textDecoder = new TextDecoder()

/**
 * One request and its response: undici's dispatch handler, the timeout and
 * the canceller in one object. The fiber holds the canceller until it
 * resumes; once the exchange finishes it lets go of the callback, the
 * controller and the response chunks, so that nothing of the exchange is
 * still reachable from a fiber frame that a garbage collection finds later.
 *
 * No exception leaves a handler method: undici would swallow it (or fail
 * its own state machine), and the call would never resume.
 */
class Exchange implements DispatchHandler {
  finished = false
  controller: DispatchController | undefined = undefined
  abortReason: Error | undefined = undefined
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  status = 0
  headers: Record<string, string> = {}
  chunks: Array<Uint8Array> = []
  length = 0
  tooLarge = false
  constructor(
    readonly text: boolean,
    readonly maxBytes: number,
    private done: ((result: RawResult) => void) | undefined
  ) {}
  /** Ends the exchange once: the callback to hand the outcome to, or `undefined` when it had already ended. */
  private close(): ((result: RawResult) => void) | undefined {
    if (this.finished) return undefined
    this.finished = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    const done = this.done
    this.done = undefined
    return done
  }
  finish(result: RawResult) {
    const done = this.close()
    this.controller = undefined
    this.chunks = []
    if (done === undefined) return
    try {
      done(result)
    } catch {
      // `done` resumes a fiber, which does not throw; nothing may escape into undici regardless.
    }
  }
  /** Aborts the request now, or as soon as undici starts it. */
  private abort(reason: Error) {
    this.abortReason = reason
    const controller = this.controller
    this.controller = undefined
    try {
      controller?.abort(reason)
    } catch {
      // The request is over either way.
    }
  }
  cancel() {
    if (this.close() !== undefined) this.abort(new Error("Request interrupted"))
  }
  private fail(error: unknown) {
    this.finish({ _tag: "Failure", cause: error, timedOut: false })
    this.abort(new Error("Request failed"))
  }
  /** Stops reading a body over the limit: the status, headers and the first bytes for the error. */
  private finishTooLarge() {
    const controller = this.controller
    const body = concat(this.chunks, this.length)
    const result: RawTooLarge = {
      _tag: "TooLarge",
      status: this.status,
      headers: this.headers,
      prefix: textDecoder.decode(body.subarray(0, BODY_PREFIX_BYTES))
    }
    this.finish(result)
    this.controller = controller
    this.abort(new Error("Response too large"))
  }
  onRequestStart(c: DispatchController, _context: unknown) {
    this.controller = c
    if (this.abortReason !== undefined) this.abort(this.abortReason)
  }
  onResponseStart(
    _c: DispatchController,
    statusCode: number,
    responseHeaders: Record<string, string | Array<string> | undefined>
  ) {
    try {
      // Informational (1xx) responses come before the final one.
      if (statusCode < 200 && statusCode >= 100) return
      this.status = statusCode
      this.headers = flattenHeaders(responseHeaders)
      const declared = Number(this.headers["content-length"])
      if (declared > this.maxBytes) this.tooLarge = true
    } catch (error) {
      this.fail(error)
    }
  }
  onResponseData(_c: DispatchController, chunk: Uint8Array) {
    if (this.finished) return
    try {
      this.chunks.push(chunk)
      this.length += chunk.length
      if (this.length > this.maxBytes) this.tooLarge = true
      if (this.tooLarge && this.length >= BODY_PREFIX_BYTES) this.finishTooLarge()
    } catch (error) {
      this.fail(error)
    }
  }
  onResponseEnd(_c: DispatchController, _trailers: unknown) {
    if (this.finished) return
    try {
      if (this.tooLarge) return this.finishTooLarge()
      const body = concat(this.chunks, this.length)
      this.chunks = []
      const result: RawResponse = {
        _tag: "Response",
        status: this.status,
        headers: this.headers,
        body: this.text ? body.toString("utf8") : new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
      }
      this.finish(result)
    } catch (error) {
      this.fail(error)
    }
  }
  onResponseError(_c: DispatchController, error: Error) {
    this.finish({ _tag: "Failure", cause: error, timedOut: false })
  }
  onTimeout() {
    const done = this.close()
    if (done === undefined) return
    this.chunks = []
    // Ended before the abort, so that the error undici reports for the abort is not taken for the outcome.
    try {
      done({ _tag: "Failure", cause: undefined, timedOut: true })
    } finally {
      this.abort(new Error("Request timed out"))
    }
  }
}

/**
 * The raw send over a dispatcher: undici's callback-based `dispatch`, the
 * body buffered, at most `maxResponseBytes` kept.
 *
 * @example
 * ```ts
 * import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
 * import { Layer, Redacted } from "effect"
 * import { Agent } from "undici"
 *
 * // Your own undici dispatcher (a proxy agent, a MockAgent in tests) under the Transport service:
 * const transport = Layer.succeed(StripeHttpClient.Transport, StripeHttpClient.makeTransport(new Agent()))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeTransport = (dispatcher: Dispatcher): TransportService => ({
  send: (request: RawRequest, done: (result: RawResult) => void) => {
    const exchange = new Exchange(request.text, request.maxResponseBytes, done)
    try {
      dispatcher.dispatch({
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        // The caller bounds the whole attempt; undici's own timers would only race it.
        headersTimeout: 0,
        bodyTimeout: 0
      }, exchange)
    } catch (error) {
      exchange.finish({ _tag: "Failure", cause: error, timedOut: false })
      return () => {}
    }
    if (request.timeoutMillis !== undefined && !exchange.finished) {
      exchange.timer = setTimeout(() => exchange.onTimeout(), request.timeoutMillis)
    }
    return () => exchange.cancel()
  }
})

const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304])

// The generic `HttpClient` side: for requests of the program other than Stripe calls.
interface EncodedBody {
  readonly body: string | Uint8Array | undefined
  readonly contentType: string | undefined
}

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<EncodedBody, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed({ body: undefined, contentType: undefined })
    case "Uint8Array":
      return Effect.succeed({ body: body.body, contentType: body.contentType })
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array
        ? Effect.succeed({ body: body.body, contentType: body.contentType })
        : Effect.fail(
          new HttpClientError.RequestError({
            request,
            reason: "Encode",
            description: "StripeHttpClient sends string and Uint8Array raw bodies only"
          })
        )
    case "FormData": {
      // The multipart encoding (and its boundary) of the WHATWG `Response`, as fetch would send it.
      const encoded = new Response(body.formData)
      return Effect.tryPromise({
        try: () => encoded.arrayBuffer(),
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
      }).pipe(
        Effect.map((buffer) => ({
          body: new Uint8Array(buffer),
          contentType: encoded.headers.get("content-type") ?? undefined
        }))
      )
    }
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })),
        Effect.map((chunks) => {
          const all = Buffer.concat(Array.from(chunks))
          return { body: new Uint8Array(all.buffer, all.byteOffset, all.byteLength), contentType: body.contentType }
        })
      )
  }
}

const makeHttpClient = (transport: TransportService): HttpClient.HttpClient =>
  HttpClient.make((request, url) =>
    Effect.flatMap(
      requestBody(request),
      ({ body, contentType }) =>
        Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
          const headers: Record<string, string> = { ...request.headers }
          if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType
          const cancel = transport.send(
            {
              method: request.method,
              origin: url.origin,
              path: url.pathname + url.search,
              headers,
              body,
              text: false,
              timeoutMillis: undefined,
              maxResponseBytes: Number.MAX_SAFE_INTEGER
            },
            (result) => {
              if (result._tag !== "Response") {
                return resume(
                  Effect.fail(
                    new HttpClientError.RequestError({
                      request,
                      reason: "Transport",
                      cause: result._tag === "Failure" ? result.cause : new Error("Response too large")
                    })
                  )
                )
              }
              const payload = NULL_BODY_STATUSES.has(result.status)
                ? null
                : typeof result.body === "string"
                ? result.body
                : new Uint8Array(result.body)
              resume(Effect.succeed(HttpClientResponse.fromWeb(
                request,
                new Response(payload, { status: result.status, headers: result.headers })
              )))
            }
          )
          return Effect.sync(cancel)
        })
    )
  )

/**
 * The transport and an `HttpClient` over one dispatcher (not closed here).
 *
 * @example
 * ```ts
 * import { StripeHttpClient } from "@lattice-stripe/core"
 * import { Pool } from "undici"
 *
 * const { httpClient, transport } = StripeHttpClient.fromDispatcher(new Pool("https://api.stripe.com"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromDispatcher = (dispatcher: Dispatcher): StripeHttpClient => {
  const transport = makeTransport(dispatcher)
  return { transport, httpClient: makeHttpClient(transport) }
}

/** An undici `Agent` as the layer uses it. */
interface Agent extends Dispatcher {
  close(): Promise<void>
}

type AgentConstructor = new(options: {
  readonly connections: number | null
  readonly keepAliveTimeout: number
}) => Agent

// Hidden from bundlers, which would otherwise inline undici into bundles that never use this layer.
const undiciSpecifier = "undici"

const missingUndici = (detail: string) =>
  new StripeConfigError({
    option: "undici",
    message: "StripeHttpClient.layer needs the optional peer dependency `undici` (7.x): install it, or provide " +
      `another HttpClient layer (FetchHttpClient.layer, NodeHttpClient.layerUndici). ${detail}`
  })

const loadAgent: Effect.Effect<AgentConstructor, StripeConfigError> = Effect.flatMap(
  Effect.tryPromise({
    try: (): Promise<unknown> => import(undiciSpecifier),
    catch: (error) => missingUndici(error instanceof Error ? error.message : String(error))
  }),
  (module) => {
    const Agent: unknown = typeof module === "object" && module !== null ? Reflect.get(module, "Agent") : undefined
    // Boundary cast: a module whose `Agent` is a constructor is undici's (checked at runtime as far as it can be).
    return typeof Agent === "function"
      ? Effect.succeed(Agent as AgentConstructor)
      : Effect.fail(missingUndici("The module found has no Agent export."))
  }
)

/**
 * Builds the transport and client; a new `Agent` is closed when the scope
 * ends. Fails with `StripeConfigError` when `undici` cannot be loaded or an
 * option is invalid.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<StripeHttpClient, StripeConfigError, Scope.Scope> => {
  if (options.dispatcher !== undefined) return Effect.succeed(fromDispatcher(options.dispatcher))
  const connections = options.connections ?? null
  if (connections !== null && (!Number.isInteger(connections) || connections <= 0)) {
    return Effect.fail(
      new StripeConfigError({ option: "connections", message: "connections must be a positive integer" })
    )
  }
  const keepAlive = Duration.decodeUnknown(options.keepAliveTimeout ?? "30 seconds")
  if (keepAlive._tag === "None" || !Duration.isFinite(keepAlive.value)) {
    return Effect.fail(
      new StripeConfigError({ option: "keepAliveTimeout", message: "keepAliveTimeout must be a finite duration" })
    )
  }
  const keepAliveTimeout = Duration.toMillis(keepAlive.value)
  return Effect.map(
    Effect.acquireRelease(
      Effect.map(loadAgent, (Agent) => new Agent({ connections, keepAliveTimeout })),
      (agent) => Effect.promise(() => agent.close().catch(() => undefined))
    ),
    fromDispatcher
  )
}

/**
 * The transport and `HttpClient` as services, with these options.
 *
 * @example
 * ```ts
 * import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
 * import { Layer, Redacted } from "effect"
 *
 * const StripeLive = StripeClient.layer({ apiKey: Redacted.make("sk_test_123") }).pipe(
 *   Layer.provide(StripeHttpClient.layerWith({ connections: 32, keepAliveTimeout: "10 seconds" }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient | Transport, StripeConfigError> =>
  Layer.scopedContext(
    Effect.map(
      make(options),
      ({ httpClient, transport }) =>
        Context.make(HttpClient.HttpClient, httpClient).pipe(Context.add(Transport, transport))
    )
  )

/**
 * The transport and `HttpClient` over a new keep-alive `Agent`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient | Transport, StripeConfigError> = layerWith({})
