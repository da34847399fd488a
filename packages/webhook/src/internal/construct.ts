/**
 * The core of `Webhook.constructEvent`, shared with the Node adapter: input
 * validation, verification and parsing, as plain functions that never
 * throw, whatever they are given (an Express `req.body` is `any`).
 */
import * as Redaction from "@lattice-stripe/core/Redaction"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { WebhookPayloadError, WebhookSignatureError } from "../WebhookError.js"
import * as WebhookEvent from "../WebhookEvent.js"
import * as Signature from "./signature.js"

/** @internal */
export type Secret = string | Redacted.Redacted<string>

/** @internal */
export type Secrets = Secret | ReadonlyArray<Secret>

/** What a webhook header may be given as. @internal */
export type HeaderInput = string | Uint8Array | null | undefined

const decoder = new TextDecoder()

/** @internal */
export const secretValue = (secret: Secret): string => typeof secret === "string" ? secret : Redacted.value(secret)

// HMAC keys prepared once per secret (`createHmac` with a string re-encodes
// the key on every call; a prepared pad key saves the Hmac object too).
// `Redacted` secrets are weakly held, so caching never keeps one alive longer
// than the caller does; plain strings go to a small map (an endpoint has one
// or two secrets), as the Web Crypto keys do.
const keys = new WeakMap<Redacted.Redacted<string>, Signature.HmacKey>()
const stringKeys = new Map<string, Signature.HmacKey>()

const hmacKey = (crypto: Signature.NodeCrypto, secret: Secret): Signature.HmacKey => {
  if (typeof secret === "string") {
    let key = stringKeys.get(secret)
    if (key === undefined) {
      key = Signature.prepareKey(crypto, secret)
      if (stringKeys.size >= 16) stringKeys.clear()
      stringKeys.set(secret, key)
    }
    return key
  }
  let key = keys.get(secret)
  if (key === undefined) {
    key = Signature.prepareKey(crypto, Redacted.value(secret))
    keys.set(secret, key)
  }
  return key
}

const DEFAULT_TOLERANCE_SECONDS = 300

const isBytes = (u: unknown): u is Uint8Array =>
  u instanceof Uint8Array || (ArrayBuffer.isView(u) && Object.prototype.toString.call(u) === "[object Uint8Array]")

/** The inputs of a verification after validation. @internal */
export interface Inputs {
  readonly payload: string | Uint8Array
  readonly header: string | undefined
  readonly secrets: ReadonlyArray<Secret>
  readonly toleranceSeconds: number
}

const invalidSecret = new WebhookSignatureError({ reason: "InvalidSecret" })

const isSecret = (u: unknown): u is Secret => {
  const value: unknown = Redacted.isRedacted(u) ? Redacted.value(u) : u
  return typeof value === "string" && value.trim() !== ""
}

/** Validates the secrets: non-empty strings or `Redacted` strings, at least one. @internal */
export const validateSecrets = (secrets: unknown): ReadonlyArray<Secret> | WebhookSignatureError => {
  if (isSecret(secrets)) return [secrets]
  if (!Array.isArray(secrets) || secrets.length === 0) return invalidSecret
  const out: Array<Secret> = []
  for (const secret of secrets) {
    if (!isSecret(secret)) return invalidSecret
    out.push(secret)
  }
  return out
}

/**
 * The tolerance in seconds: a finite, non-negative duration (`0` disables
 * the timestamp check, as in stripe-node). Negative, `NaN`, infinite or
 * unparsable values are refused rather than read as "no check".
 *
 * @internal
 */
export const toleranceSeconds = (tolerance: unknown): number | WebhookSignatureError => {
  if (tolerance === undefined) return DEFAULT_TOLERANCE_SECONDS
  if (typeof tolerance === "number") {
    return Number.isFinite(tolerance) && tolerance >= 0 ?
      tolerance / 1000 :
      new WebhookSignatureError({ reason: "InvalidTolerance" })
  }
  if (typeof tolerance === "bigint") {
    return tolerance >= 0n ? Number(tolerance) / 1e9 : new WebhookSignatureError({ reason: "InvalidTolerance" })
  }
  // Effect reads a negative duration ("-1 seconds", [-1, 0]) as zero, which here would mean "no check".
  if (typeof tolerance === "string" && /^\s*-/.test(tolerance)) {
    return new WebhookSignatureError({ reason: "InvalidTolerance" })
  }
  if (Array.isArray(tolerance) && !tolerance.every((part) => typeof part === "number" && part >= 0)) {
    return new WebhookSignatureError({ reason: "InvalidTolerance" })
  }
  const decoded = Duration.decodeUnknown(tolerance)
  if (Option.isNone(decoded) || !Duration.isFinite(decoded.value)) {
    return new WebhookSignatureError({ reason: "InvalidTolerance" })
  }
  return Duration.toMillis(decoded.value) / 1000
}

