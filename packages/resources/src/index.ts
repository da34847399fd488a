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
 * The types of Stripe objects keyed by their `object` field, and of the
 * event-type tables. The registry's functions (`ObjectRegistry.decodeUnknown`,
 * ...) are in `@lattice-stripe/resources/ObjectRegistry`, which loads every
 * type module; the root entry loads none.
 *
 * @since 0.1.0
 */
export type * as ObjectRegistry from "./ObjectRegistry.js"

/**
 * Builders of BillingPortal `flow_data` (`BillingPortal.Sessions.create`).
 *
 * @since 0.1.0
 */
export * as PortalFlowBuilder from "./builders/PortalFlow.js"

/**
 * The types of every generated object and params type (`Schemas.Customer`,
 * `Schemas.CustomerCreateParams`). The schemas themselves (values) are in
 * `@lattice-stripe/resources/Schemas`, which loads every type module; the root
 * entry loads none, and each resource module loads its types on its first call.
 *
 * @since 0.1.0
 */
export type * as Schemas from "./Schemas.js"

/**
 * An immutable, pipeable builder of `SubscriptionSchedules.create` params.
 *
 * @since 0.1.0
 */
export * as SubscriptionScheduleBuilder from "./builders/SubscriptionSchedule.js"
