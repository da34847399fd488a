/**
 * Every Stripe resource of the pinned API version as a namespace of
 * `Effect`-returning functions (`Customers.create`, `Issuing.Cards.list`,
 * `V2.Core.Events.retrieve`), the schemas, the object registry and the
 * hand-written builders.
 *
 * @since 0.1.0
 */
export * from "./generated/index.js"

/**
 * Stripe `Billing`, with the v2 meter event stream (`Billing.MeterEventStream`).
 *
 * @since 0.1.0
 */
export * as Billing from "./Billing.js"

/**
 * Stripe objects keyed by their `object` field, and the event-type tables.
 *
 * @since 0.1.0
 */
export * as ObjectRegistry from "./ObjectRegistry.js"

/**
 * Builders of BillingPortal `flow_data` (`BillingPortal.Sessions.create`).
 *
 * @since 0.1.0
 */
export * as PortalFlowBuilder from "./builders/PortalFlow.js"

/**
 * Schemas and types of every generated object and params type.
 *
 * @since 0.1.0
 */
export * as Schemas from "./Schemas.js"

/**
 * An immutable, pipeable builder of `SubscriptionSchedules.create` params.
 *
 * @since 0.1.0
 */
export * as SubscriptionScheduleBuilder from "./builders/SubscriptionSchedule.js"
