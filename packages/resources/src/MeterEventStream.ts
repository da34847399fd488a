/**
 * Stripe's high-throughput v2 meter event stream.
 *
 * Meter events are sent to `POST /v2/billing/meter_event_stream` on the meter
 * events host, authenticated by a short-lived session token obtained from
 * `POST /v2/billing/meter_event_session` (about 15 minutes). This module has
 * the two calls ({@link createSession}, {@link sendEvents}) and a managed
 * stream ({@link MeterEventStream}) that keeps a session, renews it before it
 * expires, and renews once more when Stripe says it expired.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Billing } from "@lattice-stripe/resources"
 *
 * const program = Effect.gen(function*() {
 *   const stream = yield* Billing.MeterEventStream.MeterEventStream
 *   yield* stream.send([{ event_name: "api_requests", payload: { stripe_customer_id: "cus_123", value: "1" } }])
 * }).pipe(Effect.provide(Billing.MeterEventStream.layer()))
 * ```
 *
 * @since 0.1.0
 */
import { StripeClient, StripeError } from "@lattice-stripe/core"
import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { constVoid } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { V2BillingMeterEventStreamCreateParamsEvent } from "./generated/params/V2/Billing/MeterEventStream.js"
import type { V2BillingMeterEventSession } from "./generated/types/V2/Billing/MeterEventSession.js"

/**
 * v2 timestamps are RFC 3339 strings; a number is accepted as Unix seconds
 * (the v1 convention) so that emulators speaking either form decode.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Timestamp: Schema.Union<[
  typeof Schema.DateTimeUtc,
  Schema.transform<typeof Schema.Number, typeof Schema.DateTimeUtcFromSelf>
]> = Schema.Union(
  Schema.DateTimeUtc,
  Schema.transform(Schema.Number, Schema.DateTimeUtcFromSelf, {
    strict: true,
    decode: (seconds) => DateTime.unsafeMake(seconds * 1000),
    encode: (utc) => DateTime.toEpochMillis(utc) / 1000
  })
)

/**
 * A meter event session: the token authenticating requests to the meter
 * event stream, and when it expires. The token is `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
export class MeterEventSession extends Schema.Class<MeterEventSession>("@lattice-stripe/resources/MeterEventSession")(
  // The generated session's fields, with its timestamps decoded as `DateTime`:
  // a field the pinned API version renames fails to compile here.
  {
    id: Schema.String,
    object: Schema.Literal("v2.billing.meter_event_session"),
    authentication_token: Schema.Redacted(Schema.String),
    created: Timestamp,
    expires_at: Timestamp,
    livemode: Schema.Boolean
  } satisfies { readonly [K in keyof V2BillingMeterEventSession]: Schema.Schema.Any }
) {}

/**
 * The meter event session expired: detected locally from the `Clock` (no
 * request was sent), or by Stripe answering `billing_meter_event_session_expired`.
 * Carries the session id and expiry, never the token.
 *
 * @since 0.1.0
 * @category errors
 */
export class MeterEventSessionExpired extends Schema.TaggedError<MeterEventSessionExpired>(
  "@lattice-stripe/resources/MeterEventSessionExpired"
)("MeterEventSessionExpired", {
  sessionId: Schema.String,
  expiresAt: Schema.DateTimeUtc,
  detectedBy: Schema.Literal("clock", "server"),
  requestId: Schema.optional(Schema.String)
}) {
  /** @since 0.1.0 */
  override get message(): string {
    const base = `Meter event session ${this.sessionId} expired at ${DateTime.formatIso(this.expiresAt)}`
    return this.detectedBy === "server"
      ? `${base} (Stripe answered billing_meter_event_session_expired${
        this.requestId === undefined ? "" : `, request ${this.requestId}`
      })`
      : base
  }
}

/**
 * One meter event. `identifier` makes the event idempotent (Stripe dedups on
 * it for 24 hours); one is generated when missing. `timestamp` defaults to the
 * time Stripe receives the event; a number is Unix seconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface MeterEvent {
  readonly event_name: string
  readonly payload: Readonly<Record<string, string>>
  readonly identifier?: string | undefined
  readonly timestamp?: string | number | Date | DateTime.DateTime | undefined
}

/**
 * The JSON body of one event as Stripe expects it: the generated
 * `V2.Billing.MeterEventStream.create` event params, with the `identifier`
 * always set (generated when the caller gave none).
 *
 * @since 0.1.0
 * @category models
 */