/**
 * Checks every input before anything is verified: the payload must be the
 * raw body (a string, `Buffer` or `Uint8Array`) and not empty; the header a
 * string, bytes or absent; the secrets and tolerance valid.
 *
 * @internal
 */
export const validate = (
  payload: unknown,
  header: unknown,
  secrets: unknown,
  tolerance: unknown
): Inputs | WebhookSignatureError | WebhookPayloadError => {
  const message = validateMessage(payload, header)
  if (isFailure(message)) return message
  const validSecrets = validateSecrets(secrets)
  if (validSecrets instanceof WebhookSignatureError) return validSecrets
  const seconds = toleranceSeconds(tolerance)
  if (seconds instanceof WebhookSignatureError) return seconds
  return { payload: message.payload, header: message.header, secrets: validSecrets, toleranceSeconds: seconds }
}

/** A payload and header after validation. @internal */
export interface Message {
  readonly payload: string | Uint8Array
  readonly header: string | undefined
}

/**
 * Checks the per-request inputs: the payload must be the raw body (a string,
 * `Buffer` or `Uint8Array`) and not empty; the header a string, bytes or
 * absent.
 *
 * @internal
 */
export const validateMessage = (
  payload: unknown,
  header: unknown
): Message | WebhookSignatureError | WebhookPayloadError => {
  if (typeof payload !== "string" && !isBytes(payload)) {
    return new WebhookPayloadError({
      reason: "InvalidPayload",
      detail: `the payload must be the raw request body as a string, Buffer or Uint8Array, not ${describe(payload)}` +
        " (was the body parsed before verification?)"
    })
  }
  if (payload.length === 0) {
    return new WebhookPayloadError({ reason: "EmptyPayload", detail: "the payload is empty" })
  }
  let text: string | undefined
  if (header === undefined || header === null) text = undefined
  else if (typeof header === "string") text = header
  else if (isBytes(header)) text = decoder.decode(header)
  else return new WebhookSignatureError({ reason: "InvalidHeader" })
  return { payload, header: text }
}

const describe = (u: unknown): string =>
  u === null ? "null" : Array.isArray(u) ? "an array" : u instanceof Date ? "a Date" : `a value of type ${typeof u}`

const toText = (payload: string | Uint8Array): string => typeof payload === "string" ? payload : decoder.decode(payload)

/**
 * Parses a verified payload and checks its envelope. Secret fields of the
 * event's data (a PaymentIntent's `client_secret`, a portal session's
 * `url`) become `Redacted` values, by the SDK's redaction rule.
 *
 * @internal
 */
export const parseEvent = (payload: string | Uint8Array): WebhookEvent.Event | WebhookPayloadError => {
  const text = toText(payload)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return new WebhookPayloadError({ reason: "InvalidJson", detail: "the payload is not valid JSON" })
  }
  if (!WebhookEvent.isEvent(json)) {
    return new WebhookPayloadError({
      reason: "NotAnEvent",
      detail: WebhookEvent.envelopeProblem(json) ?? "not an event"
    })
  }
  // A walk over the parsed data costs less than one scan of the text for secret names (measured on a
  // 2 KB event: about 1.3 µs against 0.7 µs per name looked for).
  Redaction.wrapSecrets(json.data)
  return json
}

const unexpected = (error: unknown) =>
  new WebhookPayloadError({
    reason: "InvalidPayload",
    detail: `the payload could not be verified: ${Redaction.redactText(String(error)).slice(0, 200)}`
  })

/** @internal */
export type Failure = WebhookSignatureError | WebhookPayloadError

/**
 * The synchronous core of `constructEvent` (Node's crypto), shared with the
 * Node adapter. Never throws.
 *
 * @internal
 */
export const constructEventSync = (
  crypto: Signature.NodeCrypto,
  payload: unknown,
  header: unknown,
  secrets: unknown,
  tolerance: unknown,
  nowMillis: number
): WebhookEvent.Event | Failure => {
  try {
    const inputs = validate(payload, header, secrets, tolerance)
    if (isFailure(inputs)) return inputs
    return eventOf(crypto, inputs, prepareKeys(crypto, inputs.secrets), inputs.toleranceSeconds, nowMillis)
  } catch (error) {
    return unexpected(error)
  }
}

/** The HMAC keys of validated secrets, prepared for Node's crypto. @internal */
export const prepareKeys = (
  crypto: Signature.NodeCrypto,
  secrets: ReadonlyArray<Secret>
): ReadonlyArray<Signature.HmacKey> => secrets.map((secret) => hmacKey(crypto, secret))

/**
 * {@link constructEventSync} with the secrets and tolerance validated and the
 * keys prepared beforehand (a `WebhookVerifier`): only the request's own
 * inputs are checked per call. Never throws.
 *
 * @internal
 */
