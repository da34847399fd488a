import type { AppInfo } from "../StripeClient.js"
import { VERSION } from "./version.js"

const formatAppInfo = (appInfo: AppInfo): string =>
  appInfo.name +
  (appInfo.version !== undefined ? `/${appInfo.version}` : "") +
  (appInfo.url !== undefined ? ` (${appInfo.url})` : "")

interface ProcessLike {
  readonly version?: unknown
  readonly platform?: unknown
  readonly arch?: unknown
  readonly getBuiltinModule?: unknown
}

// `process` is absent in browsers and some edge runtimes.
const processLike = (): ProcessLike | undefined => {
  const proc: unknown = Reflect.get(globalThis, "process")
  return typeof proc === "object" && proc !== null ? proc : undefined
}

const runtimeVersion = (): string => {
  const version = processLike()?.version
  return typeof version === "string" ? version : "unknown"
}

/**
 * `<platform> <release> <arch>` as stripe-node reports it (`linux 6.8.0 x64`),
 * read without importing `node:os` (`process.getBuiltinModule`, Node 20.16+),
 * so that the module also loads where only Web APIs exist. `undefined` there.
 *
 * @internal
 */
export const platformInfo = (): string | undefined => {
  const proc = processLike()
  if (proc === undefined || typeof proc.platform !== "string") return undefined
  let release: string | undefined
  if (typeof proc.getBuiltinModule === "function") {
    try {
      const os: unknown = proc.getBuiltinModule("node:os")
      const read: unknown = typeof os === "object" && os !== null ? Reflect.get(os, "release") : undefined
      const value: unknown = typeof read === "function" ? read() : undefined
      release = typeof value === "string" ? value : undefined
    } catch {
      release = undefined
    }
  }
  const arch = typeof proc.arch === "string" ? proc.arch : undefined
  return [proc.platform, release, arch].filter((part) => part !== undefined).join(" ")
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
export const clientUserAgent = (appInfo: AppInfo | undefined, telemetry: boolean): string => {
  // Like stripe-node, the platform is only reported while telemetry is on, URI-encoded.
  const info = telemetry ? platformInfo() : undefined
  const platform = info === undefined ? undefined : encodeURIComponent(info)
  return JSON.stringify({
    bindings_version: VERSION,
    lang: "node",
    lang_version: runtimeVersion(),
    ...(platform !== undefined ? { platform } : {}),
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
}
