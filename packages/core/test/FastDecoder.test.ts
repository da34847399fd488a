import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { FAIL, fastDecoder } from "../src/internal/decoder.js"

// Shapes like the generated Stripe schemas: optional/nullable fields, expandable unions, lists, records, cycles.
interface Node {
  readonly id: string
  readonly children?: ReadonlyArray<Node> | undefined
  readonly parent?: string | Node | null | undefined
}
const Node: Schema.Schema<Node> = Schema.suspend(() =>
  Schema.Struct({
    id: Schema.String,
    children: Schema.optional(Schema.Array(Node)),
    parent: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Node)))
  })
)

const Secret = Schema.declare(
  (u: unknown): u is Redacted.Redacted<string> => Redacted.isRedacted(u),
  { identifier: "Secret", arbitrary: () => (fc) => fc.string().map((s) => Redacted.make(s)) }
)

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  balance: Schema.Number,
  delinquent: Schema.optional(Schema.NullOr(Schema.Boolean)),
  email: Schema.optional(Schema.NullOr(Schema.String)),
  metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  preferred_locales: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  extra: Schema.optional(Schema.Unknown),
  count: Schema.optional(Schema.Int),
  tax_exempt: Schema.optional(Schema.Union(Schema.Literal("none", "exempt"), Schema.String))
})
const DeletedCustomer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  deleted: Schema.Literal(true)
})
const Page = Schema.compose(
  Schema.Unknown,
  Schema.Struct({ object: Schema.Literal("list"), data: Schema.Array(Customer), has_more: Schema.Boolean }),
  { strict: false }
)

const cases: Record<string, Schema.Schema.AnyNoContext> = {
  Node,
  Customer,
  "Customer | DeletedCustomer": Schema.Union(Customer, DeletedCustomer),
  Page,
  "Struct with a refinement and a declaration": Schema.Struct({ n: Schema.Int, s: Schema.optional(Secret) }),
  "Record of structs": Schema.Record({ key: Schema.String, value: Schema.NullOr(Customer) })
}

/** The fast decoder never disagrees with effect: it either gives effect's value or defers (FAIL). */
const agrees = (schema: Schema.Schema.AnyNoContext, input: unknown): void => {
  const slow = ParseResult.decodeUnknownEither(schema)(input)
  // Generated structs and the loop used where code generation is not allowed.
  for (const fast of [fastDecoder(schema.ast)(input), fastDecoder(schema.ast, { codegen: false })(input)]) {
    check(fast, slow)
  }
}

const check = (fast: unknown, slow: Either.Either<unknown, ParseResult.ParseIssue>): void => {
  if (fast === FAIL) return
  expect(Either.isRight(slow)).toBe(true)
  if (Either.isRight(slow)) {
    expect(fast).toStrictEqual(slow.right)
    // Same fields in the same order, as effect builds them.
    expect(JSON.stringify(fast)).toBe(JSON.stringify(slow.right))
  }
}

describe("fast decoder", () => {
  for (const [name, schema] of Object.entries(cases)) {
    it(`${name}: agrees with effect on valid values`, () => {
      const valid = Arbitrary.make(Schema.typeSchema(schema))
      FastCheck.assert(FastCheck.property(valid, (value) => agrees(schema, value)), { numRuns: 300 })
    })
    it(`${name}: agrees with effect on arbitrary JSON and corrupted values`, () => {
      const json = FastCheck.jsonValue().map((v) => JSON.parse(JSON.stringify(v)))
      const corrupted = FastCheck.tuple(
        Arbitrary.make(Schema.typeSchema(schema)),
        FastCheck.string(),
        FastCheck.jsonValue()
      )
        .map(([value, key, replacement]) =>
          typeof value === "object" && value !== null ? { ...value, [key]: replacement, extra_field: 1 } : replacement
        )
      FastCheck.assert(FastCheck.property(FastCheck.oneof(json, corrupted), (value) => agrees(schema, value)), {
        numRuns: 300
      })
    })
  }

  it("decodes the common shapes itself rather than deferring", () => {
    const input = {
      id: "cus_1",
      object: "customer",
      balance: 0,
      email: null,
      metadata: { a: "b" },
      preferred_locales: ["en"],
      unknown_new_field: { nested: true }
    }
    const fast = fastDecoder(Customer.ast)(input)
    expect(fastDecoder(Customer.ast, { codegen: false })(input)).toStrictEqual(fast)
    expect(fast).toStrictEqual({
      id: "cus_1",
      object: "customer",
      balance: 0,
      email: null,
      metadata: { a: "b" },
      preferred_locales: ["en"]
    })
    expect(fastDecoder(Page.ast)({ object: "list", data: [input], has_more: false, url: "/v1/customers" })).not.toBe(
      FAIL
    )
  })

  it("defers to effect when two union members accept the input", () => {
    const Loose = Schema.Union(
      Schema.Struct({ a: Schema.String }),
      Schema.Struct({ b: Schema.optional(Schema.String) })
    )
    expect(fastDecoder(Loose.ast)({ a: "x" })).toBe(FAIL)
    agrees(Loose, { a: "x" })
  })

  it("defers on invalid input, so effect reports the error", () => {
    expect(fastDecoder(Customer.ast)({ id: 1, object: "customer", balance: 0 })).toBe(FAIL)
    expect(fastDecoder(Customer.ast)({ id: "cus_1", object: "customer" })).toBe(FAIL)
  })
})
