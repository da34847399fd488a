/**
 * Stripe objects keyed by their `object` field (`"customer"`,
 * `"payment_intent"`, ...): the types, their schemas, and a decoder for
 * payloads whose type is only known at runtime (webhook events, expanded
 * fields).
 *
 * @example
 * ```ts
 * import { ObjectRegistry } from "@lattice-stripe/resources"
 *
 * // Decodes into a `Customer` (or passes unknown object types through)
 * const decoded = ObjectRegistry.decodeUnknown({ object: "customer", id: "cus_123" })
 * ```
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Events from "./generated/events.js"
import * as Registry from "./generated/registry.js"

/**
 * The object a v1 (snapshot) event of each type carries in `data.object`,
 * generated from the pinned API version.
 *
 * @since 0.2.0
 * @category models
 */
export type EventObjects = Events.EventObjects

/**
 * The related object of each v2 (thin) event type, fetched on demand.
 *
 * @since 0.2.0
 * @category models
 */
export type ThinEventObjects = Events.ThinEventObjects

/**
 * A Stripe object whose type is not known statically.
 *
 * @since 0.2.0
 * @category models
 */
export type StripeObject = Events.StripeObject

/**
 * The `object` values a v1 event of each type may carry in `data.object`.
 *
 * @since 0.2.0
 * @category lookups
 */
export const eventObjectNames: { readonly [K in keyof EventObjects]: ReadonlyArray<string> } = Events.eventObjectNames

/**
 * Every Stripe object type by its `object` value.
 *
 * @since 0.1.0
 * @category models
 */
export type ObjectTypes = Registry.ObjectTypes

/**
 * Deleted variants (`{ id, object, deleted: true }`) by their `object` value.
 *
 * @since 0.1.0
 * @category models
 */
export type DeletedObjectTypes = Registry.DeletedObjectTypes

/**
 * An `object` value this version of the SDK knows.
 *
 * @since 0.1.0
 * @category models
 */
export type ObjectName = keyof ObjectTypes

const has = <K extends string>(table: Readonly<Record<K, unknown>>, name: string): name is K =>
  Object.prototype.hasOwnProperty.call(table, name)

/**
 * Whether `object` names a known Stripe object.
 *
 * @since 0.1.0
 * @category guards
 */
export const isKnown = (object: string): object is ObjectName => has(Registry.objects, object)

/**
 * The schema of a Stripe object by its `object` value.
 *
 * @since 0.1.0
 * @category lookups
 */
export function get<K extends ObjectName>(object: K): Schema.Schema<ObjectTypes[K]>
/**
 * For a name known only at runtime the schema is typed as decoding to
 * `unknown`; `undefined` when the object type is unknown.
 *
 * @since 0.1.0
 * @category lookups
 */
export function get(object: string): Schema.Schema<unknown> | undefined
export function get(object: string): Schema.Schema<unknown> | undefined {
  // Boundary: the table holds `Schema<ObjectTypes[K]>` for each key; seen
  // through a runtime string its decoded type can only be `unknown`. Schema's
  // invariance rejects that widening, so it is stated here, once.
  return isKnown(object) ? (Registry.objects[object] as unknown as Schema.Schema<unknown>) : undefined
}

/**
 * The schema of a deleted variant by its `object` value, if Stripe has one.
 *
 * @since 0.1.0
 * @category lookups
 */
export const getDeleted = (object: string): Schema.Schema<unknown> | undefined =>
  // Same boundary as `get`.
  has(Registry.deletedObjects, object)
    ? (Registry.deletedObjects[object] as unknown as Schema.Schema<unknown>)
    : undefined

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/**
 * Decodes a Stripe object by its `object` field (the deleted variant when it
 * carries `deleted: true`). Values without a known `object` pass through
 * unchanged, so a newer API's object types never fail.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = (u: unknown): Effect.Effect<unknown, ParseResult.ParseError> => {
  if (!isRecord(u) || typeof u.object !== "string") return Effect.succeed(u)
  const schema = u.deleted === true ? (getDeleted(u.object) ?? get(u.object)) : get(u.object)
  return schema === undefined ? Effect.succeed(u) : Schema.decodeUnknown(schema)(u)
}

/**
 * Decodes a known Stripe object type.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = <K extends ObjectName>(
  object: K
): (u: unknown) => Effect.Effect<ObjectTypes[K], ParseResult.ParseError> => Schema.decodeUnknown(get(object))
