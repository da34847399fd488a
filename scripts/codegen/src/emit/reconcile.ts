/**
 * The reference SDK's promise, reconciled with the other description of its
 * API version: the `stripe@15.12.0` declarations and Stripe's OpenAPI spec
 * both describe 2024-04-10, and stripe-mock answers from the spec. A field of
 * a response type is required, and not nullable, only where both say so: the
 * declarations carry fields added after the spec snapshot (an Issuing card's
 * `personalization_design`, a price's `recurring.trial_period_days`) and
 * legacy fields the public spec omits (a PaymentIntent's `source`), which
 * stripe-mock's fixtures do not have. The cross-check test lists those
 * differences with their reasons; this step only makes the reference SDK
 * decode what the spec allows.
 *
 * @since 0.2.0
 */
import type { Field, Model, NamedType, Type } from "../model.js"
import { compare } from "./text.js"

/**
 * What {@link reconcileWithSpec} changed.
 *
 * @since 0.2.0
 */
export interface Reconciled {
  readonly model: Model
  /** Fields made optional: required in the model, absent or optional in the spec. */
  readonly optional: number
  /** Fields made nullable: not nullable in the model, nullable in the spec. */
  readonly nullable: number
}

const unwrap = (t: Type): Type =>
  t.kind === "nullable" ? unwrap(t.inner) : t.kind === "array" || t.kind === "list" ? unwrap(t.items) : t

/** The named types a type refers to (through nullable, arrays, lists, unions and expandable targets). */
const refsOf = (t: Type): ReadonlyArray<string> => {
  const u = unwrap(t)
  switch (u.kind) {
    case "ref":
      return [u.name]
    case "union":
      return u.members.flatMap(refsOf)
    case "expandable":
      return u.targets.flatMap(refsOf)
    default:
      return []
  }
}

const shapeOf = (method: string, path: string): string => `${method} ${path.replace(/\{[^}]+\}/g, "{}")}`

/**
 * For each model type, the spec types it matches: objects by `object` value,
 * operation responses by method and path shape, then field by field (the
 * same field of matched types refers to matched types). A model type may
 * match several spec types and the other way round (the declarations share
 * one type where the spec has one per use, and the reverse).
 */
const matchAll = (model: Model, spec: Model): ReadonlyMap<string, ReadonlySet<string>> => {
  const out = new Map<string, Set<string>>()
  const queue: Array<readonly [string, string]> = []
  const link = (from: string, to: string) => {
    if (model.types[from] === undefined || spec.types[to] === undefined) return
    const set = out.get(from) ?? new Set<string>()
    if (set.has(to)) return
    set.add(to)
    out.set(from, set)
    queue.push([from, to])
  }
  const bySpecObject = new Map<string, Array<string>>()
  for (const t of Object.values(spec.types)) {
    if (t.objectValue === undefined) continue
    const key = `${t.objectValue}${t.deleted === true ? " deleted" : ""}`
    bySpecObject.set(key, [...(bySpecObject.get(key) ?? []), t.name])
  }
  for (const t of Object.values(model.types).sort((a, b) => compare(a.name, b.name))) {
    if (t.objectValue === undefined) continue
    for (const to of bySpecObject.get(`${t.objectValue}${t.deleted === true ? " deleted" : ""}`) ?? []) link(t.name, to)
  }
  const specOps = new Map(spec.operations.map((op) => [shapeOf(op.httpMethod, op.path), op] as const))
  for (const op of model.operations) {
    const other = specOps.get(shapeOf(op.httpMethod, op.path))
    if (other === undefined || op.response.kind === "bytes" || other.response.kind === "bytes") continue
    const xs = refsOf(op.response.kind === "object" ? op.response.type : op.response.items)
    const ys = refsOf(other.response.kind === "object" ? other.response.type : other.response.items)
    if (xs.length === 1 && ys.length === 1) link(xs[0]!, ys[0]!)
  }
  while (queue.length > 0) {
    const [from, to] = queue.shift()!
    const a = model.types[from]?.type
    const b = spec.types[to]?.type
    if (a?.kind !== "struct" || b?.kind !== "struct") continue
    const specFields = new Map(b.fields.map((f) => [f.name, f.type] as const))
    for (const f of a.fields) {
      const other = specFields.get(f.name)
      if (other === undefined) continue
      const xs = refsOf(f.type)
      const ys = refsOf(other)
      // One-to-one, or members with the same `object` value.
      if (xs.length === 1 && ys.length === 1) link(xs[0]!, ys[0]!)
      else {
        for (const x of xs) {
          const value = model.types[x]?.objectValue
          // A deleted variant shares its object's `object` value but not its fields: a customer's
          // fields must not make `DeletedCustomer.deleted` optional (which makes the two ambiguous).
          const deleted = model.types[x]?.deleted === true
          for (const y of ys) {
            const other = spec.types[y]
            if (value !== undefined && other?.objectValue === value && (other.deleted === true) === deleted) link(x, y)
          }
        }
      }
    }
  }
  return out
}

const isNullable = (t: Type): boolean =>
  t.kind === "nullable" || t.kind === "unknown" || (t.kind === "union" && t.members.some(isNullable))

/**
 * The model with each response field relaxed to what every matching spec
 * type allows.
 *
 * @since 0.2.0
 */
export const reconcileWithSpec = (model: Model, spec: Model): Reconciled => {
  const matches = matchAll(model, spec)
  let optional = 0
  let nullable = 0
  const types: Record<string, NamedType> = {}
  for (const [name, t] of Object.entries(model.types)) {
    const others = [...(matches.get(name) ?? [])].flatMap((n) => {
      const o = spec.types[n]?.type
      return o?.kind === "struct" ? [new Map(o.fields.map((f) => [f.name, f] as const))] : []
    })
    if (t.type.kind !== "struct" || others.length === 0) {
      types[name] = t
      continue
    }
    const fields = t.type.fields.map((f): Field => {
      const specs = others.map((fields) => fields.get(f.name))
      let out = f
      if (!f.optional && specs.some((s) => s === undefined || s.optional)) {
        optional++
        out = { ...out, optional: true }
      }
      if (specs.some((s) => s !== undefined && isNullable(s.type)) && !isNullable(f.type)) {
        nullable++
        out = { ...out, type: { kind: "nullable", inner: f.type } }
      }
      return out
    })
    types[name] = { ...t, type: { kind: "struct", fields } }
  }
  return { model: { ...model, types }, optional, nullable }
}
