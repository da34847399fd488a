/**
 * The contract between `StripeHttpClient` and the pipeline: a client built by
 * `StripeHttpClient` carries a raw, callback-based `send` under
 * {@link TransportTypeId}, which the pipeline uses instead of the generic
 * `HttpClient` interface when it finds it (no request/response objects, no
 * fibers, one timer per attempt).
 *
 * @internal
 */

/** @internal */
export const TransportTypeId: unique symbol = Symbol.for("@lattice-stripe/core/StripeHttpClient/Transport")

/** @internal */
export interface RawResponse {
  readonly _tag: "Response"
  readonly status: number
  /** Lowercased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** @internal */
export interface RawFailure {
  readonly _tag: "Failure"
  /** The transport error (undici's), or `undefined` for a timeout. */
  readonly cause: unknown
  readonly timedOut: boolean
}

/** @internal */
export interface RawRequest {
  readonly method: string
  /** Absolute URL: origin, path and query. */
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | undefined
  /** Decode the body as UTF-8 text (JSON responses) rather than keep the bytes. */
  readonly text: boolean
  /** Aborts the attempt after this long, body included; `undefined` leaves it unbounded. */
  readonly timeoutMillis: number | undefined
}

/** @internal */
export interface Transport {
  /** Starts a request; calls `done` exactly once unless cancelled first. Returns the canceller. */
  readonly send: (request: RawRequest, done: (result: RawResponse | RawFailure) => void) => () => void
}

const isTransport = (u: unknown): u is Transport =>
  typeof u === "object" && u !== null && "send" in u && typeof u.send === "function"

/** @internal */
export const getTransport = (client: object): Transport | undefined => {
  const transport = TransportTypeId in client ? client[TransportTypeId] : undefined
  return isTransport(transport) ? transport : undefined
}