export interface MeterEventParams extends V2BillingMeterEventStreamCreateParamsEvent {
  readonly identifier: string
}

/**
 * Stripe accepts at most this many events per stream request.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxEventsPerRequest = 100

/**
 * The Stripe error code of an expired session.
 *
 * @since 0.1.0
 * @category constants
 */
export const sessionExpiredCode = "billing_meter_event_session_expired"

/**
 * Options of {@link sendEvents} and {@link Service.send}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SendOptions extends StripeClient.RequestOptions {
  /** How many requests of up to 100 events are in flight at once: a positive integer, default 10. */
  readonly concurrency?: number | undefined
}

const defaultConcurrency = 10

const sessionPath = "/v2/billing/meter_event_session"
const streamPath = "/v2/billing/meter_event_stream"

/**
 * Creates a meter event session (`POST /v2/billing/meter_event_session` on the API host).
 *
 * @since 0.1.0
 * @category requests
 */
export const createSession = (
  options?: StripeClient.RequestOptions
): Effect.Effect<MeterEventSession, StripeError.StripeError, StripeClient.StripeClient> =>
  Effect.flatMap(StripeClient.StripeClient, (client) => createSessionWith(client, options))

const createSessionWith = (
  client: StripeClient.Service,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<MeterEventSession, StripeError.StripeError> =>
  client.execute({
    method: "POST",
    path: sessionPath,
    pathTemplate: sessionPath,
    params: {},
    options,
    schema: MeterEventSession,
    spanName: "stripe.v2.billing.meter_event_session.create"
  }).pipe(Effect.mapBoth({ onFailure: scrubToken, onSuccess: (response) => response.value }))

// A session response that fails to decode would otherwise carry the token in
// the decode error's raw body.
const tokenPattern = /("authentication_token"\s*:\s*")[^"]*("?)/g
const scrubToken = (error: StripeError.StripeError): StripeError.StripeError => {
  if (error._tag !== "StripeDecodeError") return error
  const body = error.body.replace(tokenPattern, "$1<redacted>$2")
  return body === error.body ? error : new StripeError.StripeDecodeError({
    message: error.message,
    requestId: error.requestId,
    status: error.status,
    body,
    method: error.method,
    path: error.path
  })
}

// A random per-process prefix and a counter: as unique as a UUID per event at
// a fraction of its cost, which shows at 100 events per request. 96 random bits
// in 16 base64url characters: Stripe dedups identifiers account-wide for a day,
// so two processes must not share a prefix, and every byte is sent per event.
const identifierPrefix = (() => {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_")
})()
let identifierCounter = 0
const nextIdentifier = (): string => `${identifierPrefix}-${(identifierCounter++).toString(36)}`

const invalid = (message: string, param: string) => new StripeError.StripeValidationError({ message, param })

const formatTimestamp = (t: NonNullable<MeterEvent["timestamp"]>): Option.Option<string> => {
  if (typeof t === "string") return Option.some(t)
  if (typeof t === "number") return Number.isFinite(t) ? Option.some(new Date(t * 1000).toISOString()) : Option.none()
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? Option.none() : Option.some(t.toISOString())
  return Option.some(DateTime.formatIso(t))
}

/**
 * Validates events and gives each an `identifier` if it has none. Done once
 * per logical send, so that a resend after a session renewal reuses the same
 * identifiers and Stripe dedups what already arrived.
 *
 * Events that already have an identifier and no timestamp to convert are
 * used as they are, not copied (the input is never mutated), so a sender
 * that identifies its own events pays for no copy of them.
 *
 * @since 0.1.0
 * @category encoding
 */
export const prepareEvents = (
  events: Iterable<MeterEvent>
): Effect.Effect<ReadonlyArray<MeterEventParams>, StripeError.StripeValidationError> =>
  Effect.suspend(() => {
    const input = Arr.fromIterable(events)
    if (input.length === 0) return Effect.fail(invalid("At least one meter event is required", "events"))
    const out: Array<MeterEventParams> = new Array(input.length)
    for (let i = 0; i < input.length; i++) {
      const event = input[i]
      if (typeof event.event_name !== "string" || event.event_name.length === 0) {
        return Effect.fail(invalid("A meter event needs an event_name", `events[${i}][event_name]`))
      }
      if (!Predicate.isRecord(event.payload)) {
        return Effect.fail(invalid("A meter event needs a payload", `events[${i}][payload]`))
      }
      if (isReady(event)) {
        out[i] = event
      } else if (event.timestamp === undefined) {
        out[i] = {
          event_name: event.event_name,
          payload: event.payload,
          identifier: event.identifier ?? nextIdentifier()
        }
      } else {
        const timestamp = formatTimestamp(event.timestamp)
        if (Option.isNone(timestamp)) {
          return Effect.fail(invalid("Invalid meter event timestamp", `events[${i}][timestamp]`))
        }
        out[i] = {
          event_name: event.event_name,
          payload: event.payload,
          identifier: event.identifier ?? nextIdentifier(),
          timestamp: timestamp.value
        }
      }
    }
    return Effect.succeed(out)
  })

/** An event that can be sent as it is: identified, with no timestamp to convert. */
const isReady = (
  event: MeterEvent
): event is MeterEvent & { readonly identifier: string; readonly timestamp?: undefined } =>
  typeof event.identifier === "string" && event.timestamp === undefined

const expiredByClock = (session: MeterEventSession) =>
  new MeterEventSessionExpired({ sessionId: session.id, expiresAt: session.expires_at, detectedBy: "clock" })

const isSessionExpiredReply = (error: StripeError.StripeError): boolean =>
  Predicate.hasProperty(error, "code") && error.code === sessionExpiredCode

// The stream answers `{}`; nothing in it is needed, and an empty body must not fail.
const StreamResponse = Schema.Unknown

const postChunk = (
  client: StripeClient.Service,
  session: MeterEventSession,
  events: ReadonlyArray<MeterEventParams>,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired> =>
  client.execute({
    method: "POST",
    path: streamPath,
    pathTemplate: streamPath,
    params: { events },
    options,
    schema: StreamResponse,
    host: "meterEvents",
    bearer: session.authentication_token,
    spanName: "stripe.v2.billing.meter_event_stream.create"
  }).pipe(
    Effect.mapBoth({
      onFailure: (error): StripeError.StripeError | MeterEventSessionExpired =>
        isSessionExpiredReply(error)
          ? new MeterEventSessionExpired({
            sessionId: session.id,
            expiresAt: session.expires_at,
            detectedBy: "server",
            requestId: Predicate.hasProperty(error, "requestId") && typeof error.requestId === "string"
              ? error.requestId
              : undefined
          })
          : error,
      onSuccess: constVoid
    })
  )

/**
 * Runs `task(0)` to `task(count - 1)` on at most `concurrency` fibers, each
 * taking the next index when it is done; the first failure interrupts the
 * rest. Unlike `Effect.forEach` it keeps no exit per task, which matters
 * when one call sends thousands of requests.
 */
const fanOut = <E>(
  count: number,
  concurrency: number,
  task: (index: number) => Effect.Effect<void, E>
): Effect.Effect<void, E> => {
  if (count === 1) return task(0)
  let next = 0
  const worker: Effect.Effect<void, E> = Effect.suspend(() =>
    next < count ? Effect.zipRight(task(next++), worker) : Effect.void
  )
  const workers = Math.min(count, concurrency)
  return workers === 1 ? worker : Effect.all(Arr.replicate(worker, workers), {
    concurrency: "unbounded",
    discard: true
  })
}

const toRequestOptions = (options: SendOptions | undefined): StripeClient.RequestOptions | undefined => {
  if (options === undefined) return undefined
  const { concurrency: _, ...rest } = options
  return rest
}

/**
 * Sends events that went through {@link prepareEvents}: checks the session
 * against the `Clock` (an expired session fails without a request), then
 * posts them in requests of at most 100, concurrently.
 *
 * @since 0.1.0
 * @category requests
 */
export const sendPrepared = (
  session: MeterEventSession,
  events: ReadonlyArray<MeterEventParams>,
  options?: SendOptions
): Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired, StripeClient.StripeClient> =>
  Effect.flatMap(StripeClient.StripeClient, (client) => sendPreparedWith(client, session, events, options))

const sendPreparedWith = (
  client: StripeClient.Service,
  session: MeterEventSession,
  events: ReadonlyArray<MeterEventParams>,
  options: SendOptions | undefined
): Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    if (now >= DateTime.toEpochMillis(session.expires_at)) return Effect.fail(expiredByClock(session))
    if (events.length === 0) return Effect.fail(invalid("At least one meter event is required", "events"))
    const concurrency = options?.concurrency ?? defaultConcurrency
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      return Effect.fail(invalid("concurrency must be a positive integer", "concurrency"))
    }
    const requestOptions = toRequestOptions(options)
    if (events.length <= maxEventsPerRequest) return postChunk(client, session, events, requestOptions)
    return fanOut(
      Math.ceil(events.length / maxEventsPerRequest),
      concurrency,
      (i) =>
        postChunk(
          client,
          session,
          events.slice(i * maxEventsPerRequest, (i + 1) * maxEventsPerRequest),
          requestOptions
        )
    )
  })

