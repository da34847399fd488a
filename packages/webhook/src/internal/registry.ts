/**
 * Lazy access to the object registry of `@lattice-stripe/resources`.
 *
 * The registry reaches every generated schema; a webhook endpoint that only
 * verifies signatures should not pay for loading them at startup, so it is
 * imported on first use and then served synchronously.
 */
import type * as ObjectRegistry from "@lattice-stripe/resources/ObjectRegistry"
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"

let loaded: typeof ObjectRegistry | undefined
let loading: Promise<typeof ObjectRegistry> | undefined

const load: Effect.Effect<typeof ObjectRegistry> = Effect.suspend(() => {
  if (loaded !== undefined) return Effect.succeed(loaded)
  loading ??= import("@lattice-stripe/resources/ObjectRegistry").then((module) => {
    loaded = module
    return module
  })
  const pending = loading
  return Effect.promise(() => pending)
})

/** @internal */
export const decodeUnknown = (u: unknown): Effect.Effect<unknown, ParseResult.ParseError> =>
  Effect.flatMap(load, (registry) => registry.decodeUnknown(u))

/** The registry's schema of an `object` value, `undefined` when unknown. @internal */
export const schemaOf = (object: string): Effect.Effect<Schema.Schema<unknown> | undefined> =>
  Effect.map(load, (registry) => registry.get(object))
