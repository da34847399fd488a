/**
 * The per-operation sweep: every SDK operation called through the SDK with
 * minimal params derived from Stripe's OpenAPI spec, once plain and once with
 * `expand[]` of every expandable field of its response. Each call ends as
 * decoded, a decode failure (the SDK's schema refused what the server sent)
 * or a rejection (the server refused the request, or a local check did).
 */
import type { StripeClient } from "@lattice-stripe/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { expandPaths } from "./expandable.js"
import { operation, responseSchema } from "./oas.js"
import { acceptedParams, minimalParams } from "./params.js"
import type { SdkOperation } from "./sdk.js"
import { label, pathParams } from "./sdk.js"

export type Outcome = "decoded" | "decode_failure" | "rejected" | "not_in_spec" | "not_served"

export interface SweepResult {
  readonly label: string
  readonly method: string
  readonly path: string
  readonly expand: ReadonlyArray<string>
  readonly outcome: Outcome
  /** What went wrong, for anything but `decoded`. */
  readonly detail: string
}

const tagOf = (u: unknown): string | undefined => {
  if (typeof u !== "object" || u === null || !("_tag" in u)) return undefined
  return typeof u._tag === "string" ? u._tag : undefined
}

const messageOf = (u: unknown): string => (u instanceof Error ? u.message : String(u))

/** Binary responses (a quote PDF) are not JSON: nothing to expand. */
const isBinary = (op: SdkOperation): boolean => {
  const spec = operation(op.method, op.template)
  return spec !== undefined && spec.responses["200"]?.content?.["application/json"] === undefined
}

/** The expand paths the sweep's second pass sends for an operation. */
export const expandFor = (op: SdkOperation): ReadonlyArray<string> => {
  const spec = operation(op.method, op.template)
  // Only operations that take `expand` (the DELETE discount ones do not).
  if (spec === undefined || isBinary(op) || !acceptedParams(op.method, op.template).has("expand")) return []
  return expandPaths(responseSchema(spec))
}

/** Calls one operation against the configured `StripeClient`. */
export const callOnce = (
  op: SdkOperation,
  expand: ReadonlyArray<string>
): Effect.Effect<SweepResult, never, StripeClient.StripeClient> =>
  Effect.gen(function*() {
    const base = { label: label(op), method: op.method, path: op.template, expand }
    if (op.path.startsWith("/v2/")) {
      return { ...base, outcome: "not_served", detail: "stripe-mock serves no /v2 endpoints" } as const
    }
    if (operation(op.method, op.template) === undefined) {
      return { ...base, outcome: "not_in_spec", detail: `${op.method} ${op.template} is not in the spec` } as const
    }
    const params = minimalParams(op.method, op.template, () => undefined)
    const args = pathParams(op.template).map((p) => `ref_${p}`)
    const exit = yield* Effect.exit(
      op.call(args, expand.length === 0 ? params : { ...params, expand }, { maxRetries: 0 })
    )
    if (Exit.isSuccess(exit)) return { ...base, outcome: "decoded", detail: "" } as const
    const failure = Cause.failureOption(exit.cause)
    if (failure._tag === "None") return { ...base, outcome: "rejected", detail: Cause.pretty(exit.cause) } as const
    const error = failure.value
    if (tagOf(error) === "StripeDecodeError") {
      return { ...base, outcome: "decode_failure", detail: messageOf(error) } as const
    }
    return { ...base, outcome: "rejected", detail: `${tagOf(error) ?? "error"}: ${messageOf(error)}` } as const
  })

export interface SweepSummary {
  readonly results: ReadonlyArray<SweepResult>
  readonly operations: number
  readonly decoded: number
  readonly decodeFailures: number
  readonly rejected: number
  /** v2 operations, which stripe-mock does not serve (counted, not called). */
  readonly notServed: number
  /** Operations called with `expand[]`, and the paths they sent. */
  readonly expanded: number
  readonly expandPaths: number
}

/** Counts of a sweep's results. */
export const summarize = (results: ReadonlyArray<SweepResult>): SweepSummary => ({
  results,
  operations: results.length,
  decoded: results.filter((r) => r.outcome === "decoded").length,
  decodeFailures: results.filter((r) => r.outcome === "decode_failure").length,
  rejected: results.filter((r) => r.outcome === "rejected" || r.outcome === "not_in_spec").length,
  notServed: results.filter((r) => r.outcome === "not_served").length,
  expanded: results.filter((r) => r.expand.length > 0).length,
  expandPaths: results.reduce((n, r) => n + r.expand.length, 0)
})

/** One line of counts. */
export const describeSummary = (s: SweepSummary): string =>
  `${s.operations} operations, ${s.decoded} decoded, ${s.decodeFailures} decode failures, ${s.rejected} rejected` +
  (s.notServed > 0 ? `, ${s.notServed} v2 not served` : "") +
  (s.expanded > 0 ? ` (${s.expanded} with expand[], ${s.expandPaths} paths)` : "")

/** Runs every operation, `concurrency` at a time, in one process. */
export const sweep = (
  ops: ReadonlyArray<SdkOperation>,
  mode: "plain" | "expand",
  concurrency = 16
): Effect.Effect<SweepSummary, never, StripeClient.StripeClient> =>
  Effect.map(
    Effect.forEach(ops, (op) => callOnce(op, mode === "plain" ? [] : expandFor(op)), { concurrency }),
    summarize
  )
