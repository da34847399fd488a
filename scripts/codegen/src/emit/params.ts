/**
 * The params types of each resource: one interface per operation (body or
 * query params; path params are arguments), with `expand` as a type
 * parameter so that the call can narrow its result.
 *
 * Nested objects are inline, except in a params type too large to read (or
 * to fit in a file): there, large nested objects become interfaces of their
 * own, named by their path (`PaymentIntentCreateParamsPaymentMethodOptionsCard`).
 *
 * @since 0.2.0
 */
import type { Field, Model, NamedType, Operation, Type } from "../model.js"
import { type Declaration, type FilePlan, pack } from "./files.js"
import { isExpandable, paramsIdent, qualifiedName, type Resource, resourcePath } from "./layout.js"
import { SINCE } from "./objects.js"
import { paramFields, type ParamsContext, paramStruct, paramType, Refs, refToken } from "./render.js"
import { compare, docText, jsdoc, lineCount, pascal } from "./text.js"

/** A params type larger than this many lines has its large nested objects hoisted. */
const HOIST_ABOVE = 400
/** ...those of more than this many lines. */
const HOIST_NESTED_ABOVE = 40

/**
 * The placeholder name of a params declaration (`params:CustomerCreateParams`).
 *
 * @since 0.2.0
 */
export const paramsName = (ident: string): string => `params:${ident}`

const unwrap = (t: Type): Type => t.kind === "nullable" ? unwrap(t.inner) : t.kind === "array" ? unwrap(t.items) : t

/**
 * The fields of the response that `expand` can replace, as dotted paths
 * (`customer`, `data.customer` for lists).
 *
 * @since 0.2.0
 */
export const expandablePaths = (model: Model, op: Operation): ReadonlyArray<string> => {
  if (op.response.kind === "bytes") return []
  const root = op.response.kind === "object" ? op.response.type : op.response.items
  const prefix = op.response.kind === "object" ? "" : "data."
  const out = new Set<string>()
  const visit = (t: Type, seen: Set<string>) => {
    if (t.kind === "ref") {
      if (seen.has(t.name)) return
      seen.add(t.name)
      const named = model.types[t.name]
      if (named !== undefined) visit(named.type, seen)
    } else if (t.kind === "union") {
      for (const m of t.members) visit(m, seen)
    } else if (t.kind === "struct") {
      for (const f of t.fields) if (unwrap(f.type).kind === "expandable") out.add(prefix + f.name)
    }
  }
  visit(root, new Set())
  return [...out].sort(compare)
}

const expandDoc = (paths: ReadonlyArray<string>): string =>
  paths.length === 0
    ? "Fields to expand in the response; narrows the result type."
    : `Fields to expand in the response (${paths.map((p) => `\`${p}\``).join(", ")}); narrows the result type.`

/**
 * The declarations of one operation's params: the params interface and the
 * nested interfaces hoisted out of it.
 *
 * @since 0.2.0
 */
export const paramsDeclarations = (model: Model, resource: Resource, op: Operation): Array<Declaration> => {
  const ident = paramsIdent(op)
  const hoisted: Array<Declaration> = []
  const used = new Set<string>()
  const render = (hoist: boolean): { text: string; refs: Refs } => {
    hoisted.length = 0
    used.clear()
    const refs = new Refs()
    const json = op.encoding === "json"
    const hoisterFor =
      (callerRefs: Refs) =>
      (path: ReadonlyArray<string>, fields: ReadonlyArray<Field>, depth: number): string | undefined => {
        const probe: ParamsContext = { refs: new Refs(), json }
        if (lineCount(paramStruct(fields, probe, depth, path)) <= HOIST_NESTED_ABOVE) return undefined
        const base = ident + path.map(pascal).join("")
        let name = base
        for (let n = 2; used.has(name); n++) name = `${base}${n}`
        used.add(name)
        const own = new Refs()
        const body = paramStruct(fields, { refs: own, json, hoist: hoisterFor(own) }, 0, path)
        hoisted.push({
          names: [paramsName(name)],
          text: `${
            jsdoc([`\`${path.join(".")}\` of {@link ${ident}}.`, "", SINCE, "@category params"])
          }export interface ${name} ${body}\n`,
          refs: own
        })
        callerRefs.types.add(paramsName(name))
        return refToken(paramsName(name))
      }
    const ctx: ParamsContext = { refs, json, hoist: hoist ? hoisterFor(refs) : undefined }
    const lines = paramFields(op.params, ctx, 1, [])
    const generic = isExpandable(op) ? "<E extends ReadonlyArray<string> = ReadonlyArray<string>>" : ""
    if (isExpandable(op)) {
      lines.unshift(`  /** ${expandDoc(expandablePaths(model, op))} */\n  readonly expand?: E | undefined`)
    }
    const doc = jsdoc([
      `Params of \`${qualifiedName(resource)}.${op.name}\` (\`${op.httpMethod} ${op.path}\`).`,
      "",
      SINCE,
      "@category params"
    ])
    const body = lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n}`
    return { text: `${doc}export interface ${ident}${generic} ${body}\n`, refs }
  }
  let main = render(false)
  if (lineCount(main.text) > HOIST_ABOVE) main = render(true)
  // Hoisted interfaces refer to each other; the main one refers to them.
  return [{ names: [paramsName(ident)], text: main.text, refs: main.refs }, ...hoisted.slice()]
}

/**
 * The declaration of a named type that only params use: its params type, no schema.
 *
 * @since 0.2.0
 */
export const paramsTypeDeclaration = (t: NamedType, json: boolean): Declaration => {
  const refs = new Refs()
  const ctx: ParamsContext = { refs, json }
  const doc = jsdoc([...(t.description === undefined ? [] : [docText(t.description), ""]), SINCE, "@category params"])
  const text = t.type.kind === "struct"
    ? `export interface ${t.ident} ${paramStruct(t.type.fields, ctx, 0, [])}\n`
    : `export type ${t.ident} = ${paramType(t.type, ctx, 0, [])}\n`
  return { names: [t.name], text: doc + text, refs }
}

/**
 * The planned params files: per resource, its operations' params, and the
 * params-only named types of the file group of the same name (others in a
 * file of their group's name).
 *
 * @since 0.2.0
 */
export const planParams = (
  model: Model,
  resources: ReadonlyArray<Resource>,
  paramsOnly: ReadonlySet<string>,
  budget: number
): ReadonlyArray<FilePlan> => {
  const groups = new Map<string, Array<Declaration>>()
  const add = (group: string, ds: ReadonlyArray<Declaration>) => {
    const list = groups.get(group) ?? []
    list.push(...ds)
    groups.set(group, list)
  }
  for (const r of resources) add(resourcePath(r), r.operations.flatMap((op) => paramsDeclarations(model, r, op)))
  // v2 params travel as JSON: the named types of v2 file groups take no `Date`.
  const named = Object.values(model.types).filter((t) => paramsOnly.has(t.name)).sort((a, b) =>
    compare(a.ident, b.ident)
  )
  for (const t of named) add(t.module, [paramsTypeDeclaration(t, t.module.startsWith("V2/"))])
  return [...groups.keys()].sort(compare).flatMap((g) => pack(`params/${g}`, groups.get(g) ?? [], budget))
}
