/**
 * A subset of Stripe's search query language: `field:"value"`,
 * `metadata["key"]:"value"`, `field~"substr"`, numeric `>`, `<`, `>=`, `<=`,
 * negation with `-`, and clauses joined by `AND` or `OR` (not mixed).
 *
 * @internal
 */
import type { Json } from "./json.js"
import { isObj } from "./json.js"

interface Clause {
  readonly path: ReadonlyArray<string>
  readonly op: ":" | "~" | ">" | "<" | ">=" | "<="
  readonly value: string | number | null
  readonly negate: boolean
}

/** @internal */
export interface Query {
  readonly clauses: ReadonlyArray<Clause>
  readonly join: "AND" | "OR"
}

const clauseRe =
  /^\s*(-?)(metadata\[\s*"((?:[^"\\]|\\.)*)"\s*\]|metadata\[\s*'((?:[^'\\]|\\.)*)'\s*\]|[a-zA-Z_][a-zA-Z0-9_.]*)\s*(>=|<=|:|~|>|<)\s*("((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|-?\d+(?:\.\d+)?|null)\s*/

/**
 * Parses a query; a string describes the syntax error.
 *
 * @internal
 */
export const parseQuery = (input: string): Query | string => {
  const clauses: Array<Clause> = []
  let rest = input.trim()
  let join: "AND" | "OR" | undefined
  if (rest.length === 0) return "The query is empty."
  while (rest.length > 0) {
    const m = clauseRe.exec(rest)
    if (m === null) return `Invalid search query near: ${rest.slice(0, 40)}`
    const metaKey = m[3] ?? m[4]
    const path = metaKey !== undefined ? ["metadata", metaKey] : m[2].split(".")
    const quoted = m[7] ?? m[8]
    const value = quoted !== undefined ? quoted.replace(/\\(.)/g, "$1") : m[6] === "null" ? null : Number(m[6])
    const op = m[5]
    if (op !== ":" && op !== "~" && op !== ">" && op !== "<" && op !== ">=" && op !== "<=") return "Invalid operator."
    clauses.push({ path, op, value, negate: m[1] === "-" })
    rest = rest.slice(m[0].length)
    if (rest.length === 0) break
    const j = /^(AND|OR)\s+/i.exec(rest)
    if (j === null) return `Expected AND or OR near: ${rest.slice(0, 40)}`
    const word = j[1].toUpperCase() === "AND" ? "AND" : "OR"
    if (join !== undefined && join !== word) return "Search queries cannot mix AND and OR."
    join = word
    rest = rest.slice(j[0].length)
  }
  return { clauses, join: join ?? "AND" }
}

const lookup = (obj: Json, path: ReadonlyArray<string>): Json | undefined => {
  let node: Json | undefined = obj
  for (const key of path) {
    if (!isObj(node)) return undefined
    node = node[key]
  }
  return node
}

const test = (obj: Json, clause: Clause): boolean => {
  const actual = lookup(obj, clause.path)
  const target = clause.value
  let ok: boolean
  switch (clause.op) {
    case ":":
      ok = target === null
        ? actual === null || actual === undefined
        : actual !== null && actual !== undefined && String(isObj(actual) ? actual.id : actual) === String(target)
      break
    case "~":
      ok = typeof actual === "string" && target !== null && actual.includes(String(target))
      break
    default: {
      const a = typeof actual === "number" ? actual : Number(actual)
      const b = Number(target)
      ok = !Number.isNaN(a) && !Number.isNaN(b) &&
        (clause.op === ">" ? a > b : clause.op === "<" ? a < b : clause.op === ">=" ? a >= b : a <= b)
    }
  }
  return clause.negate ? !ok : ok
}

/** @internal */
export const matches = (obj: Json, query: Query): boolean =>
  query.join === "AND" ? query.clauses.every((c) => test(obj, c)) : query.clauses.some((c) => test(obj, c))
