/**
 * `packages/core/src/generated/apiVersion.ts`: the API versions, in one place.
 *
 * @since 0.2.0
 */
import { HEADER, jsdoc, lit } from "./text.js"

/**
 * The text of the API version module.
 *
 * @since 0.2.0
 */
export const apiVersionFile = (shipped: string, reference: string): string =>
  [
    `${HEADER}// Source: the codegen's stripe-shipped and stripe-reference packages (scripts/codegen/package.json).`,
    "",
    jsdoc([
      "The Stripe API versions this SDK is generated for.",
      "",
      "@since 0.2.0"
    ]),
    jsdoc([
      "The version the SDK ships and sends as `Stripe-Version` by default: the",
      "one the pinned `stripe` package (`stripe-shipped`) pins.",
      "",
      "@since 0.2.0",
      "@category constants"
    ]) + `export const API_VERSION = ${lit(shipped)}`,
    "",
    jsdoc([
      "The version of the reference SDK: stripe-mock's and the OpenAPI spec's",
      "(`stripe-reference`).",
      "",
      "@since 0.2.0",
      "@category constants"
    ]) + `export const REFERENCE_API_VERSION = ${lit(reference)}`,
    ""
  ].join("\n")
