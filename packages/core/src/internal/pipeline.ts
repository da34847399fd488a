import { RequestInit } from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import { constTrue } from "effect/Function"
import * as LogLevel from "effect/LogLevel"
import * as ParseResult from "effect/ParseResult"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import * as RuntimeFlags from "effect/RuntimeFlags"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as FormEncoding from "../FormEncoding.js"
import * as Redaction from "../Redaction.js"
import type { AmbientOptions, Config, HttpMethod, Request, Response, ResponseMeta, Service } from "../StripeClient.js"
import type { StripeError } from "../StripeError.js"
import { StripeDecodeError, StripeValidationError } from "../StripeError.js"
import { isHeaderName, isHeaderValue } from "./config.js"
import { RequestDefaults, ResponseCollector } from "./context.js"
import { FAIL, fastDecoder } from "./decoder.js"
import type { CallContext } from "./errors.js"
import { boundedMessage, connectionError, fromResponse, publicHeaders, redactText, timeoutError } from "./errors.js"
import { backoffMillis, isRetryable, retryAfterMillis } from "./retry.js"
import type { RawRequest, RawResult, TransportService } from "./transport.js"
import { clientUserAgent, userAgent } from "./userAgent.js"

type Decoder = (u: unknown) => Either.Either<unknown, ParseResult.ParseError>

const decoders = new WeakMap<object, Decoder>()
const closureDecoders = new WeakMap<object, Decoder>()

/**
 * How many 2xx bodies each decoder handled: a test fails when the fast
 * decoder is silently not taken for the generated schemas.
 *
 * @internal
 */
export const decoderStats = { fast: 0, slow: 0 }

/**
 * One decoder per schema for the life of the process: building a parser is
 * far more expensive than running it.
 */
const decoderFor = <A, I>(
  schema: Schema.Schema<A, I, never>,
  codegen: boolean
): (u: unknown) => Either.Either<A, ParseResult.ParseError> => {
  const cache = codegen ? decoders : closureDecoders
  let decoder = cache.get(schema)
  if (decoder === undefined) {
    const slow: Decoder = Schema.decodeUnknownEither(schema)
    const fast = fastDecoder(schema.ast, { codegen })
    // The compiled decoder gives effect's result on success; anything else (a failure, a shape it
    // does not handle) goes through effect's decoder, which produces the real ParseError.
    const created: Decoder = (u) => {
      const value = fast(u)
      if (value === FAIL) {
        decoderStats.slow++
        return slow(u)
      }
      decoderStats.fast++
      return Either.right(value)
    }
    cache.set(schema, created)
    decoder = created
  }
  // Boundary cast: the cache is keyed by the schema itself, so the stored decoder is this schema's.
  return decoder as (u: unknown) => Either.Either<A, ParseResult.ParseError>
}

type Outcome<A> = Either.Either<A, StripeError>

/**
 * What a call delivers: its value with the response metadata (`execute`),
 * or the value alone (`executeValue`, which `StripeClient.request` uses:
 * the metadata is then built only when `withResponse`, a span or the Debug
 * log reads it).
 */
interface Deliver<A, R> {
  readonly meta: boolean
  readonly make: (value: A, meta: ResponseMeta | undefined) => R
}

const noMeta: ResponseMeta = {
  requestId: undefined,
  status: 0,
  headers: {},
  idempotencyKey: undefined,
  replayed: false,
  attempts: 0
}

const withResponse = {
  meta: true,
  make: <A>(value: A, meta: ResponseMeta | undefined): Response<A> => ({ value, meta: meta ?? noMeta })
}

const valueOnly = { meta: false, make: <A>(value: A): A => value }

/** How a response becomes the outcome of the call. Never throws. */
type Finish<A> = (status: number, headers: Readonly<Record<string, string>>, body: string | Uint8Array) => Outcome<A>

const textDecoder = new TextDecoder()
const textEncoder = new TextEncoder()

/** What the raw transport sends as is: no body, text or bytes (not a multipart form). */
const isWireBody = (body: Prepared["body"]): body is string | Uint8Array | undefined =>
  body === undefined || typeof body === "string" || body instanceof Uint8Array
const asText = (body: string | Uint8Array): string => typeof body === "string" ? body : textDecoder.decode(body)

const decodeError = (
  call: CallContext,
  status: number,
  headers: Readonly<Record<string, string>>,
  text: string,
  message: string
): StripeDecodeError =>
  new StripeDecodeError({
    message,
    requestId: headers["request-id"],
    status,
    body: Redaction.redactBody(text),
    method: call.method,
    path: call.path,
    idempotencyKey: call.idempotencyKey
  })

// `RangeError: Maximum call stack size exceeded`, from decoding or formatting a deeply nested value.
const isStackOverflow = (error: unknown): boolean => error instanceof RangeError

