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
