/**
 * Object templates and param coercion for one API version, driven by its
 * table's field codes (see `scripts/codegen/src/emulator.ts` for the code
 * language) and by the presence rules of `presence.ts`.
 *
 * @internal
 */
import type { Json, Obj, Value } from "./json.js"
import { emptyList, isObj, toJson } from "./json.js"
import { includable, omitted, sent, sentAll } from "./presence.js"
import type { SpecTable } from "./spec.js"

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

/**
 * Looks up the object an id names, for params that take an id where the
 * object embeds the whole object (a promotion code's `coupon`). Throws when
 * the id is unknown.
 *
 * @internal
 */
export type Resolver = (id: string, field: string, type: string) => Obj

const toNumber = (value: Value, integer: boolean): Json => {
  if (typeof value === "number") return integer ? Math.trunc(value) : value
  if (typeof value === "string") {
    const n = integer ? Number.parseInt(value, 10) : Number(value)
    return Number.isNaN(n) ? value : n
  }
  return toJson(value)
}

const setOf = (table: Readonly<Record<string, ReadonlyArray<string>>>) =>
  new Map(Object.entries(table).map(([type, fields]) => [type, new Set(fields)]))

const sentFields = setOf(sent)
const omittedFields = setOf(omitted)
const includableFields = setOf(includable)
const sentAllFields: ReadonlySet<string> = new Set(sentAll)

/**
 * The includable fields of an object type (left out unless expanded).
 *
 * @internal
 */
export const includableOf = (type: string): ReadonlySet<string> | undefined => includableFields.get(type)

/**
 * Shapes for one table.
 *
 * @internal
 */
export class Shapes {
  /** The event types the version defines. */
  readonly eventTypes: ReadonlySet<string>

  constructor(readonly table: SpecTable) {
    this.eventTypes = new Set(table.eventTypes)
  }

  get apiVersion(): string {
    return this.table.apiVersion
  }

  fieldsOf(type: string): Readonly<Record<string, string>> {
    return this.table.schemas[type] ?? {}
  }

  hasField(type: string, field: string): boolean {
    return this.fieldsOf(type)[field] !== undefined
  }

  /** The `object` value of a type (`customer` for `customer`, `list` for lists). */
  objectName(type: string): string | undefined {
    const code = this.fieldsOf(type).object
    if (code === undefined) return undefined
    const base = parseCode(code).base
    return base.startsWith("s=") ? base.slice(2) : undefined
  }

