/**
 * Small helpers shared by the model sources (`openapi.ts`, `stripe.ts`).
 *
 * @since 0.2.0
 */
import type { Field, Model, NamedType, Operation, Type } from "../model.js"

/**
 * Code-unit string order: locale-independent, so output never depends on the machine.
 *
 * @since 0.2.0
 */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Entries of a record sorted by key.
 *
 * @since 0.2.0
 */
export const sortedEntries = <A>(o: Readonly<Record<string, A>>): Array<[string, A]> =>
  Object.entries(o).sort(([a], [b]) => compare(a, b))

const entities: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": "\"",
  "&#39;": "'",
  "&nbsp;": " "
}

/**
 * The first paragraph of a description as plain text (HTML tags dropped,
 * whitespace collapsed), or `undefined` when there is none.
 *
 * @since 0.2.0
 */
export const firstParagraph = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined
  const first = text.trim().split(/<\/p>|\n\s*\n/)[0] ?? ""
  const plain = first
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => entities[e] ?? e)
    .replace(/\s+/g, " ")
    .trim()
  return plain === "" ? undefined : plain
}

/**
 * Operations in the model's order: namespace, resource, name (then method and path).
 *
 * @since 0.2.0
 */
export const compareOperations = (a: Operation, b: Operation): number =>
  compare(a.namespace.join("."), b.namespace.join(".")) ||
  compare(a.resource, b.resource) ||
  compare(a.name, b.name) ||
  compare(a.httpMethod, b.httpMethod) ||
  compare(a.path, b.path)

/**
 * Fields sorted by name.
 *
 * @since 0.2.0
 */
export const sortFields = (fields: ReadonlyArray<Field>): ReadonlyArray<Field> =>
  [...fields].sort((a, b) => compare(a.name, b.name))

/**
 * A record of named types with keys in sorted order.
 *
 * @since 0.2.0
 */
export const sortTypes = (types: ReadonlyMap<string, NamedType>): Readonly<Record<string, NamedType>> => {
  const out: Record<string, NamedType> = {}
  for (const key of [...types.keys()].sort(compare)) {
    const t = types.get(key)
    if (t !== undefined) out[key] = t
  }
  return out
}

/**
 * `nullable(inner)`, without nesting `nullable` in `nullable`.
 *
 * @since 0.2.0
 */
export const nullable = (inner: Type): Type => (inner.kind === "nullable" ? inner : { kind: "nullable", inner })

/**
 * Names of the `ref`s directly inside a type (not following refs).
 *
 * @since 0.2.0
 */
export const refsOf = (t: Type, out: Array<string> = []): Array<string> => {
  switch (t.kind) {
    case "ref":
      out.push(t.name)
      break
    case "array":
    case "list":
      refsOf(t.items, out)
      break
    case "map":
      refsOf(t.values, out)
      break
    case "nullable":
      refsOf(t.inner, out)
      break
    case "union":
      for (const m of t.members) refsOf(m, out)
      break
    case "expandable":
      for (const m of t.targets) refsOf(m, out)
      break
    case "struct":
      for (const f of t.fields) refsOf(f.type, out)
      break
    default:
      break
  }
  return out
}

/**
 * Counts of a model, for logs and reports.
 *
 * @since 0.2.0
 */
export const modelCounts = (
  model: Model
): { readonly operations: number; readonly types: number; readonly objects: number; readonly events: number } => ({
  operations: model.operations.length,
  types: Object.keys(model.types).length,
  objects: Object.values(model.types).filter((t) => t.objectValue !== undefined).length,
  events: model.events.length
})
