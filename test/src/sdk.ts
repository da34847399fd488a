/**
 * Every operation of the SDK, found through its public barrel: each resource
 * module exports an `operations` table (method, path template, span name) and
 * a function of the same name per operation.
 *
 * The reference lane imports the SDK from here only, so pointing it at an SDK
 * generated for another API version is a change of the import below.
 */
import type { StripeClient } from "@lattice-stripe/core"
import * as Resources from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import { specTemplate } from "./oas.js"

export interface SdkOperation {
  /** `Customers`, `Billing.Meters`, ... */
  readonly module: string
  /** The key in `operations`, also the name of the exported function. */
  readonly name: string
  readonly method: string
  readonly path: string
  /**
   * The path template as Stripe's OpenAPI spec (2024-04-10) names its params,
   * where the spec has the same path: the key of recipes and allow-lists.
   */
  readonly template: string
  readonly spanName: string
  readonly host: string | undefined
  /** Calls the operation with path arguments, params and options. */
  readonly call: (
    pathArgs: ReadonlyArray<string>,
    params: unknown,
    options?: StripeClient.RequestOptions
  ) => Effect.Effect<unknown, unknown, StripeClient.StripeClient>
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

const stringField = (u: Readonly<Record<string, unknown>>, key: string): string | undefined => {
  const v = u[key]
  return typeof v === "string" ? v : undefined
}

const collect = (value: Readonly<Record<string, unknown>>, name: string, out: Array<SdkOperation>, depth: number) => {
  const table = value["operations"]
  if (isRecord(table)) {
    for (const [opName, entry] of Object.entries(table)) {
      if (!isRecord(entry)) continue
      const method = stringField(entry, "method")
      const path = stringField(entry, "path")
      const spanName = stringField(entry, "spanName")
      const fn = value[opName]
      if (method === undefined || path === undefined || spanName === undefined) continue
      out.push({
        module: name,
        name: opName,
        method,
        path,
        template: specTemplate(path),
        spanName,
        host: stringField(entry, "host"),
        call: (pathArgs, params, options) => {
          if (typeof fn !== "function") return Effect.dieMessage(`${name}.${opName} is not exported as a function`)
          const result: unknown = Reflect.apply(fn, undefined, [...pathArgs, params, options])
          // The documented boundary: a generated operation returns an Effect that needs a StripeClient.
          return Effect.isEffect(result) ?
            result as Effect.Effect<unknown, unknown, StripeClient.StripeClient> :
            Effect.dieMessage(`${name}.${opName} did not return an Effect`)
        }
      })
    }
  }
  // Sub-resources nest under their resource (`V2.Core.Accounts.Persons`).
  if (depth >= 5) return
  for (const [key, child] of Object.entries(value)) {
    if (isRecord(child) && typeof child !== "function" && /^[A-Z]/.test(key)) {
      collect(child, name === "" ? key : `${name}.${key}`, out, depth + 1)
    }
  }
}

/** Every operation the SDK exports, sorted by module and name. */
export const sdkOperations: ReadonlyArray<SdkOperation> = (() => {
  const out: Array<SdkOperation> = []
  collect(Resources, "", out, 0)
  return out.sort((a, b) => `${a.module}.${a.name}`.localeCompare(`${b.module}.${b.name}`))
})()

/** `Customers.create`. */
export const label = (op: SdkOperation): string => `${op.module}.${op.name}`

/** The path parameter names of a template, in order. */
export const pathParams = (path: string): ReadonlyArray<string> =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "")