  private defaultFor(base: string, depth: number): Json | undefined {
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
        return this.template(base.slice(1), depth + 1)
      default:
        return null
    }
  }

  /**
   * A fresh object with every field Stripe sends by default: required fields
   * get a default of their type (nullable ones `null`), optional nullable
   * fields `null`, `metadata` `{}`; other optional fields are left out unless
   * `presence.sent` lists them, and `presence.omitted` fields are whenever
   * the version makes them optional.
   */
  template(type: string, depth = 0): Obj {
    const out: Obj = {}
    if (depth > 8) return out
    const fields = this.fieldsOf(type)
    const sentHere = sentFields.get(type)
    const omittedHere = omittedFields.get(type)
    for (const name of Object.keys(fields)) {
      const code = parseCode(fields[name])
      // Left out only where this version makes the field optional (a later version may require it).
      if (omittedHere?.has(name) === true && code.optional) continue
      if (code.nullable) {
        out[name] = name === "metadata" ? {} : null
        continue
      }
      if (code.optional && name !== "metadata" && sentHere?.has(name) !== true && !sentAllFields.has(type)) continue
      const value = this.defaultFor(code.base, depth)
      if (value !== undefined) out[name] = value
    }
    return out
  }

  /** The type of a stored or expanded object, by its `object` value (and `deleted`). */
  typeOfObject(value: Obj): string | undefined {
    const object = value.object
    if (typeof object !== "string") return undefined
    if (this.byObject === undefined) {
      const index = new Map<string, string>()
      for (const type of Object.keys(this.table.schemas).sort()) {
        const name = this.objectName(type)
        if (name === undefined) continue
        const deleted = this.fieldsOf(type).deleted !== undefined
        const key = deleted ? `deleted ${name}` : name
        // The type named after its object wins (`customer` over another type with `object: "customer"`).
        if (!index.has(key) || type === name || type === `deleted_${name}`) index.set(key, type)
      }
      this.byObject = index
    }
    return this.byObject.get(value.deleted === true ? `deleted ${object}` : object)
  }

  private byObject: Map<string, string> | undefined

  /**
   * A copy of an object in this version's shape: fields the version does
   * not have are dropped, required fields it lacks get the default of their
   * type (nullable ones `null`), nested objects, lists and expanded objects
   * are shaped by their own types. Optional fields are never added (Stripe
   * leaves them out when they do not apply), and `presence.omitted` fields
   * the version makes optional are dropped unless they hold a value of their
   * own. What the emulator stored under one version is answered in the shape
   * of the version a request names.
   */
  conform(type: string, value: Obj, depth = 0): Obj {
    const fields = this.table.schemas[type]
    if (fields === undefined || depth > 12) return value
    const out: Obj = {}
    const omittedHere = omittedFields.get(type)
    for (const name of Object.keys(fields)) {
      const code = parseCode(fields[name])
      const current = value[name]
      // A field this version leaves out unless it applies: a null or a default settings object does not.
      if (omittedHere?.has(name) === true && code.optional && (current === null || isObj(current))) continue
      if (current !== undefined) {
        out[name] = this.conformValue(code, current, depth)
      } else if (!code.optional) {
        const d = code.nullable ? null : this.defaultFor(code.base, depth)
        if (d !== undefined) out[name] = d
      }
    }
    return this.fillTagged(type, out)
  }

  private conformValue(code: Code, value: Json, depth: number): Json {
    if (value === null) {
      if (code.nullable) return null
      const d = this.defaultFor(code.base, depth)
      return d === undefined ? null : d
    }
    return this.conformBase(code.base, value, depth)
  }

  private conformBase(base: string, value: Json, depth: number): Json {
    switch (base[0]) {
      case "#":
        return isObj(value) ? this.conform(this.typeOfObject(value) ?? base.slice(1), value, depth + 1) : value
      case "x":
        if (!isObj(value)) return value
        {
          const type = this.typeOfObject(value)
          return type === undefined ? value : this.conform(type, value, depth + 1)
        }
      case "[":
        return Array.isArray(value)
          ? value.map((item) => (item === null ? null : this.conformBase(parseCode(base.slice(1)).base, item, depth)))
          : value
      case "L": {
        if (!isObj(value) || !Array.isArray(value.data)) return value
        const item = parseCode(base.slice(1)).base
        return { ...value, data: value.data.map((v) => (v === null ? null : this.conformBase(item, v, depth))) }
      }
      // Scalars whose wire type changed between versions (a decimal sent as a number, then as a string).
      case "i":
      case "n":
        return typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))
          ? Number(value)
          : value
      case "s":
        return typeof value === "number" ? String(value) : value
      default:
        return value
    }
  }

  /**
   * A response body in this version's shape: one object by its `object`
   * value (or the operation's response type), or each item of a list or
   * search page.
   */
  conformResponse(type: string, body: Obj): Obj {
    const isPage = body.object === "list" || body.object === "search_result" || "next_page_url" in body
    if (isPage && Array.isArray(body.data)) {
      return {
        ...body,
        data: body.data.map((item) => (isObj(item) ? this.conform(this.typeOfObject(item) ?? type, item) : item))
      }
    }
    return this.conform(this.typeOfObject(body) ?? type, body)
  }

  /**
   * Stripe's tagged objects: an object whose `type` (or `flow`) names one of
   * its optional fields carries that field (a token of type `card` has
   * `card`, a source with flow `receiver` has `receiver`). Fills it with the
   * field's template when it is missing, in place.
   */
  fillTagged(type: string, obj: Obj): Obj {
    const fields = this.fieldsOf(type)
    for (const tag of ["type", "flow"]) {
      const value = obj[tag]
      if (typeof value !== "string" || value === tag || obj[value] !== undefined) continue
      const code = fields[value]
      if (code === undefined) continue
      const { base } = parseCode(code)
      if (base[0] === "#") obj[value] = this.template(base.slice(1), 1)
    }
    return obj
  }

  /** Coerces one param value to a field code (form values are strings). */
  coerce(code: string, value: Value, current: Json | undefined, resolve?: Resolver, field = ""): Json {
    const { base, nullable } = parseCode(code)
    if (value === "" || value === null) {
      if (nullable) return null
      if (base[0] === "m" || base[0] === "#") return base[0] === "m" ? {} : null
      const d = this.defaultFor(base, 0)
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
        return items.map((item: Value) => this.coerce(base.slice(1), item, undefined, resolve, field))
      }
      case "#": {
        const type = base.slice(1)
        if (!isObj(value)) {
          if (typeof value === "string" && resolve !== undefined) return structuredClone(resolve(value, field, type))
          return current === undefined ? this.template(type, 1) : current
        }
        const target = isObj(current) ? { ...current } : this.template(type, 1)
        this.merge(type, target, value, resolve)
        return target
      }
      default:
        return toJson(value)
    }
  }

  /**
   * Merges params into a stored object: known fields are coerced to their
   * type, params the object does not have (write-only ones like `confirm`)
   * are ignored.
   */
  merge(type: string, target: Obj, params: Readonly<Record<string, Value>>, resolve?: Resolver): Obj {
    const fields = this.fieldsOf(type)
    for (const [key, value] of Object.entries(params)) {
      const code = fields[key]
      if (code === undefined || key === "id" || key === "object") continue
      if (parseCode(code).base[0] === "L") continue
      target[key] = this.coerce(code, value, target[key], resolve, key)
    }
    return target
  }

  /** A value of one field's type (for fields handlers set by hand). */
  coerceField(type: string, field: string, value: Value): Json {
    const code = this.fieldsOf(type)[field]
    return code === undefined ? toJson(value) : this.coerce(code, value, undefined)
  }
}

const cache = new Map<SpecTable, Shapes>()

/**
 * The shapes of a table (one instance per table).
 *
 * @internal
 */
export const shapesOf = (table: SpecTable): Shapes => {
  const known = cache.get(table)
  if (known !== undefined) return known
  const made = new Shapes(table)
  cache.set(table, made)
  return made
}
