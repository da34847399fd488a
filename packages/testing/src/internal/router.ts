/**
 * Matches a request path to an operation of a table.
 *
 * @internal
 */
import type { OperationSpec, SpecTable } from "./spec.js"

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

const matchSegments = (
  template: ReadonlyArray<string>,
  path: ReadonlyArray<string>
): ReadonlyArray<readonly [string, string]> | undefined => {
  if (template.length !== path.length) return undefined
  const params: Array<readonly [string, string]> = []
  for (let i = 0; i < template.length; i++) {
    const t = template[i]
    if (t.charCodeAt(0) === 123) {
      if (path[i] === "") return undefined
      params.push([t.slice(1, -1), decodeURIComponent(path[i])])
    } else if (t !== path[i]) {
      return undefined
    }
  }
  return params
}

/** @internal */
export const matchPath = (template: string, path: string): ReadonlyArray<readonly [string, string]> | undefined =>
  matchSegments(template.split("/"), path.split("/"))

/**
 * The routes of one table, indexed by method and segment count (routing runs
 * on every request).
 *
 * @internal
 */
export class Router {
  private readonly index = new Map<string, Array<Compiled>>()

  constructor(table: SpecTable) {
    for (const op of table.operations) {
      const segments = op.p.split("/")
      const key = `${op.m} ${segments.length}`
      const list = this.index.get(key) ?? []
      list.push({ op, segments, literals: segments.filter((s) => !s.startsWith("{")).length })
      this.index.set(key, list)
    }
  }

  /**
   * The best route for a method and path: the candidate with the most
   * literal segments wins, so `/v1/customers/search` beats
   * `/v1/customers/{customer}`.
   */
  route(method: string, path: string): Route | undefined {
    const segments = path.split("/")
    let best: { c: Compiled; params: ReadonlyArray<readonly [string, string]> } | undefined
    for (const c of this.index.get(`${method} ${segments.length}`) ?? []) {
      if (best !== undefined && c.literals <= best.c.literals) continue
      const params = matchSegments(c.segments, segments)
      if (params !== undefined) best = { c, params }
    }
    return best === undefined ? undefined : { op: best.c.op, params: best.params }
  }
}

const routers = new Map<SpecTable, Router>()

/** The router of a table (one per table). @internal */
export const routerOf = (table: SpecTable): Router => {
  const known = routers.get(table)
  if (known !== undefined) return known
  const made = new Router(table)
  routers.set(table, made)
  return made
}
