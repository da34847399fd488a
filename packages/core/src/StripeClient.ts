/**
 * The Stripe client service, its layers, and the request pipeline every
 * Stripe call goes through.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Effect, Layer, Redacted, Schema } from "effect"
 *
 * const StripeLive = StripeClient.layer({ apiKey: Redacted.make("sk_test_123") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 *
 * // The escape hatch for endpoints the SDK does not model:
 * const balance = StripeClient.request({
 *   method: "GET",
 *   path: "/v1/balance",
 *   schema: Schema.Struct({ object: Schema.Literal("balance") })
 * })
 *
 * Effect.runPromise(Effect.provide(balance, StripeLive))
 * ```
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as EffectConfig from "effect/Config"
import * as ConfigErrorModule from "effect/ConfigError"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import * as internalConfig from "./internal/config.js"
import * as internalContext from "./internal/context.js"
import * as pipeline from "./internal/pipeline.js"
import { Transport } from "./internal/transport.js"
import type { StripeError } from "./StripeError.js"
import { StripeConfigError } from "./StripeError.js"

/**
 * Identifies the application in `User-Agent` and `X-Stripe-Client-User-Agent`.
 *
 * @since 0.1.0
 * @category models
 */
export interface AppInfo {
  readonly name: string
  readonly version?: string | undefined
  readonly url?: string | undefined
}

/**
 * Options of {@link layer} and {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly apiKey: Redacted.Redacted<string>
  /** Default `https://api.stripe.com`. */
  readonly baseUrl?: string | undefined
  /** Default `https://files.stripe.com`. */
  readonly filesBaseUrl?: string | undefined
  /** Default `https://meter-events.stripe.com`. */
  readonly meterEventsBaseUrl?: string | undefined
  /**
   * Connect OAuth (`OAuth.token`, `OAuth.deauthorize`). Default
   * `https://connect.stripe.com`; like the files and meter-events hosts it
   * follows a `baseUrl` off Stripe's hosts (a mock, the emulator).
   */
  readonly connectBaseUrl?: string | undefined
  /** Default: the API version the SDK is generated for (`ApiVersion.API_VERSION`). */
  readonly apiVersion?: string | undefined
  /** Retries after the first attempt. Default 2. */
  readonly maxRetries?: number | undefined
  /**
   * Bounds each attempt, from sending the request to the last byte of the
   * response body (a stalled body times out too). Retries get a timeout of
   * their own, and the waits between attempts are not counted. Default 80
   * seconds.
   */
  readonly timeout?: Duration.DurationInput | undefined
  readonly stripeAccount?: string | undefined
  readonly appInfo?: AppInfo | undefined
  /**
   * Replaces the default retry policy. Its input is the failure of the last
   * attempt; the pipeline only consults it for failures it considers
   * retryable, never retries more than `maxRetries` times, and never waits
   * less than Stripe's `Retry-After` (capped at 60 seconds).
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, StripeError> | undefined
  /**
   * The largest response body kept, in bytes. A longer one is not read to
   * the end: the call fails (`StripeDecodeError` for a 2xx, which is never
   * retried; `StripeApiError` otherwise) with a redacted 2 KB prefix.
   * Default 32 MiB. Every call asks for an uncompressed body
   * (`accept-encoding: identity`), whose length is known before it is read;
   * a compressed one (a caller's own `accept-encoding` header) is read chunk
   * by chunk to enforce this limit, at a higher cost per call.
   */
  readonly maxResponseBytes?: number | undefined
  /**
   * Sends `X-Stripe-Client-Telemetry` (the request id and duration of the
   * previous call) and the platform in `X-Stripe-Client-User-Agent`, as
   * Stripe's own SDKs do. Default `true`.
   */
  readonly telemetry?: boolean | undefined
  /**
   * Compiles response decoders to JavaScript with `new Function` (several
   * times faster). Set `false` where a Content-Security-Policy forbids
   * `unsafe-eval`: decoders then run as plain closures, and code generation
   * is never attempted. Default `true`.
   */
  readonly compileDecoders?: boolean | undefined
}

