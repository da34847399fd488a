/**
 * Schemas and types of every generated Stripe object (`Schemas.Customer`,
 * `Schemas.PaymentIntent`, ...) and the params type of every operation.
 *
 * @since 0.1.0
 */
export * from "./generated/params.js"
export * from "./generated/schemas.js"