export const constructPrepared = (
  crypto: Signature.NodeCrypto,
  payload: unknown,
  header: unknown,
  keys: ReadonlyArray<Signature.HmacKey>,
  toleranceSeconds: number,
  nowMillis: number
): WebhookEvent.Event | Failure => {
  try {
    const message = validateMessage(payload, header)
    if (isFailure(message)) return message
    return eventOf(crypto, message, keys, toleranceSeconds, nowMillis)
  } catch (error) {
    return unexpected(error)
  }
}

const eventOf = (
  crypto: Signature.NodeCrypto,
  message: Message,
  keys: ReadonlyArray<Signature.HmacKey>,
  toleranceSeconds: number,
  nowMillis: number
): WebhookEvent.Event | Failure =>
  verifyKeys(crypto, message, keys, toleranceSeconds, nowMillis) ?? parseEvent(message.payload)

/**
 * Verifies a validated message against prepared keys with Node's crypto.
 * `undefined` when genuine and fresh. Never throws.
 *
 * @internal
 */
export const verifyKeys = (
  crypto: Signature.NodeCrypto,
  message: Message,
  keys: ReadonlyArray<Signature.HmacKey>,
  toleranceSeconds: number,
  nowMillis: number
): Failure | undefined => {
  try {
    const failure = Signature.verify(crypto, message.payload, message.header, keys, toleranceSeconds, nowMillis)
    return failure === undefined ? undefined : new WebhookSignatureError({ reason: failure })
  } catch (error) {
    return unexpected(error)
  }
}

const verifyInputsSubtle = async (inputs: Inputs, nowMillis: number): Promise<WebhookSignatureError | undefined> => {
  const failure = await Signature.verifySubtle(
    inputs.payload,
    inputs.header,
    inputs.secrets.map(secretValue),
    inputs.toleranceSeconds,
    nowMillis
  )
  return failure === undefined ? undefined : new WebhookSignatureError({ reason: failure })
}

/**
 * Verifies validated inputs with Web Crypto (asynchronously), then continues
 * with the verified payload. A crypto error is a typed failure.
 *
 * @internal
 */
export const verifiedSubtle = <A, E>(
  inputs: Inputs,
  nowMillis: number,
  then: (payload: string | Uint8Array) => Effect.Effect<A, E>
): Effect.Effect<A, E | Failure> =>
  Effect.flatMap(
    Effect.tryPromise({ try: () => verifyInputsSubtle(inputs, nowMillis), catch: unexpected }),
    (failure): Effect.Effect<A, E | Failure> => failure === undefined ? then(inputs.payload) : Effect.fail(failure)
  )

/**
 * What `constructEvent` answers for a parsed event or a failure: the event,
 * its `data.object` decoded when `decode` is set.
 *
 * @internal
 */
export const eventResult = (
  event: WebhookEvent.Event | Failure,
  decode: boolean
): Effect.Effect<WebhookEvent.TypedEvent | WebhookEvent.Event, Failure | WebhookEvent.WebhookObjectError> =>
  // Completed values (`Exit`) where nothing is left to run: `runSync` takes Effect's fast path on them.
  isFailure(event) ? Exit.fail(event) : decode ? WebhookEvent.decodeTyped(event) : Exit.succeed(event)

/**
 * Validates and verifies under the fiber's `Clock`, then continues with the
 * verified payload: synchronously with Node's `crypto`, through Web Crypto
 * where only it exists. Never throws: a crypto error is a typed failure.
 *
 * @internal
 */
export const verified = <A, E>(
  payload: unknown,
  header: unknown,
  secrets: unknown,
  tolerance: unknown,
  then: (payload: string | Uint8Array) => Effect.Effect<A, E>
): Effect.Effect<A, E | Failure> =>
  Effect.clockWith((clock): Effect.Effect<A, E | Failure> => {
    const inputs = validate(payload, header, secrets, tolerance)
    if (isFailure(inputs)) return Effect.fail(inputs)
    const now = clock.unsafeCurrentTimeMillis()
    const crypto = Signature.nodeCrypto()
    if (crypto === null) return verifiedSubtle(inputs, now, then)
    let failure: Failure | undefined
    try {
      failure = verifyKeys(crypto, inputs, prepareKeys(crypto, inputs.secrets), inputs.toleranceSeconds, now)
    } catch (error) {
      failure = unexpected(error)
    }
    return failure === undefined ? then(inputs.payload) : Effect.fail(failure)
  })

/** @internal */
export const isFailure = <A>(
  u: A | WebhookSignatureError | WebhookPayloadError
): u is WebhookSignatureError | WebhookPayloadError =>
  u instanceof WebhookSignatureError || u instanceof WebhookPayloadError

/** @internal */
export { unexpected }
