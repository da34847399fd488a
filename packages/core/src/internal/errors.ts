import * as Predicate from "effect/Predicate"
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

const SECRET_KEYS: ReadonlySet<string> = new Set(["client_secret", "secret", "session_token", "api_key"])

// Patterns for credentials that can show up in free text (an echoed key, a PaymentIntent client secret).
const SECRET_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/"(client_secret|secret|session_token|api_key)"\s*:\s*"[^"]*"/g, "\"$1\":\"<redacted>\""],
  [/\b(sk|rk|pk)_(test|live)_[A-Za-z0-9_]+/g, "$1_$2_<redacted>"],
  [/\b([a-z]+_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+/g, "$1_secret_<redacted>"],
  [/\bwhsec_[A-Za-z0-9]+/g, "whsec_<redacted>"],
  [/\bBearer\s+[^\s"',]+/gi, "Bearer <redacted>"]
]

/**
 * Removes credentials from text kept in errors (raw bodies, parse messages).
 *
 * @internal
 */
export const redactText = (text: string): string => {
  let out = text
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement)
  return out
}

/**
 * A deep copy of a JSON value with secret-named fields and secret-looking strings redacted.
 *
 * @internal
 */
export const redactJson = (u: unknown, depth = 0): unknown => {
  if (typeof u === "string") return redactText(u)
  if (typeof u !== "object" || u === null || depth > 32) return u
  if (Array.isArray(u)) return u.map((v) => redactJson(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(u)) {
    out[k] = SECRET_KEYS.has(k) && v !== null ? "<redacted>" : redactJson(v, depth + 1)
  }
  return out
}

/**
 * The first 500 bytes of a body, as text.
 *
 * @internal
 */
export const truncateBody = (text: string): string => {
  if (text.length <= 125) return text
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= 500) return text
  return new TextDecoder().decode(bytes.subarray(0, 500))
}

/** @internal */
export const parseRetryAfter = (headers: Readonly<Record<string, string>>): number | undefined => {
  const value = headers["retry-after"]
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
}

const str = (u: unknown): string | undefined => (typeof u === "string" ? u : undefined)

/**
 * Maps a non-2xx response to its error class, by Stripe's `error.type`
 * first and the status second. A body that is not a Stripe error becomes a
 * `StripeApiError` keeping its first 500 bytes.
 *
 * @internal
 */
export const fromResponse = (
  status: number,
  headers: Readonly<Record<string, string>>,
  text: string
): StripeError => {
  // A plain copy: the platform's Headers object has its own prototype and inspection.
  headers = { ...headers }
  const requestId = headers["request-id"]
  const retryAfter = parseRetryAfter(headers)
  let parsed: unknown = undefined
  try {
    parsed = text === "" ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const error = Predicate.hasProperty(parsed, "error") && Predicate.isRecord(parsed.error) ? parsed.error : undefined
  if (error === undefined) {
    return new StripeApiError({
      message: formatApiErrorMessage({
        status,
        message: `Unexpected HTTP ${status} response from Stripe` + (text === "" ? " with an empty body" : ""),
        requestId
      }),
      requestId,
      status,
      headers,
      retryAfter,
      body: redactText(truncateBody(text))
    })
  }
  const type = str(error.type)
  const code = str(error.code)
  const fields = {
    message: formatApiErrorMessage({
      type,
      status,
      code,
      message: redactText(str(error.message) ?? `HTTP ${status} from Stripe`),
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
    raw: redactJson(error)
  }
  if (type === "idempotency_error") return new StripeIdempotencyError(fields)
  if (type === "card_error") return new StripeCardError(fields)
  if (status === 401 || type === "authentication_error") return new StripeAuthenticationError(fields)
  if (status === 403) return new StripePermissionError(fields)
  if (status === 429 || type === "rate_limit_error") return new StripeRateLimitError(fields)
  if (type === "invalid_request_error") return new StripeInvalidRequestError(fields)
  return new StripeApiError(fields)
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
export const connectionError = (
  method: string,
  path: string,
  cause: unknown
): StripeConnectionError => {
  const reason = connectionReason(cause)
  const inner = innerCause(cause)
  const safe = inner instanceof Error ? sanitizeError(inner) : undefined
  return new StripeConnectionError({
    reason,
    message: `Could not reach Stripe (${reason}) for ${method} ${path}` + (safe ? `: ${safe.message}` : ""),
    method,
    path,
    ...(safe ? { cause: safe } : {})
  })
}

/** @internal */
export const timeoutError = (method: string, path: string, millis: number): StripeConnectionError =>
  new StripeConnectionError({
    reason: "Timeout",
    message: `Stripe did not answer ${method} ${path} within ${millis} ms`,
    method,
    path
  })
