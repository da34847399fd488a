/**
 * Thin events: what a v2 event destination delivers. A notification carries
 * the event's id, type and a reference to the object it is about, not the
 * object itself; fetch the full event ({@link fetchEvent}) or the current
 * state of the object ({@link fetchRelatedObject}) when you need them, as
 * Stripe's SDKs do with `parseEventNotification`.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { EventNotification } from "@lattice-stripe/webhook"
 *
 * declare const body: string
 * declare const signature: string | undefined
 *
 * const program = Effect.gen(function*() {
 *   const notification = yield* EventNotification.parse(body, signature, Redacted.make("whsec_..."))
 *   if (notification.type === "v2.core.account.updated") {
 *     const account = yield* EventNotification.fetchRelatedObject(notification)
 *     yield* Effect.log(account)
 *   }
 * })
 * ```
 *
 * @since 0.2.0
 */
import { Redaction, StripeClient, StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Construct from "./internal/construct.js"
import * as LazyRegistry from "./internal/registry.js"
import type { Secrets, VerifyOptions } from "./Webhook.js"
import { WebhookPayloadError, WebhookSignatureError } from "./WebhookError.js"

/**
 * The object an event is about: its id, its type (an `object` value such as
 * `v2.core.account` or `customer`) and the API path that retrieves it.
 *
 * @since 0.2.0
 * @category models
 */
export interface RelatedObject {
  readonly id?: string | undefined
  readonly type: string
  readonly url: string
}

/**
 * A thin event as delivered: no object data.
 *
 * @since 0.2.0
 * @category models
 */
export interface EventNotification {
  readonly id: string
  readonly object: "v2.core.event"
  /** `v2.core.account.updated`, `v1.customer.created`, ... */
  readonly type: string
  /** RFC 3339. */
  readonly created: string
  readonly livemode: boolean
  /** The account (or account path) the event happened in; sent back as `Stripe-Context` when fetching. */
  readonly context?: string | undefined
  readonly related_object?: RelatedObject | null | undefined
  readonly reason?: unknown
}

/**
 * The full event: the notification's fields and the event's `data` and
 * `changes`, as `GET /v2/core/events/{id}` answers. Secret fields in `data`
 * and `changes` (core's `Redaction` rule) are `Redacted` values.
 *
 * @since 0.2.0
 * @category models
 */
export interface Event extends EventNotification {
  readonly data?: unknown
  readonly changes?: unknown
  readonly snapshot_event?: string | undefined
}

const RelatedObject: Schema.Schema<RelatedObject> = Schema.Struct({
  id: Schema.optional(Schema.String),
  type: Schema.String,
  url: Schema.String
})

const notificationFields = {
  id: Schema.String,
  object: Schema.Literal("v2.core.event"),
  type: Schema.String,
  created: Schema.String,
  livemode: Schema.Boolean,
  context: Schema.optional(Schema.String),
  related_object: Schema.optional(Schema.NullOr(RelatedObject)),
  reason: Schema.optional(Schema.Unknown)
}

/**
 * @since 0.2.0
 * @category schemas
 */
export const EventNotification: Schema.Schema<EventNotification> = Schema.Struct(notificationFields)

/**
 * @since 0.2.0
 * @category schemas
 */
export const Event: Schema.Schema<Event> = Schema.Struct({
  ...notificationFields,
  data: Schema.optional(Redaction.secretsWrapped(Schema.Unknown)),
  changes: Schema.optional(Redaction.secretsWrapped(Schema.Unknown)),
  snapshot_event: Schema.optional(Schema.String)
})

const decodeNotification = Schema.decodeUnknownEither(EventNotification)

const toText = (payload: string | Uint8Array): string =>
  typeof payload === "string" ? payload : new TextDecoder().decode(payload)

const parseNotification = (
  payload: string | Uint8Array
): Effect.Effect<EventNotification, WebhookPayloadError> => {
  let json: unknown
  try {
    json = JSON.parse(toText(payload))
  } catch {
    return Effect.fail(new WebhookPayloadError({ reason: "InvalidJson", detail: "the payload is not valid JSON" }))
  }
  const decoded = decodeNotification(json)
  return decoded._tag === "Right"
    ? Effect.succeed(decoded.right)
    : Effect.fail(
      new WebhookPayloadError({ reason: "NotAnEvent", detail: "not a v2 event notification (v2.core.event)" })
    )
}

// Options read defensively, as `Webhook.constructEvent` does: a caller's `any` must not make verification throw.
const toleranceOption = (options: unknown): unknown =>
  typeof options === "object" && options !== null ? Reflect.get(options, "tolerance") : undefined

/**
 * Verifies a thin event's signature (the same `Stripe-Signature` scheme as
 * snapshot webhooks) and parses the notification. Pure: no HTTP, time from
 * `Clock`. Accepts and rejects inputs as `Webhook.constructEvent` does
 * (string or bytes, never throws); synchronous where Node's `crypto` exists,
 * Web Crypto elsewhere.
 *
 * @since 0.2.0
 * @category verification
 */
export const parse = (
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options?: VerifyOptions
): Effect.Effect<EventNotification, WebhookSignatureError | WebhookPayloadError> =>
  Construct.verified(payload, header, secret, toleranceOption(options), parseNotification)

const contextHeaders = (notification: EventNotification): Readonly<Record<string, string>> => ({
  "stripe-request-trigger": `event=${notification.id}`,
  ...(notification.context === undefined ? {} : { "stripe-context": notification.context })
})

/**
 * Retrieves the full event (`GET /v2/core/events/{id}`) in the notification's
 * context.
 *
 * @since 0.2.0
 * @category fetching
 */
export const fetchEvent = (
  notification: EventNotification,
  options?: StripeClient.RequestOptions
): Effect.Effect<Event, StripeError.StripeError, StripeClient.StripeClient> =>
  StripeClient.request({
    method: "GET",
    path: `/v2/core/events/${encodeURIComponent(notification.id)}`,
    pathTemplate: "/v2/core/events/{id}",
    schema: Event,
    spanName: "stripe.v2.core.events.retrieve",
    options: { ...options, headers: { ...contextHeaders(notification), ...options?.headers } }
  })

const isApiPath = (url: string): boolean => /^\/v[12]\/[^?#]*[^/?#.](\?[^#]*)?$/.test(url) && !url.includes("/../")

/**
 * Retrieves the current state of the object the event is about (its
 * `related_object.url`), decoded through the object registry by its type
 * (unknown types pass through as JSON). `null` when the event has no related
 * object. A `url` that is not an API path fails with `StripeValidationError`
 * before anything is sent.
 *
 * @since 0.2.0
 * @category fetching
 */
export const fetchRelatedObject = (
  notification: EventNotification,
  options?: StripeClient.RequestOptions
): Effect.Effect<unknown, StripeError.StripeError, StripeClient.StripeClient> => {
  const related = notification.related_object
  if (related === undefined || related === null) return Effect.succeed(null)
  if (!isApiPath(related.url)) {
    return Effect.fail(
      new StripeError.StripeValidationError({
        message: "related_object.url is not a /v1/ or /v2/ path on the API host",
        param: "related_object.url"
      })
    )
  }
  return Effect.flatMap(LazyRegistry.schemaOf(related.type), (schema) =>
    StripeClient.request({
      method: "GET",
      path: related.url,
      schema: schema ?? Schema.Unknown,
      spanName: "stripe.v2.core.events.fetchRelatedObject",
      options: { ...options, headers: { ...contextHeaders(notification), ...options?.headers } }
    }))
}
