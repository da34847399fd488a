/**
 * The account balance (a singleton).
 *
 * @since 0.1.0
 */
export * from "./generated/resources/Balance.js"
