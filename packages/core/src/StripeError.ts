/**
 * Typed failures of the Stripe client.
 *
 * Every failure a Stripe call can produce is one of the `Schema.TaggedError`
 * classes below, so callers can `Effect.catchTag("StripeCardError", ...)`.
 * The union of all of them is {@link StripeError}.
 *
 * @since 0.1.0
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The fields Stripe sends with an API error, plus the response metadata
 * that lets a caller correlate it with Stripe's logs.
 *
 * @since 0.1.0
 * @category models
 */
export const ApiErrorFields = {
  message: Schema.String,
  type: Schema.optional(Schema.String),
  code: Schema.optional(Schema.String),
  param: Schema.optional(Schema.String),
  declineCode: Schema.optional(Schema.String),
  docUrl: Schema.optional(Schema.String),
  requestId: Schema.optional(Schema.String),
  status: Schema.optional(Schema.Number),
  headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  retryAfter: Schema.optional(Schema.Number),
  /**
   * The `Idempotency-Key` the call was sent with (every v1 POST and v2
   * POST/DELETE has one). Pass it as `idempotencyKey` to retry the same
   * logical call: Stripe applies it at most once, whatever happened before.
   */
  idempotencyKey: Schema.optional(Schema.String),
  /** The `error` object Stripe sent, as JSON: bounded and redacted. */
  raw: Schema.optional(Schema.Unknown)
}

/**
 * Formats an API error message as
 * `(invalid_request_error) 400 parameter_missing: Missing required param: amount. [request req_123]`.
 *
 * The pipeline passes this as the `message` field: `Error`'s constructor
 * stores `message` as an own property, which shadows the getters below.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatApiErrorMessage = (self: {
  readonly type?: string | undefined
  readonly status?: number | undefined
  readonly code?: string | undefined
  readonly message: string
  readonly requestId?: string | undefined
}): string => describe(self)

const describe = (self: {
  readonly type?: string | undefined
  readonly status?: number | undefined
  readonly code?: string | undefined
  readonly message: string
  readonly requestId?: string | undefined
}): string => {
  // `(invalid_request_error) 400 parameter_missing: Missing required param: amount. [request req_123]`
  let out = ""
  if (self.type !== undefined) out += `(${self.type}) `
  if (self.status !== undefined) out += `${self.status} `
  if (self.code !== undefined) out += `${self.code}: `
  out += self.message
  if (self.requestId !== undefined) out += ` [request ${self.requestId}]`
  return out
}

/**
 * A card was declined or could not be charged (`card_error`, HTTP 402).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * declare const charge: Effect.Effect<string, import("@lattice-stripe/core").StripeError.StripeError>
 * charge.pipe(Effect.catchTag("StripeCardError", (e) => Effect.succeed(e.declineCode ?? "declined")))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeCardError extends Schema.TaggedError<StripeCardError>("@lattice-stripe/core/StripeCardError")(
  "StripeCardError",
  ApiErrorFields
) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * The request had invalid parameters (`invalid_request_error`, usually 400 or 404).
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeInvalidRequestError extends Schema.TaggedError<StripeInvalidRequestError>(
  "@lattice-stripe/core/StripeInvalidRequestError"
)("StripeInvalidRequestError", ApiErrorFields) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * The API key was missing, malformed or revoked (HTTP 401).
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeAuthenticationError extends Schema.TaggedError<StripeAuthenticationError>(
  "@lattice-stripe/core/StripeAuthenticationError"
)("StripeAuthenticationError", ApiErrorFields) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * The API key may not perform this request (HTTP 403).
 *
 * @since 0.1.0
 * @category errors
 */
export class StripePermissionError extends Schema.TaggedError<StripePermissionError>(
  "@lattice-stripe/core/StripePermissionError"
)("StripePermissionError", ApiErrorFields) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * Too many requests (HTTP 429). `retryAfter` holds Stripe's `Retry-After` in seconds.
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeRateLimitError extends Schema.TaggedError<StripeRateLimitError>(
  "@lattice-stripe/core/StripeRateLimitError"
)("StripeRateLimitError", ApiErrorFields) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * An idempotency key was reused with different parameters (`idempotency_error`).
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeIdempotencyError extends Schema.TaggedError<StripeIdempotencyError>(
  "@lattice-stripe/core/StripeIdempotencyError"
)("StripeIdempotencyError", ApiErrorFields) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * Stripe failed (`api_error`, 5xx), answered with an error type or status
 * this SDK has no class for, or with a body that is not a Stripe error (an
 * HTML maintenance page, an empty body, a redirect, which is never
 * followed): then `body` keeps its first 2,048 bytes, redacted.
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeApiError extends Schema.TaggedError<StripeApiError>("@lattice-stripe/core/StripeApiError")(
  "StripeApiError",
  {
    ...ApiErrorFields,
    body: Schema.optional(Schema.String)
  }
) {
  /** @since 0.1.0 */
  override get message(): string {
    return describe(this)
  }
}

/**
 * Why a request never got an HTTP response.
 *
 * @since 0.1.0
 * @category models
 */
export const ConnectionErrorReason = Schema.Literal("Timeout", "Reset", "Refused", "Dns", "Other")

/**
 * @since 0.1.0
 * @category models
 */
export type ConnectionErrorReason = typeof ConnectionErrorReason.Type

