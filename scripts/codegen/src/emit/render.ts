/**
 * Model types as TypeScript types and as `effect/Schema` expressions.
 *
 * References to named types are written as placeholders ({@link refToken})
 * and resolved once every declaration has its file ({@link resolveRefs}), so
 * that a declaration can be measured and moved between files before its
 * imports are known.
 *
 * Response types are lenient where Stripe evolves (enums stay open, unknown
 * fields are dropped by the decoder) and strict where the version promises
 * (required fields, nullability, `object` discriminators). Params types are
 * closed (enums are the listed values) and accept what the encoders accept
 * (`Date` for Unix timestamps, `Blob | Uint8Array` for files).
 *
 * @since 0.2.0
 */
import { isSecretField } from "../../../../packages/core/src/Redaction.js"
import type { Field, Type } from "../model.js"
import { key, lineDoc, lit } from "./text.js"

/**
 * The named types a declaration refers to: in types only, or as values
 * (schemas) too.
 *
 * @since 0.2.0
 */
export class Refs {
  readonly types = new Set<string>()
  readonly values = new Set<string>()
  /** Whether the declaration uses `Internal.*` (redacted strings, list objects). */
  internal = false
  /** Whether the declaration's types mention `Redacted`. */
  redacted = false
}

const OPEN = "\u0001"
const CLOSE = "\u0002"

/**
 * The placeholder of a reference to the named type `name` (a key of `Model.types`).
 *
 * @since 0.2.0
 */
export const refToken = (name: string): string => `${OPEN}${name}${CLOSE}`

const tokenPattern = new RegExp(`${OPEN}([^${CLOSE}]*)${CLOSE}`, "g")

/**
 * Replaces every placeholder with the text `resolve` gives for it.
 *
 * @since 0.2.0
 */
export const resolveRefs = (text: string, resolve: (name: string) => string): string =>
  text.replace(tokenPattern, (_, name: string) => resolve(name))

/**
 * How a struct field is rendered: redacted (a secret string) or as its type says.
 *
 * @since 0.2.0
 */
export type RedactField = (field: string) => boolean

const pad = (depth: number): string => "  ".repeat(depth)

/**
 * Whether a response field is optional. A field of type `unknown` is (it
 * admits `undefined` anyway), so that `Internal.Fields` can tell optional
 * fields by `undefined extends A[K]`.
 */
const isOptional = (f: Field): boolean => f.optional || admitsUndefined(f.type)

const admitsUndefined = (t: Type): boolean =>
  t.kind === "unknown" || (t.kind === "nullable" && admitsUndefined(t.inner)) ||
  (t.kind === "union" && t.members.some(admitsUndefined))

const never: RedactField = () => false

// An inline object has no `object` field of its own: secrets by field name only, as core's
// `Redaction.wrapSecrets` finds them in such an object.
const anonymous: RedactField = (field) => isSecretField(field, undefined)

/** A string type, possibly nullable: what can be redacted. */
const isStringish = (t: Type): boolean =>
  t.kind === "string" || (t.kind === "nullable" && isStringish(t.inner)) ||
  (t.kind === "union" && t.members.every(isStringish))

// ---------------------------------------------------------------------------
// Response types
// ---------------------------------------------------------------------------

const union = (parts: ReadonlyArray<string>): string => [...new Set(parts)].join(" | ")

/**
 * The TypeScript type of a response value.
 *
 * @since 0.2.0
 */
export const responseType = (t: Type, refs: Refs, depth: number, redact: RedactField = never): string => {
  switch (t.kind) {
    case "string":
      return "string"
    case "integer":
    case "number":
      return "number"
    case "boolean":
      return "boolean"
    case "literal":
      return lit(t.value)
    case "enum":
      // Open: Stripe adds values without a version bump; known values still narrow.
      return t.values.length === 0 ? "string" : `${t.values.map(lit).join(" | ")} | (string & {})`
    case "array":
      return `ReadonlyArray<${responseType(t.items, refs, depth)}>`
    case "map":
      return `{ readonly [key: string]: ${responseType(t.values, refs, depth)} }`
    case "struct":
      return responseStruct(t.fields, refs, depth, anonymous)
    case "ref":
      refs.types.add(t.name)
      return refToken(t.name)
    case "union":
      return union(t.members.map((m) => responseType(m, refs, depth)))
    case "nullable": {
      const inner = responseType(t.inner, refs, depth, redact)
      return inner === "unknown" ? inner : `${inner} | null`
    }
    case "expandable":
      return union(["string", ...t.targets.map((m) => responseType(m, refs, depth))])
    case "list":
      refs.internal = true
      return `Internal.ListObject<${responseType(t.items, refs, depth)}>`
    case "binary":
      return "Uint8Array"
    case "unknown":
      return "unknown"
  }
}

