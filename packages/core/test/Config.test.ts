import { describe, expect, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as StripeClient from "../src/StripeClient.js"
import { json, mockHttp, SENTINEL } from "./utils.js"

const http = mockHttp(() => json({ id: "cus_1" }))

const build = (layer: Layer.Layer<StripeClient.StripeClient, unknown, never>) =>
  Effect.exit(Effect.scoped(Effect.flatMap(Layer.build(layer), (context) => Effect.succeed(context))))

const configOf = (options: StripeClient.Options) =>
  StripeClient.make(options).pipe(Effect.map((service) => service.config), Effect.provide(http.layer), Effect.exit)

describe("options validation", () => {
  it.effect("applies the documented defaults", () =>
    Effect.gen(function*() {
      const exit = yield* configOf({ apiKey: Redacted.make(SENTINEL) })
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      const config = exit.value
      expect(config).toMatchObject({
        baseUrl: "https://api.stripe.com",
        filesBaseUrl: "https://files.stripe.com",
        meterEventsBaseUrl: "https://meter-events.stripe.com",
        connectBaseUrl: "https://connect.stripe.com",
        apiVersion: "2026-10-28.endive",
        maxRetries: 2,
        stripeAccount: undefined,
        appInfo: undefined,
        retrySchedule: undefined
      })
      expect(Duration.toMillis(config.timeout)).toBe(80_000)
    }))

  it.effect("keeps valid overrides and trims trailing slashes", () =>
    Effect.gen(function*() {
      const schedule = Schedule.recurs(1)
      const exit = yield* configOf({
        apiKey: Redacted.make(SENTINEL),
        baseUrl: "http://127.0.0.1:12111/",
        apiVersion: "2025-01-01",
        maxRetries: 0,
        timeout: "5 seconds",
        stripeAccount: "acct_1",
        appInfo: { name: "App" },
        retrySchedule: schedule
      })
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      expect(exit.value).toMatchObject({
        baseUrl: "http://127.0.0.1:12111",
        apiVersion: "2025-01-01",
        maxRetries: 0,
        stripeAccount: "acct_1",
        appInfo: { name: "App" }
      })
      expect(exit.value.retrySchedule).toBe(schedule)
      expect(Duration.toMillis(exit.value.timeout)).toBe(5000)
    }))

  it.effect("files, meter-events and connect hosts follow a local baseUrl, never Stripe's hosts", () =>
    Effect.gen(function*() {
      const local = yield* configOf({ apiKey: Redacted.make(SENTINEL), baseUrl: "http://127.0.0.1:12111" })
      expect(Exit.isSuccess(local) && local.value).toMatchObject({
        filesBaseUrl: "http://127.0.0.1:12111",
        meterEventsBaseUrl: "http://127.0.0.1:12111",
        connectBaseUrl: "http://127.0.0.1:12111"
      })
      const explicit = yield* configOf({
        apiKey: Redacted.make(SENTINEL),
        baseUrl: "http://127.0.0.1:12111",
        filesBaseUrl: "http://127.0.0.1:9000"
      })
      expect(Exit.isSuccess(explicit) && explicit.value.filesBaseUrl).toBe("http://127.0.0.1:9000")
      const stripe = yield* configOf({ apiKey: Redacted.make(SENTINEL), baseUrl: "https://api.stripe.com" })
      expect(Exit.isSuccess(stripe) && stripe.value.meterEventsBaseUrl).toBe("https://meter-events.stripe.com")
      expect(Exit.isSuccess(stripe) && stripe.value.connectBaseUrl).toBe("https://connect.stripe.com")
    }))

  const invalid: ReadonlyArray<readonly [string, Partial<StripeClient.Options>, string]> = [
    ["an empty key", { apiKey: Redacted.make("") }, "apiKey"],
    ["a blank key", { apiKey: Redacted.make("   ") }, "apiKey"],
    ["a key with whitespace", { apiKey: Redacted.make(`${SENTINEL}\n`) }, "apiKey"],
    ["a malformed baseUrl", { baseUrl: "not a url" }, "baseUrl"],
    ["a non-http baseUrl", { baseUrl: "ftp://example.com" }, "baseUrl"],
    ["a baseUrl with a query", { baseUrl: "https://example.com?x=1" }, "baseUrl"],
    ["a malformed filesBaseUrl", { filesBaseUrl: "files" }, "filesBaseUrl"],
    ["a malformed meterEventsBaseUrl", { meterEventsBaseUrl: "//x" }, "meterEventsBaseUrl"],
    ["a malformed connectBaseUrl", { connectBaseUrl: "connect" }, "connectBaseUrl"],
    ["an empty apiVersion", { apiVersion: "" }, "apiVersion"],
    ["negative retries", { maxRetries: -1 }, "maxRetries"],
    ["fractional retries", { maxRetries: 1.5 }, "maxRetries"],
    ["a zero timeout", { timeout: 0 }, "timeout"],
    ["an infinite timeout", { timeout: Duration.infinity }, "timeout"],
    ["an empty stripeAccount", { stripeAccount: " " }, "stripeAccount"],
    ["an appInfo without name", { appInfo: { name: "" } }, "appInfo.name"]
  ]
  for (const [name, options, option] of invalid) {
    it.effect(`${name} fails the layer with StripeConfigError naming ${option}`, () =>
      Effect.gen(function*() {
        const layer = StripeClient.layer({ apiKey: Redacted.make(SENTINEL), ...options }).pipe(
          Layer.provide(http.layer)
        )
        const exit = yield* build(layer)
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
          expect(exit.cause.error).toMatchObject({ _tag: "StripeConfigError", option })
          expect(String(exit.cause.error)).not.toContain(SENTINEL)
        } else {
          expect.fail("expected a typed failure")
        }
      }))
  }
})

