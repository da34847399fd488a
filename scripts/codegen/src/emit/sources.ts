/**
 * The models the codegen emits from, by name.
 *
 * @since 0.2.0
 */
import * as Path from "node:path"
import * as Url from "node:url"
import type { Model } from "../model.js"
import { readOpenApi } from "../sources/openapi.js"
import { referenceStripeDir, shippedStripeDir } from "../sources/packages.js"
import { readStripePackage } from "../sources/stripe.js"
import { loadSpec } from "../spec.js"

/**
 * - `shipped`: the `stripe-shipped` package (the SDK this repository ships);
 * - `reference`: the `stripe-reference` package (stripe-mock's version);
 * - `openapi`: Stripe's OpenAPI spec (the reference version too).
 *
 * @since 0.2.0
 */
export const sourceNames = ["shipped", "reference", "openapi"] as const

/**
 * @since 0.2.0
 */
export type SourceName = (typeof sourceNames)[number]

/**
 * The model of a source.
 *
 * @since 0.2.0
 */
export const loadModel = (source: SourceName): Model => {
  switch (source) {
    case "shipped":
      return readStripePackage(shippedStripeDir())
    case "reference":
      return readStripePackage(referenceStripeDir())
    case "openapi":
      return readOpenApi(loadSpec())
  }
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/**
 * The API version a `stripe` package pins: the `ApiVersion` its own
 * `esm/apiVersion.js` exports.
 *
 * @since 0.2.0
 */
export const packageApiVersion = async (dir: string): Promise<string> => {
  const module: unknown = await import(Url.pathToFileURL(Path.join(dir, "esm/apiVersion.js")).href)
  const version = isRecord(module) ? module.ApiVersion : undefined
  if (typeof version !== "string") throw new Error(`${dir}: esm/apiVersion.js exports no ApiVersion`)
  return version
}

/**
 * The shipped and the reference API versions.
 *
 * @since 0.2.0
 */
export const apiVersions = async (): Promise<{ readonly shipped: string; readonly reference: string }> => ({
  shipped: await packageApiVersion(shippedStripeDir()),
  reference: await packageApiVersion(referenceStripeDir())
})
