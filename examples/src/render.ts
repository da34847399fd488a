/**
 * Terminal rendering for the explorer: tables for lists, trees for objects,
 * with every secret-looking value masked before it is printed.
 */
import * as DateTime from "effect/DateTime"
import * as Redacted from "effect/Redacted"

// The SDK decodes credentials (client secrets, portal and onboarding URLs,
// session tokens) as Redacted; these names are masked too in case a value
// reaches the explorer some other way (a raw webhook payload, say).
const secretFields = new Set(["client_secret", "authentication_token", "secret", "api_key"])

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const mask = (value: string): string => value.length <= 8 ? "<redacted>" : `${value.slice(0, 6)}…<redacted>`

const scalar = (key: string, value: unknown): string => {
  if (Redacted.isRedacted(value)) return "<redacted>"
  if (DateTime.isDateTime(value)) return DateTime.formatIso(value)
  if (typeof value === "string") {
    if (value === "") return `"" (empty string)`
    return secretFields.has(key) ? mask(value) : JSON.stringify(value)
  }
  if (value === null) return "null"
  if (value === undefined) return "undefined"
  if (typeof value === "bigint") return `${value}n`
  if (value instanceof Date) return value.toISOString()
  return String(value)
}

/**
 * Renders an object as an indented tree, at most `depth` levels and
 * `maxEntries` keys per level. Null fields are left out to keep it readable,
 * and each level says how many it left out; an empty string is shown as one.
 */
export const tree = (
  value: unknown,
  options: { readonly depth?: number; readonly maxEntries?: number } = {}
): string => {
  const depth = options.depth ?? 2
  const maxEntries = options.maxEntries ?? 14
  const lines: Array<string> = []
  const walk = (v: unknown, indent: string, level: number): void => {
    const all: Array<readonly [string, unknown]> = Array.isArray(v)
      ? v.map((item, i) => [`[${i}]`, item] as const)
      : isRecord(v)
      ? Object.entries(v)
      : []
    const entries = all.filter(([, x]) => x !== null && x !== undefined)
    const nulls = all.length - entries.length
    const shown = entries.slice(0, maxEntries)
    const more = entries.length > maxEntries || nulls > 0
    shown.forEach(([key, child], i) => {
      const last = i === shown.length - 1 && !more
      const branch = last ? "└─ " : "├─ "
      const nested = Array.isArray(child) ||
        (isRecord(child) && !Redacted.isRedacted(child) && !DateTime.isDateTime(child))
      if (nested) {
        const count = Array.isArray(child) ? child.length : Object.keys(child).length
        const empty = count === 0
        const size = Array.isArray(child) ? (empty ? "[]" : `[${count} items]`) : empty ? "{}" : `{${count} fields}`
        if (level >= depth || empty) {
          lines.push(`${indent}${branch}${key}: ${size}`)
        } else {
          lines.push(`${indent}${branch}${key}`)
          walk(child, indent + (last ? "   " : "│  "), level + 1)
        }
      } else {
        lines.push(`${indent}${branch}${key}: ${scalar(key, child)}`)
      }
    })
    const hidden = [
      entries.length > maxEntries ? `${entries.length - maxEntries} more` : "",
      nulls > 0 ? `${nulls} null field${nulls === 1 ? "" : "s"} not shown` : ""
    ].filter((p) => p !== "")
    if (hidden.length > 0) lines.push(`${indent}└─ … ${hidden.join(", ")}`)
  }
  walk(value, "", 0)
  return lines.join("\n")
}

/** Renders rows as a fixed-width table of the given columns. */
export const table = (
  title: string,
  rows: ReadonlyArray<object>,
  columns: ReadonlyArray<string>
): string => {
  const cells = rows.map((row) => columns.map((c) => scalar(c, Reflect.get(row, c)).replace(/^"|"$/g, "")))
  const widths = columns.map((c, i) => Math.min(40, Math.max(c.length, ...cells.map((r) => r[i]!.length))))
  const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w))
  const line = (parts: ReadonlyArray<string>) => `│ ${parts.map((p, i) => fit(p, widths[i]!)).join(" │ ")} │`
  const rule = (l: string, m: string, r: string) => `${l}${widths.map((w) => "─".repeat(w + 2)).join(m)}${r}`
  return [
    `${title} (${rows.length} row${rows.length === 1 ? "" : "s"})`,
    rule("┌", "┬", "┐"),
    line(columns),
    rule("├", "┼", "┤"),
    ...cells.map(line),
    rule("└", "┴", "┘")
  ].join("\n")
}