/**
 * The request could not be completed on the wire: a timeout (of one attempt,
 * body read included), a reset or refused connection, a DNS failure. Stripe
 * may or may not have applied the call: retry it with the same
 * `idempotencyKey` (kept on the error) to be safe.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { StripeError } from "@lattice-stripe/core"
 *
 * declare const create: (options?: { readonly idempotencyKey?: string | undefined }) => Effect.Effect<
 *   { readonly id: string },
 *   StripeError.StripeError
 * >
 * // The same logical call again, under the key of the failed one: applied at most once.
 * const safely = create().pipe(
 *   Effect.catchTag("StripeConnectionError", (e) => create({ idempotencyKey: e.idempotencyKey }))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeConnectionError extends Schema.TaggedError<StripeConnectionError>(
  "@lattice-stripe/core/StripeConnectionError"
)("StripeConnectionError", {
  reason: ConnectionErrorReason,
  message: Schema.String,
  method: Schema.optional(Schema.String),
  path: Schema.optional(Schema.String),
  /** The `Idempotency-Key` the call was sent with; see {@link ApiErrorFields}. */
  idempotencyKey: Schema.optional(Schema.String),
  cause: Schema.optional(Schema.Defect)
}) {}

/**
 * A 2xx response whose body could not be used: not JSON, not matching the
 * expected schema, nested too deeply, or larger than `maxResponseBytes`. The
 * request id, status and a bounded, redacted prefix of the body are kept; it
 * is never retried, because the call may already have had its effect (retry
 * it yourself under the same `idempotencyKey` to get Stripe's stored
 * response).
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeDecodeError extends Schema.TaggedError<StripeDecodeError>(
  "@lattice-stripe/core/StripeDecodeError"
)("StripeDecodeError", {
  message: Schema.String,
  requestId: Schema.optional(Schema.String),
  status: Schema.Number,
  /** The first 2,048 bytes of the body, redacted. */
  body: Schema.String,
  method: Schema.optional(Schema.String),
  path: Schema.optional(Schema.String),
  /** The `Idempotency-Key` the call was sent with; see {@link ApiErrorFields}. */
  idempotencyKey: Schema.optional(Schema.String)
}) {}

/**
 * Input rejected locally, before any request is sent: invalid params, a
 * builder misuse, an empty batch of meter events.
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeValidationError extends Schema.TaggedError<StripeValidationError>(
  "@lattice-stripe/core/StripeValidationError"
)("StripeValidationError", {
  message: Schema.String,
  param: Schema.optional(Schema.String)
}) {}

/**
 * A client option is invalid (empty API key, malformed URL, negative
 * retries). Raised when the layer is built, naming the option.
 *
 * @since 0.1.0
 * @category errors
 */
export class StripeConfigError extends Schema.TaggedError<StripeConfigError>(
  "@lattice-stripe/core/StripeConfigError"
)("StripeConfigError", {
  option: Schema.String,
  message: Schema.String
}) {}

/**
 * Every failure of a Stripe call.
 *
 * @since 0.1.0
 * @category models
 */
export type StripeError =
  | StripeCardError
  | StripeInvalidRequestError
  | StripeAuthenticationError
  | StripePermissionError
  | StripeRateLimitError
  | StripeIdempotencyError
  | StripeApiError
  | StripeConnectionError
  | StripeDecodeError
  | StripeValidationError

/**
 * Schema of the {@link StripeError} union (for serializing failures across workers).
 *
 * @since 0.1.0
 * @category schemas
 */
export const StripeError: Schema.Union<[
  typeof StripeCardError,
  typeof StripeInvalidRequestError,
  typeof StripeAuthenticationError,
  typeof StripePermissionError,
  typeof StripeRateLimitError,
  typeof StripeIdempotencyError,
  typeof StripeApiError,
  typeof StripeConnectionError,
  typeof StripeDecodeError,
  typeof StripeValidationError
]> = Schema.Union(
  StripeCardError,
  StripeInvalidRequestError,
  StripeAuthenticationError,
  StripePermissionError,
  StripeRateLimitError,
  StripeIdempotencyError,
  StripeApiError,
  StripeConnectionError,
  StripeDecodeError,
  StripeValidationError
)

const tags: ReadonlySet<string> = new Set([
  "StripeCardError",
  "StripeInvalidRequestError",
  "StripeAuthenticationError",
  "StripePermissionError",
  "StripeRateLimitError",
  "StripeIdempotencyError",
  "StripeApiError",
  "StripeConnectionError",
  "StripeDecodeError",
  "StripeValidationError"
])

/**
 * @since 0.1.0
 * @category guards
 */
export const isStripeError = (u: unknown): u is StripeError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag)

/**
 * The `Idempotency-Key` a failed call was sent with, whatever its error
 * class (`undefined` for a `StripeValidationError`, raised before sending,
 * and for a GET sent without one). Retrying the same logical call with it as
 * `idempotencyKey` is always safe: Stripe applies a key at most once and
 * answers a repeat with the stored response.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { StripeError } from "@lattice-stripe/core"
 *
 * declare const charge: (key?: string) => Effect.Effect<string, StripeError.StripeError>
 *
 * const once = charge().pipe(
 *   Effect.catchIf(
 *     (e) => e._tag === "StripeConnectionError" && StripeError.idempotencyKeyOf(e) !== undefined,
 *     (e) => charge(StripeError.idempotencyKeyOf(e))
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const idempotencyKeyOf = (error: StripeError): string | undefined =>
  error._tag === "StripeValidationError" ? undefined : error.idempotencyKey
