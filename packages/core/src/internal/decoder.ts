/**
 * A fast decoder for the schemas Stripe responses use, with the result of
 * `Schema.decodeUnknownEither` (default options: excess properties dropped,
 * first error) and `Schema.decodeUnknownEither` itself as the fallback.
 *
 * Stripe's generated schemas are plain JSON shapes: structs of optional
 * fields, `string`/`number`/`boolean`, literals, nullable and expandable
 * unions, arrays, records, and `Schema.suspend` for cycles. For those, the
 * generic parser spends most of its time on machinery (an `Either` per
 * field, error bookkeeping, candidate search) that a success never needs.
 * This module compiles such an AST once into a straight validator that
 * builds the same output (a new object with the declared fields in the
 * declared order, index-signature keys after; new arrays; literals and
 * `unknown` values as they are). It answers {@link FAIL} whenever the
 * input does not fit, and then the caller runs effect's decoder, which
 * produces the real `ParseError`: failures cost the same as before, and
 * the result is effect's own.
 *
 * Anything it does not know (refinements, transformations other than
 * `compose(Unknown, X)`, declarations such as `RedactedString`, nodes with
 * parse-option annotations) is delegated, node by node, to effect's decoder.
 * A union succeeds only when exactly one member accepts the input, so that
 * the chosen member is the one effect would choose; when several do, the
 * whole decode is left to effect.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

/** @internal */
export const FAIL: unique symbol = Symbol.for("@lattice-stripe/core/internal/decoder/FAIL")

type Fast = (input: unknown) => unknown

const hasOwn = Object.prototype.hasOwnProperty

const isPlainRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** Effect's own decoder for one node. */
const delegate = (ast: AST.AST): Fast => {
  const decode = ParseResult.decodeUnknownEither(Schema.make(ast))
  return (input) => {
    const result = decode(input)
    return Either.isRight(result) ? result.right : FAIL
  }
}

// Annotations that change how effect parses a node (by effect's exported ids): leave such nodes to effect.
const hasParseAnnotations = (ast: AST.AST): boolean =>
  AST.ParseOptionsAnnotationId in ast.annotations || AST.DecodingFallbackAnnotationId in ast.annotations

interface Ctx {
  readonly memo: Map<AST.AST, Fast>
  /** Generate JavaScript for structs (when the runtime allows it). */
  readonly codegen: boolean
}

const compile = (ast: AST.AST, ctx: Ctx): Fast => {
  const { memo } = ctx
  const known = memo.get(ast)
  if (known !== undefined) return known
  // Suspended schemas are cyclic: register an indirection before compiling the body.
  let compiled: Fast | undefined
  const indirect: Fast = (input) => (compiled ??= build(ast, ctx))(input)
  memo.set(ast, indirect)
  compiled = build(ast, ctx)
  memo.set(ast, compiled)
  return compiled
}

const build = (ast: AST.AST, ctx: Ctx): Fast => {
  if (hasParseAnnotations(ast)) return delegate(ast)
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => (typeof input === "string" ? input : FAIL)
    case "NumberKeyword":
      return (input) => (typeof input === "number" ? input : FAIL)
    case "BooleanKeyword":
      return (input) => (typeof input === "boolean" ? input : FAIL)
    case "UnknownKeyword":
    case "AnyKeyword":
      return (input) => input
    case "UndefinedKeyword":
      return (input) => (input === undefined ? input : FAIL)
    case "Literal": {
      const literal = ast.literal
      return (input) => (input === literal ? input : FAIL)
    }
    case "Suspend": {
      let inner: Fast | undefined
      return (input) => (inner ??= compile(ast.f(), ctx))(input)
    }
    case "Transformation": {
      // `compose(Unknown, X)` (pagination pages): decoding is decoding X.
      if (ast.transformation._tag === "ComposeTransformation" && ast.from._tag === "UnknownKeyword") {
        return compile(ast.to, ctx)
      }
      return delegate(ast)
    }
    case "TupleType": {
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return delegate(ast)
      let item: Fast | undefined
      const itemAst = ast.rest[0].type
      return (input) => {
        if (!Array.isArray(input)) return FAIL
        item ??= compile(itemAst, ctx)
        const out = new Array<unknown>(input.length)
        for (let i = 0; i < input.length; i++) {
          const value = item(input[i])
          if (value === FAIL) return FAIL
          out[i] = value
        }
        return out
      }
    }
    case "TypeLiteral":
      return typeLiteral(ast, ctx)
    case "Union":
      return union(ast, ctx)
    default:
      return delegate(ast)
  }
}

