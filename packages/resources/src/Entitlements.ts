/**
 * Stripe `Entitlements` resources.
 *
 * @since 0.1.0
 */

/**
 * Entitlement features.
 *
 * @since 0.1.0
 */
export * as Features from "./generated/resources/EntitlementsFeatures.js"

/**
 * Active entitlements of a customer.
 *
 * @since 0.1.0
 */
export * as ActiveEntitlements from "./generated/resources/EntitlementsActiveEntitlements.js"
