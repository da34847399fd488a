import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import * as FormEncoding from "../FormEncoding.js"
import type { AmbientOptions, Config, HttpMethod, Request, Response, ResponseMeta, Service } from "../StripeClient.js"
import type { StripeError } from "../StripeError.js"
import { StripeDecodeError, StripeValidationError } from "../StripeError.js"
import { RequestDefaults, ResponseCollector } from "./context.js"
import { FAIL, fastDecoder } from "./decoder.js"
import { connectionError, fromResponse, publicHeaders, redactText, timeoutError } from "./errors.js"
import { backoffMillis, isRetryable } from "./retry.js"
import type { Transport } from "./transport.js"
import { getTransport } from "./transport.js"
import { clientUserAgent, userAgent } from "./userAgent.js"

type Decoder = (u: unknown) => Either.Either<unknown, ParseResult.ParseError>

const decoders = new WeakMap<object, Decoder>()

/**
 * One decoder per schema for the life of the process: building a parser is
 * far more expensive than running it.
 */
const decoderFor = <A, I>(
  schema: Schema.Schema<A, I, never>
): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  let decoder = decoders.get(schema)
  if (decoder === undefined) {
    const slow: Decoder = Schema.decodeUnknownEither(schema)
    const fast = fastDecoder(schema.ast)
    // The compiled decoder gives effect's result on success; anything else (a failure, a shape it
    // does not handle) goes through effect's decoder, which produces the real ParseError.
    const created: Decoder = (u) => {
      const value = fast(u)
      return value === FAIL ? slow(u) : Either.right(value)
    }
    decoders.set(schema, created)
    decoder = created
  }
  // Boundary cast: the cache is keyed by the schema itself, so the stored decoder is this schema's.
  return decoder as (u: unknown) => Either.Either<A, ParseResult.ParseError>
}

type Outcome<A> = Either.Either<A, StripeError>

/** How a 2xx body becomes the value of the call. */
interface Mode<A> {
  /** Whether the fast path should decode the body as UTF-8 text. */
  readonly text: boolean
  readonly read: (
    response: HttpClientResponse.HttpClientResponse
  ) => Effect.Effect<string | Uint8Array, HttpClientError.ResponseError>
  readonly finish: (status: number, headers: Readonly<Record<string, string>>, body: string | Uint8Array) => Outcome<A>
}

const textDecoder = new TextDecoder()
const textEncoder = new TextEncoder()

/** What the raw transport sends as is: no body, text or bytes (not a multipart form). */
const isWireBody = (body: Prepared["body"]): body is string | Uint8Array | undefined =>
  body === undefined || typeof body === "string" || body instanceof Uint8Array
const asText = (body: string | Uint8Array): string => typeof body === "string" ? body : textDecoder.decode(body)

const jsonMode = <A, I>(schema: Schema.Schema<A, I, never>, method: string, path: string): Mode<A> => ({
  text: true,
  read: (response) => response.text,
  finish: (status, headers, body) => {
    const text = asText(body)
    if (status < 200 || status >= 300) return Either.left(fromResponse(status, headers, text))
    let json: unknown
    try {
      // An empty 2xx body decodes as `undefined`, for endpoints whose schema is `Schema.Void`.
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      return Either.left(
        new StripeDecodeError({
          message: `Stripe answered HTTP ${status} to ${method} ${path} with a body that is not JSON`,
          requestId: headers["request-id"],
          status,
          body: redactText(text),
          method,
          path
        })
      )
    }
    const decoded = decoderFor(schema)(json)
    if (Either.isRight(decoded)) return Either.right(decoded.right)
    return Either.left(
      new StripeDecodeError({
        message: `Could not decode the response to ${method} ${path}: ` +
          redactText(ParseResult.TreeFormatter.formatErrorSync(decoded.left)),
        requestId: headers["request-id"],
        status,
        body: redactText(text),
        method,
        path
      })
    )
  }
})