const jsonFinish = <A, I>(schema: Schema.Schema<A, I, never>, call: CallContext, codegen: boolean): Finish<A> =>
(
  status,
  headers,
  body
) => {
  const text = typeof body === "string" ? body : textDecoder.decode(body)
  if (status < 200 || status >= 300) return Either.left(fromResponse(status, headers, text, call))
  let json: unknown
  try {
    // An empty 2xx body decodes as `undefined`, for endpoints whose schema is `Schema.Void`.
    json = text === "" ? undefined : JSON.parse(text)
  } catch (error) {
    return Either.left(decodeError(
      call,
      status,
      headers,
      text,
      isStackOverflow(error) ?
        `Stripe answered HTTP ${status} to ${call.method} ${call.path} with JSON nested too deeply to parse` :
        `Stripe answered HTTP ${status} to ${call.method} ${call.path} with a body that is not JSON`
    ))
  }
  let decoded: Either.Either<A, ParseResult.ParseError>
  try {
    decoded = decoderFor(schema, codegen)(json)
  } catch (error) {
    // A hostile body (thousands of nesting levels) overflows any recursive decoder: a typed failure.
    return Either.left(decodeError(
      call,
      status,
      headers,
      text,
      isStackOverflow(error) ?
        `Could not decode the response to ${call.method} ${call.path}: it is nested too deeply` :
        `Could not decode the response to ${call.method} ${call.path}: ${redactText(String(error))}`
    ))
  }
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  let detail: string
  try {
    detail = boundedMessage(ParseResult.TreeFormatter.formatErrorSync(decoded.left))
  } catch {
    detail = "the body does not match the expected schema"
  }
  return Either.left(
    decodeError(call, status, headers, text, `Could not decode the response to ${call.method} ${call.path}: ${detail}`)
  )
}

const bytesFinish = (call: CallContext): Finish<Uint8Array> => (status, headers, body) => {
  if (status >= 200 && status < 300) return Either.right(typeof body === "string" ? textEncoder.encode(body) : body)
  return Either.left(fromResponse(status, headers, asText(body), call))
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
  /** Origin of the host the call goes to. */
  readonly origin: string
  /** Path on the origin (base path, request path and query). */
  readonly target: string
  readonly headers: Record<string, string>
  /**
   * A text body (form or JSON; its content type is in `headers`), the same
   * as UTF-8 bytes for the raw transport, or a multipart form.
   */
  readonly body: string | Uint8Array | FormData | undefined
  readonly timeoutMillis: number
  readonly maxRetries: number
  readonly call: CallContext
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
    catch: (error) => validationError(`The multipart body could not be encoded: ${redactText(String(error))}`, "file")
  })

/** The platform request of a call with no body, or a text or bytes body, for a generic `HttpClient`. */
const wireRequest = (
  prepared: Prepared,
  body: string | Uint8Array | undefined
): HttpClientRequest.HttpClientRequest => {
  const headers = prepared.headers
  const url = prepared.origin + prepared.target
  if (body === undefined) return makers[prepared.method](url, { headers: Headers.unsafeFromRecord(headers) })
  // The content type travels in the body, as the platform expects.
  const { "content-type": contentType, ...rest } = headers
  return HttpClientRequest.setBody(
    makers[prepared.method](url, { headers: Headers.unsafeFromRecord(rest) }),
    typeof body === "string" ? HttpBody.text(body, contentType) : HttpBody.uint8Array(body, contentType)
  )
}

/** The platform request of a multipart call (its form encoded to bytes first). */
const multipartRequest = (
  prepared: Prepared,
  body: Prepared["body"]
): Effect.Effect<HttpClientRequest.HttpClientRequest, StripeError> => {
  if (isWireBody(body)) return Effect.succeed(wireRequest(prepared, body))
  const url = prepared.origin + prepared.target
  return Effect.map(
    multipartBody(body),
    (encoded) =>
      HttpClientRequest.setBody(
        makers[prepared.method](url, { headers: Headers.unsafeFromRecord(prepared.headers) }),
        encoded
      )
  )
}

interface AttemptState {
  attempts: number
  /** Status and request id of the last response, for the Debug log. */
  status: number
  requestId: string | undefined
  driver: Schedule.ScheduleDriver<unknown, StripeError> | undefined
  /** Start of the current attempt (`performance.now()`), for telemetry. */
  started: number
}

const validationError = (message: string, param: string) => new StripeValidationError({ message, param })

const isDebug = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.getFiberRef(FiberRef.currentMinimumLogLevel).ordinal <= LogLevel.Debug.ordinal

// Effect's built-in tracer and real-time clock, as the default services hold them, read on first
// use through Effect's own accessors. A program that installs another tracer (OpenTelemetry, a test
// tracer) or clock (TestClock) is recognised by identity.
let defaultTracer: Tracer.Tracer | undefined
let defaultClock: Clock.Clock | undefined
const nativeTracer = (): Tracer.Tracer => (defaultTracer ??= Effect.runSync(Effect.tracer))
const liveClock = (): Clock.Clock => (defaultClock ??= Effect.runSync(Effect.clock))

const clockOf = (fiber: Fiber.RuntimeFiber<unknown, unknown>): Clock.Clock =>
  Context.get(fiber.currentDefaultServices, Clock.Clock)

/** Whether the fiber runs on the real-time clock (so plain timers may stand in for Clock sleeps). @internal */
export const isLiveClock = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean => clockOf(fiber) === liveClock()

/**
 * The runtime an attempt through a generic `HttpClient` runs on (see
 * `genericOnce`): the caller's fiber refs and context, with the fetch options
 * and, when the call has one, its span as the parent; the platform's own
 * `http.client` span switched off; interruptible, so that the timeout can
 * stop it.
 */
