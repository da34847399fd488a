/**
 * Webhook endpoints: an `@effect/platform` `HttpApp`, and a Node `http`
 * listener / Express-style middleware for hosts that do not run Effect.
 *
 * Both verify the raw body before any parsing and answer the way Stripe's
 * delivery expects: 2xx only when the event was handled, so that a failing
 * handler gets the event redelivered instead of losing it.
 *
 * | situation | status |
 * |---|---|
 * | method other than POST | 405 |
 * | missing or bad signature, stale timestamp, body not an event | 400, empty body |
 * | `data.object` does not decode for this SDK's API version (`WebhookObjectError`) | 200, logged as an error: a retry cannot help |
 * | handler succeeded | 200 |
 * | handler failed, died or threw | 500 |
 *
 * @since 0.1.0
 */
import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type { IncomingMessage, ServerResponse } from "node:http"
import * as Construct from "./internal/construct.js"
import * as Signature from "./internal/signature.js"
import * as Webhook from "./Webhook.js"
import { WebhookPayloadError, WebhookSignatureError } from "./WebhookError.js"
import type * as WebhookEvent from "./WebhookEvent.js"
import { WebhookObjectError } from "./WebhookEvent.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface HandlerOptions<E, R> {
  /** The endpoint's signing secret, or several while rotating. */
  readonly secret: Webhook.Secrets
  /** Handles a verified event; a failure or defect answers 500 so Stripe retries. */
  readonly handler: (event: WebhookEvent.Event) => Effect.Effect<unknown, E, R>
  /** Default 300 seconds; zero disables the timestamp check. */
  readonly tolerance?: Duration.DurationInput | undefined
  /** Decode `data.object` before calling the handler (see `Webhook.ConstructEventOptions`). */
  readonly decodeObject?: boolean | undefined
}

const methodNotAllowed = HttpServerResponse.empty({ status: 405, headers: { allow: "POST" } })
const badRequest = HttpServerResponse.empty({ status: 400 })
const ok = HttpServerResponse.empty({ status: 200 })
const serverError = HttpServerResponse.empty({ status: 500 })

// An event whose object this SDK cannot decode (another API version) will
// never decode: answering 5xx would only have Stripe retry it for days.
const acknowledge = (error: WebhookObjectError) =>
  Effect.as(
    Effect.logError("Stripe webhook acknowledged without handling: data.object does not decode").pipe(
      Effect.annotateLogs({
        eventId: error.eventId,
        eventType: error.eventType,
        apiVersion: error.apiVersion,
        sdkApiVersion: error.sdkApiVersion,
        detail: error.detail
      })
    ),
    ok
  )

const objectErrorOf = (error: unknown): WebhookObjectError | undefined => {
  if (error instanceof WebhookObjectError) return error
  if (!Runtime.isFiberFailure(error)) return undefined
  const failure = Cause.failureOption(error[Runtime.FiberFailureCauseId])
  return Option.isSome(failure) && failure.value instanceof WebhookObjectError ? failure.value : undefined
}

/**
 * An `HttpApp` for a Stripe webhook endpoint. Mount it on a router path:
 *
 * @example
 * ```ts
 * import { HttpRouter } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 * import { Webhook, WebhookHttp } from "@lattice-stripe/webhook"
 *
 * const stripeWebhook = WebhookHttp.makeHandler({
 *   secret: Redacted.make("whsec_..."),
 *   handler: Webhook.dispatch({
 *     "checkout.session.completed": (session) => Effect.log(`fulfil ${session.id}`)
 *   })
 * })
 *
 * const router = HttpRouter.empty.pipe(HttpRouter.all("/stripe/webhook", stripeWebhook))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHandler = <E, R>(options: HandlerOptions<E, R>): HttpApp.Default<never, R> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    if (request.method !== "POST") return methodNotAllowed
    const body = yield* Effect.option(request.arrayBuffer)
    if (body._tag === "None") return badRequest
    const verified = yield* Effect.either(
      Webhook.constructEvent(new Uint8Array(body.value), request.headers["stripe-signature"], options.secret, {
        tolerance: options.tolerance,
        decodeObject: options.decodeObject
      })
    )
    if (verified._tag === "Left") {
      const error = verified.left
      if (error._tag === "WebhookObjectError") return yield* acknowledge(error)
      yield* Effect.logDebug("Stripe webhook rejected").pipe(
        Effect.annotateLogs({ reason: error.reason, error: error._tag })
      )
      return badRequest
    }
    const event = verified.right
    const exit = yield* Effect.exit(options.handler(event))
    if (Exit.isSuccess(exit)) return ok
    // Interrupted (server shutting down): let the server decide; Stripe will
    // retry whatever was not acknowledged.
    if (Cause.isInterruptedOnly(exit.cause)) return yield* Effect.interrupt
    const failure = Cause.failureOption(exit.cause)
    if (Option.isSome(failure) && failure.value instanceof WebhookObjectError) return yield* acknowledge(failure.value)
    yield* Effect.logError("Stripe webhook handler failed", exit.cause).pipe(
      Effect.annotateLogs({ eventId: event.id, eventType: event.type })
    )
    return serverError
  })

/**
 * A Node `http` request listener, also usable as Express/Connect middleware.
 *
 * @since 0.1.0
 * @category models
 */
export type NodeListener = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void
) => void

/**
 * @since 0.1.0
 * @category models
 */
