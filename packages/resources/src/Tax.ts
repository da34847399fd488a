/**
 * Stripe `Tax` resources.
 *
 * @since 0.1.0
 */

/**
 * Tax calculations (+ line items).
 *
 * @since 0.1.0
 */
export * as Calculations from "./generated/resources/TaxCalculations.js"

/**
 * Tax transactions (+ create from calculation, reversal, line items).
 *
 * @since 0.1.0
 */
export * as Transactions from "./generated/resources/TaxTransactions.js"
