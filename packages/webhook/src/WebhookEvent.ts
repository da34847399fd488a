/**
 * The Stripe event envelope: its schema, the cheap structural check used on
 * the verification hot path, and the type-level map from event type to the
 * object it carries.
 *
 * @since 0.1.0
 */
import { ApiVersion } from "@lattice-stripe/core"
import type * as Registry from "@lattice-stripe/resources/ObjectRegistry"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as LazyRegistry from "./internal/registry.js"

/**
 * The object each event type of the pinned API version carries in
 * `data.object`, generated from the codegen source (the `Event` union of the
 * pinned `stripe` package).
 *
 * @since 0.2.0
 * @category models
 */
export type EventObjects = Registry.EventObjects

/**
 * Every event type of the pinned API version. Handlers may still meet types
 * Stripe added later: `Event["type"]` stays `string`.
 *
 * @since 0.1.0
 * @category models
 */
export type EventType = keyof EventObjects

/**
 * A Stripe object whose type is not known statically: its `object`
 * discriminator and (for most objects) its id. Other fields are there at
 * runtime; reach them typed through `Webhook.dispatch` or
 * {@link decodeObject}, or untyped with `"field" in object`.
 *
 * It has no index signature so that every resource type (an interface) is a
 * `StripeObject`, and handlers written for `Event` accept typed events.
 *
 * @since 0.1.0
 * @category models
 */
export interface StripeObject {
  readonly object: string
  readonly id?: string | undefined
}

/**
 * The object an event of type `T` carries in `data.object`.
 *
 * @example
 * ```ts
 * import type { WebhookEvent } from "@lattice-stripe/webhook"
 *
 * // the resources' PaymentIntent type
 * type PI = WebhookEvent.EventObject<"payment_intent.succeeded">
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type EventObject<T extends string> = T extends EventType ? EventObjects[T] : StripeObject

/**
 * The API request that caused an event; `id` is `null` for automatic events.
 *
 * @since 0.1.0
 * @category models
 */
export interface EventRequest {
  readonly id: string | null
  readonly idempotency_key?: string | null | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface EventData<O = StripeObject> {
  readonly object: O
  /** The changed fields' previous values (`*.updated` events). */
  readonly previous_attributes?: { readonly [key: string]: unknown } | undefined
}

/**
 * A Stripe event. `T` narrows `type`, `O` the object in `data.object`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Event<T extends string = string, O = StripeObject> {
  readonly id: string
  readonly object: "event"
  /** The connected account the event originates from (Connect). */
  readonly account?: string | undefined
  readonly api_version?: string | null | undefined
  /** Unix seconds. */
  readonly created: number
  readonly data: EventData<O>
  readonly livemode: boolean
  readonly pending_webhooks: number
  readonly request?: EventRequest | null | undefined
  readonly type: T
}

/**
 * The union of all known events with their objects typed: what
 * `Webhook.constructEvent` returns. `switch (event.type)` narrows
 * `event.data.object` to that event's object type.
 *
 * @example
 * ```ts
 * import type { WebhookEvent } from "@lattice-stripe/webhook"
 *
 * declare const event: WebhookEvent.TypedEvent
 * if (event.type === "invoice.paid") {
 *   const amount: number = event.data.object.amount_paid // an Invoice
 * }
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type TypedEvent = { readonly [K in EventType]: Event<K, EventObjects[K]> }[EventType]

/**
 * A verified event whose `data.object` does not decode as the object its type
 * carries in this SDK's API version: typically an event from a webhook
 * endpoint (or an `Events.list` call) on another API version, whose objects
 * Stripe renders in that version's shape (a subscription of 2024-04-10 has a
 * top-level `current_period_end` that 2026-10-28.endive moved to its items).
 *
 * Retrying the delivery cannot help: the event will not change. Acknowledge
 * it (the HTTP adapters answer 200 and log this error), and fix the endpoint's
 * API version in the Dashboard, or read such events untyped with
 * `constructEvent(..., { decodeObject: false })`. `apiVersion` is the version
 * the event was rendered with, `sdkApiVersion` the one this SDK decodes.
 *
 * @since 0.2.0
 * @category errors
 */
