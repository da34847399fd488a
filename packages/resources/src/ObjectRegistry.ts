/**
 * Schemas of Stripe objects keyed by their `object` field.
 *
 * PLACEHOLDER: replaced by the generated registry shortly.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import type * as ParseResult from "effect/ParseResult"
import type * as Schema from "effect/Schema"

/**
 * @since 0.1.0
 * @category models
 */
export interface ObjectTypes {}

/**
 * @since 0.1.0
 * @category lookups
 */
export const get = (_object: string): Schema.Schema<unknown> | undefined => undefined

/**
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = (u: unknown): Effect.Effect<unknown, ParseResult.ParseError> => Effect.succeed(u)
