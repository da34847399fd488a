/**
 * Synthesizes plausible Stripe objects from the spec, the way stripe-mock
 * builds its fixtures: required fields always, optional ones near the root,
 * expandable references as ids. Used by the resources tests.
 */
import { refName, type SchemaObject, type Spec } from "./spec.js"

export interface SampleOptions {
  /** Depth up to which optional fields are filled in. Default 1. */
  readonly optionalDepth?: number
}

const isStringMember = (s: SchemaObject): boolean => s.type === "string" && s.enum === undefined

export const sample = (spec: Spec, name: string, options: SampleOptions = {}): unknown => {
  const optionalDepth = options.optionalDepth ?? 1
  let counter = 0
  const go = (s: SchemaObject, depth: number, field: string): unknown => {
    if (s.$ref !== undefined) {
      const target = spec.components.schemas[refName(s.$ref)]
      if (target === undefined) throw new Error(`dangling ${s.$ref}`)
      return go(target, depth, field)
    }
    if (s.nullable === true && depth > 2) return null
    const members = s.anyOf ?? s.oneOf
    if (members !== undefined) {
      // An expandable reference (`string | Customer`) is an id unless expanded.
      const pick = members.find(isStringMember) ?? members[0]!
      return go(pick, depth, field)
    }
    if (s.enum !== undefined) return s.enum[0]
    switch (s.type) {
      case "string":
        return field === "id" ? `${field}_${++counter}` : field === "currency" ? "usd" : `${field}_value`
      case "integer":
        return 1000 + depth
      case "number":
        return 1.5
      case "boolean":
        return false
      case "array":
        return depth > 3 ? [] : [go(s.items ?? {}, depth + 1, field)]
      default: {
        if (s.properties === undefined) {
          return typeof s.additionalProperties === "object" && depth < 3
            ? { key: go(s.additionalProperties, depth + 1, "key") }
            : {}
        }
        const required = new Set(s.required ?? [])
        const out: Record<string, unknown> = {}
        for (const [k, prop] of Object.entries(s.properties).sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (required.has(k) || depth < optionalDepth) out[k] = go(prop, depth + 1, k)
        }
        return out
      }
    }
  }
  return go({ $ref: `#/components/schemas/${name}` }, 0, name)
}
