/**
 * Method and identifier names derived from Stripe paths and schema names
 * (the OpenAPI source's naming rules).
 */

/** Segment words whose method-name forms are irregular: [plural, singular]. */
export const segmentNames: Readonly<Record<string, readonly [string, string]>> = {
  lines: ["LineItems", "LineItem"],
  capabilities: ["Capabilities", "Capability"],
  line_items: ["LineItems", "LineItem"],
  entries: ["Entries", "Entry"],
  summaries: ["Summaries", "Summary"],
  event_summaries: ["EventSummaries", "EventSummary"],
  usage_record_summaries: ["UsageRecordSummaries", "UsageRecordSummary"],
  cash_balance_transactions: ["CashBalanceTransactions", "CashBalanceTransaction"]
}

export const pascal = (s: string): string =>
  s.split(/[._\-\s]+/).filter((p) => p.length > 0).map((p) => p[0]!.toUpperCase() + p.slice(1)).join("")

export const camel = (s: string): string => {
  const p = pascal(s)
  return p[0]!.toLowerCase() + p.slice(1)
}

export const plural = (word: string): string => segmentNames[word]?.[0] ?? pascal(word)

export const singular = (word: string): string =>
  segmentNames[word]?.[1] ?? pascal(word.endsWith("s") ? word.slice(0, -1) : word)

const isParam = (segment: string): boolean => segment.startsWith("{")

export type ResponseKind = "object" | "list" | "search" | "bytes"

export interface PathFacts {
  /** Every path of the spec, to tell collections (`/x/{id}/items/{item}`) from actions. */
  readonly allPaths: ReadonlySet<string>
  /** `"GET <path>"` → response kind, for every GET in the spec. */
  readonly getKinds: ReadonlyMap<string, ResponseKind>
}

/**
 * Names an operation from its path below the resource prefix, following the
 * official SDKs: `create`, `retrieve`, `update`, `del`, `list`, `search`,
 * custom actions in camelCase, sub-resources as `<verb><Singular>`.
 * Returns `undefined` when no rule applies (the override table must).
 */
export const methodName = (
  httpMethod: "GET" | "POST" | "DELETE",
  prefix: string,
  path: string,
  kind: ResponseKind,
  facts: PathFacts
): string | undefined => {
  const rest = path.slice(prefix.length).split("/").filter((s) => s.length > 0)
  const isList = kind === "list"
  const collection = (sub: string): boolean =>
    facts.getKinds.get(`GET ${sub}`) === "list" ||
    [...facts.allPaths].some((p) => p.startsWith(sub + "/{"))
  if (rest.length === 0) {
    if (httpMethod === "GET") return isList ? "list" : "retrieve"
    return httpMethod === "POST" ? "create" : "del"
  }
  const [a, b, c, d] = rest
  if (rest.length === 1) {
    if (isParam(a!)) return httpMethod === "GET" ? "retrieve" : httpMethod === "POST" ? "update" : "del"
    if (a === "search" && kind === "search") return "search"
    if (httpMethod === "GET" && isList) return "list" + plural(a!)
    return camel(a!)
  }
  if (rest.length === 2) {
    if (isParam(a!)) {
      if (httpMethod === "GET") return isList ? "list" + plural(b!) : "retrieve" + pascal(b!)
      if (httpMethod === "DELETE") return "delete" + pascal(b!)
      if (collection(path)) return "create" + singular(b!)
      if (facts.getKinds.has(`GET ${path}`)) return "update" + pascal(b!)
      return camel(b!)
    }
    if (httpMethod === "GET" && isList) return "list" + pascal(a!) + plural(b!)
    return undefined
  }
  if (rest.length === 3 && isParam(a!)) {
    if (isParam(c!)) {
      return (httpMethod === "GET" ? "retrieve" : httpMethod === "POST" ? "update" : "delete") + singular(b!)
    }
    return camel(c!) + pascal(b!)
  }
  if (rest.length === 4 && isParam(a!) && isParam(c!) && !isParam(d!)) {
    return camel(d!) + singular(b!)
  }
  return undefined
}
