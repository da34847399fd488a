/**
 * Object templates and param coercion driven by the generated field codes
 * (see `scripts/codegen/src/emulator.ts` for the code language).
 *
 * @internal
 */
import { schemas } from "../generated/spec.js"

/** @internal */
export type Json = null | boolean | number | string | Array<Json> | Obj

/** @internal */
export interface Obj {
  [key: string]: Json
}

/** Any input value: decoded form params, JSON bodies, stored objects. @internal */
export type Value = null | boolean | number | string | ReadonlyArray<Value> | { readonly [key: string]: Value }

/** @internal */
export const isObj = (u: unknown): u is Obj => typeof u === "object" && u !== null && !Array.isArray(u)

interface Code {
  readonly optional: boolean
  readonly nullable: boolean
  readonly base: string
}

const parsed = new Map<string, Code>()

/** @internal */
export const parseCode = (code: string): Code => {
  const cached = parsed.get(code)
  if (cached !== undefined) return cached
  let i = 0
  let optional = false
  let nullable = false
  while (code[i] === "~" || code[i] === "?") {
    if (code[i] === "~") optional = true
    else nullable = true
    i++
  }
  const out = { optional, nullable, base: code.slice(i) }
  parsed.set(code, out)
  return out
}

/** @internal */
export const fieldsOf = (type: string): Readonly<Record<string, string>> => schemas[type] ?? {}

/** @internal */
export const hasField = (type: string, field: string): boolean => fieldsOf(type)[field] !== undefined

/** @internal */
export const emptyList = (url = ""): Obj => ({ object: "list", data: [], has_more: false, url })

const defaultFor = (base: string, depth: number): Json | undefined => {
  switch (base[0]) {
    case "s":
      return base.startsWith("s=") ? base.slice(2) : ""
    case "i":
    case "n":
      return 0
    case "b":
      return false
    case "T":
      return true
    case "m":
      return {}
    case "x":
      return ""
    case "[":
      return []
    case "L":
      return emptyList()
    case "#":
      return template(base.slice(1), depth + 1)
    default:
      return null
  }
}

/**
 * A fresh object with every field Stripe always sends: required fields get a
 * default of their type (nullable ones `null`), optional scalars, arrays and
 * maps get defaults too, and optional objects and lists (Stripe's includable
 * fields) are left out.
 *
 * @internal
 */
export const template = (type: string, depth = 0): Obj => {
  const out: Obj = {}
  if (depth > 8) return out
  const fields = fieldsOf(type)
  for (const name of Object.keys(fields)) {
    const code = parseCode(fields[name])
    if (code.nullable) {
      out[name] = null
      continue
    }
    if (code.optional && (code.base[0] === "#" || code.base[0] === "L" || code.base[0] === "x")) continue
    const value = defaultFor(code.base, depth)
    if (value !== undefined) out[name] = value
  }
  return out
}

const toNumber = (value: Value, integer: boolean): Json => {
  if (typeof value === "number") return integer ? Math.trunc(value) : value
  if (typeof value === "string") {
    const n = integer ? Number.parseInt(value, 10) : Number(value)
    return Number.isNaN(n) ? value : n
  }
  return toJson(value)
}

/** @internal */
export const toJson = (value: Value | undefined): Json => {
  if (value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
    return value
  }
  if (Array.isArray(value)) return value.map((v: Value) => toJson(v))
  const out: Obj = {}
  for (const [k, v] of Object.entries(value)) out[k] = toJson(v)
  return out
}

/**
 * Looks up the object an id names, for params that take an id where the
 * object embeds the whole object (a promotion code's `coupon`). Throws when
 * the id is unknown.
 *
 * @internal
 */
export type Resolver = (id: string, field: string, type: string) => Obj

/**
 * Coerces one param value to a field code (form values are strings).
 *
 * @internal
 */
export const coerce = (
  code: string,
  value: Value,
  current: Json | undefined,
  resolve?: Resolver,
  field = ""
): Json => {
  const { base, nullable } = parseCode(code)
  if (value === "" || value === null) {
    if (nullable) return null
    if (base[0] === "m" || base[0] === "#") return base[0] === "m" ? {} : null
    const d = defaultFor(base, 0)
    return d === undefined ? null : d
  }
  switch (base[0]) {
    case "i":
      return toNumber(value, true)
    case "n":
      return toNumber(value, false)
    case "b":
    case "T":
      return value === true || value === "true"
    case "s":
      return typeof value === "string" ? value : toJson(value)
    case "m":
      if (isObj(value)) {
        const out: Obj = isObj(current) ? { ...current } : {}
        for (const [k, v] of Object.entries(value)) {
          if (v === "") delete out[k]
          else out[k] = toJson(v)
        }
        return out
      }
      return toJson(value)
    case "[": {
      const items = Array.isArray(value) ? value : isObj(value) ? Object.values(value) : [value]
      return items.map((item: Value) => coerce(base.slice(1), item, undefined, resolve, field))
    }
    case "#": {
      const type = base.slice(1)
      if (!isObj(value)) {
        if (typeof value === "string" && resolve !== undefined) return structuredClone(resolve(value, field, type))
        return current === undefined ? template(type, 1) : current
      }
      const target = isObj(current) ? { ...current } : template(type, 1)
      merge(type, target, value, resolve)
      return target
    }
    default:
      return toJson(value)
  }
}

/**
 * Merges params into a stored object: known fields are coerced to their type,
 * params the object does not have (write-only ones like `confirm`) are ignored.
 *
 * @internal
 */
export const merge = (
  type: string,
  target: Obj,
  params: Readonly<Record<string, Value>>,
  resolve?: Resolver
): Obj => {
  const fields = fieldsOf(type)
  for (const [key, value] of Object.entries(params)) {
    const code = fields[key]
    if (code === undefined || key === "id" || key === "object") continue
    if (parseCode(code).base[0] === "L") continue
    target[key] = coerce(code, value, target[key], resolve, key)
  }
  return target
}