/**
 * The check of a field whose schema is a primitive, a literal, or a union of
 * those that no two members share a value of: an inline JavaScript
 * condition on `v` that is true when the value does NOT fit. `undefined`
 * when the schema is anything else.
 */
const inlineCheck = (ast: AST.AST): string | undefined => {
  const members = ast._tag === "Union" ? ast.types : [ast]
  const kinds = new Set<string>()
  const conditions: Array<string> = []
  for (const member of members) {
    if (hasParseAnnotations(member)) return undefined
    let kind: string
    let condition: string
    switch (member._tag) {
      case "StringKeyword":
        kind = "string"
        condition = `typeof v === "string"`
        break
      case "NumberKeyword":
        kind = "number"
        condition = `typeof v === "number"`
        break
      case "BooleanKeyword":
        kind = "boolean"
        condition = `typeof v === "boolean"`
        break
      case "UndefinedKeyword":
        kind = "undefined"
        condition = `v === undefined`
        break
      case "Literal": {
        const literal = member.literal
        if (typeof literal === "bigint") return undefined
        kind = literal === null ? "null" : typeof literal
        condition = `v === ${JSON.stringify(literal)}`
        break
      }
      default:
        return undefined
    }
    // Two members accepting the same values (a literal and its keyword): the union is not disjoint.
    if (kinds.has(kind)) return undefined
    kinds.add(kind)
    conditions.push(condition)
  }
  return `!(${conditions.join(" || ")})`
}

type IndexKeys = (input: Record<string, unknown>, out: Record<string, unknown>) => unknown

type Generate = (
  fields: ReadonlyArray<Fast | undefined>,
  fail: typeof FAIL,
  hasOwnProperty: typeof hasOwn,
  indexKeys: IndexKeys | undefined
) => Fast

/**
 * Compiles a struct to straight-line JavaScript (one named store per field,
 * the primitive checks inlined): objects built that way keep one hidden
 * class, which makes this several times faster than a loop over the
 * fields. Undefined where code generation is not allowed (a CSP without
 * `unsafe-eval`, some edge runtimes); the loop is used there.
 */
const generate = (
  names: ReadonlyArray<string>,
  optional: ReadonlyArray<boolean>,
  checks: ReadonlyArray<string | undefined>,
  discriminators: ReadonlyArray<readonly [string, AST.LiteralValue]>,
  index: boolean
): Generate | undefined => {
  if (!codegenAllowed()) return undefined
  const lines: Array<string> = [
    "return function (input) {",
    "if (typeof input !== \"object\" || input === null || Array.isArray(input)) return fail",
    "var v"
  ]
  for (const [name, literal] of discriminators) {
    lines.push(`if (input[${JSON.stringify(name)}] !== ${JSON.stringify(literal)}) return fail`)
  }
  lines.push("var out = {}")
  names.forEach((name, i) => {
    const key = JSON.stringify(name)
    const check = checks[i] !== undefined
      ? `if (${checks[i]}) return fail`
      : `v = fields[${i}](v); if (v === fail) return fail`
    const body = `v = input[${key}]; ${check}; out[${key}] = v`
    lines.push(optional[i] ? `if (hasOwnProperty.call(input, ${key})) { ${body} }` : body)
  })
  if (index) lines.push("return indexKeys(input, out)")
  lines.push("return out", "}")
  try {
    // Boundary cast: the generated source is the function described by `Generate`.
    return new Function("fields", "fail", "hasOwnProperty", "indexKeys", lines.join("\n")) as Generate
  } catch {
    return undefined
  }
}