/**
 * The options after defaults are applied and validated.
 *
 * @since 0.1.0
 * @category models
 */
export interface Config {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl: string
  readonly filesBaseUrl: string
  readonly meterEventsBaseUrl: string
  readonly connectBaseUrl: string
  readonly apiVersion: string
  readonly maxRetries: number
  readonly timeout: Duration.Duration
  readonly stripeAccount: string | undefined
  readonly appInfo: AppInfo | undefined
  readonly retrySchedule: Schedule.Schedule<unknown, StripeError> | undefined
  readonly maxResponseBytes: number
  readonly telemetry: boolean
  readonly compileDecoders: boolean
}

/**
 * Per-call options, always the last argument of a resource method.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /**
   * The `Idempotency-Key`; default a new UUID per logical call (v1 POST, v2
   * POST/DELETE), the same on its retries. Every error of the call carries
   * it: pass it here again to retry the call safely.
   */
  readonly idempotencyKey?: string | undefined
  readonly stripeAccount?: string | undefined
  readonly stripeVersion?: string | undefined
  readonly apiKey?: Redacted.Redacted<string> | undefined
  /** Bounds each attempt, body included (see {@link Options.timeout}). */
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRetries?: number | undefined
  /**
   * Extra headers, e.g. for beta features. Names must be HTTP tokens and
   * values header-safe; framing headers (`host`, `content-length`,
   * `transfer-encoding`, `connection`…) are refused.
   */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type HttpMethod = "GET" | "POST" | "DELETE"

/**
 * @since 0.1.0
 * @category models
 */
export type Host = "api" | "files" | "meterEvents" | "connect"

/**
 * One Stripe API request as the pipeline sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request<A, I = unknown> {
  readonly method: HttpMethod
  /**
   * The concrete path on the configured host, e.g. `/v1/customers/cus_123`,
   * optionally with a query. Path arguments must be encoded with
   * {@link pathSegment}. A path that does not start with `/`, has an empty,
   * `.` or `..` segment, or a character that must be percent-encoded fails
   * with `StripeValidationError` before anything is sent.
   */
  readonly path: string
  /** The path template for spans and logs, e.g. `/v1/customers/{customer}`. */
  readonly pathTemplate?: string | undefined
  /** Body params (POST, form-encoded for v1, JSON for v2) or query params (GET, DELETE). */
  readonly params?: unknown
  readonly options?: RequestOptions | undefined
  /** Decodes a 2xx body. */
  readonly schema: Schema.Schema<A, I, never>
  /** Which Stripe host serves the path. Default `api`. */
  readonly host?: Host | undefined
  /** Span name, e.g. `stripe.customers.create`. Default `stripe.request`. */
  readonly spanName?: string | undefined
  /** Replaces the API key as Bearer credential (v2 meter event session token). */
  readonly bearer?: Redacted.Redacted<string> | undefined
  /** A multipart body (file uploads) instead of encoded params. */
  readonly multipart?: FormData | undefined
}

/**
 * What Stripe said about a response besides its body.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseMeta {
  readonly requestId: string | undefined
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly idempotencyKey: string | undefined
  /** `Idempotent-Replayed: true`: Stripe replayed a stored response. */
  readonly replayed: boolean
  /** How many attempts the call took (1 when not retried). */
  readonly attempts: number
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Response<A> {
  readonly value: A
  readonly meta: ResponseMeta
}

