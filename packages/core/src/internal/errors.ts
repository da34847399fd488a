import * as Predicate from "effect/Predicate"
import * as Redaction from "../Redaction.js"
import type { ConnectionErrorReason, StripeError } from "../StripeError.js"
import {
  formatApiErrorMessage,
  StripeApiError,
  StripeAuthenticationError,
  StripeCardError,
  StripeConnectionError,
  StripeIdempotencyError,
  StripeInvalidRequestError,
  StripePermissionError,
  StripeRateLimitError
} from "../StripeError.js"

/** Response headers that may carry credentials and are never kept. @internal */
const SECRET_HEADERS: ReadonlySet<string> = new Set(["set-cookie", "cookie", "authorization", "x-api-key"])

/**
 * Lowercased response headers minus anything secret.
 *
 * @internal
 */
export const publicHeaders = (headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> => {
  // Stripe does not send cookies on API responses, so this usually returns the input untouched.
  let copy: Record<string, string> | undefined
  for (const name of SECRET_HEADERS) {
    if (name in headers) {
      copy ??= { ...headers }
      delete copy[name]
    }
  }
  return copy ?? headers
}

/**
 * Removes credentials from text kept in errors (messages, causes).
 *
 * @internal
 */
export const redactText = (text: string): string => Redaction.redactText(text)

/** Longest message an error keeps, in characters. @internal */
export const MAX_MESSAGE_LENGTH = 1000

/** A bounded, redacted message. @internal */
export const boundedMessage = (text: string): string =>
  redactText(text.length > MAX_MESSAGE_LENGTH ? text.slice(0, MAX_MESSAGE_LENGTH) + "…" : text)

/** @internal */
export const parseRetryAfter = (headers: Readonly<Record<string, string>>): number | undefined => {
  const value = headers["retry-after"]
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

const str = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

/** What the pipeline knows about the call when it maps a failure. @internal */
export interface CallContext {
  readonly method: string
  /** The path template (or the path), as logs and spans show it. */
  readonly path: string
  readonly idempotencyKey: string | undefined
  /** A `/v2/` path: Stripe's v2 error shape. */
  readonly v2: boolean
}

type ApiFields = ConstructorParameters<typeof StripeApiError>[0]
type ErrorClass = new(fields: ApiFields) => StripeError

/** Classes by Stripe's `error.type`, for statuses outside the official SDK's status table. */
const BY_TYPE: Readonly<Record<string, ErrorClass>> = {
  card_error: StripeCardError,
  invalid_request_error: StripeInvalidRequestError,
  authentication_error: StripeAuthenticationError,
  permission_error: StripePermissionError,
  rate_limit_error: StripeRateLimitError,
  idempotency_error: StripeIdempotencyError,
  api_error: StripeApiError
}

/**
 * The error class of an error response, as the official `stripe` package
 * (23.x, `generateV1Error`/`generateV2Error`) chooses it: 429 (or a 400 with
 * code `rate_limit`) is a rate limit; 400 and 404 are invalid requests unless
 * the type is `idempotency_error`; 401 authentication, 402 card, 403
 * permission. v2 bodies: `idempotency_error` and `rate_limit` types, and the
 * `invalid_fields` code, come first. For any other status the official SDK
 * answers `StripeAPIError`; this one uses Stripe's `type` when it knows it
 * (a 409 `idempotency_error` is a `StripeIdempotencyError`), else the same.
 */
const classify = (status: number, type: string | undefined, code: string | undefined, v2: boolean): ErrorClass => {
  if (v2) {
    if (type === "idempotency_error") return StripeIdempotencyError
    if (type === "rate_limit") return StripeRateLimitError
    if (code === "invalid_fields") return StripeInvalidRequestError
  }
  if (status === 429 || (status === 400 && code === "rate_limit")) return StripeRateLimitError
  if (status === 400 || status === 404) {
    return type === "idempotency_error" ? StripeIdempotencyError : StripeInvalidRequestError
  }
  if (status === 401) return StripeAuthenticationError
  if (status === 402) return StripeCardError
  if (status === 403) return StripePermissionError
  return (type !== undefined && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type] : undefined) ?? StripeApiError
}

const describeStatus = (status: number): string =>
  status === 0 ?
    "a redirect (not followed)" :
    status >= 300 && status < 400 ?
    `HTTP ${status} (a redirect, not followed)` :
    `HTTP ${status}`

/**
 * Maps a non-2xx response to its error class (see `classify`). Stripe's
 * error object (`{ error: { type, code, message, … } }`, v1 or v2) and the
 * OAuth shape (`{ error: "invalid_grant", error_description }`) are read; any
 * other body becomes a `StripeApiError` keeping a redacted prefix of it.
 *
 * @internal
 */
export const fromResponse = (
  status: number,
  headers: Readonly<Record<string, string>>,
  text: string,
  call: CallContext
): StripeError => {
  // A plain copy (the platform's Headers object has its own prototype and inspection), redacted: a
  // proxy may echo credentials in a header.
  const kept: Record<string, string> = {}
  const visible = publicHeaders(headers)
  for (const name of Object.keys(visible)) kept[name] = redactText(visible[name])
  headers = kept
  const requestId = headers["request-id"]
  const retryAfter = parseRetryAfter(headers)
  const idempotencyKey = call.idempotencyKey
  let parsed: unknown = undefined
  try {
    parsed = text === "" ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  let error: Record<string, unknown> | undefined
  if (Predicate.hasProperty(parsed, "error")) {
    if (Predicate.isRecord(parsed.error) && !Array.isArray(parsed.error)) {
      error = parsed.error
    } else if (typeof parsed.error === "string") {
      // OAuth (and some file endpoints) answer `{ error: "invalid_grant", error_description: "…" }`.
      const description = Predicate.hasProperty(parsed, "error_description") ? str(parsed.error_description) : undefined
      error = { type: parsed.error, message: description ?? parsed.error }
    }
  }
  if (error === undefined) {
    return new StripeApiError({
      message: formatApiErrorMessage({
        status,
        message: `Unexpected ${describeStatus(status)} response from Stripe to ${call.method} ${call.path}` +
          (text === "" ? " with an empty body" : ""),
        requestId
      }),
      requestId,
      status,
      headers,
      retryAfter,
      idempotencyKey,
      body: Redaction.redactBody(text)
    })
  }
  const type = str(error.type)
  const code = str(error.code)
  const message = str(error.message)
  const fields: ApiFields = {
    message: formatApiErrorMessage({
      type: type === undefined ? undefined : boundedMessage(type),
      status,
      code: code === undefined ? undefined : boundedMessage(code),
      message: boundedMessage(message ?? `${describeStatus(status)} from Stripe`),
      requestId
    }),
    type,
    code,
    param: str(error.param),
    declineCode: str(error.decline_code),
    docUrl: str(error.doc_url),
    requestId,
    status,
    headers,
    retryAfter,
    idempotencyKey,
    raw: Redaction.redactJson(error)
  }
  const ErrorClass = classify(status, type, code, call.v2)
  return new ErrorClass(fields)
}

const REASONS: Readonly<Record<string, ConnectionErrorReason>> = {
  ECONNRESET: "Reset",
  EPIPE: "Reset",
  UND_ERR_SOCKET: "Reset",
  ECONNABORTED: "Reset",
  ECONNREFUSED: "Refused",
  ENOTFOUND: "Dns",
  EAI_AGAIN: "Dns",
  ETIMEDOUT: "Timeout",
  UND_ERR_CONNECT_TIMEOUT: "Timeout",
  UND_ERR_HEADERS_TIMEOUT: "Timeout",
  UND_ERR_BODY_TIMEOUT: "Timeout"
}

/**
 * Finds the reason of a transport failure in its cause chain (`cause`,
 * `errors` of an AggregateError), e.g. undici's `TypeError: fetch failed`
 * whose cause has `code: "ECONNREFUSED"`.
 *
 * @internal
 */
export const connectionReason = (cause: unknown): ConnectionErrorReason => {
  const seen = new Set<unknown>()
  const queue: Array<unknown> = [cause]
  while (queue.length > 0 && seen.size < 16) {
    const current = queue.shift()
    if (typeof current !== "object" || current === null || seen.has(current)) continue
    seen.add(current)
    if (Predicate.hasProperty(current, "code") && typeof current.code === "string") {
      const reason = REASONS[current.code]
      if (reason !== undefined) return reason
    }
    if (Predicate.hasProperty(current, "cause")) queue.push(current.cause)
    if (Predicate.hasProperty(current, "errors") && Array.isArray(current.errors)) queue.push(...current.errors)
  }
  return "Other"
}

/**
 * The deepest non-platform cause, kept on the error for debugging. Never the
 * platform request itself, which carries the request headers.
 *
 * @internal
 */
const innerCause = (cause: unknown): unknown =>
  Predicate.hasProperty(cause, "cause") && cause.cause !== undefined ? cause.cause : undefined

/**
 * A copy of a transport error whose texts have credentials removed, keeping
 * its name, code and the codes of its own causes for debugging.
 */
const sanitizeError = (error: Error, depth = 0): Error => {
  const copy = new Error(redactText(error.message))
  copy.name = error.name
  if (error.stack !== undefined) copy.stack = redactText(error.stack)
  if (Predicate.hasProperty(error, "code") && typeof error.code === "string") {
    Object.defineProperty(copy, "code", { value: error.code, enumerable: true })
  }
  if (depth < 4 && error.cause instanceof Error) copy.cause = sanitizeError(error.cause, depth + 1)
  return copy
}

/** @internal */
export const connectionError = (call: CallContext, cause: unknown): StripeConnectionError => {
  const reason = connectionReason(cause)
  const inner = innerCause(cause)
  const safe = inner instanceof Error ? sanitizeError(inner) : undefined
  return new StripeConnectionError({
    reason,
    message: `Could not reach Stripe (${reason}) for ${call.method} ${call.path}` +
      (safe ? `: ${boundedMessage(safe.message)}` : ""),
    method: call.method,
    path: call.path,
    idempotencyKey: call.idempotencyKey,
    ...(safe ? { cause: safe } : {})
  })
}

/** @internal */
export const timeoutError = (call: CallContext, millis: number): StripeConnectionError =>
  new StripeConnectionError({
    reason: "Timeout",
    message: `Stripe did not answer ${call.method} ${call.path} within ${millis} ms`,
    method: call.method,
    path: call.path,
    idempotencyKey: call.idempotencyKey
  })
