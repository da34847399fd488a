/**
 * The resource calls the HTTP section makes, for the API version its target
 * speaks: the shipped SDK (`2026-10-28.endive`) against the emulator or a real
 * Stripe, and against stripe-mock, which serves only `2024-04-10`, the
 * reference SDK that the same codegen generates for that version (the
 * compiled `@lattice-stripe/resources-reference`, see `build.ts`). An endive
 * PaymentIntent cannot be decoded from a 2024-04-10 answer, nor should it be:
 * both SDKs then decode what the server sends, with schemas of that version.
 */
import { ApiVersion, type StripeClient } from "@lattice-stripe/core"
import { Customers, PaymentIntents } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"

type Call<A> = (arg: A) => Effect.Effect<unknown, unknown, StripeClient.StripeClient>

export interface Resources {
  /** What is measured: `shipped (2026-10-28.endive)` or `reference (2024-04-10)`. */
  readonly name: string
  /** The `Stripe-Version` every client sends. */
  readonly apiVersion: string
  readonly createCustomer: Call<{ readonly email: string; readonly name: string; readonly description: string }>
  readonly retrieveCustomer: Call<string>
  readonly listPaymentIntents: Call<{ readonly limit: number }>
}

/** The shipped SDK. */
export const shipped: Resources = {
  name: `shipped SDK (${ApiVersion.API_VERSION})`,
  apiVersion: ApiVersion.API_VERSION,
  createCustomer: (params) => Customers.create(params),
  retrieveCustomer: (id) => Customers.retrieve(id),
  listPaymentIntents: (params) => PaymentIntents.list(params)
}

const method = (module: unknown, namespace: string, name: string): (...args: ReadonlyArray<unknown>) => unknown => {
  const ns: unknown = typeof module === "object" && module !== null ? Reflect.get(module, namespace) : undefined
  const fn: unknown = typeof ns === "object" && ns !== null ? Reflect.get(ns, name) : undefined
  if (typeof fn !== "function") throw new Error(`the reference SDK has no ${namespace}.${name}`)
  return (...args) => Reflect.apply(fn, ns, args)
}

const asCall = <A>(fn: (...args: ReadonlyArray<unknown>) => unknown): Call<A> => (arg) => {
  const effect = fn(arg)
  if (!Effect.isEffect(effect)) return Effect.die(new Error("the reference SDK did not return an Effect"))
  // Boundary: a module loaded by name at run time has no static type; its operations need only
  // the StripeClient, as the shipped SDK's generated from the same codegen do.
  return effect as Effect.Effect<unknown, unknown, StripeClient.StripeClient>
}

/** The reference SDK, compiled beside the packages by `build.ts`. */
export const reference = async (): Promise<Resources> => {
  // A name in a variable: the bench's tsconfig does not resolve the compiled-only package.
  const specifier = "@lattice-stripe/resources-reference"
  const module: unknown = await import(specifier)
  return {
    name: `reference SDK (${ApiVersion.REFERENCE_API_VERSION})`,
    apiVersion: ApiVersion.REFERENCE_API_VERSION,
    createCustomer: asCall(method(module, "Customers", "create")),
    retrieveCustomer: asCall(method(module, "Customers", "retrieve")),
    listPaymentIntents: asCall(method(module, "PaymentIntents", "list"))
  }
}