describe("options of the trust work (issue 12)", () => {
  it.effect("defaults: 32 MiB response limit, telemetry on, compiled decoders", () =>
    Effect.gen(function*() {
      const exit = yield* configOf({ apiKey: Redacted.make(SENTINEL) })
      expect(Exit.isSuccess(exit) ? exit.value : undefined).toMatchObject({
        maxResponseBytes: 33_554_432,
        telemetry: true,
        compileDecoders: true
      })
    }))

  const invalid: ReadonlyArray<readonly [string, Partial<StripeClient.Options>]> = [
    ["maxResponseBytes", { maxResponseBytes: 0 }],
    ["maxResponseBytes", { maxResponseBytes: 1.5 }],
    ["maxResponseBytes", { maxResponseBytes: Number.POSITIVE_INFINITY }],
    ["apiKey", { apiKey: Redacted.make("sk_test_\u0000x") }],
    ["apiKey", { apiKey: Redacted.make("sk_test_\u0101") }],
    ["apiVersion", { apiVersion: "2024-04-10\r\nx-injected: 1" }],
    ["stripeAccount", { stripeAccount: "acct_1\nx" }],
    ["stripeAccount", { stripeAccount: "acct_😀" }],
    ["appInfo.name", { appInfo: { name: "App\r\n" } }],
    ["appInfo.url", { appInfo: { name: "App", url: "https://example.com/\u2028" } }]
  ]
  for (const [option, options] of invalid) {
    it.effect(`${option}: ${JSON.stringify(Object.values(options)[0] ?? "")} fails the layer, naming the option`, () =>
      Effect.gen(function*() {
        const exit = yield* configOf({ apiKey: Redacted.make(SENTINEL), ...options })
        expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
          _tag: "StripeConfigError",
          option
        })
        expect(JSON.stringify(exit)).not.toContain("SENTINEL")
      }))
  }
})

