/**
 * Customers: create, retrieve, update, delete, list, search, balance transactions, tax ids, sources, cash balance.
 *
 * @example
 * ```ts
 * import { Customers } from "@lattice-stripe/resources"
 *
 * const customer = Customers.create({ email: "jenny@example.com" })
 * ```
 *
 * @since 0.1.0
 */
export * from "./generated/resources/Customers.js"
