/**
 * `expand[]`: ids at dotted paths replaced by the objects they name, and
 * includable fields (which Stripe sends only when expanded) removed
 * everywhere they were not asked for.
 *
 * @internal
 */
import type { Json, Obj } from "./json.js"
import { clone, isObj } from "./json.js"
import { includableOf } from "./shapes.js"

/** Finds an object (or a deleted stub) by id. @internal */
export type Lookup = (id: string) => Obj | undefined

const inflate = (value: Json, path: ReadonlyArray<string>, depth: number, lookup: Lookup): Json => {
  if (depth > 4 || path.length === 0) return value
  if (Array.isArray(value)) return value.map((v) => inflate(v, path, depth, lookup))
  if (!isObj(value)) return value
  const [head, ...rest] = path
  const current = value[head]
  if (current === undefined) return value
  let next: Json = current
  if (typeof current === "string") {
    const found = lookup(current)
    if (found !== undefined) next = clone(found)
  } else if (Array.isArray(current)) {
    next = current.map((v) => {
      if (typeof v !== "string") return v
      const found = lookup(v)
      return found === undefined ? v : clone(found)
    })
  }
  value[head] = rest.length === 0 ? next : inflate(next, rest, depth + 1, lookup)
  return value
}

/** The paths below `field` of a set of paths (`customer.sources` → `sources`). */
const below = (paths: ReadonlyArray<string>, field: string): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (const p of paths) if (p.startsWith(`${field}.`)) out.push(p.slice(field.length + 1))
  return out
}

/** Drops includable fields that were not expanded, in place. */
const prune = (value: Json, paths: ReadonlyArray<string>, depth: number): void => {
  if (depth > 8) return
  if (Array.isArray(value)) {
    for (const item of value) prune(item, paths, depth + 1)
    return
  }
  if (!isObj(value)) return
  const type = typeof value.object === "string" ? value.object : undefined
  const hidden = type === undefined ? undefined : includableOf(type)
  if (hidden !== undefined) {
    for (const field of hidden) if (!paths.includes(field)) delete value[field]
  }
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === "object" && child !== null) prune(child, below(paths, key), depth + 1)
  }
}

/**
 * A response with the given expansions applied, shaped by `shape` (to the
 * request's API version). `value` must be a copy: it is changed in place.
 *
 * @internal
 */
export const expand = (
  value: Json,
  paths: ReadonlyArray<string>,
  lookup: Lookup,
  shape: (value: Json) => Json = (v) => v
): Json => {
  let out = value
  for (const path of paths) out = inflate(out, path.split("."), 0, lookup)
  // Shaped after expanding (expanded objects take the request's version too), before pruning.
  out = shape(out)
  prune(out, paths, 0)
  return out
}