// Whether `new Function` is allowed here (it is not under some CSPs and edge runtimes). Probed on
// the first struct compiled with code generation, never at import, and never when the client was
// built with `compileDecoders: false`.
let codegenProbe: boolean | undefined
const codegenAllowed = (): boolean => {
  if (codegenProbe === undefined) {
    try {
      codegenProbe = new Function("return true")() === true
    } catch {
      codegenProbe = false
    }
  }
  return codegenProbe
}

const typeLiteral = (ast: AST.TypeLiteral, ctx: Ctx): Fast => {
  const { indexSignatures, propertySignatures } = ast
  if (propertySignatures.length === 0 && indexSignatures.length === 0) return delegate(ast)
  if (indexSignatures.length > 1) return delegate(ast)
  if (indexSignatures.length === 1 && indexSignatures[0].parameter._tag !== "StringKeyword") return delegate(ast)
  for (const ps of propertySignatures) {
    if (typeof ps.name !== "string") return delegate(ast)
  }
  const names = propertySignatures.map((ps) => String(ps.name))
  const optional = propertySignatures.map((ps) => ps.isOptional)
  const expected = new Set(names)
  // Required literal fields (`object: "customer"`) are checked first: a union member that does not
  // fit is rejected before anything is decoded.
  const discriminators: Array<readonly [string, AST.LiteralValue]> = []
  for (const ps of propertySignatures) {
    if (!ps.isOptional && ps.type._tag === "Literal") discriminators.push([String(ps.name), ps.type.literal])
  }
  const hasIndex = indexSignatures.length === 1
  // Index-signature keys come after the declared fields, as effect adds them.
  const indexKeys = (input: Record<string, unknown>, out: Record<string, unknown>, value: Fast): unknown => {
    for (const key of Object.keys(input)) {
      const decoded = value(input[key])
      if (decoded === FAIL) return FAIL
      if (expected.has(key)) continue
      // A `__proto__` key from JSON: effect's decoder assigns it (which sets the output's prototype);
      // defer to it, so that the result stays effect's own.
      if (key === "__proto__") return FAIL
      out[key] = decoded
    }
    return out
  }
  const checks = propertySignatures.map((ps) => inlineCheck(ps.type))
  const generated = ctx.codegen ? generate(names, optional, checks, discriminators, hasIndex) : undefined
  if (generated !== undefined) {
    let fast: Fast | undefined
    return (input) => {
      if (fast === undefined) {
        const fields = propertySignatures.map((ps, i) => (checks[i] === undefined ? compile(ps.type, ctx) : undefined))
        let keys: IndexKeys | undefined
        if (hasIndex) {
          const value = compile(indexSignatures[0].type, ctx)
          keys = (record, out) => indexKeys(record, out, value)
        }
        fast = generated(fields, FAIL, hasOwn, keys)
      }
      return fast(input)
    }
  }
  let fields: Array<Fast> | undefined
  let index: Fast | undefined
  return (input) => {
    if (!isPlainRecord(input)) return FAIL
    for (let i = 0; i < discriminators.length; i++) {
      if (input[discriminators[i][0]] !== discriminators[i][1]) return FAIL
    }
    fields ??= propertySignatures.map((ps) => compile(ps.type, ctx))
    const out: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i++) {
      const name = names[i]
      // Like effect without `exact`: a missing optional field is skipped, a missing required one is
      // decoded as `undefined` (and fails unless its schema accepts `undefined`).
      if (optional[i] && !hasOwn.call(input, name)) continue
      const value = fields[i](input[name])
      if (value === FAIL) return FAIL
      out[name] = value
    }
    if (hasIndex) {
      index ??= compile(indexSignatures[0].type, ctx)
      return indexKeys(input, out, index)
    }
    return out
  }
}

const isPrimitiveNode = (ast: AST.AST): boolean =>
  !hasParseAnnotations(ast) && (ast._tag === "StringKeyword" || ast._tag === "NumberKeyword" ||
    ast._tag === "BooleanKeyword" || ast._tag === "UndefinedKeyword" ||
    (ast._tag === "Literal" && typeof ast.literal !== "bigint"))

