/**
 * The Stripe event envelope: its schema, the cheap structural check used on
 * the verification hot path, and the type-level map from event type to the
 * object it carries.
 *
 * @since 0.1.0
 */
import type { ObjectTypes } from "@lattice-stripe/resources/ObjectRegistry"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Registry from "./internal/registry.js"
import { WebhookPayloadError } from "./WebhookError.js"

/**
 * Which Stripe object(s) (by their `object` field) each event type carries in
 * `data.object`, for every event type of the pinned API version (the
 * `enabled_events` enum of `POST /v1/webhook_endpoints`, 2024-04-10).
 *
 * @since 0.1.0
 * @category models
 */
export interface EventObjectNames {
  readonly "account.application.authorized": "application"
  readonly "account.application.deauthorized": "application"
  readonly "account.external_account.created": "bank_account" | "card"
  readonly "account.external_account.deleted": "bank_account" | "card"
  readonly "account.external_account.updated": "bank_account" | "card"
  readonly "account.updated": "account"
  readonly "application_fee.created": "application_fee"
  readonly "application_fee.refund.updated": "fee_refund"
  readonly "application_fee.refunded": "application_fee"
  readonly "balance.available": "balance"
  readonly "billing_portal.configuration.created": "billing_portal.configuration"
  readonly "billing_portal.configuration.updated": "billing_portal.configuration"
  readonly "billing_portal.session.created": "billing_portal.session"
  readonly "capability.updated": "capability"
  readonly "cash_balance.funds_available": "cash_balance"
  readonly "charge.captured": "charge"
  readonly "charge.dispute.closed": "dispute"
  readonly "charge.dispute.created": "dispute"
  readonly "charge.dispute.funds_reinstated": "dispute"
  readonly "charge.dispute.funds_withdrawn": "dispute"
  readonly "charge.dispute.updated": "dispute"
  readonly "charge.expired": "charge"
  readonly "charge.failed": "charge"
  readonly "charge.pending": "charge"
  readonly "charge.refund.updated": "refund"
  readonly "charge.refunded": "charge"
  readonly "charge.succeeded": "charge"
  readonly "charge.updated": "charge"
  readonly "checkout.session.async_payment_failed": "checkout.session"
  readonly "checkout.session.async_payment_succeeded": "checkout.session"
  readonly "checkout.session.completed": "checkout.session"
  readonly "checkout.session.expired": "checkout.session"
  readonly "climate.order.canceled": "climate.order"
  readonly "climate.order.created": "climate.order"
  readonly "climate.order.delayed": "climate.order"
  readonly "climate.order.delivered": "climate.order"
  readonly "climate.order.product_substituted": "climate.order"
  readonly "climate.product.created": "climate.product"
  readonly "climate.product.pricing_updated": "climate.product"
  readonly "coupon.created": "coupon"
  readonly "coupon.deleted": "coupon"
  readonly "coupon.updated": "coupon"
  readonly "credit_note.created": "credit_note"
  readonly "credit_note.updated": "credit_note"
  readonly "credit_note.voided": "credit_note"
  readonly "customer.created": "customer"
  readonly "customer.deleted": "customer"
  readonly "customer.discount.created": "discount"
  readonly "customer.discount.deleted": "discount"
  readonly "customer.discount.updated": "discount"
  readonly "customer.source.created": "source" | "card" | "bank_account"
  readonly "customer.source.deleted": "source" | "card" | "bank_account"
  readonly "customer.source.expiring": "source" | "card" | "bank_account"
  readonly "customer.source.updated": "source" | "card" | "bank_account"
  readonly "customer.subscription.created": "subscription"
  readonly "customer.subscription.deleted": "subscription"
  readonly "customer.subscription.paused": "subscription"
  readonly "customer.subscription.pending_update_applied": "subscription"
  readonly "customer.subscription.pending_update_expired": "subscription"
  readonly "customer.subscription.resumed": "subscription"
  readonly "customer.subscription.trial_will_end": "subscription"
  readonly "customer.subscription.updated": "subscription"
  readonly "customer.tax_id.created": "tax_id"
  readonly "customer.tax_id.deleted": "tax_id"
  readonly "customer.tax_id.updated": "tax_id"
  readonly "customer.updated": "customer"
  readonly "customer_cash_balance_transaction.created": "customer_cash_balance_transaction"
  readonly "entitlements.active_entitlement_summary.updated": "entitlements.active_entitlement_summary"
  readonly "file.created": "file"
  readonly "financial_connections.account.created": "financial_connections.account"
  readonly "financial_connections.account.deactivated": "financial_connections.account"
  readonly "financial_connections.account.disconnected": "financial_connections.account"
  readonly "financial_connections.account.reactivated": "financial_connections.account"
  readonly "financial_connections.account.refreshed_balance": "financial_connections.account"
  readonly "financial_connections.account.refreshed_ownership": "financial_connections.account"
  readonly "financial_connections.account.refreshed_transactions": "financial_connections.account"
  readonly "identity.verification_session.canceled": "identity.verification_session"
  readonly "identity.verification_session.created": "identity.verification_session"
  readonly "identity.verification_session.processing": "identity.verification_session"
  readonly "identity.verification_session.redacted": "identity.verification_session"
  readonly "identity.verification_session.requires_input": "identity.verification_session"
  readonly "identity.verification_session.verified": "identity.verification_session"
  readonly "invoice.created": "invoice"
  readonly "invoice.deleted": "invoice"
  readonly "invoice.finalization_failed": "invoice"
  readonly "invoice.finalized": "invoice"
  readonly "invoice.marked_uncollectible": "invoice"
  readonly "invoice.paid": "invoice"
  readonly "invoice.payment_action_required": "invoice"
  readonly "invoice.payment_failed": "invoice"
  readonly "invoice.payment_succeeded": "invoice"
  readonly "invoice.sent": "invoice"
  readonly "invoice.upcoming": "invoice"
  readonly "invoice.updated": "invoice"
  readonly "invoice.voided": "invoice"
  readonly "invoiceitem.created": "invoiceitem"
  readonly "invoiceitem.deleted": "invoiceitem"
  readonly "issuing_authorization.created": "issuing.authorization"
  readonly "issuing_authorization.request": "issuing.authorization"
  readonly "issuing_authorization.updated": "issuing.authorization"
  readonly "issuing_card.created": "issuing.card"
  readonly "issuing_card.updated": "issuing.card"
  readonly "issuing_cardholder.created": "issuing.cardholder"
  readonly "issuing_cardholder.updated": "issuing.cardholder"
  readonly "issuing_dispute.closed": "issuing.dispute"
  readonly "issuing_dispute.created": "issuing.dispute"
  readonly "issuing_dispute.funds_reinstated": "issuing.dispute"
  readonly "issuing_dispute.submitted": "issuing.dispute"
  readonly "issuing_dispute.updated": "issuing.dispute"
  readonly "issuing_token.created": "issuing.token"
  readonly "issuing_token.updated": "issuing.token"
  readonly "issuing_transaction.created": "issuing.transaction"
  readonly "issuing_transaction.updated": "issuing.transaction"
  readonly "mandate.updated": "mandate"
  readonly "payment_intent.amount_capturable_updated": "payment_intent"
  readonly "payment_intent.canceled": "payment_intent"
  readonly "payment_intent.created": "payment_intent"
  readonly "payment_intent.partially_funded": "payment_intent"
  readonly "payment_intent.payment_failed": "payment_intent"
  readonly "payment_intent.processing": "payment_intent"
  readonly "payment_intent.requires_action": "payment_intent"
  readonly "payment_intent.succeeded": "payment_intent"
  readonly "payment_link.created": "payment_link"
  readonly "payment_link.updated": "payment_link"
  readonly "payment_method.attached": "payment_method"
  readonly "payment_method.automatically_updated": "payment_method"
  readonly "payment_method.detached": "payment_method"
  readonly "payment_method.updated": "payment_method"
  readonly "payout.canceled": "payout"
  readonly "payout.created": "payout"
  readonly "payout.failed": "payout"
  readonly "payout.paid": "payout"
  readonly "payout.reconciliation_completed": "payout"
  readonly "payout.updated": "payout"
  readonly "person.created": "person"
  readonly "person.deleted": "person"
  readonly "person.updated": "person"
  readonly "plan.created": "plan"
  readonly "plan.deleted": "plan"
  readonly "plan.updated": "plan"
  readonly "price.created": "price"
  readonly "price.deleted": "price"
  readonly "price.updated": "price"
  readonly "product.created": "product"
  readonly "product.deleted": "product"
  readonly "product.updated": "product"
  readonly "promotion_code.created": "promotion_code"
  readonly "promotion_code.updated": "promotion_code"
  readonly "quote.accepted": "quote"
  readonly "quote.canceled": "quote"
  readonly "quote.created": "quote"
  readonly "quote.finalized": "quote"
  readonly "radar.early_fraud_warning.created": "radar.early_fraud_warning"
  readonly "radar.early_fraud_warning.updated": "radar.early_fraud_warning"
  readonly "refund.created": "refund"
  readonly "refund.updated": "refund"
  readonly "reporting.report_run.failed": "reporting.report_run"
  readonly "reporting.report_run.succeeded": "reporting.report_run"
  readonly "reporting.report_type.updated": "reporting.report_type"
  readonly "review.closed": "review"
  readonly "review.opened": "review"
  readonly "setup_intent.canceled": "setup_intent"
  readonly "setup_intent.created": "setup_intent"
  readonly "setup_intent.requires_action": "setup_intent"
  readonly "setup_intent.setup_failed": "setup_intent"
  readonly "setup_intent.succeeded": "setup_intent"
  readonly "sigma.scheduled_query_run.created": "scheduled_query_run"
  readonly "source.canceled": "source"
  readonly "source.chargeable": "source"
  readonly "source.failed": "source"
  readonly "source.mandate_notification": "source_mandate_notification"
  readonly "source.refund_attributes_required": "source"
  readonly "source.transaction.created": "source_transaction"
  readonly "source.transaction.updated": "source_transaction"
  readonly "subscription_schedule.aborted": "subscription_schedule"
  readonly "subscription_schedule.canceled": "subscription_schedule"
  readonly "subscription_schedule.completed": "subscription_schedule"
  readonly "subscription_schedule.created": "subscription_schedule"
  readonly "subscription_schedule.expiring": "subscription_schedule"
  readonly "subscription_schedule.released": "subscription_schedule"
  readonly "subscription_schedule.updated": "subscription_schedule"
  readonly "tax.settings.updated": "tax.settings"
  readonly "tax_rate.created": "tax_rate"
  readonly "tax_rate.updated": "tax_rate"
  readonly "terminal.reader.action_failed": "terminal.reader"
  readonly "terminal.reader.action_succeeded": "terminal.reader"
  readonly "test_helpers.test_clock.advancing": "test_helpers.test_clock"
  readonly "test_helpers.test_clock.created": "test_helpers.test_clock"
  readonly "test_helpers.test_clock.deleted": "test_helpers.test_clock"
  readonly "test_helpers.test_clock.internal_failure": "test_helpers.test_clock"
  readonly "test_helpers.test_clock.ready": "test_helpers.test_clock"
  readonly "topup.canceled": "topup"
  readonly "topup.created": "topup"
  readonly "topup.failed": "topup"
  readonly "topup.reversed": "topup"
  readonly "topup.succeeded": "topup"
  readonly "transfer.created": "transfer"
  readonly "transfer.reversed": "transfer"
  readonly "transfer.updated": "transfer"
  readonly "treasury.credit_reversal.created": "treasury.credit_reversal"
  readonly "treasury.credit_reversal.posted": "treasury.credit_reversal"
  readonly "treasury.debit_reversal.completed": "treasury.debit_reversal"
  readonly "treasury.debit_reversal.created": "treasury.debit_reversal"
  readonly "treasury.debit_reversal.initial_credit_granted": "treasury.debit_reversal"
  readonly "treasury.financial_account.closed": "treasury.financial_account"
  readonly "treasury.financial_account.created": "treasury.financial_account"
  readonly "treasury.financial_account.features_status_updated": "treasury.financial_account"
  readonly "treasury.inbound_transfer.canceled": "treasury.inbound_transfer"
  readonly "treasury.inbound_transfer.created": "treasury.inbound_transfer"
  readonly "treasury.inbound_transfer.failed": "treasury.inbound_transfer"
  readonly "treasury.inbound_transfer.succeeded": "treasury.inbound_transfer"
  readonly "treasury.outbound_payment.canceled": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.created": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.expected_arrival_date_updated": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.failed": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.posted": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.returned": "treasury.outbound_payment"
  readonly "treasury.outbound_payment.tracking_details_updated": "treasury.outbound_payment"
  readonly "treasury.outbound_transfer.canceled": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.created": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.expected_arrival_date_updated": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.failed": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.posted": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.returned": "treasury.outbound_transfer"
  readonly "treasury.outbound_transfer.tracking_details_updated": "treasury.outbound_transfer"
  readonly "treasury.received_credit.created": "treasury.received_credit"
  readonly "treasury.received_credit.failed": "treasury.received_credit"
  readonly "treasury.received_credit.succeeded": "treasury.received_credit"
  readonly "treasury.received_debit.created": "treasury.received_debit"
}

