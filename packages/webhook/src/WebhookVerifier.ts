/**
 * A webhook endpoint's verifier, as a service: its secrets and tolerance are
 * checked once, its HMAC keys prepared once, and its time read from the
 * `Clock` it was built under. Per request it checks only what the request
 * brings (the body and the `Stripe-Signature` header).
 *
 * Where Node's `crypto` exists, `constructEvent` verifies when it is called
 * and returns a completed `Effect` (an `Exit`): `yield*` resumes at once and
 * `Effect.runSync` takes Effect's fast path, with no fiber per webhook. On
 * runtimes with only Web Crypto it returns an asynchronous `Effect`.
 *
 * @example
 * ```ts
 * import { Config, Effect } from "effect"
 * import { WebhookVerifier } from "@lattice-stripe/webhook"
 *
 * declare const rawBody: string
 * declare const signatureHeader: string | undefined
 *
 * const program = Effect.gen(function*() {
 *   const verifier = yield* WebhookVerifier.WebhookVerifier
 *   const event = yield* verifier.constructEvent(rawBody, signatureHeader)
 *   yield* Effect.log(event.type)
 * }).pipe(
 *   Effect.provide(WebhookVerifier.layerConfig({ secret: Config.redacted("STRIPE_WEBHOOK_SECRET") }))
 * )
 * ```
 *
 * @since 0.2.0
 */
import type * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Construct from "./internal/construct.js"
import * as Signature from "./internal/signature.js"
import type * as Webhook from "./Webhook.js"
import { WebhookPayloadError, WebhookSignatureError } from "./WebhookError.js"
import * as WebhookEvent from "./WebhookEvent.js"

/**
 * @since 0.2.0
 * @category models
 */
export interface Options {
  /** The endpoint's signing secret, or several while rotating. */
  readonly secret: Webhook.Secrets
  /**
   * Maximum distance between a signature's timestamp and `Clock` time, past
   * or future. Default 300 seconds; zero disables the check.
   */
  readonly tolerance?: Duration.DurationInput | undefined
}

/**
 * Per-request options of {@link Service.constructEvent}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ConstructOptions {
  /** As in `Webhook.constructEvent`: decode `data.object` (default `true`), or only check the envelope. */
  readonly decodeObject?: boolean | undefined
}

/**
 * @since 0.2.0
 * @category models
 */
export interface Service {
  /**
   * `Webhook.constructEvent` with this endpoint's secrets, tolerance and
   * clock: the same checks, the same errors, the same event.
   */
  readonly constructEvent: {
    (
      payload: string | Uint8Array,
      header: string | Uint8Array | null | undefined,
      options: ConstructOptions & { readonly decodeObject: false }
    ): Effect.Effect<WebhookEvent.Event, WebhookSignatureError | WebhookPayloadError>
    (
      payload: string | Uint8Array,
      header: string | Uint8Array | null | undefined,
      options?: ConstructOptions & { readonly decodeObject?: true | undefined }
    ): Effect.Effect<
      WebhookEvent.TypedEvent,
      WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
    >
    (
      payload: string | Uint8Array,
      header: string | Uint8Array | null | undefined,
      options?: ConstructOptions
    ): Effect.Effect<
      WebhookEvent.TypedEvent | WebhookEvent.Event,
      WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
    >
  }
  /** `Webhook.verifyHeader` with this endpoint's secrets, tolerance and clock. */
  readonly verifyHeader: (
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined
  ) => Effect.Effect<void, WebhookSignatureError | WebhookPayloadError>
}

/**
 * The verifier of one webhook endpoint.
 *
 * @since 0.2.0
 * @category tags
 */
export class WebhookVerifier extends Context.Tag("@lattice-stripe/webhook/WebhookVerifier")<
  WebhookVerifier,
  Service
>() {}

type Failure = Construct.Failure
type Result = Effect.Effect<
  WebhookEvent.TypedEvent | WebhookEvent.Event,
  WebhookSignatureError | WebhookPayloadError | WebhookEvent.WebhookObjectError
>

// Options read defensively, as `Webhook.constructEvent` reads them: a caller's `any` must not throw.
const field = (options: unknown, name: string): unknown =>
  typeof options === "object" && options !== null ? Reflect.get(options, name) : undefined