/** A check of disjoint primitive members (keywords, literals): the value when one accepts it. */
const primitiveMembers = (members: ReadonlyArray<AST.AST>): Fast => {
  const tests = members.map((member): (u: unknown) => boolean => {
    switch (member._tag) {
      case "StringKeyword":
        return (u) => typeof u === "string"
      case "NumberKeyword":
        return (u) => typeof u === "number"
      case "BooleanKeyword":
        return (u) => typeof u === "boolean"
      case "UndefinedKeyword":
        return (u) => u === undefined
      case "Literal": {
        const literal = member.literal
        return (u) => u === literal
      }
      default:
        return () => false
    }
  })
  return (input) => {
    for (let i = 0; i < tests.length; i++) if (tests[i](input)) return input
    return FAIL
  }
}

/** Whether a schema only ever accepts objects or arrays (never a primitive or `null`). */
const objectOnly = (ast: AST.AST, seen: Set<AST.AST> = new Set()): boolean => {
  if (hasParseAnnotations(ast) || seen.has(ast)) return false
  seen.add(ast)
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures.length > 0 || ast.indexSignatures.length > 0
    case "TupleType":
      return true
    case "Suspend":
      return objectOnly(ast.f(), seen)
    case "Union":
      return ast.types.every((member) => objectOnly(member, seen))
    default:
      return false
  }
}

const union = (ast: AST.Union, ctx: Ctx): Fast => {
  let members: Array<Fast> | undefined
  // Members split by the kind of value they accept: a primitive is checked against the primitive
  // members only (inline), an object against the object members only.
  let split: { readonly primitive: Fast; readonly objects: Array<Fast> } | undefined | null
  const tryAll = (candidates: Array<Fast>, input: unknown): unknown => {
    let found: unknown = FAIL
    for (const member of candidates) {
      const value = member(input)
      if (value === FAIL) continue
      // Two members accept it: which one effect picks depends on its candidate search; let effect decide.
      if (found !== FAIL) return FAIL
      found = value
    }
    return found
  }
  return (input) => {
    if (split === undefined) {
      const primitives = ast.types.filter(isPrimitiveNode)
      const objects = ast.types.filter((member) => !isPrimitiveNode(member))
      const check = primitives.length === 0 ? "false" : inlineCheck(AST.Union.make(primitives))
      split = check !== undefined && objects.every((member) => objectOnly(member))
        ? {
          primitive: primitiveMembers(primitives),
          objects: objects.map((member) => compile(member, ctx))
        }
        : null
    }
    if (split !== null) {
      return typeof input === "object" && input !== null ? tryAll(split.objects, input) : split.primitive(input)
    }
    members ??= ast.types.map((member) => compile(member, ctx))
    return tryAll(members, input)
  }
}

const compiled = new WeakMap<AST.AST, Fast>()
const compiledWithoutCodegen = new WeakMap<AST.AST, Fast>()

/**
 * The fast decoder of a schema, compiled on first use and cached with the
 * schema's AST. `codegen: false` uses loop-based structs only (what runs
 * where `new Function` is not allowed) and never probes for it.
 *
 * @internal
 */
export const fastDecoder = (ast: AST.AST, options?: { readonly codegen?: boolean }): Fast => {
  const codegen = options?.codegen !== false
  const cache = codegen ? compiled : compiledWithoutCodegen
  let fast = cache.get(ast)
  if (fast === undefined) {
    fast = compile(ast, { memo: new Map(), codegen })
    cache.set(ast, fast)
  }
  return fast
}

/**
 * Whether the fast decoder handles `input` itself (rather than leaving it to
 * effect's decoder): for tests that must fail when the fast path is silently
 * not taken.
 *
 * @internal
 */
export const decodesFast = (ast: AST.AST, input: unknown, options?: { readonly codegen?: boolean }): boolean =>
  fastDecoder(ast, options)(input) !== FAIL