/**
 * Every event type of the pinned API version. Handlers may still meet types
 * Stripe added later: `Event["type"]` stays `string`.
 *
 * @since 0.1.0
 * @category models
 */
export type EventType = keyof EventObjectNames

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
 * The TypeScript type of the Stripe object named `N` (an `object` value),
 * from the resources' object registry; {@link StripeObject} when the registry
 * does not know it.
 *
 * @since 0.1.0
 * @category models
 */
export type ObjectOf<N extends string> = N extends keyof ObjectTypes ? ObjectTypes[N] : StripeObject

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
export type EventObject<T extends string> = T extends EventType ? ObjectOf<EventObjectNames[T]> : StripeObject

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
 * The union of all known events with their objects typed, for narrowing with
 * `switch (event.type)` after {@link decodeObject}.
 *
 * @since 0.1.0
 * @category models
 */
export type TypedEvent = { readonly [K in EventType]: Event<K, EventObject<K>> }[EventType]

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
        Effect.mapError(Registry.decodeUnknown(input), (error) => error.issue),
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
): Effect.Effect<Event<T, EventObject<T>>, WebhookPayloadError> =>
  Effect.map(decodeEventObject(event), (object) => ({ ...event, data: { ...event.data, object } }))

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
): Effect.Effect<EventObject<T>, WebhookPayloadError> => {
  const raw = event.data.object
  const decoded: Effect.Effect<unknown, WebhookPayloadError> = decodedObjects.has(raw)
    ? Effect.succeed(raw)
    : Registry.decodeUnknown(raw).pipe(
      Effect.tap((object) => {
        if (typeof object === "object" && object !== null) decodedObjects.add(object)
      }),
      Effect.mapError((error) =>
        new WebhookPayloadError({ reason: "InvalidObject", detail: describeParseError(error) })
      )
    )
  // Boundary: the registry decodes by the object's own `object` field and
  // returns `unknown`; which TypeScript type that is for an event of type `T`
  // is what `EventObjectNames` records.
  return Effect.map(decoded, (object) => object as EventObject<T>)
}

/**
 * @since 0.1.0
 * @category guards
 */
export const isEventType = <T extends EventType>(event: Event, type: T): event is Event<T> => event.type === type
