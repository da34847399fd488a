/**
 * Thin events (v2 event destinations): parse, then fetch the event or its object.
 *
 * @since 0.2.0
 */
export * as EventNotification from "./EventNotification.js"
/**
 * @since 0.1.0
 */
export * as Webhook from "./Webhook.js"
/**
 * @since 0.1.0
 */
export * as WebhookError from "./WebhookError.js"
/**
 * @since 0.1.0
 */
export * as WebhookEvent from "./WebhookEvent.js"
/**
 * @since 0.1.0
 */
export * as WebhookFetch from "./WebhookFetch.js"
/**
 * @since 0.1.0
 */
export * as WebhookHttp from "./WebhookHttp.js"
/**
 * An endpoint's verifier as a service: secrets checked and keys prepared once, no fiber per webhook on Node.
 *
 * @since 0.2.0
 */
export * as WebhookVerifier from "./WebhookVerifier.js"
