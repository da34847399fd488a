/**
 * Verifying Stripe webhooks and dispatching their events.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhook } from "@lattice-stripe/webhook"
 *
 * declare const rawBody: string // the request body exactly as received
 * declare const signatureHeader: string | undefined // the `Stripe-Signature` header
 *
 * const program = Webhook.constructEvent(rawBody, signatureHeader, Redacted.make("whsec_...")).pipe(
 *   Effect.flatMap(
 *     Webhook.dispatch({
 *       "payment_intent.succeeded": (intent) => Effect.log(`paid: ${intent.id}`),
 *       "customer.subscription.deleted": (subscription) => Effect.log(`cancelled: ${subscription.id}`)
 *     })
 *   )
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Redacted from "effect/Redacted"
import * as Construct from "./internal/construct.js"
import * as Signature from "./internal/signature.js"
import { WebhookPayloadError, WebhookSignatureError } from "./WebhookError.js"
import * as WebhookEvent from "./WebhookEvent.js"

/**
 * A webhook endpoint's signing secret (`whsec_...`).
 *
 * @since 0.1.0
 * @category models
 */
export type Secret = string | Redacted.Redacted<string>

/**
 * One secret, or several while rotating: a signature made with any of them is accepted.
 *
 * @since 0.1.0
 * @category models
 */
export type Secrets = Secret | ReadonlyArray<Secret>

/**
 * How far a signature's timestamp may be from now, in either direction, by default: 300 seconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_TOLERANCE: Duration.Duration = Duration.seconds(300)

/**
 * @since 0.1.0
 * @category models
 */
