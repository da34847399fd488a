/**
 * Typed failures of webhook verification and decoding.
 *
 * Neither error carries the signing secret, the expected signature or the
 * payload: they are safe to log and to serialize.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Why a `Stripe-Signature` header was rejected.
 *
 * - `MissingHeader`: no header, or an empty one.
 * - `InvalidHeader`: no `t=` timestamp, a malformed or repeated one, or no `v1=` entry.
 * - `NoMatchingSignature`: no `v1=` signature matches any of the secrets (wrong secret,
 *   altered payload, re-serialized JSON).
 * - `TimestampOutsideTolerance`: the signature is genuine but older (a replay) or further in the
 *   future than the tolerance.
 * - `InvalidSecret`: no secret, an empty one, or a value that is not a string (nothing can be
 *   verified; a signature made with `""` is never accepted).
 * - `InvalidTolerance`: a negative, `NaN`, infinite or unparsable tolerance (use `0` to turn the
 *   timestamp check off).
 *
 * @since 0.1.0
 * @category models
 */
export const SignatureFailureReason = Schema.Literal(
  "MissingHeader",
  "InvalidHeader",
  "NoMatchingSignature",
  "TimestampOutsideTolerance",
  "InvalidSecret",
  "InvalidTolerance"
)

/**
 * @since 0.1.0
 * @category models
 */
export type SignatureFailureReason = typeof SignatureFailureReason.Type

const signatureMessages: Record<SignatureFailureReason, string> = {
  MissingHeader: "No Stripe-Signature header was provided",
  InvalidHeader: "The Stripe-Signature header has no valid timestamp or no v1 signature",
  NoMatchingSignature:
    "No signature in the Stripe-Signature header matches the payload; pass the raw request body and check the endpoint secret",
  TimestampOutsideTolerance: "The webhook timestamp is outside the tolerance window",
  InvalidSecret: "No usable webhook signing secret was given: it must be a non-empty string (whsec_...)",
  InvalidTolerance: "The webhook tolerance must be a finite, non-negative duration (0 turns the timestamp check off)"
}

/**
 * The webhook's `Stripe-Signature` header did not prove the payload came from
 * Stripe recently. Answer such a request with 400.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Webhook } from "@lattice-stripe/webhook"
 *
 * declare const body: string
 * declare const header: string | undefined
 * Webhook.constructEvent(body, header, "whsec_...").pipe(
 *   Effect.catchTag("WebhookSignatureError", (e) => Effect.logWarning(`rejected webhook: ${e.reason}`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookSignatureError extends Schema.TaggedError<WebhookSignatureError>(
  "@lattice-stripe/webhook/WebhookSignatureError"
)("WebhookSignatureError", {
  reason: SignatureFailureReason
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return signatureMessages[this.reason]
  }
}

/**
 * Why a verified payload could not be used.
 *
 * - `InvalidPayload`: the payload is not the raw body (a string, `Buffer` or `Uint8Array`), e.g. a
 *   body a framework already parsed into an object.
 * - `EmptyPayload`: the payload is empty.
 * - `InvalidJson`: the body is not JSON.
 * - `NotAnEvent`: the JSON is not a Stripe event envelope.
 * - `InvalidObject`: `data.object` does not decode as the resource its `object` field names.
 *
 * @since 0.1.0
 * @category models
 */
export const PayloadFailureReason = Schema.Literal(
  "InvalidPayload",
  "EmptyPayload",
  "InvalidJson",
  "NotAnEvent",
  "InvalidObject"
)

/**
 * @since 0.1.0
 * @category models
 */
export type PayloadFailureReason = typeof PayloadFailureReason.Type

/**
 * A payload that cannot be verified (not the raw body, or empty), or a
 * correctly signed one that is not a Stripe event (not JSON, or missing
 * envelope fields), or whose `data.object` failed to decode. `detail` says
 * which field; it never quotes the payload.
 *
 * @since 0.1.0
 * @category errors
 */
export class WebhookPayloadError extends Schema.TaggedError<WebhookPayloadError>(
  "@lattice-stripe/webhook/WebhookPayloadError"
)("WebhookPayloadError", {
  reason: PayloadFailureReason,
  detail: Schema.String
}) {
  /** @since 0.1.0 */
  override get message(): string {
    return `Invalid webhook payload (${this.reason}): ${this.detail}`
  }
}