describe("layerConfig", () => {
  const withEnv = (entries: ReadonlyArray<readonly [string, string]>) =>
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(entries)))

  const serviceFrom = (layer: Layer.Layer<StripeClient.StripeClient, unknown, never>) =>
    Effect.exit(Effect.provide(StripeClient.StripeClient, layer))

  it.effect("reads the STRIPE_* variables, the key as a redacted secret", () =>
    Effect.gen(function*() {
      const exit = yield* serviceFrom(StripeClient.layerConfig().pipe(Layer.provide(http.layer))).pipe(
        withEnv([
          ["STRIPE_API_KEY", SENTINEL],
          ["STRIPE_BASE_URL", "http://127.0.0.1:12111"],
          ["STRIPE_FILES_BASE_URL", "http://127.0.0.1:12112"],
          ["STRIPE_METER_EVENTS_BASE_URL", "http://127.0.0.1:12113"],
          ["STRIPE_CONNECT_BASE_URL", "http://127.0.0.1:12114"],
          ["STRIPE_API_VERSION", "2024-06-20"],
          ["STRIPE_ACCOUNT", "acct_env"],
          ["STRIPE_MAX_RETRIES", "5"],
          ["STRIPE_TIMEOUT", "1500"]
        ])
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      const config = exit.value.config
      expect(Redacted.value(config.apiKey)).toBe(SENTINEL)
      expect(config).toMatchObject({
        baseUrl: "http://127.0.0.1:12111",
        filesBaseUrl: "http://127.0.0.1:12112",
        meterEventsBaseUrl: "http://127.0.0.1:12113",
        connectBaseUrl: "http://127.0.0.1:12114",
        apiVersion: "2024-06-20",
        stripeAccount: "acct_env",
        maxRetries: 5
      })
      expect(Duration.toMillis(config.timeout)).toBe(1500)
    }))

  it.effect("accepts Duration strings for STRIPE_TIMEOUT and defaults the rest", () =>
    Effect.gen(function*() {
      const exit = yield* serviceFrom(StripeClient.layerConfig().pipe(Layer.provide(http.layer))).pipe(
        withEnv([["STRIPE_API_KEY", SENTINEL], ["STRIPE_TIMEOUT", "30 seconds"]])
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      expect(Duration.toMillis(exit.value.config.timeout)).toBe(30_000)
      expect(exit.value.config.baseUrl).toBe("https://api.stripe.com")
      expect(exit.value.config.maxRetries).toBe(2)
    }))

  const bad: ReadonlyArray<readonly [string, ReadonlyArray<readonly [string, string]>, string]> = [
    ["a missing key", [], "STRIPE_API_KEY"],
    ["an empty key", [["STRIPE_API_KEY", ""]], "apiKey"],
    [
      "a non-integer STRIPE_MAX_RETRIES",
      [["STRIPE_API_KEY", SENTINEL], ["STRIPE_MAX_RETRIES", "many"]],
      "STRIPE_MAX_RETRIES"
    ],
    ["a negative STRIPE_MAX_RETRIES", [["STRIPE_API_KEY", SENTINEL], ["STRIPE_MAX_RETRIES", "-1"]], "maxRetries"],
    ["a malformed STRIPE_TIMEOUT", [["STRIPE_API_KEY", SENTINEL], ["STRIPE_TIMEOUT", "soon"]], "STRIPE_TIMEOUT"],
    ["a malformed STRIPE_BASE_URL", [["STRIPE_API_KEY", SENTINEL], ["STRIPE_BASE_URL", "localhost"]], "baseUrl"]
  ]
  for (const [name, entries, option] of bad) {
    it.effect(`${name} fails with StripeConfigError naming ${option}`, () =>
      Effect.gen(function*() {
        const exit = yield* serviceFrom(StripeClient.layerConfig().pipe(Layer.provide(http.layer))).pipe(
          withEnv(entries)
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit) && exit.cause._tag === "Fail") {
          expect(exit.cause.error).toMatchObject({ _tag: "StripeConfigError", option })
          expect(JSON.stringify(exit.cause.error)).not.toContain(SENTINEL)
        } else {
          expect.fail("expected a typed failure")
        }
      }))
  }

  it.effect("accepts a Config.Wrap of options, like @effect/ai-openai", () =>
    Effect.gen(function*() {
      const layer = StripeClient.layerConfig({
        apiKey: Config.redacted("MY_KEY"),
        baseUrl: Config.string("MY_URL"),
        maxRetries: Config.succeed(7)
      }).pipe(Layer.provide(http.layer))
      const exit = yield* serviceFrom(layer).pipe(
        withEnv([["MY_KEY", SENTINEL], ["MY_URL", "http://127.0.0.1:1"]])
      )
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      expect(exit.value.config.baseUrl).toBe("http://127.0.0.1:1")
      expect(exit.value.config.maxRetries).toBe(7)
    }))

  it.effect("a client from layerConfig sends requests", () =>
    Effect.gen(function*() {
      const local = mockHttp(() => json({ id: "cus_1" }))
      const value = yield* StripeClient.request({
        method: "GET",
        path: "/v1/customers/cus_1",
        schema: Schema.Struct({ id: Schema.String })
      }).pipe(
        Effect.provide(StripeClient.layerConfig().pipe(Layer.provide(local.layer))),
        withEnv([["STRIPE_API_KEY", "sk_test_123"], ["STRIPE_BASE_URL", "http://127.0.0.1:12111"]])
      )
      expect(value).toEqual({ id: "cus_1" })
      expect(local.calls[0].url.toString()).toBe("http://127.0.0.1:12111/v1/customers/cus_1")
      expect(local.calls[0].headers.authorization).toBe("Bearer sk_test_123")
    }))
})