const bytesMode: Mode<Uint8Array> = {
  text: false,
  read: (response) => Effect.map(response.arrayBuffer, (buffer) => new Uint8Array(buffer)),
  finish: (status, headers, body) => {
    if (status >= 200 && status < 300) {
      return Either.right(typeof body === "string" ? new TextEncoder().encode(body) : body)
    }
    return Either.left(fromResponse(status, headers, asText(body)))
  }
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const withExpand = (params: unknown, expand: ReadonlyArray<string> | undefined): unknown => {
  if (expand === undefined || expand.length === 0) return params
  const base = isRecord(params) ? params : {}
  const existing = Array.isArray(base.expand) ? base.expand : []
  return { ...base, expand: [...existing, ...expand] }
}

const bigintReplacer = (_key: string, value: unknown): unknown => typeof value === "bigint" ? value.toString() : value

// A replacer costs a call per key (meter event batches have hundreds), so it is only used when a
// BigInt actually made the plain stringify throw.
const toJson = (params: unknown): string => {
  try {
    return JSON.stringify(params)
  } catch (error) {
    if (error instanceof TypeError) return JSON.stringify(params, bigintReplacer)
    throw error
  }
}

const makers = {
  GET: HttpClientRequest.get,
  POST: HttpClientRequest.post,
  DELETE: HttpClientRequest.del
} as const

interface Prepared {
  readonly method: HttpMethod
  readonly displayPath: string
  readonly url: string
  readonly headers: Record<string, string>
  /**
   * A text body (form or JSON; its content type is in `headers`), the same
   * as UTF-8 bytes for the raw transport, or a multipart form.
   */
  readonly body: string | Uint8Array | FormData | undefined
  readonly idempotencyKey: string | undefined
  readonly timeoutMillis: number
  readonly maxRetries: number
}

/**
 * A multipart form as bytes with its boundary, encoded by the WHATWG
 * `Response` as fetch would send it. Transports disagree on `FormData`
 * (undici from npm rejects the one built into Node), but every transport
 * sends bytes, so uploads work on any `HttpClient`.
 */
const multipartBody = (form: FormData): Effect.Effect<HttpBody.HttpBody, StripeError> =>
  Effect.tryPromise({
    try: async () => {
      const encoded = new Response(form)
      const bytes = new Uint8Array(await encoded.arrayBuffer())
      return HttpBody.uint8Array(bytes, encoded.headers.get("content-type") ?? "multipart/form-data")
    },
    catch: (error) => validationError(`The multipart body could not be encoded: ${String(error)}`, "file")
  })

/** The platform request of a prepared call, for a generic `HttpClient`. */
const platformRequest = (prepared: Prepared): Effect.Effect<HttpClientRequest.HttpClientRequest, StripeError> => {
  const { body, headers } = prepared
  if (body === undefined) {
    return Effect.succeed(makers[prepared.method](prepared.url, { headers: Headers.unsafeFromRecord(headers) }))
  }
  if (!isWireBody(body)) {
    return Effect.map(
      multipartBody(body),
      (encoded) =>
        HttpClientRequest.setBody(
          makers[prepared.method](prepared.url, { headers: Headers.unsafeFromRecord(headers) }),
          encoded
        )
    )
  }
  // The content type travels in the body, as the platform expects.
  const { "content-type": contentType, ...rest } = headers
  return Effect.succeed(HttpClientRequest.setBody(
    makers[prepared.method](prepared.url, { headers: Headers.unsafeFromRecord(rest) }),
    typeof body === "string" ? HttpBody.text(body, contentType) : HttpBody.uint8Array(body, contentType)
  ))
}

interface AttemptState {
  attempts: number
  driver: Schedule.ScheduleDriver<unknown, StripeError> | undefined
}

const validationError = (message: string, param: string) => new StripeValidationError({ message, param })

const isDebug = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.getFiberRef(FiberRef.currentMinimumLogLevel).ordinal <= LogLevel.Debug.ordinal

const tracerOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Tracer.Tracer =>
  Context.get(fiber.currentDefaultServices, Tracer.Tracer)

// Effect's built-in tracer, installed unless a program sets another (OpenTelemetry, a test tracer).
const nativeTracer: Tracer.Tracer = Effect.runSync(Effect.tracer)

// The class of the real-time clock: a TestClock (or any other clock) must see every timer as a Clock sleep.
const liveClockConstructor: unknown = Clock.make().constructor

const isLiveClock = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  Context.get(fiber.currentDefaultServices, Clock.Clock).constructor === liveClockConstructor

/**
 * `Effect.timeoutFail` for the real-time clock, at a fraction of its cost:
 * the attempt runs in one child fiber and a plain timer races it (the
 * combinator forks a second fiber for the sleep and joins both). On timeout
 * the attempt is interrupted and the call fails at once.
 */
const liveTimeout = <A>(
  attempt: Effect.Effect<A, StripeError>,
  millis: number,
  onTimeout: () => StripeError
): Effect.Effect<A, StripeError> =>
  Effect.flatMap(Effect.fork(attempt), (child) =>
    Effect.async<A, StripeError>((resume) => {
      let done = false
      const timer = setTimeout(() => {
        if (done) return
        done = true
        child.unsafeInterruptAsFork(FiberId.none)
        resume(Effect.fail(onTimeout()))
      }, millis)
      child.addObserver((exit) => {
        if (done) return
        done = true
        clearTimeout(timer)
        resume(exit)
      })
      return Effect.sync(() => {
        done = true
        clearTimeout(timer)
        child.unsafeInterruptAsFork(FiberId.none)
      })
    }))

/**
 * Builds the service: everything that does not depend on the call (headers,
 * credentials, base URLs) is computed here once.
 *
 * @internal
 */
export const makeService = (config: Config, client: HttpClient.HttpClient): Service => {
  const ua = userAgent(config.appInfo)
  const clientUa = clientUserAgent(config.appInfo)
  const defaultAuthorization = "Bearer " + Redacted.value(config.apiKey)
  const defaultTimeoutMillis = Duration.toMillis(config.timeout)
  const transport = getTransport(client)
  const bases = {
    api: config.baseUrl,
    files: config.filesBaseUrl,
    meterEvents: config.meterEventsBaseUrl
  } as const

  const prepare = (
    req: Omit<Request<unknown>, "schema">,
    defaults: AmbientOptions,
    bytes: boolean
  ): Prepared | StripeValidationError => {
    const options = req.options
    const method = req.method
    const displayPath = req.pathTemplate ?? req.path

    let timeoutMillis = defaultTimeoutMillis
    const timeoutInput = options?.timeout ?? defaults.timeout
    if (timeoutInput !== undefined) {
      const decoded = Duration.decodeUnknown(timeoutInput)
      if (decoded._tag === "None" || !Duration.isFinite(decoded.value) || Duration.toMillis(decoded.value) <= 0) {
        return validationError("timeout must be a positive, finite duration", "timeout")
      }
      timeoutMillis = Duration.toMillis(decoded.value)
    }
    const maxRetries = options?.maxRetries ?? defaults.maxRetries ?? config.maxRetries
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      return validationError("maxRetries must be a non-negative integer", "maxRetries")
    }

    const apiKey = options?.apiKey ?? defaults.apiKey
    const authorization = req.bearer !== undefined ?
      "Bearer " + Redacted.value(req.bearer) :
      apiKey !== undefined ?
      "Bearer " + Redacted.value(apiKey) :
      defaultAuthorization

    const headers: Record<string, string> = {
      "user-agent": ua,
      "x-stripe-client-user-agent": clientUa,
      "stripe-version": options?.stripeVersion ?? defaults.stripeVersion ?? config.apiVersion,
      authorization
    }
    const account = options?.stripeAccount ?? defaults.stripeAccount ?? config.stripeAccount
    if (account !== undefined) headers["stripe-account"] = account

    let idempotencyKey: string | undefined
    if (method === "POST" || method === "DELETE") {
      // One key per logical call: retries reuse it, so Stripe applies the call at most once.
      idempotencyKey = options?.idempotencyKey ?? crypto.randomUUID()
      headers["idempotency-key"] = idempotencyKey
    } else if (options?.idempotencyKey !== undefined) {
      idempotencyKey = options.idempotencyKey
      headers["idempotency-key"] = idempotencyKey
    }
    const extra = defaults.headers === undefined ?
      options?.headers :
      options?.headers === undefined ?
      defaults.headers :
      { ...defaults.headers, ...options.headers }
    if (extra !== undefined) {
      for (const name in extra) headers[name.toLowerCase()] = extra[name]
    }

    let url = bases[req.host ?? "api"] + req.path
    let body: string | Uint8Array | FormData | undefined
    const isV2 = req.path.startsWith("/v2/")
    try {
      if (method === "POST") {
        if (req.multipart !== undefined) {
          body = req.multipart
        } else {
          const text = isV2 ? toJson(req.params ?? {}) : FormEncoding.encode(withExpand(req.params, options?.expand))
          headers["content-type"] = isV2 ? "application/json" : "application/x-www-form-urlencoded"
          // For the raw transport the text becomes bytes at once and is dropped: a large body kept as a
          // string for the whole exchange survives young-generation collections, and copying it costs
          // more than the encoding (the bytes live outside the JS heap).
          body = bytes ? textEncoder.encode(text) : text
        }
      } else {
        const query = FormEncoding.encode(withExpand(req.params, options?.expand))
        if (query !== "") url += (req.path.includes("?") ? "&" : "?") + query
      }
    } catch (error) {
      if (error instanceof StripeValidationError) return error
      return validationError(`Params could not be encoded: ${String(error)}`, "params")
    }

    return { method, displayPath, url, headers, body, idempotencyKey, timeoutMillis, maxRetries }
  }

  type Complete<A> = (
    status: number,
    headers: Readonly<Record<string, string>>,
    body: string | Uint8Array
  ) => Effect.Effect<Response<A>, StripeError>

  /** One attempt through the generic `HttpClient` interface, bounded by a Clock timeout. */
  const genericOnce = <A>(
    prepared: Prepared,
    mode: Mode<A>,
    state: AttemptState,
    complete: Complete<A>,
    live: boolean
  ): Effect.Effect<Response<A>, StripeError> => {
    const { displayPath, method, timeoutMillis } = prepared
    // Built once per call: retries resend the same request (and the same multipart bytes).
    let request: HttpClientRequest.HttpClientRequest | undefined
    const build = Effect.suspend(() =>
      request !== undefined ? Effect.succeed(request) : Effect.tap(platformRequest(prepared), (r) => {
        request = r
      })
    )
    return Effect.flatMap(build, (request) =>
      Effect.suspend(() => {
        state.attempts++
        return client.execute(request).pipe(
          Effect.flatMap((response) =>
            Effect.flatMap(mode.read(response), (body) => complete(response.status, response.headers, body))
          ),
          Effect.mapError((error) =>
            HttpClientError.isHttpClientError(error) ? connectionError(method, displayPath, error) : error
          ),
          (attempt) =>
            live ?
              liveTimeout(attempt, timeoutMillis, () => timeoutError(method, displayPath, timeoutMillis)) :
              Effect.timeoutFail(attempt, {
                duration: timeoutMillis,
                onTimeout: () => timeoutError(method, displayPath, timeoutMillis)
              })
        )
      }))
  }

  /** One attempt through `StripeHttpClient`'s raw send: no fiber, no request object, one timer. */
  const sendRaw = <A>(
    transport: Transport,
    prepared: Prepared,
    body: string | Uint8Array | undefined,
    text: boolean,
    state: AttemptState,
    complete: Complete<A>
  ): Effect.Effect<Response<A>, StripeError> => {
    const { displayPath, method, timeoutMillis } = prepared
    return Effect.async<Response<A>, StripeError>((resume) => {
      state.attempts++
      const cancel = transport.send(
        { method, url: prepared.url, headers: prepared.headers, body, text, timeoutMillis },
        (result) => {
          if (result._tag === "Response") return resume(complete(result.status, result.headers, result.body))
          resume(Effect.fail(
            result.timedOut
              ? timeoutError(method, displayPath, timeoutMillis)
              : connectionError(method, displayPath, { cause: result.cause })
          ))
        }
      )
      return Effect.sync(cancel)
    })
  }

  const run = <A>(
    req: Omit<Request<unknown>, "schema">,
    makeMode: (method: string, path: string) => Mode<A>
  ): Effect.Effect<Response<A>, StripeError> =>
    Effect.withFiberRuntime((fiber) => {
      const name = req.spanName ?? "stripe.request"
      const options: Tracer.SpanOptions = {
        kind: "client",
        captureStackTrace: false,
        attributes: { "http.method": req.method, "stripe.path": req.pathTemplate ?? req.path }
      }
      const fast = transport !== undefined && req.multipart === undefined && !isDebug(fiber) && isLiveClock(fiber)
      if (!fast) {
        return Effect.useSpan(name, options, (span) =>
          Effect.withParentSpan(pipeline(req, makeMode, span, undefined), span))
      }
      // Nothing runs inside a fast call that could see its span (no platform client, no logging), so with
      // Effect's built-in tracer, whose spans go nowhere, the span would be pure cost.
      if (!fiber.getFiberRef(FiberRef.currentTracerEnabled) || tracerOf(fiber) === nativeTracer) {
        return pipeline(req, makeMode, undefined, transport)
      }
      return Effect.useSpan(name, options, (span) =>
        pipeline(req, makeMode, span, transport))
    })

  const pipeline = <A>(
    req: Omit<Request<unknown>, "schema">,
    makeMode: (method: string, path: string) => Mode<A>,
    span: Tracer.Span | undefined,
    fast: Transport | undefined
  ): Effect.Effect<Response<A>, StripeError> =>
    Effect.withFiberRuntime((fiber) => {
      const context = fiber.currentContext
      const collector = Context.get(context, ResponseCollector)
      const debug = isDebug(fiber)
      const prepared = prepare(req, Context.get(context, RequestDefaults), fast !== undefined)
      if (prepared instanceof StripeValidationError) return Effect.fail(prepared)
      const { displayPath, maxRetries, method } = prepared
      const mode = makeMode(method, displayPath)
      const state: AttemptState = { attempts: 0, driver: undefined }

      const complete = (
        status: number,
        headers: Readonly<Record<string, string>>,
        body: string | Uint8Array
      ): Effect.Effect<Response<A>, StripeError> => {
        const outcome = mode.finish(status, headers, body)
        if (Either.isLeft(outcome)) return Effect.fail(outcome.left)
        const meta: ResponseMeta = {
          requestId: headers["request-id"],
          status,
          headers: publicHeaders(headers),
          idempotencyKey: prepared.idempotencyKey,
          replayed: headers["idempotent-replayed"] === "true",
          attempts: state.attempts
        }
        return Effect.succeed<Response<A>>({ value: outcome.right, meta })
      }

      const body = prepared.body
      const once: Effect.Effect<Response<A>, StripeError> = fast !== undefined && isWireBody(body) ?
        // The fast path of `StripeHttpClient`: one callback per attempt, its timer bounding the body too.
        sendRaw(fast, prepared, body, mode.text, state, complete) :
        genericOnce(prepared, mode, state, complete, isLiveClock(fiber))

      const wait = (error: StripeError): Effect.Effect<void, StripeError> => {
        const schedule = config.retrySchedule
        const log = debug ?
          Effect.logDebug(
            `stripe ${method} ${displayPath}: attempt ${state.attempts} failed (${error._tag}), retrying`
          ) :
          Effect.void
        if (schedule === undefined) {
          return Effect.zipRight(
            log,
            Effect.flatMap(Random.next, (random) => Effect.sleep(backoffMillis(state.attempts, random, error)))
          )
        }
        const driver = state.driver !== undefined ?
          Effect.succeed(state.driver) :
          Effect.tap(Schedule.driver(schedule), (created) => {
            state.driver = created
          })
        // The replaced schedule decides the delay; when it is done, the last failure stands.
        return Effect.zipRight(
          log,
          Effect.flatMap(driver, (d) => Effect.asVoid(Effect.catchAll(d.next(error), () => Effect.fail(error))))
        )
      }

      const loop = (): Effect.Effect<Response<A>, StripeError> =>
        Effect.catchAll(once, (error) => {
          if (state.attempts > maxRetries || !isRetryable(error)) return Effect.fail(error)
          // A fast call runs outside its span; what runs between attempts (a replaced schedule) sees it.
          const waited = fast !== undefined && span !== undefined
            ? Effect.withParentSpan(wait(error), span)
            : wait(error)
          return Effect.zipRight(waited, Effect.suspend(loop))
        })

      const recorded = Effect.mapBoth(loop(), {
        onSuccess: (response) => {
          for (let c = collector; c !== undefined; c = c.parent) c.meta = response.meta
          if (span === undefined) return response
          span.attribute("http.status_code", response.meta.status)
          if (response.meta.requestId !== undefined) span.attribute("stripe.request_id", response.meta.requestId)
          span.attribute("stripe.attempts", state.attempts)
          return response
        },
        onFailure: (error) => {
          if (span === undefined) return error
          if (Predicate.hasProperty(error, "status") && typeof error.status === "number") {
            span.attribute("http.status_code", error.status)
          }
          if (Predicate.hasProperty(error, "requestId") && typeof error.requestId === "string") {
            span.attribute("stripe.request_id", error.requestId)
          }
          span.attribute("stripe.attempts", state.attempts)
          return error
        }
      })
      if (!debug) return recorded
      return Effect.tapBoth(recorded, {
        onSuccess: (response) =>
          Effect.logDebug(
            `stripe ${method} ${displayPath} -> ${response.meta.status}` +
              (response.meta.requestId !== undefined ? ` [request ${response.meta.requestId}]` : "") +
              ` in ${state.attempts} attempt(s)`
          ),
        onFailure: (error) =>
          Effect.logDebug(`stripe ${method} ${displayPath} failed after ${state.attempts} attempt(s): ${error._tag}`)
      })
    })

  return {
    config,
    execute: <A, I>(request: Request<A, I>) => run(request, (method, path) => jsonMode(request.schema, method, path)),
    executeBytes: (request) => run(request, () => bytesMode)
  }
}
