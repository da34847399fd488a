/**
 * Stripe `Billing`: the generated resources (`Meters`, `MeterEvents`,
 * `MeterEventAdjustments`, `Alerts`, `CreditGrants`, ...) and the hand-written
 * high-throughput v2 meter event stream (`MeterEventStream`).
 *
 * @since 0.1.0
 */
export * from "./generated/namespaces/Billing.js"

/**
 * Billing meter event streams (v2, high throughput): a managed session and
 * batched sends on the meter events host.
 *
 * @since 0.1.0
 */
export * as MeterEventStream from "./MeterEventStream.js"
