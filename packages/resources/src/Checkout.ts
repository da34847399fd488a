/**
 * Stripe `Checkout` resources.
 *
 * @since 0.1.0
 */

/**
 * Checkout Sessions (+ expire, line items).
 *
 * @since 0.1.0
 */
export * as Sessions from "./generated/resources/CheckoutSessions.js"
