/**
 * The Stripe API versions the SDK is generated for: `ApiVersion.API_VERSION`
 * (sent by default) and `ApiVersion.REFERENCE_API_VERSION` (stripe-mock's).
 *
 * @since 0.2.0
 */
export * as ApiVersion from "./generated/apiVersion.js"

/**
 * @since 0.1.0
 */
export * as Expand from "./Expand.js"

/**
 * @since 0.1.0
 */
export * as FormEncoding from "./FormEncoding.js"

/**
 * @since 0.1.0
 */
export * as Pagination from "./Pagination.js"

/**
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.js"

/**
 * @since 0.1.0
 */
export * as StripeClient from "./StripeClient.js"

/**
 * @since 0.1.0
 */
export * as StripeError from "./StripeError.js"

/**
 * @since 0.1.0
 */
export * as StripeHttpClient from "./StripeHttpClient.js"
