/**
 * Stripe `BillingPortal` resources.
 *
 * @since 0.1.0
 */

/**
 * Customer portal sessions.
 *
 * @since 0.1.0
 */
export * as Sessions from "./generated/resources/BillingPortalSessions.js"

/**
 * Customer portal configurations.
 *
 * @since 0.1.0
 */
export * as Configurations from "./generated/resources/BillingPortalConfigurations.js"