const redactedType = (t: Type, refs: Refs): string => {
  refs.redacted = true
  return t.kind === "nullable" ? "Redacted.Redacted<string> | null" : "Redacted.Redacted<string>"
}

/**
 * The body of an interface (or an inline object type): `{ ... }` with one
 * field per line, a one-line description above each documented field.
 *
 * @since 0.2.0
 */
export const responseStruct = (
  fields: ReadonlyArray<Field>,
  refs: Refs,
  depth: number,
  redact: RedactField = never
): string => {
  if (fields.length === 0) return "{}"
  const lines = fields.map((f) => {
    const type = redact(f.name) && isStringish(f.type)
      ? redactedType(f.type, refs)
      : responseType(f.type, refs, depth + 1)
    const doc = lineDoc(f.description, pad(depth + 1))
    return isOptional(f)
      ? `${doc}${pad(depth + 1)}readonly ${key(f.name)}?: ${type} | undefined`
      : `${doc}${pad(depth + 1)}readonly ${key(f.name)}: ${type}`
  })
  return `{\n${lines.join("\n")}\n${pad(depth)}}`
}

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

/**
 * The schema expression that decodes a response value of type `t`, in the
 * vocabulary of the resources' `internal/schema.ts` (`Internal.struct`,
 * `Internal.nullable`, ...: `effect/Schema` constructors typed so that each
 * field is checked against its stated type without TypeScript computing the
 * struct's type).
 *
 * @since 0.2.0
 */
export const schemaExpr = (t: Type, refs: Refs, depth: number, redact: RedactField = never): string => {
  switch (t.kind) {
    case "string":
    case "enum":
      return "Schema.String"
    case "integer":
    case "number":
      return "Schema.Number"
    case "boolean":
      return "Schema.Boolean"
    case "literal":
      refs.internal = true
      return `Internal.literal(${lit(t.value)})`
    case "array":
      refs.internal = true
      return `Internal.array(${schemaExpr(t.items, refs, depth)})`
    case "map":
      refs.internal = true
      return `Internal.record(${schemaExpr(t.values, refs, depth)})`
    case "struct":
      return schemaStruct(responseStruct(t.fields, refs, depth, anonymous), t.fields, refs, depth, anonymous)
    case "ref":
      refs.types.add(t.name)
      refs.values.add(t.name)
      return refToken(t.name)
    case "union":
      return schemaUnion(t.members.map((m) => schemaExpr(m, refs, depth)), refs)
    case "nullable": {
      const inner = schemaExpr(t.inner, refs, depth, redact)
      if (inner === "Schema.Unknown") return inner
      refs.internal = true
      return `Internal.nullable(${inner})`
    }
    case "expandable":
      return schemaUnion(["Schema.String", ...t.targets.map((m) => schemaExpr(m, refs, depth))], refs)
    case "list":
      refs.internal = true
      return `Internal.List(${schemaExpr(t.items, refs, depth)})`
    case "binary":
      return "Schema.Uint8ArrayFromSelf"
    case "unknown":
      return "Schema.Unknown"
  }
}

const schemaUnion = (members: ReadonlyArray<string>, refs: Refs): string => {
  const unique = [...new Set(members)]
  if (unique.includes("Schema.Unknown")) return "Schema.Unknown"
  if (unique.length === 1) return unique[0]!
  refs.internal = true
  return `Internal.union(${unique.join(", ")})`
}

const redactedSchema = (t: Type, refs: Refs): string => {
  refs.internal = true
  return t.kind === "nullable" ? "Internal.nullable(Internal.RedactedString)" : "Internal.RedactedString"
}