/**
 * Builds a verifier under the current `Clock` (a `TestClock` in tests, whose
 * adjustments it then sees). Fails with `WebhookSignatureError` when the
 * secret is empty (`InvalidSecret`) or the tolerance negative, infinite or
 * unparsable (`InvalidTolerance`), before any request.
 *
 * @example
 * ```ts
 * import { Effect, Redacted } from "effect"
 * import { Webhook, WebhookVerifier } from "@lattice-stripe/webhook"
 *
 * const secret = Redacted.make("whsec_test")
 * const body = JSON.stringify({
 *   id: "evt_1", object: "event", type: "customer.created", created: 1, livemode: false,
 *   pending_webhooks: 1, data: { object: { id: "cus_1", object: "customer" } }
 * })
 * const header = Webhook.generateTestSignature(body, secret)
 * const verifier = Effect.runSync(WebhookVerifier.make({ secret }))
 * const event = Effect.runSync(verifier.constructEvent(body, header, { decodeObject: false }))
 * // event.type === "customer.created"
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, WebhookSignatureError> =>
  Effect.flatMap(Effect.clock, (clock) => {
    const secrets = Construct.validateSecrets(field(options, "secret"))
    if (secrets instanceof WebhookSignatureError) return Effect.fail(secrets)
    const seconds = Construct.toleranceSeconds(field(options, "tolerance"))
    if (seconds instanceof WebhookSignatureError) return Effect.fail(seconds)
    return Effect.succeed(makeWith(clock, secrets, seconds))
  })

const makeWith = (clock: Clock.Clock, secrets: ReadonlyArray<Construct.Secret>, seconds: number): Service => {
  const crypto = Signature.nodeCrypto()
  const keys = crypto === null ? [] : Construct.prepareKeys(crypto, secrets)

  // Web Crypto: verify when run, asynchronously, with the time of the call.
  const subtle = <A, E>(
    payload: unknown,
    header: unknown,
    then: (payload: string | Uint8Array) => Effect.Effect<A, E>
  ): Effect.Effect<A, E | Failure> => {
    const now = clock.unsafeCurrentTimeMillis()
    const message = Construct.validateMessage(payload, header)
    if (Construct.isFailure(message)) return Exit.fail(message)
    return Construct.verifiedSubtle({ ...message, secrets, toleranceSeconds: seconds }, now, then)
  }

  function constructEvent(
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined,
    options: ConstructOptions & { readonly decodeObject: false }
  ): Effect.Effect<WebhookEvent.Event, Failure>
  function constructEvent(
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined,
    options?: ConstructOptions & { readonly decodeObject?: true | undefined }
  ): Effect.Effect<WebhookEvent.TypedEvent, Failure | WebhookEvent.WebhookObjectError>
  function constructEvent(
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined,
    options?: ConstructOptions
  ): Result
  function constructEvent(
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined,
    options?: ConstructOptions
  ): Result {
    const decode = field(options, "decodeObject") !== false
    if (crypto === null) {
      return subtle(payload, header, (verified) => Construct.eventResult(Construct.parseEvent(verified), decode))
    }
    const now = clock.unsafeCurrentTimeMillis()
    return Construct.eventResult(Construct.constructPrepared(crypto, payload, header, keys, seconds, now), decode)
  }

  const verifyHeader = (
    payload: string | Uint8Array,
    header: string | Uint8Array | null | undefined
  ): Effect.Effect<void, Failure> => {
    if (crypto === null) return subtle(payload, header, () => Exit.void)
    const now = clock.unsafeCurrentTimeMillis()
    const message = Construct.validateMessage(payload, header)
    if (Construct.isFailure(message)) return Exit.fail(message)
    const failure = Construct.verifyKeys(crypto, message, keys, seconds, now)
    return failure === undefined ? Exit.void : Exit.fail(failure)
  }

  return { constructEvent, verifyHeader }
}

/**
 * A layer of {@link WebhookVerifier} from fixed options.
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { WebhookVerifier } from "@lattice-stripe/webhook"
 *
 * const VerifierLive = WebhookVerifier.layer({ secret: Redacted.make("whsec_...") })
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<WebhookVerifier, WebhookSignatureError> =>
  Layer.effect(WebhookVerifier, make(options))

/**
 * A layer of {@link WebhookVerifier} from `Config`: read the secret with
 * `Config.redacted`, so that it is never a plain string in your program.
 *
 * @example
 * ```ts
 * import { Config } from "effect"
 * import { WebhookVerifier } from "@lattice-stripe/webhook"
 *
 * const VerifierLive = WebhookVerifier.layerConfig({
 *   secret: Config.redacted("STRIPE_WEBHOOK_SECRET"),
 *   tolerance: Config.succeed("5 minutes")
 * })
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerConfig = (
  config: Config.Config.Wrap<Options>
): Layer.Layer<WebhookVerifier, ConfigError.ConfigError | WebhookSignatureError> =>
  Layer.effect(WebhookVerifier, Effect.flatMap(Config.unwrap(config), make))
