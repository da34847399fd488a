/**
 * Schemas and types of every generated Stripe object (`Schemas.Customer`,
 * `Schemas.IssuingCard`, ...) and the params type of every operation
 * (`Schemas.CustomerCreateParams`). Importing it loads every type module; a
 * resource module loads only the types its operations reach.
 *
 * @since 0.1.0
 */
export * from "./generated/Schemas.js"