/**
 * `Internal.struct<type>({ ... })` with one field per line; `type` is the
 * TypeScript type the struct decodes (an interface name, or the inline type).
 * `redact` picks the secret string fields (`Internal.RedactedString`),
 * `secretData` the free-form data fields (`Internal.SecretData`).
 *
 * @since 0.2.0
 */
export const schemaStruct = (
  type: string,
  fields: ReadonlyArray<Field>,
  refs: Refs,
  depth: number,
  redact: RedactField = never,
  secretData: RedactField = never
): string => {
  refs.internal = true
  if (fields.length === 0) return `Internal.struct<${type}>({})`
  const lines = fields.map((f) => {
    const s = secretData(f.name)
      ? "Internal.SecretData"
      : redact(f.name) && isStringish(f.type)
      ? redactedSchema(f.type, refs)
      : schemaExpr(f.type, refs, depth + 1)
    return `${pad(depth + 1)}${key(f.name)}: ${isOptional(f) ? `Internal.optional(${s})` : s}`
  })
  return `Internal.struct<${type}>({\n${lines.join(",\n")}\n${pad(depth)}})`
}

// ---------------------------------------------------------------------------
// Params
// ---------------------------------------------------------------------------

/**
 * How params are rendered: which nested structs become named interfaces.
 *
 * @since 0.2.0
 */
export interface ParamsContext {
  readonly refs: Refs
  /** v2 params travel as JSON: no `Date` conversion. */
  readonly json: boolean
  /**
   * Called for every nested struct with its path below the params type
   * (`["payment_method_options", "card"]`); returns the identifier of a
   * hoisted interface to refer to instead, or `undefined` to inline it.
   */
  readonly hoist?:
    | ((path: ReadonlyArray<string>, fields: ReadonlyArray<Field>, depth: number) => string | undefined)
    | undefined
}

/**
 * The TypeScript type of a param value.
 *
 * @since 0.2.0
 */
export const paramType = (t: Type, ctx: ParamsContext, depth: number, path: ReadonlyArray<string>): string => {
  switch (t.kind) {
    case "string":
      return "string"
    case "integer":
    case "number":
      return t.format === "unix-time" && !ctx.json ? "number | Date" : "number"
    case "boolean":
      return "boolean"
    case "literal":
      return lit(t.value)
    case "enum":
      return t.values.length === 0 ? "string" : t.values.map(lit).join(" | ")
    case "array":
      return `ReadonlyArray<${paramType(t.items, ctx, depth, path)}>`
    case "map":
      return `{ readonly [key: string]: ${paramType(t.values, ctx, depth, path)} }`
    case "struct": {
      const hoisted = ctx.hoist?.(path, t.fields, depth)
      return hoisted ?? paramStruct(t.fields, ctx, depth, path)
    }
    case "ref":
      ctx.refs.types.add(t.name)
      return refToken(t.name)
    case "union":
      return union(t.members.map((m) => paramType(m, ctx, depth, path)))
    case "nullable":
      return `${paramType(t.inner, ctx, depth, path)} | null`
    case "expandable":
      return "string"
    case "list":
      return `ReadonlyArray<${paramType(t.items, ctx, depth, path)}>`
    case "binary":
      return "Blob | Uint8Array"
    case "unknown":
      return "unknown"
  }
}

/**
 * The body of a params interface or of a nested params object.
 *
 * @since 0.2.0
 */
export const paramStruct = (
  fields: ReadonlyArray<Field>,
  ctx: ParamsContext,
  depth: number,
  path: ReadonlyArray<string>
): string => {
  if (fields.length === 0) return "{}"
  return `{\n${paramFields(fields, ctx, depth + 1, path).join("\n")}\n${pad(depth)}}`
}

/**
 * The field lines of a params object at indentation `depth`.
 *
 * @since 0.2.0
 */
export const paramFields = (
  fields: ReadonlyArray<Field>,
  ctx: ParamsContext,
  depth: number,
  path: ReadonlyArray<string>
): Array<string> =>
  fields.map((f) => {
    const t = paramType(f.type, ctx, depth, [...path, f.name])
    const doc = lineDoc(f.description, pad(depth))
    return f.optional
      ? `${doc}${pad(depth)}readonly ${key(f.name)}?: ${t} | undefined`
      : `${doc}${pad(depth)}readonly ${key(f.name)}: ${t}`
  })
