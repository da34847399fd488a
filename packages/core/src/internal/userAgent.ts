import type { AppInfo } from "../StripeClient.js"
import { VERSION } from "./version.js"

const formatAppInfo = (appInfo: AppInfo): string =>
  appInfo.name +
  (appInfo.version !== undefined ? `/${appInfo.version}` : "") +
  (appInfo.url !== undefined ? ` (${appInfo.url})` : "")

const runtimeVersion = (): string => {
  // `process` is absent in browsers and some edge runtimes.
  const proc: { readonly version?: unknown } | undefined = Reflect.get(globalThis, "process")
  return typeof proc?.version === "string" ? proc.version : "unknown"
}

/**
 * `User-Agent: LatticeStripe/<version> [App/1.0 (url)]`.
 *
 * @internal
 */
export const userAgent = (appInfo: AppInfo | undefined): string =>
  `LatticeStripe/${VERSION}` + (appInfo !== undefined ? " " + formatAppInfo(appInfo) : "")

/**
 * The `X-Stripe-Client-User-Agent` JSON Stripe uses for SDK telemetry.
 *
 * @internal
 */
export const clientUserAgent = (appInfo: AppInfo | undefined): string =>
  JSON.stringify({
    bindings_version: VERSION,
    lang: "node",
    lang_version: runtimeVersion(),
    publisher: "lattice-stripe",
    httplib: "@effect/platform",
    ...(appInfo !== undefined ?
      {
        application: {
          name: appInfo.name,
          ...(appInfo.version !== undefined ? { version: appInfo.version } : {}),
          ...(appInfo.url !== undefined ? { url: appInfo.url } : {})
        }
      } :
      {})
  })