/**
 * The service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly config: Config
  /** Runs a request through the pipeline: encode, send, retry, decode. */
  readonly execute: <A, I>(request: Request<A, I>) => Effect.Effect<Response<A>, StripeError>
  /**
   * {@link execute} for the value alone, without building the response
   * metadata (which `withResponse` still receives). Optional: a service
   * without it (a test double) is used through `execute`.
   *
   * @since 0.2.0
   */
  readonly executeValue?: (<A, I>(request: Request<A, I>) => Effect.Effect<A, StripeError>) | undefined
  /** Runs a request whose 2xx body is binary (a quote PDF). */
  readonly executeBytes: (request: Omit<Request<unknown>, "schema">) => Effect.Effect<Response<Uint8Array>, StripeError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class StripeClient extends Context.Tag("@lattice-stripe/core/StripeClient")<StripeClient, Service>() {}

/**
 * Ambient request options: what `withRequestOptions` can set for every call
 * inside an effect. An idempotency key only makes sense per call, so it is
 * not ambient.
 *
 * @since 0.1.0
 * @category models
 */
export type AmbientOptions = Omit<RequestOptions, "idempotencyKey">

/**
 * Builds the service from options, validating them first: an empty key, a
 * malformed URL or a negative retry count fail here with a
 * `StripeConfigError` naming the option, never later as a request failure.
 *
 * Stripe calls go through the `StripeHttpClient.Transport` service when the
 * context has one (`StripeHttpClient.layer` provides it), otherwise through
 * the platform `HttpClient`: the choice is made here, once, by the layers
 * you provide, and never by inspecting the client.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options): Effect.Effect<Service, StripeConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    internalConfig.resolve(options),
    (config) =>
      Effect.flatMap(
        HttpClient.HttpClient,
        (client) =>
          Effect.flatMap(Effect.serviceOption(Transport), (transport) =>
            Effect.map(
              Effect.serviceOption(FetchHttpClient.RequestInit),
              (init) =>
                pipeline.makeService(config, client, Option.getOrUndefined(transport), Option.getOrUndefined(init))
            ))
      )
  )

/**
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Layer, Redacted } from "effect"
 *
 * const StripeLive = StripeClient.layer({
 *   apiKey: Redacted.make("sk_test_123"),
 *   baseUrl: "http://localhost:12111"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<StripeClient, StripeConfigError, HttpClient.HttpClient> =>
  Layer.effect(StripeClient, make(options))

const optionalString = (name: string): EffectConfig.Config<string | undefined> =>
  EffectConfig.string(name).pipe(EffectConfig.option, EffectConfig.map(Option.getOrUndefined))

const timeoutConfig: EffectConfig.Config<Duration.Duration | undefined> = EffectConfig.string("STRIPE_TIMEOUT").pipe(
  EffectConfig.mapOrFail((raw): Either.Either<Duration.Duration, ConfigError.ConfigError> => {
    const trimmed = raw.trim()
    // A bare number is milliseconds; anything else must be a Duration string ("30 seconds").
    const decoded = /^\d+(\.\d+)?$/.test(trimmed)
      ? Option.some(Duration.millis(Number(trimmed)))
      : Duration.decodeUnknown(trimmed)
    return Option.isSome(decoded)
      ? Either.right(decoded.value)
      : Either.left(
        ConfigErrorModule.InvalidData([], "Expected milliseconds or a duration such as \"30 seconds\"")
      )
  }),
  EffectConfig.option,
  EffectConfig.map(Option.getOrUndefined)
)

/**
 * The environment configuration read by {@link layerConfig}:
 * `STRIPE_API_KEY` (required, redacted), `STRIPE_BASE_URL`,
 * `STRIPE_FILES_BASE_URL`, `STRIPE_METER_EVENTS_BASE_URL`, `STRIPE_CONNECT_BASE_URL`,
 * `STRIPE_API_VERSION`, `STRIPE_ACCOUNT`, `STRIPE_MAX_RETRIES`,
 * `STRIPE_TIMEOUT` (milliseconds, or a duration such as `"30 seconds"`),
 * `STRIPE_MAX_RESPONSE_BYTES` and `STRIPE_TELEMETRY` (`false` turns it off).
 *
 * @since 0.1.0
 * @category config
 */
