/**
 * Schemas the generated code builds on.
 *
 * @internal
 */
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
