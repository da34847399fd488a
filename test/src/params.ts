/**
 * Minimal valid params for an operation, derived from Stripe's OpenAPI spec
 * (not from our generator): every required parameter, recursively every
 * required field of the objects they take, with a value of the type the spec
 * gives (the first enum value, a short string, 1, true...).
 *
 * Params that name another object (`customer`, `price`, ...) take their value
 * from `idFor`, so a stateful target gets ids that exist.
 */
import type { SchemaObject } from "./oas.js"
import { bodySchema, operation, resolve } from "./oas.js"

/** Supplies ids for params that name another object; `undefined` keeps the spec-derived value. */
export type IdFor = (param: string) => string | undefined

const named: Readonly<Record<string, unknown>> = {
  country: "US",
  currency: "usd",
  email: "reference@example.com",
  return_url: "https://example.com/return",
  refresh_url: "https://example.com/refresh",
  success_url: "https://example.com/success",
  cancel_url: "https://example.com/cancel",
  url: "https://example.com/hook"
}

const firstEnum = (schema: SchemaObject): unknown => (schema.enum ?? []).find((v) => v !== "" && v !== null)

const variant = (schema: SchemaObject): SchemaObject | undefined => {
  const variants = schema.anyOf ?? schema.oneOf
  if (variants === undefined) return undefined
  // `enum: [""]` is Stripe's "unset" variant: never the minimal value.
  return variants.map(resolve).find((v) => !(v.enum !== undefined && v.enum.every((e) => e === ""))) ?? variants[0]
}

const isScalar = (schema: SchemaObject): boolean =>
  schema.enum !== undefined || schema.type === "string" || schema.type === "integer" || schema.type === "boolean"

/** A value of the schema's type, with every required nested field. */
export const valueFor = (name: string, raw: SchemaObject, idFor: IdFor, depth = 0): unknown => {
  const schema = resolve(raw)
  const alternative = variant(schema)
  if (alternative !== undefined) return valueFor(name, alternative, idFor, depth)
  const fromEnum = firstEnum(schema)
  if (fromEnum !== undefined) return fromEnum
  // Only a string can be an id.
  const id = schema.type === "string" || schema.type === undefined ? idFor(name) : undefined
  if (id !== undefined) return id
  if (named[name] !== undefined && (schema.type === "string" || schema.type === undefined)) return named[name]
  switch (schema.type) {
    case "integer":
      return schema.format === "unix-time" ? 1_700_000_000 : 1
    case "number":
      return 1
    case "boolean":
      return true
    case "array":
      return schema.items === undefined ? [] : [valueFor(name, schema.items, idFor, depth + 1)]
    case "object": {
      if (depth > 6) return {}
      const out: Record<string, unknown> = {}
      for (const key of schema.required ?? []) {
        const prop = schema.properties?.[key]
        if (prop !== undefined) out[key] = valueFor(key, prop, idFor, depth + 1)
      }
      if (Object.keys(out).length > 0) return out
      // An empty object is not sent at all; a required one needs one field to exist on the wire.
      const properties = Object.entries(schema.properties ?? {})
      const first = properties.find(([, p]) => isScalar(resolve(p))) ?? properties[0]
      if (first !== undefined) return { [first[0]]: valueFor(first[0], first[1], idFor, depth + 1) }
      const free = schema.additionalProperties
      if (typeof free === "object") return { reference: valueFor("reference", free, idFor, depth + 1) }
      return out
    }
    default:
      return "reference"
  }
}

/** The spec's required params of `method path`, each with a minimal value. */
export const minimalParams = (method: string, path: string, idFor: IdFor): Record<string, unknown> => {
  const op = operation(method, path)
  if (op === undefined) return {}
  const out: Record<string, unknown> = {}
  for (const p of op.parameters ?? []) {
    if (p.in === "query" && p.required === true && p.schema !== undefined) {
      out[p.name] = valueFor(p.name, p.schema, idFor)
    }
  }
  const body = bodySchema(op)
  if (body !== undefined) {
    for (const key of body.required ?? []) {
      const prop = body.properties?.[key]
      if (prop !== undefined) out[key] = valueFor(key, prop, idFor)
    }
  }
  return out
}

/** Every param the spec accepts for `method path` (query and body). */
export const acceptedParams = (method: string, path: string): ReadonlySet<string> => {
  const op = operation(method, path)
  const out = new Set<string>()
  for (const p of op?.parameters ?? []) if (p.in === "query") out.add(p.name)
  for (const key of Object.keys(bodySchema(op ?? { responses: {} })?.properties ?? {})) out.add(key)
  return out
}