export class WebhookObjectError extends Schema.TaggedError<WebhookObjectError>(
  "@lattice-stripe/webhook/WebhookObjectError"
)("WebhookObjectError", {
  eventId: Schema.String,
  eventType: Schema.String,
  /** The `object` of `data.object`. */
  object: Schema.String,
  /** The API version the event was rendered with (`null` for events older than 2014). */
  apiVersion: Schema.NullOr(Schema.String),
  /** The API version this SDK's types and schemas describe. */
  sdkApiVersion: Schema.String,
  /** Which fields failed, never their values. */
  detail: Schema.String
}) {
  /** @since 0.2.0 */
  override get message(): string {
    const version = this.apiVersion === null ? "an unknown API version" : `API version ${this.apiVersion}`
    const hint = this.apiVersion === this.sdkApiVersion
      ? ""
      : ` (this SDK decodes ${this.sdkApiVersion}; set the endpoint's API version to match, or use decodeObject: false)`
    return `Event ${this.eventId} (${this.eventType}), rendered with ${version}: data.object (${this.object}) does not decode${hint}: ${this.detail}`
  }
}

const isRecord = (u: unknown): u is { readonly [key: string]: unknown } =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const isStripeObject = (u: unknown): u is StripeObject =>
  isRecord(u) && typeof u.object === "string" && (u.id === undefined || typeof u.id === "string")

/**
 * Schema of an object in `data.object` whose type is not known statically.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StripeObject: Schema.Schema<StripeObject> = Schema.declare(
  (u: unknown): u is StripeObject => isStripeObject(u),
  {
    identifier: "StripeObject",
    description: "a Stripe object: a JSON object with a string `object` field (kept whole)"
  }
)

/**
 * @since 0.1.0
 * @category schemas
 */
export const EventRequest: Schema.Schema<EventRequest> = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  idempotency_key: Schema.optional(Schema.NullOr(Schema.String))
})

const envelopeFields = {
  id: Schema.String,
  object: Schema.Literal("event"),
  account: Schema.optional(Schema.String),
  api_version: Schema.optional(Schema.NullOr(Schema.String)),
  created: Schema.Number,
  livemode: Schema.Boolean,
  pending_webhooks: Schema.Number,
  request: Schema.optional(Schema.NullOr(EventRequest)),
  type: Schema.String
}

const previousAttributes = Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/**
 * Schema of the event envelope; `data.object` is kept as an untyped
 * {@link StripeObject}. Used for events fetched from the API; webhook
 * payloads go through a cheaper structural check with the same rules.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Event: Schema.Schema<Event> = Schema.Struct({
  ...envelopeFields,
  data: Schema.Struct({ object: StripeObject, previous_attributes: previousAttributes })
})

/**
 * `data.object` decoded through the resources' object registry by its
 * `object` field; objects the registry does not know pass through unchanged.
 * Asynchronous on first use (the registry is loaded lazily), so decode with
 * `Schema.decodeUnknown`, not the `Sync` variants.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegistryObject: Schema.Schema<StripeObject> = Schema.transformOrFail(
  StripeObject,
  Schema.typeSchema(StripeObject),
  {
    strict: true,
    decode: (input) =>
      Effect.flatMap(
        Effect.mapError(LazyRegistry.decodeUnknown(input), (error) => error.issue),
        (decoded) =>
          isStripeObject(decoded)
            ? ParseResult.succeed(decoded)
            : ParseResult.fail(new ParseResult.Type(Schema.typeSchema(StripeObject).ast, decoded))
      ),
    encode: ParseResult.succeed
  }
)

/**
 * The event envelope with `data.object` decoded into its resource type (see
 * {@link RegistryObject}).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventWithObject: Schema.Schema<Event, Event> = Schema.Struct({
  ...envelopeFields,
  data: Schema.Struct({ object: RegistryObject, previous_attributes: previousAttributes })
})

/**
 * What makes `u` not an event envelope, or `undefined` when it is one. The
 * same rules as the {@link Event} schema, checked by hand because this runs
 * on every webhook and a Schema decode costs several times the HMAC.
 *
 * @internal
 */
