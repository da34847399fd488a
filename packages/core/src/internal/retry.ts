import type { StripeError } from "../StripeError.js"

/** Retry-After values above this are capped: a minute is the longest a call waits between attempts. @internal */
export const MAX_RETRY_AFTER_MILLIS = 60_000
/** @internal */
export const INITIAL_DELAY_MILLIS = 500
/** @internal */
export const MAX_DELAY_MILLIS = 5_000

/**
 * DESIGN principle 6: `Stripe-Should-Retry` decides when present; otherwise
 * connection failures, 409, 429 and 5xx are retried. Decode and local
 * validation failures never are (a 2xx that failed to decode may have had
 * its effect already).
 *
 * @internal
 */
export const isRetryable = (error: StripeError): boolean => {
  switch (error._tag) {
    case "StripeConnectionError":
      return true
    case "StripeDecodeError":
    case "StripeValidationError":
      return false
    default: {
      const shouldRetry = error.headers?.["stripe-should-retry"]
      if (shouldRetry === "true") return true
      if (shouldRetry === "false") return false
      const status = error.status
      if (status === undefined) return false
      return status === 409 || status === 429 || status >= 500
    }
  }
}

/**
 * The default wait before retry number `retry` (1-based): exponential from
 * 500 ms, capped at 5 s, with jitter to between half and all of it, and at
 * least Stripe's `Retry-After` (itself capped at one minute).
 *
 * @internal
 */
export const backoffMillis = (retry: number, random: number, error: StripeError): number => {
  const base = Math.min(INITIAL_DELAY_MILLIS * 2 ** (retry - 1), MAX_DELAY_MILLIS)
  const jittered = base * (0.5 + random / 2)
  const retryAfter = error._tag === "StripeConnectionError" || error._tag === "StripeDecodeError" ||
      error._tag === "StripeValidationError" ?
    undefined :
    error.retryAfter
  if (retryAfter === undefined) return Math.round(jittered)
  return Math.round(Math.max(jittered, Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MILLIS)))
}

/**
 * Stripe's `Retry-After` of a failure, in milliseconds, capped at one minute.
 *
 * @internal
 */
export const retryAfterMillis = (error: StripeError): number | undefined => {
  if (
    error._tag === "StripeConnectionError" || error._tag === "StripeDecodeError" ||
    error._tag === "StripeValidationError" || error.retryAfter === undefined
  ) return undefined
  return Math.min(error.retryAfter * 1000, MAX_RETRY_AFTER_MILLIS)
}