/**
 * Sends meter events with a session's token (`POST /v2/billing/meter_event_stream`
 * on the meter events host).
 *
 * - Events without an `identifier` get a unique one.
 * - More than 100 events are split into requests of at most 100, sent concurrently.
 * - An empty list fails with `StripeValidationError`.
 * - An expired session fails with {@link MeterEventSessionExpired}: without a
 *   request when the `Clock` is past `expires_at`, or when Stripe answers
 *   `billing_meter_event_session_expired`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Billing } from "@lattice-stripe/resources"
 *
 * const program = Effect.gen(function*() {
 *   const session = yield* Billing.MeterEventStream.createSession()
 *   yield* Billing.MeterEventStream.sendEvents(session, [
 *     { event_name: "api_requests", payload: { stripe_customer_id: "cus_123", value: "3" } }
 *   ])
 * })
 * ```
 *
 * @since 0.1.0
 * @category requests
 */
export const sendEvents = (
  session: MeterEventSession,
  events: Iterable<MeterEvent>,
  options?: SendOptions
): Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired, StripeClient.StripeClient> =>
  Effect.flatMap(prepareEvents(events), (prepared) => sendPrepared(session, prepared, options))

/**
 * The managed stream.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * Sends events with the current session, renewing it when it is due, and
   * once more (resending the same identified events) when Stripe answers that
   * it expired. Fails with {@link MeterEventSessionExpired} only when the
   * renewed session is rejected too; a failed renewal surfaces its own error.
   */
  readonly send: (
    events: Iterable<MeterEvent>,
    options?: SendOptions
  ) => Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired>
  /** The current session, created or renewed when due. */
  readonly session: Effect.Effect<MeterEventSession, StripeError.StripeError>
  /** Replaces the current session now, whatever its expiry. */
  readonly renew: Effect.Effect<MeterEventSession, StripeError.StripeError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class MeterEventStream extends Context.Tag("@lattice-stripe/resources/MeterEventStream")<
  MeterEventStream,
  Service
