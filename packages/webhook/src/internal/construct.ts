/**
 * The synchronous core of `Webhook.constructEvent`, shared with the Node
 * adapter, which verifies without a fiber.
 */
import * as Duration from "effect/Duration"
import * as Redacted from "effect/Redacted"
import { createSecretKey, type KeyObject } from "node:crypto"
import { WebhookPayloadError, WebhookSignatureError } from "../WebhookError.js"
import * as WebhookEvent from "../WebhookEvent.js"
import * as Signature from "./signature.js"

/** @internal */
export type Secret = string | Redacted.Redacted<string>

/** @internal */
export type Secrets = Secret | ReadonlyArray<Secret>

/** @internal */
export const secretValue = (secret: Secret): string => typeof secret === "string" ? secret : Redacted.value(secret)

// HMAC keys prepared once per `Redacted` secret: `createHmac` with a string
// re-encodes the key on every call. Weakly held, so caching never keeps a
// secret alive longer than the caller does.
const keys = new WeakMap<Redacted.Redacted<string>, KeyObject>()

const hmacKey = (secret: Secret): string | KeyObject => {
  if (typeof secret === "string") return secret
  let key = keys.get(secret)
  if (key === undefined) {
    key = createSecretKey(Redacted.value(secret), "utf8")
    keys.set(secret, key)
  }
  return key
}

/** @internal */
export const secretValues = (secrets: Secrets): ReadonlyArray<string | KeyObject> => {
  if (typeof secrets === "string") return [secrets]
  if (Redacted.isRedacted(secrets)) return [hmacKey(secrets)]
  return secrets.map(hmacKey)
}

const DEFAULT_TOLERANCE_SECONDS = 300

/** @internal */
export const toleranceSeconds = (tolerance: Duration.DurationInput | undefined): number =>
  tolerance === undefined ? DEFAULT_TOLERANCE_SECONDS : Duration.toMillis(Duration.decode(tolerance)) / 1000

const toText = (payload: string | Uint8Array): string => {
  if (typeof payload === "string") return payload
  const buffer = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
  return buffer.toString("utf8")
}

/**
 * Parses a verified payload and checks its envelope.
 *
 * @internal
 */
export const parseEvent = (payload: string | Uint8Array): WebhookEvent.Event | WebhookPayloadError => {
  let json: unknown
  try {
    json = JSON.parse(toText(payload))
  } catch {
    return new WebhookPayloadError({ reason: "InvalidJson", detail: "the payload is not valid JSON" })
  }
  if (WebhookEvent.isEvent(json)) return json
  return new WebhookPayloadError({
    reason: "NotAnEvent",
    detail: WebhookEvent.envelopeProblem(json) ?? "not an event"
  })
}

/**
 * The synchronous core of {@link constructEvent}, shared with the Node adapter.
 *
 * @internal
 */
export const constructEventSync = (
  payload: string | Uint8Array,
  header: string | null | undefined,
  secrets: Secrets,
  tolerance: Duration.DurationInput | undefined,
  nowMillis: number
): WebhookEvent.Event | WebhookSignatureError | WebhookPayloadError => {
  const failure = Signature.verify(payload, header, secretValues(secrets), toleranceSeconds(tolerance), nowMillis)
  if (failure !== undefined) return new WebhookSignatureError({ reason: failure })
  return parseEvent(payload)
}

/** @internal */
export const isFailure = (
  u: WebhookEvent.Event | WebhookSignatureError | WebhookPayloadError
): u is WebhookSignatureError | WebhookPayloadError =>
  u instanceof WebhookSignatureError || u instanceof WebhookPayloadError