export const defaultConfig: EffectConfig.Config<Options> = EffectConfig.all({
  apiKey: EffectConfig.redacted("STRIPE_API_KEY"),
  baseUrl: optionalString("STRIPE_BASE_URL"),
  filesBaseUrl: optionalString("STRIPE_FILES_BASE_URL"),
  meterEventsBaseUrl: optionalString("STRIPE_METER_EVENTS_BASE_URL"),
  connectBaseUrl: optionalString("STRIPE_CONNECT_BASE_URL"),
  apiVersion: optionalString("STRIPE_API_VERSION"),
  stripeAccount: optionalString("STRIPE_ACCOUNT"),
  maxRetries: EffectConfig.integer("STRIPE_MAX_RETRIES").pipe(
    EffectConfig.option,
    EffectConfig.map(Option.getOrUndefined)
  ),
  timeout: timeoutConfig,
  maxResponseBytes: EffectConfig.integer("STRIPE_MAX_RESPONSE_BYTES").pipe(
    EffectConfig.option,
    EffectConfig.map(Option.getOrUndefined)
  ),
  telemetry: EffectConfig.boolean("STRIPE_TELEMETRY").pipe(
    EffectConfig.option,
    EffectConfig.map(Option.getOrUndefined)
  )
})

const configErrorOption = (error: ConfigError.ConfigError): string => {
  switch (error._op) {
    case "And":
    case "Or":
      return configErrorOption(error.left)
    default:
      return error.path.join(".") || "config"
  }
}

/**
 * A layer built from `Config`: by default {@link defaultConfig} (the
 * `STRIPE_*` environment variables), or any `Config` of {@link Options}
 * (each field may be a `Config` of its own, as in `@effect/ai-openai`).
 * A missing or invalid value fails the layer with a `StripeConfigError`.
 *
 * @example
 * ```ts
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Config } from "effect"
 *
 * const fromEnv = StripeClient.layerConfig()
 * const custom = StripeClient.layerConfig({
 *   apiKey: Config.redacted("MY_STRIPE_KEY"),
 *   maxRetries: Config.succeed(5)
 * })
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: EffectConfig.Config.Wrap<Options> = defaultConfig
): Layer.Layer<StripeClient, StripeConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    StripeClient,
    EffectConfig.unwrap(config).pipe(
      Effect.mapError((error) =>
        new StripeConfigError({ option: configErrorOption(error), message: `Invalid configuration: ${error.message}` })
      ),
      Effect.flatMap(make)
    )
  )

/**
 * Encodes one path argument (an id) for a {@link Request} `path`:
 * percent-encoded so that it stays one segment (`/`, `?`, `#`, `%` and
 * spaces are escaped). URL normalisation would turn a `.` or `..` segment
 * into another path, and `%2e` counts as a dot, so those cannot be escaped:
 * they, the empty string and any non-string value (or a string with a lone
 * surrogate) encode so that the request fails with `StripeValidationError`
 * before anything is sent. Generated resource methods build their paths
 * with it.
 *
 * @example
 * ```ts
 * import { StripeClient } from "@lattice-stripe/core"
 *
 * const path = `/v1/customers/${StripeClient.pathSegment("cus_123")}/sources/${StripeClient.pathSegment("a/b")}`
 * // "/v1/customers/cus_123/sources/a%2Fb"
 * ```
 *
 * @since 0.1.0
 * @category paths
 */
export const pathSegment = (value: string): string => pipeline.pathSegment(value)

/**
 * Runs a raw request through the pipeline and returns the decoded body.
 * The escape hatch for endpoints the SDK does not model.
 *
 * @example
 * ```ts
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Schema } from "effect"
 *
 * const customers = StripeClient.request({
 *   method: "GET",
 *   path: "/v1/customers",
 *   params: { limit: 3 },
 *   schema: Schema.Struct({ object: Schema.Literal("list"), data: Schema.Array(Schema.Unknown) })
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const request = <A, I>(req: Request<A, I>): Effect.Effect<A, StripeError, StripeClient> =>
  Effect.flatMap(
    StripeClient,
    (client) =>
      client.executeValue !== undefined ? client.executeValue(req) : Effect.map(client.execute(req), (r) => r.value)
  )

/**
 * Like {@link request}, keeping the response metadata beside the value.
 *
 * @since 0.1.0
 * @category accessors
 */
