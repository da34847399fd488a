/**
 * The Stripe client service and its layers.
 *
 * CONTRACT FILE: the exported names and types below are relied on by the
 * other packages. The implementation lives in `internal/` (TODO: core helper).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as Schema from "effect/Schema"
import type { StripeConfigError, StripeError } from "./StripeError.js"

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
  /** Default `2024-04-10`. */
  readonly apiVersion?: string | undefined
  /** Default 2. */
  readonly maxRetries?: number | undefined
  /** Bounds the whole call, body read included. Default 80 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  readonly stripeAccount?: string | undefined
  readonly appInfo?: AppInfo | undefined
  /**
   * Replaces the default retry policy. Its input is the failure of the last
   * attempt; the pipeline only consults it for failures it considers
   * retryable, and never retries more than `maxRetries` times.
   */
  readonly retrySchedule?: Schedule.Schedule<unknown, StripeError> | undefined
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
  readonly apiVersion: string
  readonly maxRetries: number
  readonly timeout: Duration.Duration
  readonly stripeAccount: string | undefined
  readonly appInfo: AppInfo | undefined
  readonly retrySchedule: Schedule.Schedule<unknown, StripeError> | undefined
}

/**
 * Per-call options, always the last argument of a resource method.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly idempotencyKey?: string | undefined
  readonly stripeAccount?: string | undefined
  readonly stripeVersion?: string | undefined
  readonly apiKey?: Redacted.Redacted<string> | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly maxRetries?: number | undefined
  readonly expand?: ReadonlyArray<string> | undefined
  /** Extra headers, e.g. for beta features. */
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
export type Host = "api" | "files" | "meterEvents"

/**
 * One Stripe API request as the pipeline sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request<A, I = unknown> {
  readonly method: HttpMethod
  /** The concrete path, e.g. `/v1/customers/cus_123` (path params already encoded). */
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
  /** Runs a request whose 2xx body is binary (a quote PDF). */
  readonly executeBytes: (request: Omit<Request<unknown>, "schema">) => Effect.Effect<Response<Uint8Array>, StripeError>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class StripeClient extends Context.Tag("@lattice-stripe/core/StripeClient")<StripeClient, Service>() {}

/**
 * @since 0.1.0
 * @category constructors
 */
export declare const make: (
  options: Options
) => Effect.Effect<Service, StripeConfigError, HttpClient.HttpClient>

/**
 * @since 0.1.0
 * @category layers
 */
export declare const layer: (options: Options) => Layer.Layer<StripeClient, StripeConfigError, HttpClient.HttpClient>

/**
 * @since 0.1.0
 * @category accessors
 */
export const request = <A, I>(req: Request<A, I>): Effect.Effect<A, StripeError, StripeClient> =>
  Effect.flatMap(StripeClient, (client) => Effect.map(client.execute(req), (r) => r.value))
