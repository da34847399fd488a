import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { API_VERSION } from "../generated/apiVersion.js"
import type { AppInfo, Config, Options } from "../StripeClient.js"
import { StripeConfigError } from "../StripeError.js"

/** @internal */
export const DEFAULT_BASE_URL = "https://api.stripe.com"
/** @internal */
export const DEFAULT_FILES_BASE_URL = "https://files.stripe.com"
/** @internal */
export const DEFAULT_METER_EVENTS_BASE_URL = "https://meter-events.stripe.com"

/** @internal */
export const DEFAULT_CONNECT_BASE_URL = "https://connect.stripe.com"
/** @internal */
export const DEFAULT_API_VERSION = API_VERSION
/** @internal */
export const DEFAULT_MAX_RETRIES = 2
/** @internal */
export const DEFAULT_TIMEOUT: Duration.Duration = Duration.seconds(80)
/** 32 MiB: Stripe's largest responses (file contents, expanded lists) fit many times over. @internal */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

/**
 * Characters an HTTP field value may hold (as Node's `http` checks them):
 * tab, visible ASCII, space and Latin-1. CR, LF and NUL would split or
 * truncate the header; anything above U+00FF has no single-byte encoding.
 *
 * @internal
 */
export const isHeaderValue = (value: string): boolean => !/[^\t\x20-\x7e\x80-\xff]/.test(value)

/** A header name: an RFC 9110 token. @internal */
export const isHeaderName = (name: string): boolean => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)

const headerSafe = (option: string, value: string) =>
  isHeaderValue(value) ?
    Either.right(value) :
    fail(
      option,
      `${option} has a character that cannot be sent in an HTTP header (CR, LF, NUL, a control character or one above U+00FF)`
    )

const fail = (option: string, message: string) => Either.left(new StripeConfigError({ option, message }))

const validateUrl = (option: string, input: string | undefined, fallback: string) => {
  if (input === undefined) return Either.right(fallback)
  let url: URL
  try {
    url = new URL(input)
  } catch {
    return fail(option, `${option} must be an absolute http(s) URL`)
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return fail(option, `${option} must use http or https`)
  }
  if (url.search !== "" || url.hash !== "") {
    return fail(option, `${option} must not have a query or fragment`)
  }
  // Paths are appended as `/v1/...`, so a trailing slash would double it.
  return Either.right(input.replace(/\/+$/, ""))
}

const validateAppInfo = (appInfo: AppInfo | undefined) => {
  if (appInfo === undefined) return Either.right(undefined)
  if (typeof appInfo.name !== "string" || appInfo.name.trim() === "") {
    return fail("appInfo.name", "appInfo.name must not be empty")
  }
  for (const field of ["name", "version", "url"] as const) {
    const value = appInfo[field]
    if (value !== undefined && (typeof value !== "string" || !isHeaderValue(value))) {
      return fail(`appInfo.${field}`, `appInfo.${field} must be a string that can be sent in an HTTP header`)
    }
  }
  return Either.right(appInfo)
}

/**
 * Applies defaults and validates; the error names the offending option and
 * never includes the API key.
 *
 * @internal
 */
const isStripeHost = (url: string): boolean => {
  const host = new URL(url).hostname
  return host === "stripe.com" || host.endsWith(".stripe.com")
}

export const resolve = (options: Options): Either.Either<Config, StripeConfigError> =>
  Either.gen(function*() {
    if (!Redacted.isRedacted(options.apiKey)) {
      return yield* fail("apiKey", "apiKey must be a Redacted string (Redacted.make(key))")
    }
    const key = Redacted.value(options.apiKey)
    if (typeof key !== "string" || key.trim() === "") {
      return yield* fail("apiKey", "apiKey must not be empty")
    }
    if (/\s/.test(key)) {
      return yield* fail("apiKey", "apiKey must not contain whitespace")
    }
    yield* headerSafe("apiKey", key)
    const baseUrl = yield* validateUrl("baseUrl", options.baseUrl, DEFAULT_BASE_URL)
    // A baseUrl off Stripe's own hosts is a mock or an emulator (stripe-mock,
    // lattice-stripe-mock), which serve the files and meter-events paths on
    // the same port: the other hosts follow it unless set, so that pointing
    // the client at a mock never sends a request to Stripe by surprise.
    const followsBase = options.baseUrl !== undefined && !isStripeHost(baseUrl)
    const filesBaseUrl = yield* validateUrl(
      "filesBaseUrl",
      options.filesBaseUrl,
      followsBase ? baseUrl : DEFAULT_FILES_BASE_URL
    )
    const meterEventsBaseUrl = yield* validateUrl(
      "meterEventsBaseUrl",
      options.meterEventsBaseUrl,
      followsBase ? baseUrl : DEFAULT_METER_EVENTS_BASE_URL
    )
    const connectBaseUrl = yield* validateUrl(
      "connectBaseUrl",
      options.connectBaseUrl,
      followsBase ? baseUrl : DEFAULT_CONNECT_BASE_URL
    )
    const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION
    if (typeof apiVersion !== "string" || apiVersion.trim() === "") {
      return yield* fail("apiVersion", "apiVersion must not be empty")
    }
    yield* headerSafe("apiVersion", apiVersion)
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      return yield* fail("maxRetries", "maxRetries must be a non-negative integer")
    }
    let timeout = DEFAULT_TIMEOUT
    if (options.timeout !== undefined) {
      const decoded = Duration.decodeUnknown(options.timeout)
      if (Option.isNone(decoded) || !Duration.isFinite(decoded.value) || Duration.toMillis(decoded.value) <= 0) {
        return yield* fail("timeout", "timeout must be a positive, finite duration")
      }
      timeout = decoded.value
    }
    if (options.stripeAccount !== undefined) {
      if (typeof options.stripeAccount !== "string" || options.stripeAccount.trim() === "") {
        return yield* fail("stripeAccount", "stripeAccount must not be empty when given")
      }
      yield* headerSafe("stripeAccount", options.stripeAccount)
    }
    const appInfo = yield* validateAppInfo(options.appInfo)
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes <= 0) {
      return yield* fail("maxResponseBytes", "maxResponseBytes must be a positive integer")
    }
    const telemetry = options.telemetry ?? true
    if (typeof telemetry !== "boolean") return yield* fail("telemetry", "telemetry must be a boolean")
    const compileDecoders = options.compileDecoders ?? true
    if (typeof compileDecoders !== "boolean") {
      return yield* fail("compileDecoders", "compileDecoders must be a boolean")
    }
    return {
      apiKey: options.apiKey,
      baseUrl,
      filesBaseUrl,
      meterEventsBaseUrl,
      connectBaseUrl,
      apiVersion,
      maxRetries,
      timeout,
      stripeAccount: options.stripeAccount,
      appInfo,
      retrySchedule: options.retrySchedule,
      maxResponseBytes,
      telemetry,
      compileDecoders
    }
  })