export const requestWithResponse = <A, I>(req: Request<A, I>): Effect.Effect<Response<A>, StripeError, StripeClient> =>
  Effect.flatMap(StripeClient, (client) => client.execute(req))

/**
 * Runs any effect that makes Stripe calls (an SDK method, a small program)
 * and returns its value with the metadata of the last Stripe response it
 * received. Dies if the effect succeeded without any Stripe call.
 *
 * @example
 * ```ts
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Effect } from "effect"
 *
 * declare const createCustomer: Effect.Effect<{ id: string }, never, StripeClient.StripeClient>
 *
 * const program = Effect.gen(function*() {
 *   const [customer, meta] = yield* StripeClient.withResponse(createCustomer)
 *   yield* Effect.log(customer.id, meta.requestId, meta.idempotencyKey)
 * })
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withResponse = <A, E, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<[A, ResponseMeta], E, R> =>
  Effect.flatMap(internalContext.ResponseCollector, (parent) => {
    const collector: internalContext.Collector = { meta: undefined, parent }
    return Effect.flatMap(
      Effect.provideService(self, internalContext.ResponseCollector, collector),
      (value): Effect.Effect<[A, ResponseMeta]> =>
        collector.meta === undefined
          ? Effect.dieMessage("StripeClient.withResponse: the effect made no Stripe request")
          : Effect.succeed([value, collector.meta])
    )
  })

/**
 * Ambient defaults for every Stripe call made inside an effect. Per-call
 * options win over these, and these over the client configuration. Nested
 * uses merge, the inner one winning.
 *
 * @example
 * ```ts
 * import { StripeClient } from "@lattice-stripe/core"
 * import { Effect } from "effect"
 *
 * declare const program: Effect.Effect<void, never, StripeClient.StripeClient>
 *
 * program.pipe(StripeClient.withRequestOptions({ stripeAccount: "acct_123", maxRetries: 0 }))
 * ```
 *
 * @since 0.1.0
 * @category combinators
 */
export const withRequestOptions: {
  (options: AmbientOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options: AmbientOptions): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, options: AmbientOptions): Effect.Effect<A, E, R> =>
    Effect.flatMap(
      internalContext.RequestDefaults,
      (current) =>
        Effect.provideService(self, internalContext.RequestDefaults, {
          ...current,
          ...options,
          ...(current.headers !== undefined && options.headers !== undefined
            ? { headers: { ...current.headers, ...options.headers } }
            : {})
        })
    )
)

/**
 * Sends every Stripe call inside the effect on behalf of a connected account
 * (`Stripe-Account`), unless a call says otherwise.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withStripeAccount: {
  (stripeAccount: string): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, stripeAccount: string): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, stripeAccount: string): Effect.Effect<A, E, R> =>
    withRequestOptions(self, { stripeAccount })
)

/**
 * Sends every Stripe call inside the effect with this `Stripe-Version`,
 * unless a call says otherwise.
 *
 * @since 0.1.0
 * @category combinators
 */
export const withStripeVersion: {
  (stripeVersion: string): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, stripeVersion: string): Effect.Effect<A, E, R>
} = dual(
  2,
  <A, E, R>(self: Effect.Effect<A, E, R>, stripeVersion: string): Effect.Effect<A, E, R> =>
    withRequestOptions(self, { stripeVersion })
)

/**
 * The `Context.Reference` holding the ambient options (see
 * {@link withRequestOptions}); read it to inspect the current defaults.
 *
 * @since 0.1.0
 * @category references
 */
export const RequestDefaults: typeof internalContext.RequestDefaults = internalContext.RequestDefaults