const attemptRuntime = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  runtimeFlags: RuntimeFlags.RuntimeFlags,
  init: globalThis.RequestInit,
  span: Tracer.Span | undefined
): Runtime.Runtime<never> => {
  const withInit = Context.add(fiber.currentContext, RequestInit, init)
  return Runtime.make({
    context: span === undefined ? withInit : Context.add(withInit, Tracer.ParentSpan, span),
    fiberRefs: FiberRefs.updateAs(fiber.getFiberRefs(), {
      fiberId: fiber.id(),
      fiberRef: HttpClient.currentTracerDisabledWhen,
      value: constTrue
    }),
    runtimeFlags: RuntimeFlags.enable(runtimeFlags, RuntimeFlags.Interruption)
  })
}

/**
 * The platform's errors and any defect of a client as typed connection
 * failures; `undefined` when the attempt was only interrupted.
 */
const attemptFailure = (
  call: CallContext,
  cause: Cause.Cause<HttpClientError.HttpClientError | StripeError>
): StripeError | undefined => {
  const failure = Cause.failureOption(cause)
  if (failure._tag === "Some") {
    const error = failure.value
    return HttpClientError.isHttpClientError(error) ? connectionError(call, error) : error
  }
  if (Cause.isInterruptedOnly(cause)) return undefined
  return connectionError(call, { cause: Cause.squash(cause) })
}

/**
 * Encodes a path argument (see `StripeClient.pathSegment`). Values that can
 * never be a safe segment encode as the empty segment, which
 * {@link invalidPath} rejects.
 *
 * @internal
 */
export const pathSegment = (value: unknown): string => {
  if (typeof value !== "string") return ""
  try {
    return encodeURIComponent(value)
  } catch {
    // A lone surrogate has no UTF-8 encoding (`URIError`).
    return ""
  }
}

// RFC 3986 `pchar` plus "/" (and "%", checked below): anything else must be percent-encoded.
const PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/
// The query may also hold "?" and the literal brackets of Stripe's form encoding.
const QUERY_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/?[\]]*$/
const BAD_PERCENT = /%(?![0-9A-Fa-f]{2})/
// A segment URL normalisation removes or collapses: ".", "..", and their percent-encoded forms.
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i

/**
 * Why a request path is not a path on the configured host, or `undefined`.
 *
 * @internal
 */
export const invalidPath = (path: unknown): string | undefined => {
  if (typeof path !== "string") return "it is not a string"
  const q = path.indexOf("?")
  const pathname = q === -1 ? path : path.slice(0, q)
  if (pathname.charCodeAt(0) !== 47 /* / */) return "it does not start with /"
  if (!PATH_CHARS.test(pathname)) {
    return "it has a character that must be percent-encoded (use StripeClient.pathSegment)"
  }
  if (BAD_PERCENT.test(pathname)) return "it has an invalid percent-encoding"
  let start = 1
  let index = 1
  while (start <= pathname.length) {
    let end = pathname.indexOf("/", start)
    if (end === -1) end = pathname.length
    if (end === start) return `segment ${index} is empty (an empty path argument?)`
    // Only a segment of at most 6 characters starting with "." or "%" can be a dot segment.
    const first = pathname.charCodeAt(start)
    if (end - start <= 6 && (first === 46 /* . */ || first === 37 /* % */)) {
      const segment = pathname.slice(start, end)
      if (DOT_SEGMENT.test(segment)) return `segment ${index} is "${segment}", which URL normalisation would remove`
    }
    start = end + 1
    index++
  }
  if (q !== -1) {
    const query = path.slice(q + 1)
    if (!QUERY_CHARS.test(query) || BAD_PERCENT.test(query)) return "its query has a character that must be encoded"
  }
  return undefined
}

// Headers whose values frame the message or pick the host: never taken from `headers` options.
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection"
])

const headerValueProblem = "has a character that cannot be sent in an HTTP header " +
  "(CR, LF, NUL, a control character or one above U+00FF)"

/** The origin and base path of a configured base URL (validated by the config). */
const splitBase = (base: string): { readonly origin: string; readonly path: string } => {
  const url = new URL(base)
  return { origin: url.origin, path: url.pathname.replace(/\/+$/, "") }
}

const MAX_TELEMETRY = 100
// Bodies up to this many characters go to the raw transport as strings (undici writes them directly);
// longer ones (meter event batches) as bytes, as measured before.
const RAW_TEXT_LIMIT = 4096

/**
 * Builds the service: everything that does not depend on the call (headers,
 * credentials, base URLs) is computed here once.
 *
 * @internal
 */
