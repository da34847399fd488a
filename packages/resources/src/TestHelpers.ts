/**
 * Stripe `TestHelpers` resources.
 *
 * @since 0.1.0
 */

/**
 * Test clocks (+ advance).
 *
 * @since 0.1.0
 */
export * as TestClocks from "./generated/resources/TestHelpersTestClocks.js"