export interface VerifyOptions {
  /**
   * Maximum distance between the signature's timestamp and `Clock` time, past
   * (replays) or future (skewed senders). Default 300 seconds; zero disables
   * the check.
   */
  readonly tolerance?: Duration.DurationInput | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ConstructEventOptions extends VerifyOptions {
  /**
   * Decode `data.object` into its resource type through the object registry
   * (default `true`), so that the event is a `WebhookEvent.TypedEvent` whose
   * `data.object` narrows on `event.type`; an object that does not decode
   * fails with `WebhookEvent.WebhookObjectError` (carrying the event's
   * `api_version`). `false`: only the envelope is checked and `data.object` is
   * the parsed JSON, typed `StripeObject` (synchronous, no registry load).
   */
  readonly decodeObject?: boolean | undefined
}

/**
 * Verifies a webhook and returns its event, with `data.object` decoded and
 * typed by the event type (see {@link ConstructEventOptions}). Pure: no HTTP,
 * time from `Clock`.
 *
 * - `payload`: the raw request body, as received: a string, `Buffer` or
 *   `Uint8Array` (a re-serialized JSON body never verifies; a parsed body, an
 *   empty one or any other value fails with `WebhookPayloadError`).
 * - `header`: the `Stripe-Signature` header, as a string or bytes.
 * - `secret`: the endpoint's signing secret, or several while rotating; an
 *   empty secret fails with `WebhookSignatureError` (`InvalidSecret`).
 *
 * It never throws, whatever it is given. Synchronous (one `runSync` is
 * enough) where Node's `crypto` exists; on runtimes with only Web Crypto
 * (Workers, Deno, browsers) it verifies with `crypto.subtle`, asynchronously.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhook } from "@lattice-stripe/webhook"
 *
 * const secret = Redacted.make("whsec_test")
 * const body = JSON.stringify({
 *   id: "evt_1", object: "event", type: "customer.created", created: 1, livemode: false,
 *   pending_webhooks: 1, data: { object: { id: "cus_1", object: "customer" } }
 * })
 * const header = Webhook.generateTestSignature(body, secret)
 * const event = Effect.runSync(Webhook.constructEvent(body, header, secret, { decodeObject: false }))
 * // event.type === "customer.created"
 * ```
 *
 * @since 0.1.0
 * @category verification
 */
export function constructEvent(
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options: ConstructEventOptions & { readonly decodeObject: false }
): Effect.Effect<WebhookEvent.Event, WebhookSignatureError | WebhookPayloadError>
export function constructEvent(
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options?: ConstructEventOptions & { readonly decodeObject?: true | undefined }
): Effect.Effect<
  WebhookEvent.TypedEvent,
  WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
>
export function constructEvent(
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options?: ConstructEventOptions
): Effect.Effect<
  WebhookEvent.TypedEvent | WebhookEvent.Event,
  WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
>
export function constructEvent(
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options?: ConstructEventOptions
): Effect.Effect<
  WebhookEvent.TypedEvent | WebhookEvent.Event,
  WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
> {
  // One synchronous step under one Clock read: the verification itself does
  // not need fibers, and this keeps the per-webhook overhead to a few objects.
  type Result = Effect.Effect<
    WebhookEvent.TypedEvent | WebhookEvent.Event,
    WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
  >
  return Effect.clockWith((clock): Result => {
    const tolerance = optionsField(options, "tolerance")
    const decode = optionsField(options, "decodeObject") !== false
    const crypto = Signature.nodeCrypto()
    const now = clock.unsafeCurrentTimeMillis()
    if (crypto !== null) {
      return Construct.eventResult(
        Construct.constructEventSync(crypto, payload, header, secret, tolerance, now),
        decode
      )
    }
    const inputs = Construct.validate(payload, header, secret, tolerance)
    if (Construct.isFailure(inputs)) return Effect.fail(inputs)
    return Construct.verifiedSubtle(
      inputs,
      now,
      (verified) => Construct.eventResult(Construct.parseEvent(verified), decode)
    )
  })
}

// Options read defensively: a caller's `any` must not make verification throw.
const optionsField = (options: unknown, name: string): unknown =>
  typeof options === "object" && options !== null ? Reflect.get(options, name) : undefined

/**
 * Checks only the signature and timestamp, without parsing the payload.
 * Accepts and rejects inputs as {@link constructEvent} does.
 *
 * @since 0.1.0
 * @category verification
 */
export const verifyHeader = (
  payload: string | Uint8Array,
  header: string | Uint8Array | null | undefined,
  secret: Secrets,
  options?: VerifyOptions
): Effect.Effect<void, WebhookSignatureError | WebhookPayloadError> =>
  Construct.verified(payload, header, secret, optionsField(options, "tolerance"), () => Effect.void)

/**
 * @since 0.1.0
 * @category models
 */
export interface TestSignatureOptions {
  /** Unix seconds or a `Date`. Default: now. */
  readonly timestamp?: number | Date | undefined
}

/**
 * The `Stripe-Signature` header Stripe would send for `payload`:
 * `t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">`. For tests and
 * emulators. Synchronous, so it needs Node's `crypto`; use
 * {@link testSignature} where only Web Crypto exists.
 *
 * @example
 * ```ts
 * import { Webhook } from "@lattice-stripe/webhook"
 *
 * const header = Webhook.generateTestSignature("{}", "whsec_test", { timestamp: 1_700_000_000 })
 * // "t=1700000000,v1=..."
 * ```
 *
 * @since 0.1.0
 * @category testing
 */
export const generateTestSignature = (
  payload: string | Uint8Array,
  secret: Secret,
  options?: TestSignatureOptions
): string => {
  const timestamp = options?.timestamp
  const seconds = timestamp === undefined
    ? Date.now() / 1000
    : typeof timestamp === "number"
    ? timestamp
    : timestamp.getTime() / 1000
  const crypto = Signature.nodeCrypto()
  if (crypto === null) {
    throw new Error("Webhook.generateTestSignature needs Node's crypto; use Webhook.testSignature (an Effect)")
  }
  const t = String(Math.floor(seconds))
  return `t=${t},v1=${Signature.computeSignature(crypto, t, payload, Construct.secretValue(secret))}`
}

/**
 * {@link generateTestSignature} with the timestamp read from `Clock`, so it
 * follows `TestClock`; with Web Crypto where Node's is absent.
 *
 * @since 0.1.0
 * @category testing
 */
export const testSignature = (payload: string | Uint8Array, secret: Secret): Effect.Effect<string> =>
  Effect.flatMap(Clock.currentTimeMillis, (millis) => {
    const signed = Signature.sign(payload, Construct.secretValue(secret), millis / 1000)
    return typeof signed === "string" ? Effect.succeed(signed) : Effect.promise(() => signed)
  })

/**
 * A map from event type to the handler of that type's object.
 *
 * @since 0.1.0
 * @category models
 */
export type Handlers = {
  readonly [K in WebhookEvent.EventType]?: (
    object: WebhookEvent.EventObject<K>,
    event: WebhookEvent.Event<K, WebhookEvent.EventObject<K>>
  ) => Effect.Effect<unknown, unknown, unknown>
}

type HandlerOf<H> = Exclude<H[keyof H], undefined>

type SuccessOf<F> = F extends (...args: infer _Args) => Effect.Effect<infer A, infer _E, infer _R> ? A : never
type ErrorOf<F> = F extends (...args: infer _Args) => Effect.Effect<infer _A, infer E, infer _R> ? E : never
type ContextOf<F> = F extends (...args: infer _Args) => Effect.Effect<infer _A, infer _E, infer R> ? R : never

/**
 * What the handlers of `H` succeed with.
 *
 * @since 0.1.0
 * @category models
 */
export type HandlerSuccess<H> = SuccessOf<HandlerOf<H>>

/**
 * How the handlers of `H` can fail.
 *
 * @since 0.1.0
 * @category models
 */
export type HandlerError<H> = ErrorOf<HandlerOf<H>>

/**
 * What the handlers of `H` require.
 *
 * @since 0.1.0
 * @category models
 */
export type HandlerContext<H> = ContextOf<HandlerOf<H>>

// What the runtime sees of a handler: its argument types are erased.
type ErasedHandler = (object: never, event: never) => Effect.Effect<unknown, unknown, unknown>

const findHandler = (handlers: Handlers, type: string): ErasedHandler | undefined => {
  // Own properties only: an event type such as "constructor" must not reach
  // Object.prototype.
  if (!Object.hasOwn(handlers, type)) return undefined
  const handler: unknown = Reflect.get(handlers, type)
  return typeof handler === "function" ? (handler as ErasedHandler) : undefined
}

/**
 * Runs the handler registered for the event's type with its object decoded
 * into the resource type (a `PaymentIntent` for `payment_intent.succeeded`),
 * or `orElse` for types without a handler (default: do nothing, so unhandled
 * events are still acknowledged).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Webhook, WebhookEvent } from "@lattice-stripe/webhook"
 *
 * declare const event: WebhookEvent.Event
 * const handled = Webhook.dispatch(
 *   event,
 *   {
 *     "payment_intent.succeeded": (intent) => Effect.log(`fulfil ${intent.id}`),
 *     "invoice.payment_failed": (invoice) => Effect.log(`dunning for ${invoice.id}`)
 *   },
 *   (other) => Effect.log(`unhandled ${other.type}`)
 * )
 * ```
 *
 * @since 0.1.0
 * @category dispatch
 */
export const dispatch: {
  <H extends Handlers, B = void, E2 = never, R2 = never>(
    handlers: H,
    orElse?: (event: WebhookEvent.Event) => Effect.Effect<B, E2, R2>
  ): (
    event: WebhookEvent.Event
  ) => Effect.Effect<
    HandlerSuccess<H> | B,
    HandlerError<H> | E2 | WebhookEvent.WebhookObjectError,
    HandlerContext<H> | R2
  >
  <H extends Handlers, B = void, E2 = never, R2 = never>(
    event: WebhookEvent.Event,
    handlers: H,
    orElse?: (event: WebhookEvent.Event) => Effect.Effect<B, E2, R2>
  ): Effect.Effect<
    HandlerSuccess<H> | B,
    HandlerError<H> | E2 | WebhookEvent.WebhookObjectError,
    HandlerContext<H> | R2
  >
} = dual(
  (args) => WebhookEvent.isEvent(args[0]),
  <H extends Handlers, B, E2, R2>(
    event: WebhookEvent.Event,
    handlers: H,
    orElse?: (event: WebhookEvent.Event) => Effect.Effect<B, E2, R2>
  ): Effect.Effect<
    HandlerSuccess<H> | B,
    HandlerError<H> | E2 | WebhookEvent.WebhookObjectError,
    HandlerContext<H> | R2
  > => {
    const handler = findHandler(handlers, event.type)
    if (handler === undefined) {
      // Without `orElse`, `B` is its default `void`, which is what `Effect.void` yields.
      return orElse === undefined ? Effect.void as Effect.Effect<B> : orElse(event)
    }
    return Effect.flatMap(WebhookEvent.decodeObject(event), (decoded) =>
      // Boundary: the handler was registered for `event.type` and the object
      // was decoded for that type; the map type erased the pairing.
      handler(decoded.data.object as never, decoded as never) as Effect.Effect<
        HandlerSuccess<H>,
        HandlerError<H>,
        HandlerContext<H>
      >)
  }
)
