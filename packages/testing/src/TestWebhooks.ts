/**
 * Helpers to build webhook requests in tests: events shaped like Stripe's and
 * `Stripe-Signature` headers computed like Stripe computes them.
 *
 * @example
 * ```ts
 * import { TestWebhooks } from "@lattice-stripe/testing"
 *
 * const event = TestWebhooks.makeEvent("payment_intent.succeeded", { id: "pi_123", object: "payment_intent" })
 * const { payload, header } = TestWebhooks.signedPayload(event, "whsec_test")
 * // POST payload with `Stripe-Signature: header` to your handler
 * ```
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import { signatureHeader } from "./internal/signature.js"
import { defaultTable } from "./internal/spec.js"

/**
 * An event object as Stripe sends it.
 *
 * @since 0.1.0
 * @category models
 */
export interface TestEvent {
  readonly id: string
  readonly object: "event"
  readonly api_version: string
  readonly created: number
  readonly data: { readonly object: unknown; readonly previous_attributes?: unknown }
  readonly livemode: false
  readonly pending_webhooks: number
  readonly request: { readonly id: string | null; readonly idempotency_key: string | null }
  readonly type: string
}

/**
 * Builds an event wrapping `object`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeEvent = (
  type: string,
  object: unknown,
  options?: {
    readonly id?: string | undefined
    readonly created?: number | undefined
    readonly previousAttributes?: unknown
  }
): TestEvent => ({
  id: options?.id ?? `evt_${Crypto.randomBytes(12).toString("hex")}`,
  object: "event",
  api_version: defaultTable.apiVersion,
  created: options?.created ?? Math.floor(Date.now() / 1000),
  data: options?.previousAttributes === undefined
    ? { object }
    : { object, previous_attributes: options.previousAttributes },
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  type
})

/**
 * Serializes an event (a string is used as is) and signs it:
 * `Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 hex>`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const signedPayload = (
  event: unknown,
  secret: string | Redacted.Redacted<string>,
  options?: { readonly timestamp?: number | undefined }
): { readonly payload: string; readonly header: string } => {
  const payload = typeof event === "string" ? event : JSON.stringify(event)
  const timestamp = options?.timestamp ?? Math.floor(Date.now() / 1000)
  const key = typeof secret === "string" ? secret : Redacted.value(secret)
  return { payload, header: signatureHeader(payload, key, timestamp) }
}
