/**
 * Stripe TaxRates: every operation of the resource, generated from the spec.
 *
 * @since 0.1.0
 */
export * from "./generated/resources/TaxRates.js"
