/**
 * Schemas the generated code builds on.
 *
 * @internal
 */
import { Redaction } from "@lattice-stripe/core"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

const isRedactedString = (u: unknown): u is Redacted.Redacted<string> =>
  Redacted.isRedacted(u) && typeof Redacted.value(u) === "string"

/**
 * A secret string field (`client_secret`, a billing portal `url`, a webhook
 * endpoint `secret`): decodes the wire string into `Redacted<string>` so it
 * never reaches logs, `toString`, `toJSON` or inspection.
 *
 * Stripe objects are modeled with Type = Encoded (plain JSON, no
 * transformations), so the declared encoded side is `Redacted<string>` as
 * well; encoding still yields the wire form, the plain string, so an object
 * encoded back (by an emulator, a cache) carries the real value. That one
 * mismatch between the declared and the runtime encoded type is stated here.
 *
 * @internal
 */
export const RedactedString: Schema.Schema<Redacted.Redacted<string>> = Schema.declare(
  [],
  {
    decode: () => (input, _options, ast) =>
      typeof input === "string"
        ? ParseResult.succeed(Redacted.make(input))
        : isRedactedString(input)
        ? ParseResult.succeed(input)
        : ParseResult.fail(new ParseResult.Type(ast, input, "Expected a string")),
    encode: () => (input, _options, ast) =>
      isRedactedString(input)
        ? ParseResult.succeed(Redacted.value(input) as unknown as Redacted.Redacted<string>)
        : ParseResult.fail(new ParseResult.Type(ast, input, "Expected a Redacted<string>"))
  },
  { identifier: "RedactedString", description: "a secret string" }
)

/**
 * Free-form data that can hold any Stripe object, of any API version (an
 * event's `data.object` and `previous_attributes`, a v2 event's `data` and
 * `changes`): an open record, decoded through core's
 * `Redaction.secretsWrapped`, so that every secret field in it (by core's one
 * rule) is a `Redacted` value.
 *
 * @internal
 */
export const SecretData: Schema.Schema<{ readonly [key: string]: unknown }> = /*#__PURE__*/ Redaction.secretsWrapped(
  /*#__PURE__*/ Schema.Record({ key: Schema.String, value: Schema.Unknown })
)

/**
 * A v1 list object embedded in another object (`customer.subscriptions`,
 * `invoice.lines`): one page of items.
 *
 * @internal
 */
export interface ListObject<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly has_more: boolean
  readonly url: string
}

/**
 * The schema of an embedded list object of `item`s.
 *
 * @internal
 */
export const List = <A>(item: Schema.Schema<A>): Schema.Schema<ListObject<A>> =>
  Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(item),
    has_more: Schema.Boolean,
    url: Schema.String
  })

// ---------------------------------------------------------------------------
// The schema vocabulary of the generated type modules.
//
// Every generated schema states its type (`Customer: Schema.Schema<Customer>`).
// `Schema.Struct` would make TypeScript compute the struct's type from its
// fields and compare it with the stated interface in both directions (the
// schema type is invariant): over thousands of Stripe types that comparison
// is most of the type-check time. These constructors are typed with plain
// `Schema.Schema<A>`, and `struct<A>` checks each field schema against the
// stated type of that field, so the generated code is checked field by field
// and builds exactly the `Schema.Struct` it would have built.
// ---------------------------------------------------------------------------

declare const OptionalField: unique symbol

/**
 * An optional field (`Schema.optional`) of type `A`, as {@link struct} reads it.
 *
 * @internal
 */
export interface Optional<A> {
  readonly [OptionalField]: (_: A) => A
}

/**
 * The field schemas of a struct of type `A`: `Schema.Schema<A[K]>` for a
 * required field, {@link Optional} for an optional one.
 *
 * @internal
 */
export type Fields<A> = {
  readonly [K in keyof A]-?: undefined extends A[K] ? Optional<Exclude<A[K], undefined>> : Schema.Schema<A[K]>
}

/**
 * `Schema.optional(schema)`.
 *
 * @internal
 */
export const optional = <A>(schema: Schema.Schema<A>): Optional<A> =>
  // Boundary: the property signature is only ever read back by `struct`,
  // which hands it to `Schema.Struct`; its type is the phantom `Optional<A>`.
  Schema.optional(schema) as unknown as Optional<A>

/**
 * `Schema.Struct(fields)`, typed by the interface it decodes.
 *
 * @internal
 */
export const struct = <A>(fields: Fields<A>): Schema.Schema<A> =>
  // Boundary: each field was checked against `A` by `Fields<A>`; the struct
  // built from them decodes exactly `A` (required fields as `Schema.Schema`,
  // optional ones as `Schema.optional`).
  Schema.Struct(fields as unknown as Schema.Struct.Fields) as unknown as Schema.Schema<A>

/**
 * `Schema.Literal(value)`.
 *
 * @internal
 */
export const literal = <const L extends string | number | boolean>(value: L): Schema.Schema<L> => Schema.Literal(value)

/**
 * `Schema.NullOr(schema)`.
 *
 * @internal
 */
export const nullable = <A>(schema: Schema.Schema<A>): Schema.Schema<A | null> => Schema.NullOr(schema)

/**
 * `Schema.Array(schema)`.
 *
 * @internal
 */
export const array = <A>(schema: Schema.Schema<A>): Schema.Schema<ReadonlyArray<A>> => Schema.Array(schema)

/**
 * `Schema.Record({ key: Schema.String, value })`.
 *
 * @internal
 */
export const record = <A>(value: Schema.Schema<A>): Schema.Schema<{ readonly [key: string]: A }> =>
  Schema.Record({ key: Schema.String, value })

/**
 * `Schema.Union(...members)`.
 *
 * @internal
 */
export const union = <const M extends ReadonlyArray<Schema.Schema.AnyNoContext>>(
  ...members: M
): Schema.Schema<Schema.Schema.Type<M[number]>> =>
  // Boundary: every member is `Schema.Schema<X>` (type = encoded), so the
  // union decodes and encodes the union of their types.
  Schema.Union(...members) as unknown as Schema.Schema<Schema.Schema.Type<M[number]>>
