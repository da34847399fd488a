/**
 * A lean `HttpClient` for Node over undici's connection pools, the fastest
 * transport for `StripeClient`.
 *
 * The generic `HttpClient` layers pay, on every request, for an
 * `AbortController`, URL parsing, a tracing span of their own with one
 * attribute per header, and a streaming response object. This client is
 * still a complete `HttpClient` (use it for other requests too), but the
 * Stripe pipeline recognises it and sends through undici's `dispatch` with
 * a plain callback: the body is buffered once, the per-attempt timeout is a
 * single timer, and nothing else is allocated. The call keeps its
 * `stripe.<resource>.<method>` span; there is no `http.client` child span.
 *
 * Connections are kept alive and reused (one undici `Agent`, a pool per
 * origin); the layer closes them when its scope ends.
 *
 * `undici` (7.x) is loaded when the layer is built, so importing
 * `@lattice-stripe/core` does not load it.
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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type * as Undici from "undici"
import type { RawFailure, RawRequest, RawResponse, Transport } from "./internal/transport.js"
import { TransportTypeId } from "./internal/transport.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Use this dispatcher (an undici `Agent`, `Pool`, `MockAgent`...) instead of a new `Agent`; it is not closed by the layer. */
  readonly dispatcher?: Undici.Dispatcher | undefined
  /** Connections per origin of the new `Agent`. Default unlimited, like Node's keep-alive agent. */
  readonly connections?: number | undefined
  /** How long an idle connection stays open. Default 30 seconds. */
  readonly keepAliveTimeout?: Duration.DurationInput | undefined
}

const flattenHeaders = (headers: Record<string, string | Array<string> | undefined>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) out[name] = typeof value === "string" ? value : value.join(", ")
  }
  return out
}

const concat = (chunks: Array<Buffer>, length: number): Buffer =>
  chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length)

/**
 * One request and its response: undici's dispatch handler, the timeout and
 * the canceller in one object. The fiber holds the canceller until it
 * resumes; once the exchange finishes it lets go of the callback, the
 * controller and the response chunks, so that nothing of the exchange is
 * still reachable from a fiber frame that a garbage collection finds later.
 */
class Exchange implements Undici.Dispatcher.DispatchHandler {
  finished = false
  controller: Undici.Dispatcher.DispatchController | undefined = undefined
  abortReason: Error | undefined = undefined
  timer: ReturnType<typeof setTimeout> | undefined = undefined
  status = 0
  headers: Record<string, string> = {}
  chunks: Array<Buffer> = []
  length = 0
  constructor(
    readonly text: boolean,
    private done: ((result: RawResponse | RawFailure) => void) | undefined
  ) {}
  /** Ends the exchange once: the callback to hand the outcome to, or `undefined` when it had already ended. */
  private close(): ((result: RawResponse | RawFailure) => void) | undefined {
    if (this.finished) return undefined
    this.finished = true
    if (this.timer !== undefined) clearTimeout(this.timer)
    const done = this.done
    this.done = undefined
    return done
  }
  finish(result: RawResponse | RawFailure) {
    const done = this.close()
    this.controller = undefined
    done?.(result)
  }
  /** Aborts the request now, or as soon as undici starts it. */
  private abort(reason: Error) {
    this.abortReason = reason
    const controller = this.controller
    this.controller = undefined
    controller?.abort(reason)
  }
  cancel() {
    if (this.close() !== undefined) this.abort(new Error("Request interrupted"))
  }
  onRequestStart(c: Undici.Dispatcher.DispatchController) {
    this.controller = c
    if (this.abortReason !== undefined) c.abort(this.abortReason)
  }
  onResponseStart(
    _c: Undici.Dispatcher.DispatchController,
    statusCode: number,
    responseHeaders: Record<string, string | Array<string> | undefined>
  ) {
    // Informational (1xx) responses come before the final one.
    if (statusCode < 200 && statusCode >= 100) return
    this.status = statusCode
    this.headers = flattenHeaders(responseHeaders)
  }
  onResponseData(_c: Undici.Dispatcher.DispatchController, chunk: Buffer) {
    this.chunks.push(chunk)
    this.length += chunk.length
  }
  onResponseEnd() {
    const body = concat(this.chunks, this.length)
    this.chunks = []
    this.finish({
      _tag: "Response",
      status: this.status,
      headers: this.headers,
      body: this.text ? body.toString("utf8") : new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
    })
  }
  onResponseError(_c: Undici.Dispatcher.DispatchController, error: Error) {
    this.finish({ _tag: "Failure", cause: error, timedOut: false })
  }
  onTimeout() {
    const done = this.close()
    if (done === undefined) return
    // Ended before the abort, so that the error undici reports for the abort is not taken for the outcome.
    done({ _tag: "Failure", cause: undefined, timedOut: true })
    this.abort(new Error("Request timed out"))
  }
}

/**
 * The raw send: undici's callback-based `dispatch`, the body buffered.
 *
 * @internal
 */
const makeTransport = (dispatcher: Undici.Dispatcher): Transport => ({
  send: (request: RawRequest, done: (result: RawResponse | RawFailure) => void) => {
    const exchange = new Exchange(request.text, done)
    try {
      const url = new URL(request.url)
      dispatcher.dispatch({
        origin: url.origin,
        path: url.pathname + url.search,
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

// The generic `HttpClient` side: used for requests that do not go through the Stripe pipeline's fast path.
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
      return Effect.promise(() => encoded.arrayBuffer()).pipe(
        Effect.map((buffer) => ({
          body: new Uint8Array(buffer),
          contentType: encoded.headers.get("content-type") ?? undefined
        }))
      )
    }
    case "Stream":
      return Stream.runCollect(Stream.orDie(body.stream)).pipe(
        Effect.map((chunks) => {
          const all = Buffer.concat(Array.from(chunks))
          return { body: new Uint8Array(all.buffer, all.byteOffset, all.byteLength), contentType: body.contentType }
        })
      )
  }
}

const makeClient = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const transport = makeTransport(dispatcher)
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(
      requestBody(request),
      ({ body, contentType }) =>
        Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
          const headers: Record<string, string> = { ...request.headers }
          if (contentType !== undefined && headers["content-type"] === undefined) headers["content-type"] = contentType
          const cancel = transport.send(
            {
              method: request.method,
              url: url.toString(),
              headers,
              body,
              text: false,
              timeoutMillis: undefined
            },
            (result) => {
              if (result._tag === "Failure") {
                return resume(
                  Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: result.cause }))
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
  return Object.assign(client, { [TransportTypeId]: transport })
}

/**
 * Builds the client; its `Agent` is closed when the scope ends.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  options.dispatcher !== undefined
    ? Effect.succeed(makeClient(options.dispatcher))
    : Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => import("undici")).pipe(
          Effect.map((undici) =>
            new undici.Agent({
              connections: options.connections ?? null,
              keepAliveTimeout: Duration.toMillis(Duration.decode(options.keepAliveTimeout ?? "30 seconds"))
            })
          )
        ),
        (agent) => Effect.promise(() => agent.close())
      ),
      makeClient
    )

/**
 * @since 0.1.0
 * @category layers
 */
export const layerWith = (options: Options): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(options))

/**
 * The client with a new keep-alive `Agent`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith({})
