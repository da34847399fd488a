/**
 * Matches a request path to a generated operation.
 *
 * @internal
 */
import type { OperationSpec } from "../generated/spec.js"
import { operations } from "../generated/spec.js"

/** @internal */
export interface Route {
  readonly op: OperationSpec
  /** Path params in template order, decoded. */
  readonly params: ReadonlyArray<readonly [string, string]>
}

interface Compiled {
  readonly op: OperationSpec
  readonly segments: ReadonlyArray<string>
  readonly literals: number
}

const compiled: ReadonlyArray<Compiled> = operations.map((op) => {
  const segments = op.p.split("/")
  return { op, segments, literals: segments.filter((s) => !s.startsWith("{")).length }
})

/** @internal */
export const matchPath = (template: string, path: string): ReadonlyArray<readonly [string, string]> | undefined => {
  const t = template.split("/")
  const p = path.split("/")
  if (t.length !== p.length) return undefined
  const params: Array<readonly [string, string]> = []
  for (let i = 0; i < t.length; i++) {
    if (t[i].startsWith("{")) {
      if (p[i] === "") return undefined
      params.push([t[i].slice(1, -1), decodeURIComponent(p[i])])
    } else if (t[i] !== p[i]) {
      return undefined
    }
  }
  return params
}

/**
 * The best route for a method and path: the candidate with the most literal
 * segments wins, so `/v1/customers/search` beats `/v1/customers/{customer}`.
 * `undefined` with `allowed` methods tells a 405-like miss from a 404.
 *
 * @internal
 */
export const route = (method: string, path: string): Route | undefined => {
  let best: { c: Compiled; params: ReadonlyArray<readonly [string, string]> } | undefined
  for (const c of compiled) {
    if (c.op.m !== method) continue
    if (best !== undefined && c.literals <= best.c.literals) continue
    const params = matchPath(c.op.p, path)
    if (params !== undefined) best = { c, params }
  }
  return best === undefined ? undefined : { op: best.c.op, params: best.params }
}