export const makeService = (
  config: Config,
  platformClient: HttpClient.HttpClient,
  transport: TransportService | undefined,
  requestInit: globalThis.RequestInit | undefined
): Service => {
  const ua = userAgent(config.appInfo)
  const clientUa = clientUserAgent(config.appInfo, config.telemetry)
  const defaultAuthorization = "Bearer " + Redacted.value(config.apiKey)
  const defaultTimeoutMillis = Duration.toMillis(config.timeout)
  const maxResponseBytes = config.maxResponseBytes
  const codegen = config.compileDecoders
  const bases = {
    api: splitBase(config.baseUrl),
    files: splitBase(config.filesBaseUrl),
    meterEvents: splitBase(config.meterEventsBaseUrl),
    connect: splitBase(config.connectBaseUrl)
  } as const
  // The platform's own `http.client` span is not made for Stripe calls: every path records the same
  // `stripe.*` span, which propagates the trace itself (and whose exit never holds the request).
  const client = HttpClient.withTracerDisabledWhen(platformClient, constTrue)
  // Redirects are never followed: a fetch-based client is told so (other clients do not follow them).
  const manualInit: globalThis.RequestInit = { ...requestInit, redirect: "manual" }
  // `X-Stripe-Client-Telemetry` values for the next calls, as stripe-node keeps them (at most 100).
  const telemetry: Array<string> = []

  const prepare = (
    req: Omit<Request<unknown>, "schema">,
    defaults: AmbientOptions,
    bytes: boolean
  ): Prepared | StripeValidationError => {
    const options = req.options
    const method = req.method
    if (method !== "GET" && method !== "POST" && method !== "DELETE") {
      return validationError("method must be GET, POST or DELETE", "method")
    }
    const pathProblem = invalidPath(req.path)
    if (pathProblem !== undefined) {
      return validationError(`Invalid request path: ${pathProblem}`, "path")
    }
    const path = req.path
    const displayPath = req.pathTemplate ?? path

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

    let authorization = defaultAuthorization
    const credential = req.bearer ?? options?.apiKey ?? defaults.apiKey
    if (credential !== undefined) {
      const secret: unknown = Redacted.isRedacted(credential) ? Redacted.value(credential) : undefined
      if (typeof secret !== "string" || secret === "" || /\s/.test(secret) || !isHeaderValue(secret)) {
        // Never quote the credential: only which option was wrong.
        return validationError(
          `${req.bearer !== undefined ? "The bearer token" : "apiKey"} must be a non-empty Redacted string ` +
            "without whitespace or characters that cannot be sent in an HTTP header",
          req.bearer !== undefined ? "bearer" : "apiKey"
        )
      }
      authorization = "Bearer " + secret
    }

    // Values from the configuration were validated when the layer was built; per-call ones are here.
    const callVersion = options?.stripeVersion ?? defaults.stripeVersion
    if (
      callVersion !== undefined &&
      (typeof callVersion !== "string" || callVersion === "" || !isHeaderValue(callVersion))
    ) {
      return validationError(`stripeVersion ${headerValueProblem}, or is empty`, "stripeVersion")
    }
    const version = callVersion ?? config.apiVersion
    const headers: Record<string, string> = {
      // An uncompressed body, on every transport (fetch asks for gzip unless told otherwise): its
      // Content-Length is the size read, so it is read in one piece under `maxResponseBytes`. A
      // compressed or length-less body must be read chunk by chunk through the platform's `Stream`,
      // which costs more than the call (measured: ~0.6 ms of CPU per small body). A caller's
      // `accept-encoding` header replaces this one.
      "accept-encoding": "identity",
      "user-agent": ua,
      "x-stripe-client-user-agent": clientUa,
      "stripe-version": version,
      authorization
    }
    const callAccount = options?.stripeAccount ?? defaults.stripeAccount
    if (callAccount !== undefined) {
      if (typeof callAccount !== "string" || callAccount === "" || !isHeaderValue(callAccount)) {
        return validationError(`stripeAccount ${headerValueProblem}, or is empty`, "stripeAccount")
      }
      headers["stripe-account"] = callAccount
    } else if (config.stripeAccount !== undefined) {
      headers["stripe-account"] = config.stripeAccount
    }

    let idempotencyKey: string | undefined = options?.idempotencyKey
    if (idempotencyKey !== undefined) {
      if (typeof idempotencyKey !== "string" || idempotencyKey === "" || idempotencyKey.length > 255) {
        return validationError("idempotencyKey must be a string of 1 to 255 characters", "idempotencyKey")
      }
      if (!isHeaderValue(idempotencyKey)) {
        return validationError(`idempotencyKey ${headerValueProblem}`, "idempotencyKey")
      }
    } else if (method === "POST" || method === "DELETE") {
      // One key per logical call: retries reuse it, so Stripe applies the call at most once.
      idempotencyKey = crypto.randomUUID()
    }
    if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey

    const extra = defaults.headers === undefined ?
      options?.headers :
      options?.headers === undefined ?
      defaults.headers :
      { ...defaults.headers, ...options.headers }
    if (extra !== undefined) {
      for (const name of Object.keys(extra)) {
        const value: unknown = extra[name]
        const lower = name.toLowerCase()
        if (!isHeaderName(name)) return validationError(`Header name ${JSON.stringify(name)} is not a token`, "headers")
        if (RESERVED_HEADERS.has(lower)) {
          return validationError(`Header ${lower} cannot be set: it frames the request`, "headers")
        }
        if (typeof value !== "string" || !isHeaderValue(value)) {
          return validationError(`Header ${lower} ${headerValueProblem}`, "headers")
        }
        headers[lower] = value
      }
    }
    if (config.telemetry && telemetry.length > 0) {
      const metrics = telemetry.shift()
      if (metrics !== undefined) headers["x-stripe-client-telemetry"] = metrics
    }

    const base = bases[req.host ?? "api"]
    let target = base.path + path
    let body: string | Uint8Array | FormData | undefined
    const isV2 = path.startsWith("/v2/")
    try {
      if (method === "POST") {
        if (req.multipart !== undefined) {
          body = req.multipart
        } else {
          const text = isV2 ? toJson(req.params ?? {}) : FormEncoding.encode(req.params)
          headers["content-type"] = isV2 ? "application/json" : "application/x-www-form-urlencoded"
          // For the raw transport a large text becomes bytes at once and is dropped: a large body kept as
          // a string for the whole exchange survives young-generation collections, and copying it costs
          // more than the encoding (the bytes live outside the JS heap). A small one is written as is.
          body = bytes && text.length > RAW_TEXT_LIMIT ? textEncoder.encode(text) : text
        }
      } else {
        const query = FormEncoding.encode(req.params)
        if (query !== "") target += (path.includes("?") ? "&" : "?") + query
      }
    } catch (error) {
      if (error instanceof StripeValidationError) return error
      return validationError(`Params could not be encoded: ${redactText(String(error))}`, "params")
    }

    return {
      method,
      origin: base.origin,
      target,
      headers,
      body,
      timeoutMillis,
      maxRetries,
      call: { method, path: displayPath, idempotencyKey, v2: isV2 }
    }
  }

  /**
   * Completes one attempt from its response: `body` is the whole body, or
   * `undefined` with `prefix` the first bytes of one over `maxResponseBytes`.
   * Never throws.
   */
  type Complete<R> = (
    status: number,
    headers: Readonly<Record<string, string>>,
    body: string | Uint8Array | undefined,
    prefix: string
  ) => Effect.Effect<R, StripeError>

  /** Reads a platform response body, keeping at most `maxResponseBytes`; `undefined` when it had more. */
  const readBody = (
    response: HttpClientResponse.HttpClientResponse,
    headers: Readonly<Record<string, string>>,
    text: boolean,
    tooLarge: { prefix: string }
  ): Effect.Effect<string | Uint8Array | undefined, HttpClientError.ResponseError> => {
    const length = headers["content-length"]
    const encoding = headers["content-encoding"]
    // A decompressing client can deliver more than the announced length: only an identity body's is trusted.
    const declared = length !== undefined && (encoding === undefined || encoding === "identity") ?
      Number(length) :
      Number.NaN
    if (declared <= maxResponseBytes) {
      return text ? response.text : Effect.map(response.arrayBuffer, (body) => new Uint8Array(body))
    }
    // Unknown or too large: read chunks until the limit (or, when the length already says too large,
    // the prefix an error keeps), then stop, which cancels the rest of the body.
    const stopAt = declared > maxResponseBytes ? Redaction.BODY_PREFIX_BYTES : maxResponseBytes + 1
    return Effect.map(
      Stream.runFoldWhile(
        response.stream,
        { chunks: [] as Array<Uint8Array>, size: 0 },
        (state) => state.size < stopAt,
        (state, chunk) => {
          state.chunks.push(chunk)
          state.size += chunk.length
          return state
        }
      ),
      ({ chunks, size }) => {
        const all = new Uint8Array(size)
        let offset = 0
        for (const chunk of chunks) {
          all.set(chunk, offset)
          offset += chunk.length
        }
        if (declared > maxResponseBytes || size > maxResponseBytes) {
          tooLarge.prefix = textDecoder.decode(all.subarray(0, Redaction.BODY_PREFIX_BYTES))
          return undefined
        }
        return text ? textDecoder.decode(all) : all
      }
    )
  }

  /**
   * The attempts of a call through the generic `HttpClient` interface. The
   * platform request is built once per call (retries resend it, and the same
   * multipart bytes).
   *
   * On the real-time clock each attempt runs in a fiber of its own, started
   * at once with `Runtime.runFork` from a runtime made once per call: the
   * caller's fiber refs and context plus the fetch options (`RequestInit`)
   * and the platform's tracer switched off for the request (the `stripe.*`
   * span stands for it). That one fiber is also what the timeout interrupts,
   * raced by a plain timer: no `Effect.provideService` and no
   * `Effect.locally` per attempt (each costs about as much as the fork), and
   * the attempt's outcome is mapped from its `Exit` in plain code. Any
   * `HttpClient` is bounded, including one that ignores abort signals.
   * Interrupting the caller interrupts the attempt (as in `sendRaw`).
   * Under another clock (`TestClock`) the attempt runs in the caller's fiber
   * under `Effect.timeoutFail`.
   */
  const genericOnce = <R>(
    prepared: Prepared,
    text: boolean,
    state: AttemptState,
    complete: Complete<R>,
    failed: (error: StripeError) => Effect.Effect<R, StripeError>,
    live: boolean,
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    runtimeFlags: RuntimeFlags.RuntimeFlags,
    span: Tracer.Span | undefined
  ): Effect.Effect<R, StripeError> => {
    const { call, timeoutMillis } = prepared
    const init = fetchInit(fiber.currentContext)
    const body = prepared.body
    let request: HttpClientRequest.HttpClientRequest | undefined = isWireBody(body) ?
      wireRequest(prepared, body) :
      undefined
    const withRequest = (
      f: (request: HttpClientRequest.HttpClientRequest) => Effect.Effect<R, StripeError>
    ): Effect.Effect<R, StripeError> =>
      request !== undefined ?
        f(request) :
        Effect.suspend(() =>
          request !== undefined ? f(request) : Effect.flatMap(multipartRequest(prepared, body), (built) => {
            request = built
            return f(built)
          })
        )
    const attempt = (request: HttpClientRequest.HttpClientRequest, executor: HttpClient.HttpClient) => {
      state.attempts++
      state.started = performance.now()
      const tooLarge = { prefix: "" }
      return Effect.flatMap(executor.execute(request), (response) => {
        // Read once: a web response's headers are converted on every access.
        const headers = response.headers
        return Effect.flatMap(
          readBody(response, headers, text, tooLarge),
          (body) => complete(response.status, headers, body, tooLarge.prefix)
        )
      })
    }

    if (!live) {
      return withRequest((request) =>
        Effect.suspend(() => attempt(request, client)).pipe(
          Effect.provideService(RequestInit, init),
          Effect.catchAllCause((cause) => {
            const error = attemptFailure(call, cause)
            return error === undefined ? Effect.interrupt : Effect.fail(error)
          }),
          Effect.timeoutFail({ duration: timeoutMillis, onTimeout: () => timeoutError(call, timeoutMillis) })
        )
      )
    }

    let runtime: Runtime.Runtime<never> | undefined
    // Stops the attempt in flight (when the caller is interrupted).
    let stop: (() => void) | undefined
    const exchange = (request: HttpClientRequest.HttpClientRequest) =>
      Effect.async<R, StripeError>((resume) => {
        runtime ??= attemptRuntime(fiber, runtimeFlags, init, span)
        let settled = false
        const timer = setTimeout(() => {
          if (settled) return
          settled = true
          child.unsafeInterruptAsFork(FiberId.none)
          resume(failed(timeoutError(call, timeoutMillis)))
        }, timeoutMillis)
        const child = Runtime.runFork(runtime, Effect.suspend(() => attempt(request, platformClient)))
        stop = () => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          child.unsafeInterruptAsFork(FiberId.none)
        }
        child.addObserver((exit) => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          if (Exit.isSuccess(exit)) return resume(Effect.succeed(exit.value))
          const error = attemptFailure(call, exit.cause)
          resume(error === undefined ? Effect.interrupt : failed(error))
        })
      })
    return withRequest((request) =>
      Effect.uninterruptibleMask((restore) =>
        Effect.catchAllCause(restore(exchange(request)), (cause) => {
          if (Cause.isInterrupted(cause)) stop?.()
          return Effect.failCause(cause)
        })
      )
    )
  }

  /**
   * One attempt through the raw transport: no fiber, no request object. On
   * the real-time clock the transport's own timer bounds it; otherwise the
   * Clock does (`TestClock` controls it).
   *
   * Interruption aborts the request: the wait runs interruptible inside an
   * uninterruptible region whose failure handler cancels the exchange. That
   * is what a canceller returned to `Effect.async` does, minus the parts of
   * `Effect.onInterrupt` a success pays for (an exit value, the cleanup
   * match and a `zipRight`).
   */
  const sendRaw = <R>(
    fast: TransportService,
    prepared: Prepared,
    body: string | Uint8Array | undefined,
    text: boolean,
    state: AttemptState,
    complete: Complete<R>,
    failed: (error: StripeError) => Effect.Effect<R, StripeError>,
    live: boolean
  ): Effect.Effect<R, StripeError> => {
    const { call, timeoutMillis } = prepared
    const request: RawRequest = {
      method: prepared.method,
      origin: prepared.origin,
      path: prepared.target,
      headers: prepared.headers,
      body,
      text,
      timeoutMillis: live ? timeoutMillis : undefined,
      maxResponseBytes
    }
    let cancel: (() => void) | undefined
    const exchange = Effect.async<R, StripeError>((resume) => {
      state.attempts++
      state.started = performance.now()
      cancel = fast.send(request, (result: RawResult) => {
        if (result._tag === "Failure") {
          return resume(failed(
            result.timedOut ? timeoutError(call, timeoutMillis) : connectionError(call, { cause: result.cause })
          ))
        }
        let completed: Effect.Effect<R, StripeError>
        try {
          completed = result._tag === "Response" ?
            complete(result.status, result.headers, result.body, "") :
            complete(result.status, result.headers, undefined, result.prefix)
        } catch (error) {
          // `complete` guards everything it runs; should anything still throw, the call fails typed.
          completed = failed(decodeError(call, result.status, result.headers, "", String(error)))
        }
        resume(completed)
      })
    })
    const attempt = Effect.uninterruptibleMask((restore) =>
      Effect.catchAllCause(restore(exchange), (cause) => {
        if (Cause.isInterrupted(cause)) cancel?.()
        return Effect.failCause(cause)
      })
    )
    return live ? attempt : Effect.timeoutFail(attempt, {
      duration: timeoutMillis,
      onTimeout: () => timeoutError(call, timeoutMillis)
    })
  }

  /** A multipart upload on the raw transport: the form is encoded once per call, then sent as bytes. */
  const rawMultipart = <R>(
    fast: TransportService,
    prepared: Prepared,
    form: FormData,
    text: boolean,
    state: AttemptState,
    complete: Complete<R>,
    failed: (error: StripeError) => Effect.Effect<R, StripeError>,
    live: boolean
  ): Effect.Effect<R, StripeError> => {
    let encoded: Effect.Effect<R, StripeError> | undefined
    return Effect.suspend(() => {
      if (encoded !== undefined) return encoded
      return Effect.flatMap(multipartBody(form), (body) => {
        const bytes = body._tag === "Uint8Array" ? body.body : new Uint8Array()
        const withType: Prepared = {
          ...prepared,
          headers: { ...prepared.headers, "content-type": body._tag === "Uint8Array" ? body.contentType : "" }
        }
        encoded = sendRaw(fast, withType, bytes, text, state, complete, failed, live)
        return encoded
      })
    })
  }

  /**
   * Runs one call: prepares it, then its attempts, in a span when anything
   * can observe one. Everything per call lives in this one closure scope.
   */
  const run = <A, R>(
    req: Omit<Request<unknown>, "schema">,
    text: boolean,
    makeFinish: (call: CallContext) => Finish<A>,
    deliver: Deliver<A, R>
  ): Effect.Effect<R, StripeError> =>
    Effect.withFiberRuntime((fiber, status) => {
      const context = fiber.currentContext
      const prepared = prepare(req, Context.get(context, RequestDefaults), transport !== undefined)
      if (prepared instanceof StripeValidationError) return Effect.fail(prepared)
      // A span when something can see it: a tracer other than Effect's built-in one (whose spans go
      // nowhere), or a parent span of the caller's. It is the same span on every transport.
      const traced = fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
        (Context.get(fiber.currentDefaultServices, Tracer.Tracer) !== nativeTracer() ||
          Context.getOption(context, Tracer.ParentSpan)._tag === "Some")
      if (!traced) {
        return attempts(fiber, status.runtimeFlags, prepared, text, makeFinish(prepared.call), deliver, undefined)
      }
      return Effect.flatMap(
        Effect.makeSpan(req.spanName ?? "stripe.request", {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.method": prepared.method, "stripe.path": prepared.call.path }
        }),
        (span) => {
          if (fiber.getFiberRef(HttpClient.currentTracerPropagation)) {
            const trace = HttpTraceContext.toHeaders(span)
            prepared.headers.b3 = trace.b3
            prepared.headers.traceparent = trace.traceparent
          }
          return Effect.onExit(
            Effect.withParentSpan(
              attempts(fiber, status.runtimeFlags, prepared, text, makeFinish(prepared.call), deliver, span),
              span
            ),
            (exit) =>
              Effect.sync(() => {
                span.end(clockOf(fiber).unsafeCurrentTimeNanos(), spanExit(exit))
              })
          )
        }
      )
    })

  const attempts = <A, R>(
    fiber: Fiber.RuntimeFiber<unknown, unknown>,
    runtimeFlags: RuntimeFlags.RuntimeFlags,
    prepared: Prepared,
    text: boolean,
    finish: Finish<A>,
    deliver: Deliver<A, R>,
    span: Tracer.Span | undefined
  ): Effect.Effect<R, StripeError> => {
    const context = fiber.currentContext
    const collector = Context.get(context, ResponseCollector)
    const debug = isDebug(fiber)
    const live = isLiveClock(fiber)
    const { call, maxRetries } = prepared
    const { method, path } = call
    const state: AttemptState = { attempts: 0, status: 0, requestId: undefined, driver: undefined, started: 0 }
    // The metadata is built only when something reads it.
    const withMeta = deliver.meta || collector !== undefined || span !== undefined || debug
    // On the real-time clock every failure of an attempt reaches the pipeline through the attempt's own
    // callback, which decides on the retry there: no failure handler frame around the attempts.
    const inline = live && maxRetries > 0

    const complete: Complete<R> = (status, headers, body, prefix) => {
      let outcome: Outcome<A>
      if (body === undefined) {
        const message = `The response to ${method} ${path} is larger than maxResponseBytes (${maxResponseBytes})`
        outcome = Either.left(
          status >= 200 && status < 300 ?
            decodeError(call, status, headers, prefix, message) :
            fromResponse(status, headers, prefix, call)
        )
      } else {
        try {
          outcome = finish(status, headers, body)
        } catch (error) {
          outcome = Either.left(decodeError(
            call,
            status,
            headers,
            asText(body),
            `Could not read the response to ${method} ${path}: ${redactText(String(error))}`
          ))
        }
      }
      let result: Effect.Effect<R, StripeError>
      if (Either.isLeft(outcome)) {
        result = failed(outcome.left)
      } else {
        const requestId = headers["request-id"]
        if (config.telemetry && requestId !== undefined && telemetry.length < MAX_TELEMETRY) {
          telemetry.push(
            `{"last_request_metrics":{"request_id":${JSON.stringify(requestId)},"request_duration_ms":${
              Math.round(performance.now() - state.started)
            }}}`
          )
        }
        let meta: ResponseMeta | undefined
        if (withMeta) {
          state.status = status
          state.requestId = requestId
          meta = {
            requestId,
            status,
            headers: publicHeaders(headers),
            idempotencyKey: call.idempotencyKey,
            replayed: headers["idempotent-replayed"] === "true",
            attempts: state.attempts
          }
          for (let c = collector; c !== undefined; c = c.parent) c.meta = meta
          if (span !== undefined) {
            span.attribute("http.status_code", status)
            if (requestId !== undefined) span.attribute("stripe.request_id", requestId)
            span.attribute("stripe.attempts", state.attempts)
          }
        }
        result = Effect.succeed(deliver.make(outcome.right, meta))
      }
      // Stripe's deprecation and migration notices, as stripe-node emits them: a warning.
      const notice = headers["stripe-notice"]
      return notice === undefined ? result : Effect.zipRight(
        Effect.logWarning(`Stripe notice for ${method} ${path}: ${boundedMessage(notice)}`),
        result
      )
    }

    const wait = (error: StripeError): Effect.Effect<void, StripeError> => {
      const schedule = config.retrySchedule
      const log = debug ?
        Effect.logDebug(`stripe ${method} ${path}: attempt ${state.attempts} failed (${error._tag}), retrying`) :
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
      // The replaced schedule decides the delay, but never less than Stripe's Retry-After; when the
      // schedule is done, the last failure stands.
      const retryAfter = retryAfterMillis(error)
      return Effect.zipRight(
        log,
        Effect.flatMap(driver, (d) =>
          Effect.flatMap(Clock.currentTimeMillis, (start) =>
            Effect.zipRight(
              Effect.catchAll(d.next(error), () => Effect.fail(error)),
              retryAfter === undefined ? Effect.void : Effect.flatMap(Clock.currentTimeMillis, (now) => {
                const rest = start + retryAfter - now
                return rest > 0 ? Effect.sleep(rest) : Effect.void
              })
            )))
      )
    }

    const retryable = (error: StripeError): boolean => state.attempts <= maxRetries && isRetryable(error)
    // What a failed attempt becomes: inline, the wait and the next attempt; otherwise a failure that the
    // handler around the attempts (`retry`) sees.
    const failed = (error: StripeError): Effect.Effect<R, StripeError> =>
      inline && retryable(error) ? Effect.zipRight(wait(error), once) : Effect.fail(error)

    const body = prepared.body
    const once: Effect.Effect<R, StripeError> = transport === undefined ?
      genericOnce(prepared, text, state, complete, failed, live, fiber, runtimeFlags, span) :
      isWireBody(body) ?
      sendRaw(transport, prepared, body, text, state, complete, failed, live) :
      rawMultipart(transport, prepared, body, text, state, complete, failed, live)

    const retry = (error: StripeError): Effect.Effect<R, StripeError> =>
      retryable(error) ? Effect.zipRight(wait(error), Effect.catchAll(once, retry)) : Effect.fail(error)
    // Inline retries, or no retry budget: the attempt is the call.
    const loop = inline || maxRetries === 0 ? once : Effect.catchAll(once, retry)

    // The common case (no span, no Debug logging) adds nothing after the attempts.
    if (span === undefined && !debug) return loop
    const recorded = span === undefined ? loop : Effect.mapError(loop, (error) => {
      if (error._tag !== "StripeConnectionError" && error._tag !== "StripeValidationError") {
        if (error.status !== undefined) span.attribute("http.status_code", error.status)
        if (error.requestId !== undefined) span.attribute("stripe.request_id", error.requestId)
      }
      span.attribute("stripe.attempts", state.attempts)
      return error
    })
    if (!debug) return recorded
    return Effect.tapBoth(recorded, {
      onSuccess: () =>
        Effect.logDebug(
          `stripe ${method} ${path} -> ${state.status}` +
            (state.requestId !== undefined ? ` [request ${state.requestId}]` : "") +
            ` in ${state.attempts} attempt(s)`
        ),
      onFailure: (error) =>
        Effect.logDebug(`stripe ${method} ${path} failed after ${state.attempts} attempt(s): ${error._tag}`)
    })
  }

  /** The fetch options of a call: the caller's (from the context, or the layer's), never following redirects. */
  const fetchInit = (context: Context.Context<never>): globalThis.RequestInit => {
    const current = Context.getOption(context, RequestInit)
    return current._tag === "None" ? manualInit : { ...current.value, redirect: "manual" }
  }

  return {
    config,
    execute: <A, I>(request: Request<A, I>) =>
      run<A, Response<A>>(request, true, (call) => jsonFinish(request.schema, call, codegen), withResponse),
    executeValue: <A, I>(request: Request<A, I>) =>
      run<A, A>(request, true, (call) => jsonFinish(request.schema, call, codegen), valueOnly),
    executeBytes: (request) => run<Uint8Array, Response<Uint8Array>>(request, false, bytesFinish, withResponse)
  }
}

/**
 * The exit a call's span ends with: never the value (which may hold a
 * session token or a client secret) and never a defect's own data (which may
 * hold a request and its credentials), only typed errors, which are redacted.
 */
const spanExit = (exit: Exit.Exit<unknown, StripeError>): Exit.Exit<unknown, unknown> => {
  if (Exit.isSuccess(exit)) return Exit.void
  const failure = Cause.failureOption(exit.cause)
  if (failure._tag === "Some") return Exit.fail(failure.value)
  if (Cause.isInterruptedOnly(exit.cause)) return exit
  return Exit.die(new Error(redactText(Cause.pretty(exit.cause))))
}
