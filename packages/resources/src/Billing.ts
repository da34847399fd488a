/**
 * Stripe `Billing` resources.
 *
 * @since 0.1.0
 */

/**
 * Billing meters (+ deactivate, reactivate, event summaries).
 *
 * @since 0.1.0
 */
export * as Meters from "./generated/resources/BillingMeters.js"

/**
 * Billing meter events (v1). `create` checks `event_name` and `payload` locally.
 *
 * @since 0.1.0
 */
export * as MeterEvents from "./generated/resources/BillingMeterEvents.js"

/**
 * Billing meter event adjustments.
 *
 * @since 0.1.0
 */
export * as MeterEventAdjustments from "./generated/resources/BillingMeterEventAdjustments.js"

/**
 * Billing meter event streams (v2, high throughput).
 *
 * @since 0.1.0
 */
export * as MeterEventStream from "./MeterEventStream.js"