export const envelopeProblem = (u: unknown): string | undefined => {
  if (!isRecord(u)) return "the payload is not a JSON object"
  if (typeof u.id !== "string") return "id must be a string"
  if (u.object !== "event") return "object must be \"event\""
  if (typeof u.type !== "string") return "type must be a string"
  if (typeof u.created !== "number") return "created must be a number"
  if (typeof u.livemode !== "boolean") return "livemode must be a boolean"
  if (typeof u.pending_webhooks !== "number") return "pending_webhooks must be a number"
  if (u.account !== undefined && typeof u.account !== "string") return "account must be a string"
  if (u.api_version !== undefined && u.api_version !== null && typeof u.api_version !== "string") {
    return "api_version must be a string or null"
  }
  const request = u.request
  if (request !== undefined && request !== null) {
    if (!isRecord(request)) return "request must be an object or null"
    if (request.id !== null && typeof request.id !== "string") return "request.id must be a string or null"
    const key = request.idempotency_key
    if (key !== undefined && key !== null && typeof key !== "string") {
      return "request.idempotency_key must be a string or null"
    }
  }
  const data = u.data
  if (!isRecord(data)) return "data must be an object"
  if (!isStripeObject(data.object)) return "data.object must be an object with a string `object` (and `id`) field"
  if (data.previous_attributes !== undefined && !isRecord(data.previous_attributes)) {
    return "data.previous_attributes must be an object"
  }
  return undefined
}

/**
 * Whether `u` is an event envelope (structural check, no copy).
 *
 * @since 0.1.0
 * @category guards
 */
export const isEvent = (u: unknown): u is Event => envelopeProblem(u) === undefined

/**
 * Decodes `data.object` into its resource type through the object registry.
 * The result's object type follows the event type, e.g. a `PaymentIntent` for
 * `payment_intent.succeeded`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { WebhookEvent } from "@lattice-stripe/webhook"
 *
 * declare const event: WebhookEvent.Event<"invoice.paid">
 * const invoice = WebhookEvent.decodeObject(event).pipe(Effect.map((e) => e.data.object))
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeObject = <T extends string>(
  event: Event<T>
): Effect.Effect<Event<T, EventObject<T>>, WebhookObjectError> =>
  Effect.map(decodeEventObject(event), (object) => ({ ...event, data: { ...event.data, object } }))

/**
 * {@link decodeObject} for an event whose type is known only at runtime: the
 * result is the {@link TypedEvent} member of its type.
 *
 * @since 0.2.0
 * @category decoding
 */
export const decodeTyped = (event: Event): Effect.Effect<TypedEvent, WebhookObjectError> =>
  // Boundary: `data.object` was decoded as the object its own `object` field
  // names, which is the object Stripe sends for `event.type`; TypeScript
  // cannot pair the runtime type string with its union member.
  decodeObject(event) as Effect.Effect<TypedEvent, WebhookObjectError>

/**
 * A compact one-line account of a decode failure: the failing paths, not the
 * schema (a resource schema printed in full runs to kilobytes).
 *
 * @internal
 */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const shown = issues.slice(0, 5).map((issue) =>
    `${issue.path.length > 0 ? issue.path.join(".") : "(root)"}: ${issue.message}`
  )
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`)
  return shown.join("; ")
}

// Objects already decoded by the registry, so that dispatching an event built
// by `constructEvent({ decodeObject: true })` does not decode it twice.
const decodedObjects = new WeakSet<object>()

/**
 * Decodes `data.object` alone, see {@link decodeObject}.
 *
 * @internal
 */
export const decodeEventObject = <T extends string>(
  event: Event<T>
): Effect.Effect<EventObject<T>, WebhookObjectError> => {
  const raw = event.data.object
  const decoded: Effect.Effect<unknown, WebhookObjectError> = decodedObjects.has(raw)
    ? Effect.succeed(raw)
    : LazyRegistry.decodeUnknown(raw).pipe(
      Effect.tap((object) => {
        if (typeof object === "object" && object !== null) decodedObjects.add(object)
      }),
      Effect.mapError((error) =>
        new WebhookObjectError({
          eventId: event.id,
          eventType: event.type,
          object: raw.object,
          apiVersion: event.api_version ?? null,
          sdkApiVersion: ApiVersion.API_VERSION,
          detail: describeParseError(error)
        })
      )
    )
  // Boundary: the registry decodes by the object's own `object` field and
  // returns `unknown`; which TypeScript type that is for an event of type `T`
  // is what the generated `EventObjects` records.
  return Effect.map(decoded, (object) => object as EventObject<T>)
}

/**
 * @since 0.1.0
 * @category guards
 */
export const isEventType = <T extends EventType>(event: Event, type: T): event is Event<T> => event.type === type