>() {}

/**
 * Options of {@link make} and {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * A session is renewed this long before it expires, so that no request is
   * sent with a token about to lapse. Default 60 seconds; capped at half the
   * session's lifetime.
   */
  readonly renewalMargin?: Duration.DurationInput | undefined
  /** Per-call options of session creation (e.g. `stripeAccount`). */
  readonly sessionOptions?: StripeClient.RequestOptions | undefined
}

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultRenewalMargin: Duration.Duration = Duration.seconds(60)

interface State {
  readonly session: Option.Option<MeterEventSession>
  /** Renewals attempted so far, to tell a failure that happened while a caller waited. */
  readonly attempts: number
  readonly failure: Option.Option<StripeError.StripeError>
}

type Renewal = Effect.Effect<MeterEventSession, StripeError.StripeError>

/**
 * Builds the managed stream. The session is created lazily on the first
 * send. While the stream is in use, a fiber in the scope renews the session
 * `renewalMargin` before it expires, so senders rarely wait for a renewal;
 * an idle stream lets its session lapse and renews on the next send.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options?: Options
): Effect.Effect<Service, never, StripeClient.StripeClient | Scope.Scope> =>
  Effect.gen(function*() {
    const scope = yield* Scope.Scope
    const client = yield* StripeClient.StripeClient
    const marginMillis = Duration.toMillis(Duration.decode(options?.renewalMargin ?? defaultRenewalMargin))
    const state = yield* SynchronizedRef.make<State>({ session: Option.none(), attempts: 0, failure: Option.none() })
    // The hot path reads these plain variables (no fiber ref or Ref effect per send); every write
    // happens inside the SynchronizedRef's critical section, or is a flag the renewal fiber resets.
    let current: MeterEventSession | undefined
    let currentRenewAt = 0
    let used = false

    const renewAt = (session: MeterEventSession): number => {
      const expires = DateTime.toEpochMillis(session.expires_at)
      const lifetime = expires - DateTime.toEpochMillis(session.created)
      return expires - Math.min(marginMillis, Math.max(0, lifetime / 2))
    }

    const create: Effect.Effect<MeterEventSession, StripeError.StripeError> = Effect.tap(
      createSessionWith(client, options?.sessionOptions),
      (session) =>
        Effect.logDebug("meter event session created").pipe(
          Effect.annotateLogs({ sessionId: session.id, expiresAt: DateTime.formatIso(session.expires_at) }),
          Effect.zipRight(Effect.forkIn(renewInBackground(session), scope))
        )
    )

    // Renews `session` when it enters its margin, if the stream was used since
    // the last check. A failure is left to the next send, which renews itself.
    const renewInBackground = (session: MeterEventSession): Effect.Effect<void> =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) => Effect.sleep(Duration.millis(Math.max(0, renewAt(session) - now)))
      ).pipe(
        Effect.zipRight(Effect.sync(() => {
          const wasUsed = used
          used = false
          return wasUsed
        })),
        Effect.flatMap((wasUsed) => wasUsed ? refresh(session.id, false) : Effect.void),
        Effect.catchAll((error) =>
          Effect.logDebug("meter event session renewal failed; the next send retries").pipe(
            Effect.annotateLogs({ sessionId: session.id, error: error._tag })
          )
        ),
        Effect.asVoid
      )

    // Serialized by the SynchronizedRef: concurrent callers queue behind one
    // renewal, then find the fresh session and share it. A caller that queued
    // behind a renewal which failed gets that failure instead of trying again,
    // so a revoked key costs one request, not one per waiting sender.
    const refresh = (stale: string | undefined, force: boolean) =>
      Effect.flatMap(SynchronizedRef.get(state), (seen) =>
        Effect.flatten(SynchronizedRef.modifyEffect(state, (latest) =>
          Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<readonly [Renewal, State]> => {
            if (latest.attempts > seen.attempts && Option.isSome(latest.failure)) {
              return Effect.succeed([Effect.fail(latest.failure.value), latest])
            }
            const session = latest.session
            if (!force && Option.isSome(session) && session.value.id !== stale && now < renewAt(session.value)) {
              return Effect.succeed([Effect.succeed(session.value), latest])
            }
            const attempts = latest.attempts + 1
            return Effect.match(create, {
              onFailure: (error) => [Effect.fail(error), { ...latest, attempts, failure: Option.some(error) }],
              onSuccess: (created) => {
                current = created
                currentRenewAt = renewAt(created)
                return [Effect.succeed(created), { session: Option.some(created), attempts, failure: Option.none() }]
              }
            })
          }))))

    const session: Effect.Effect<MeterEventSession, StripeError.StripeError> = Effect.flatMap(
      Clock.currentTimeMillis,
      (now) => {
        used = true
        return current !== undefined && now < currentRenewAt ? Effect.succeed(current) : refresh(undefined, false)
      }
    )

    const send = (
      events: Iterable<MeterEvent>,
      sendOptions?: SendOptions
    ): Effect.Effect<void, StripeError.StripeError | MeterEventSessionExpired> =>
      Effect.flatMap(prepareEvents(events), (prepared) =>
        Effect.flatMap(session, (active) =>
          Effect.catchTag(
            sendPreparedWith(client, active, prepared, sendOptions),
            "MeterEventSessionExpired",
            (expired) =>
              Effect.logDebug("meter event session expired; renewing").pipe(
                Effect.annotateLogs({ sessionId: expired.sessionId, detectedBy: expired.detectedBy }),
                Effect.zipRight(refresh(expired.sessionId, false)),
                Effect.flatMap((fresh) =>
                  sendPreparedWith(client, fresh, prepared, sendOptions)
                )
              )
          )))

    return MeterEventStream.of({ send, session, renew: refresh(undefined, true) })
  })

/**
 * The managed stream as a layer.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "@effect/platform"
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Billing } from "@lattice-stripe/resources"
 *
 * const MeterLive = Billing.MeterEventStream.layer({ renewalMargin: "2 minutes" }).pipe(
 *   Layer.provide(StripeClient.layer({ apiKey: Redacted.make("sk_test_123") })),
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<MeterEventStream, never, StripeClient.StripeClient> =>
  Layer.scoped(MeterEventStream, make(options))