export interface NodeListenerOptions {
  /** The endpoint's signing secret, or several while rotating. */
  readonly secret: Webhook.Secrets
  /**
   * Handles a verified event. A Promise is awaited; an Effect is run with
   * `Effect.runPromise` (provide its requirements beforehand). A rejection,
   * a thrown error or a failed Effect answers 500.
   */
  readonly handler: (
    event: WebhookEvent.Event
  ) => PromiseLike<unknown> | Effect.Effect<unknown, unknown, never> | void
  /** Default 300 seconds; zero disables the timestamp check. */
  readonly tolerance?: Duration.DurationInput | undefined
  /** Bodies larger than this are answered 413 without being verified. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined
  /**
   * Told about handler failures (the response is already 500, or 200 for a
   * `WebhookObjectError`: an object of another API version, which a retry
   * cannot fix); default `console.error`.
   */
  readonly onHandlerError?: ((error: unknown, event: WebhookEvent.Event) => void) | undefined
}

class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
}

class ParsedBody {
  readonly _tag = "ParsedBody"
}

type RawBody = Buffer | string | BodyTooLarge | ParsedBody

// Express's `express.raw()` leaves the raw bytes in `req.body`; `express.json()`
// leaves an object, from which the signed bytes cannot be recovered.
const bodyFromFramework = (req: IncomingMessage): RawBody | undefined => {
  if (!("body" in req)) return undefined
  const body: unknown = req.body
  if (body === undefined) return undefined
  if (typeof body === "string") return body
  if (Buffer.isBuffer(body)) return body
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return new ParsedBody()
}

const readBody = (req: IncomingMessage, limit: number): Promise<RawBody> => {
  const fromFramework = bodyFromFramework(req)
  if (fromFramework !== undefined) return Promise.resolve(fromFramework)
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0))
  return new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk
      size += buffer.length
      if (size > limit) {
        cleanup()
        // Keep draining so the client sees the 413 instead of a reset.
        req.resume()
        resolve(new BodyTooLarge())
        return
      }
      chunks.push(buffer)
    }
    const onEnd = () => {
      cleanup()
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(error)
    }
    const cleanup = () => {
      req.off("data", onData)
      req.off("end", onEnd)
      req.off("error", onError)
    }
    req.on("data", onData)
    req.on("end", onEnd)
    req.on("error", onError)
  })
}

const respond = (res: ServerResponse, status: number, headers?: Readonly<Record<string, string>>): void => {
  if (res.headersSent) return
  res.statusCode = status
  if (headers !== undefined) {
    for (const name in headers) res.setHeader(name, headers[name])
  }
  res.end()
}

const signatureHeader = (req: IncomingMessage): string | undefined => {
  const value = req.headers["stripe-signature"]
  return Array.isArray(value) ? value.join(",") : value
}

const runHandler = async (options: NodeListenerOptions, event: WebhookEvent.Event): Promise<void> => {
  const result = options.handler(event)
  if (Effect.isEffect(result)) {
    await Effect.runPromise(result)
  } else {
    await result
  }
}

/**
 * Builds a Node request listener for a Stripe webhook endpoint. It reads the
 * whole raw body however it is chunked (or takes it from `req.body` when
 * `express.raw()` already read it), verifies it, and answers 200 once the
 * handler has succeeded.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http"
 * import { WebhookHttp } from "@lattice-stripe/webhook"
 *
 * createServer(
 *   WebhookHttp.nodeListener({
 *     secret: process.env.STRIPE_WEBHOOK_SECRET ?? "",
 *     handler: async (event) => {
 *       if (event.type === "invoice.paid") await Promise.resolve() // mark the invoice paid
 *     }
 *   })
 * ).listen(4242)
 * // Express: app.post("/webhook", express.raw({ type: "application/json" }), WebhookHttp.nodeListener({ ... }))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const nodeListener = (options: NodeListenerOptions): NodeListener => {
  const limit = options.maxBodyBytes ?? 1024 * 1024
  const onHandlerError = options.onHandlerError ??
    ((error: unknown, event: WebhookEvent.Event) =>
      console.error(`Stripe webhook handler failed for ${event.type} ${event.id}`, error))
  return (req, res, next) => {
    if (req.method !== "POST") {
      // Drain so keep-alive connections stay usable.
      req.resume()
      respond(res, 405, { allow: "POST" })
      return
    }
    readBody(req, limit).then(
      async (body) => {
        if (body instanceof BodyTooLarge) return respond(res, 413, { connection: "close" })
        if (body instanceof ParsedBody) {
          const error = new Error(
            "Stripe webhook: req.body was already parsed; mount express.raw({ type: \"application/json\" }) on this route"
          )
          if (next !== undefined) return next(error)
          return respond(res, 500)
        }
        const crypto = Signature.nodeCrypto()
        const result = crypto === null ?
          new WebhookPayloadError({ reason: "InvalidPayload", detail: "Node's crypto is not available" }) :
          Construct.constructEventSync(
            crypto,
            body,
            signatureHeader(req),
            options.secret,
            options.tolerance,
            Date.now()
          )
        if (result instanceof WebhookSignatureError || result instanceof WebhookPayloadError) {
          return respond(res, 400)
        }
        try {
          await runHandler(options, result)
        } catch (error) {
          onHandlerError(error, result)
          return respond(res, objectErrorOf(error) === undefined ? 500 : 200)
        }
        respond(res, 200)
      },
      () => respond(res, 400)
    )
  }
}

/**
 * Alias of {@link nodeListener} for Express/Connect apps.
 *
 * @since 0.1.0
 * @category constructors
 */
export const expressMiddleware: (options: NodeListenerOptions) => NodeListener = nodeListener
