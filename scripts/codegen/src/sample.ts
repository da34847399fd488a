/**
 * Synthesizes plausible Stripe objects from a model, the way stripe-mock
 * builds its fixtures: required fields always, optional ones near the root,
 * expandable references as ids, the first value of each enum. Used by tests
 * as valid inputs (their oracle is elsewhere: the request on the wire, the
 * type system, hand-written expectations).
 *
 * @since 0.2.0
 */
import type { Model, Type } from "./model.js"

/**
 * @since 0.2.0
 */
export interface SampleOptions {
  /** Depth up to which optional fields are filled in. Default 1. */
  readonly optionalDepth?: number | undefined
}

/**
 * A sample of the named type `name`: a key of `model.types`, an `ident`, or
 * the `object` value of a (live) Stripe object.
 *
 * @since 0.2.0
 */
export const sample = (model: Model, name: string, options: SampleOptions = {}): unknown => {
  const optionalDepth = options.optionalDepth ?? 1
  const byIdent = new Map(Object.values(model.types).map((t) => [t.ident, t.name] as const))
  const byObject = new Map(
    Object.values(model.types).filter((t) => t.objectValue !== undefined && t.deleted !== true)
      .sort((a, b) => a.ident.length - b.ident.length || (a.ident < b.ident ? -1 : 1)).reverse()
      .map((t) => [t.objectValue ?? "", t.name] as const)
  )
  const root = model.types[name] !== undefined ? name : byIdent.get(name) ?? byObject.get(name)
  if (root === undefined) throw new Error(`no type ${name}`)
  let counter = 0
  const go = (t: Type, depth: number, field: string, seen: ReadonlyArray<string>): unknown => {
    switch (t.kind) {
      case "ref": {
        const named = model.types[t.name]
        if (named === undefined) throw new Error(`dangling ref ${t.name}`)
        if (seen.includes(t.name) && depth > 2) return {}
        return go(named.type, depth, field, [...seen, t.name])
      }
      case "nullable":
        return depth > 2 ? null : go(t.inner, depth, field, seen)
      case "union": {
        const pick = t.members.find((m) => m.kind === "string") ?? t.members[0]
        return pick === undefined ? null : go(pick, depth, field, seen)
      }
      case "expandable":
        return `${field}_${++counter}`
      case "literal":
        return t.value
      case "enum":
        return t.values[0] ?? ""
      case "string":
        if (field === "id") return `${field}_${++counter}`
        if (field === "currency") return "usd"
        if (t.format === "date-time") return "2026-01-01T00:00:00.000Z"
        if (t.format === "decimal" || t.format === "int64") return "1"
        return `${field}_value`
      case "integer":
        return 1000 + depth
      case "number":
        return 1.5
      case "boolean":
        return false
      case "array":
        return depth > 3 ? [] : [go(t.items, depth + 1, field, seen)]
      case "list":
        return {
          object: "list",
          data: depth > 2 ? [] : [go(t.items, depth + 1, field, seen)],
          has_more: false,
          url: "/v1/list"
        }
      case "map":
        return depth < 3 ? { key: go(t.values, depth + 1, "key", seen) } : {}
      case "struct": {
        const out: Record<string, unknown> = {}
        for (const f of t.fields) {
          if (!f.optional || depth < optionalDepth) out[f.name] = go(f.type, depth + 1, f.name, seen)
        }
        return out
      }
      case "binary":
        return ""
      case "unknown":
        return {}
    }
  }
  return go({ kind: "ref", name: root }, 0, root, [])
}
