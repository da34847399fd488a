/**
 * Scripted failures for the emulator: HTTP errors with Stripe's retry
 * headers, dropped connections and delays, consumed in order per request
 * pattern.
 *
 * @example
 * ```ts
 * import { Emulator, Fault } from "@lattice-stripe/testing"
 *
 * const emulator = Emulator.make()
 * emulator.faults.inject({ method: "POST", path: "/v1/customers" }, [
 *   Fault.status(503, { shouldRetry: true }),
 *   Fault.drop(),
 *   Fault.rateLimited({ retryAfter: 1 })
 * ])
 * // the 4th POST /v1/customers succeeds
 * ```
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import { matchPath } from "./internal/router.js"

/**
 * Answer with an HTTP error instead of handling the request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Status {
  readonly _tag: "Status"
  readonly status: number
  /** Sent as `Stripe-Should-Retry` when set. */
  readonly shouldRetry?: boolean | undefined
  /** Sent as `Retry-After` (seconds) when set. */
  readonly retryAfter?: number | undefined
  readonly errorType?: string | undefined
  readonly code?: string | undefined
  readonly message?: string | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * Reset the connection without answering (ECONNRESET on the client).
 *
 * @since 0.1.0
 * @category models
 */
export interface Drop {
  readonly _tag: "Drop"
}

/**
 * Wait, then handle the request normally. The in-memory layer waits with
 * `Effect.sleep`, so `TestClock` controls it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Delay {
  readonly _tag: "Delay"
  readonly duration: Duration.Duration
}

/**
 * @since 0.1.0
 * @category models
 */
export type Fault = Status | Drop | Delay

/**
 * @since 0.1.0
 * @category constructors
 */
export const status = (
  code: number,
  options?: Omit<Status, "_tag" | "status">
): Status => ({ _tag: "Status", status: code, ...options })

/**
 * A 429 `rate_limit_error`, with `Retry-After` when given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rateLimited = (options?: { readonly retryAfter?: number | undefined }): Status =>
  status(429, {
    errorType: "invalid_request_error",
    code: "rate_limit",
    message: "Too many requests hit the API too quickly.",
    retryAfter: options?.retryAfter
  })

/**
 * @since 0.1.0
 * @category constructors
 */
export const drop = (): Drop => ({ _tag: "Drop" })

/**
 * @since 0.1.0
 * @category constructors
 */
export const delay = (duration: Duration.DurationInput): Delay => ({
  _tag: "Delay",
  duration: Duration.decode(duration)
})

/**
 * Which requests a script applies to: a method (any when omitted) and a path,
 * exact (`/v1/customers`), a template (`/v1/customers/{id}`), or a RegExp.
 *
 * @since 0.1.0
 * @category models
 */
export interface Match {
  readonly method?: string | undefined
  readonly path: string | RegExp
}

interface Rule {
  readonly match: Match
  readonly queue: Array<Fault>
}

const matchesRule = (match: Match, method: string, path: string): boolean => {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false
  if (typeof match.path !== "string") return match.path.test(path)
  return match.path === path || (match.path.includes("{") && matchPath(match.path, path) !== undefined)
}

/**
 * The emulator's fault scripts.
 *
 * @since 0.1.0
 * @category models
 */
export class FaultScript {
  private rules: Array<Rule> = []

  /**
   * Queues faults for matching requests; each matching request consumes the
   * next one. Scripts are tried in the order they were added.
   *
   * @since 0.1.0
   */
  inject(match: Match, faults: ReadonlyArray<Fault>): this {
    this.rules.push({ match, queue: [...faults] })
    return this
  }

  /**
   * The next fault for a request, consumed.
   *
   * @since 0.1.0
   */
  take(method: string, path: string): Fault | undefined {
    for (const rule of this.rules) {
      if (rule.queue.length > 0 && matchesRule(rule.match, method, path)) return rule.queue.shift()
    }
    return undefined
  }

  /**
   * How many faults are still queued.
   *
   * @since 0.1.0
   */
  get pending(): number {
    return this.rules.reduce((n, r) => n + r.queue.length, 0)
  }

  /** @since 0.1.0 */
  clear(): void {
    this.rules = []
  }
}
