/**
 * The raw transport contract: a callback-based `send` that the pipeline uses
 * instead of the generic `HttpClient` interface when a {@link Transport}
 * service is in the context (no request/response objects, no fibers, one
 * timer per attempt). `StripeHttpClient.layer` provides it.
 *
 * @internal
 */
import * as Context from "effect/Context"

/**
 * One attempt, as the pipeline hands it to a transport.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawRequest {
  readonly method: string
  /** Scheme, host and port, e.g. `https://api.stripe.com`. */
  readonly origin: string
  /** Path and query, already validated and encoded, e.g. `/v1/customers?limit=3`. */
  readonly path: string
  /** Lowercased names, validated values. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | undefined
  /** Decode the body as UTF-8 text (JSON responses) rather than keep the bytes. */
  readonly text: boolean
  /** Aborts the attempt after this long, body included; `undefined` leaves it to the caller. */
  readonly timeoutMillis: number | undefined
  /** A body longer than this is not kept: the transport answers `TooLarge` and aborts. */
  readonly maxResponseBytes: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RawResponse {
  readonly _tag: "Response"
  readonly status: number
  /** Lowercased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/**
 * A response whose body exceeded `maxResponseBytes`: its status, headers and
 * the first bytes of the body (as text), for the error.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawTooLarge {
  readonly _tag: "TooLarge"
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly prefix: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RawFailure {
  readonly _tag: "Failure"
  /** The transport error (undici's), or `undefined` for a timeout. */
  readonly cause: unknown
  readonly timedOut: boolean
}

/**
 * @since 0.1.0
 * @category models
 */
export type RawResult = RawResponse | RawTooLarge | RawFailure

/**
 * A raw transport. `send` starts a request and calls `done` exactly once
 * (unless cancelled first), never throws, and returns the canceller.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportService {
  readonly send: (request: RawRequest, done: (result: RawResult) => void) => () => void
}

/**
 * The transport Stripe calls are sent through when present; without it they
 * go through the platform `HttpClient`.
 *
 * @since 0.1.0
 * @category tags
 */
export class Transport extends Context.Tag("@lattice-stripe/core/StripeHttpClient/Transport")<
  Transport,
  TransportService
>() {}
