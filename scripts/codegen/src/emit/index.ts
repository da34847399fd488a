/**
 * Emits the resources SDK (`packages/resources/src/generated/`) from a model.
 * Pure and deterministic: the same model gives byte-identical files.
 *
 * @since 0.2.0
 */
import type { EventDef, Model, NamedType, Type } from "../model.js"
import {
  childExports,
  childrenOf,
  descendants,
  entryShim,
  namespaceBarrel,
  nodeFile,
  rootBarrel,
  tree
} from "./barrels.js"
import { assemble, type FilePlan, type Locations } from "./files.js"
import { paramsIdent, resourcesOf } from "./layout.js"
import { paramsOnlyTypes, planTypeModules, SINCE } from "./objects.js"
import { paramsName, planParams } from "./params.js"
import { planResource } from "./resources.js"
import { aliasOf, compare, header as headerOf, importPath, jsdoc, key, lineCount } from "./text.js"

/**
 * Lines of declarations per generated file; a file also has a header and
 * imports, so it stays under the 5,000-line limit.
 *
 * @since 0.2.0
 */
export const DEFAULT_BUDGET = 4000

/**
 * @since 0.2.0
 */
export interface EmitOptions {
  /** Lines of declarations per file before it is split. Default {@link DEFAULT_BUDGET}. */
  readonly budget?: number | undefined
}

/**
 * What was emitted.
 *
 * @since 0.2.0
 */
export interface Emitted {
  /** Path relative to `generated/` → content. */
  readonly files: ReadonlyMap<string, string>
  /**
   * The public entries of the top-level names, path relative to `src/`
   * (`Customers.ts`, `Issuing.ts`) → content: one re-export each. A
   * hand-written module of the same name (`Billing.ts`) takes precedence.
   */
  readonly entries: ReadonlyMap<string, string>
  readonly operations: number
  readonly types: number
  readonly resources: number
  readonly events: number
  /** The largest file and its line count. */
  readonly largest: { readonly file: string; readonly lines: number }
}

const RESERVED_IDENTS = new Set(["Schema", "Redacted", "Internal", "Effect", "Stream", "Op", "Guards", "Pagination"])

const typeFileText = (model: Model, plan: FilePlan, locations: Locations, header: string): string => {
  const { body, imports } = assemble(plan, locations)
  const internal = plan.declarations.some((d) => d.refs.internal)
  const redacted = plan.declarations.some((d) => d.refs.redacted)
  const module = plan.path.replace(/^types\//, "").replace(/(\.\d+)?\.ts$/, "")
  const objects = plan.declarations.flatMap((d) => d.names).map((n) => model.types[n]).filter((t): t is NamedType =>
    t?.objectValue !== undefined
  )
  const doc = jsdoc([
    `Types and schemas of the \`${module}\` file group${
      objects.length === 0 ? "" : `: ${objects.map((t) => `\`${t.ident}\``).join(", ")}`
    }.`,
    "",
    SINCE
  ])
  return [
    header,
    doc,
    ...(redacted ? [`import type * as Redacted from "effect/Redacted"`] : []),
    `import * as Schema from "effect/Schema"`,
    ...(internal ? [`import * as Internal from "${importPath(plan.path, "../internal/schema.ts")}"`] : []),
    ...imports,
    "",
    body
  ].join("\n")
}

const paramsFileText = (plan: FilePlan, locations: Locations, header: string): string => {
  const { body, imports } = assemble(plan, locations)
  const internal = plan.declarations.some((d) => d.refs.internal)
  const redacted = plan.declarations.some((d) => d.refs.redacted)
  const doc = jsdoc([
    `Params of \`${plan.path.replace(/^params\//, "").replace(/(\.\d+)?\.ts$/, "").replace(/\//g, ".")}\`${
      /\.\d+\.ts$/.test(plan.path) ? " (continued)" : ""
    }: body or query params of each operation. Path params are arguments.`,
    "",
    SINCE
  ])
  return [
    header,
    doc,
    ...(redacted ? [`import type * as Redacted from "effect/Redacted"`] : []),
    ...(internal ? [`import type * as Internal from "${importPath(plan.path, "../internal/schema.ts")}"`] : []),
    ...imports,
    ...(imports.length > 0 || internal || redacted ? [""] : []),
    body
  ].join("\n")
}

const resourceFileText = (plan: FilePlan, locations: Locations, header: string, reexports: string): string => {
  const { body, imports } = assemble(plan, locations)
  return [header, plan.doc ?? "", ...(plan.imports ?? []), ...imports, "", reexports, body].join("\n")
}

/** The refs a type mentions at its top (a ref, or a union of refs). */
const topRefs = (t: Type): ReadonlyArray<string> =>
  t.kind === "ref"
    ? [t.name]
    : t.kind === "union"
    ? t.members.flatMap(topRefs)
    : t.kind === "nullable"
    ? topRefs(t.inner)
    : []

const registryText = (model: Model, locations: Locations, header: string): string => {
  const live = new Map<string, NamedType>()
  const deleted = new Map<string, NamedType>()
  const better = (a: NamedType, b: NamedType | undefined) =>
    b === undefined || a.ident.length < b.ident.length || (a.ident.length === b.ident.length && a.ident < b.ident)
  for (const t of Object.values(model.types)) {
    if (t.objectValue === undefined) continue
    const table = t.deleted === true ? deleted : live
    if (better(t, table.get(t.objectValue))) table.set(t.objectValue, t)
  }
  const files = new Set<string>()
  const ref = (t: NamedType) => {
    const loc = locations.get(t.name)!
    files.add(loc.file)
    return `${aliasOf(loc.file)}.${loc.ident}`
  }
  const sorted = (m: Map<string, NamedType>) => [...m.entries()].sort(([a], [b]) => compare(a, b))
  const liveRows = sorted(live).map(([k, t]) => [k, ref(t)] as const)
  const deletedRows = sorted(deleted).map(([k, t]) => [k, ref(t)] as const)
  const imports = [...files].sort(compare).map((f) =>
    `import * as ${aliasOf(f)} from "${importPath("registry.ts", f)}"`
  )
  return [
    header,
    jsdoc(["Stripe objects keyed by their `object` field.", "", SINCE]),
    `import type * as Schema from "effect/Schema"`,
    ...imports,
    "",
    jsdoc(["Every Stripe object type by its `object` value.", "", SINCE, "@category models"]) +
    `export interface ObjectTypes {\n${liveRows.map(([k, v]) => `  readonly ${key(k)}: ${v}`).join("\n")}\n}\n`,
    jsdoc(["Deleted variants (`deleted: true`) by their `object` value.", "", SINCE, "@category models"]) +
    `export interface DeletedObjectTypes {\n${
      deletedRows.map(([k, v]) => `  readonly ${key(k)}: ${v}`).join("\n")
    }\n}\n`,
    jsdoc(["The schema of every object type.", "", SINCE, "@category schemas"]) +
    `export const objects: { readonly [K in keyof ObjectTypes]: Schema.Schema<ObjectTypes[K]> } = {\n${
      liveRows.map(([k, v]) => `  ${key(k)}: ${v}`).join(",\n")
    }\n}\n`,
    jsdoc(["The schema of every deleted variant.", "", SINCE, "@category schemas"]) +
    `export const deletedObjects: { readonly [K in keyof DeletedObjectTypes]: Schema.Schema<DeletedObjectTypes[K]> } = {\n${
      deletedRows.map(([k, v]) => `  ${key(k)}: ${v}`).join(",\n")
    }\n}\n`
  ].join("\n")
}

const eventsText = (model: Model, locations: Locations, header: string): string => {
  const files = new Set<string>()
  const typeOf = (e: EventDef): string => {
    const refs = e.object === undefined ? [] : topRefs(e.object)
    if (refs.length === 0) return "StripeObject"
    return [...new Set(refs)].map((name) => {
      const loc = locations.get(name)
      if (loc === undefined) throw new Error(`event ${e.type}: unknown object type ${name}`)
      files.add(loc.file)
      return `${aliasOf(loc.file)}.${loc.ident}`
    }).join(" | ")
  }
  const v1 = model.events.filter((e) => e.apiMode === "v1").slice().sort((a, b) => compare(a.type, b.type))
  const v2 = model.events.filter((e) => e.apiMode === "v2").slice().sort((a, b) => compare(a.type, b.type))
  const v1Rows = v1.map((e) => `  readonly ${key(e.type)}: ${typeOf(e)}`)
  const v2Rows = v2.map((e) => `  readonly ${key(e.type)}: ${typeOf(e)}`)
  const v1Names = v1.map((e) => {
    const refs = e.object === undefined ? [] : topRefs(e.object)
    const values = [
      ...new Set(refs.flatMap((r) => {
        const v = model.types[r]?.objectValue
        return v === undefined ? [] : [v]
      }))
    ].sort(compare)
    return `  ${key(e.type)}: [${values.map((v) => JSON.stringify(v)).join(", ")}]`
  })
  const imports = [...files].sort(compare).map((f) =>
    `import type * as ${aliasOf(f)} from "${importPath("events.ts", f)}"`
  )
  return [
    header,
    jsdoc(["Event types of this API version and the objects they carry.", "", SINCE]),
    ...imports,
    "",
    jsdoc([
      "A Stripe object whose type is not known statically: its `object` field and (usually) its id.",
      "",
      SINCE,
      "@category models"
    ]) + "export interface StripeObject {\n  readonly object: string\n  readonly id?: string | undefined\n}\n",
    jsdoc([
      "The object a v1 (snapshot) event of each type carries in `data.object`.",
      "",
      SINCE,
      "@category models"
    ]) + `export interface EventObjects {\n${v1Rows.join("\n")}\n}\n`,
    jsdoc([
      "The `object` values a v1 event of each type may carry in `data.object`.",
      "",
      SINCE,
      "@category models"
    ]) +
    `export const eventObjectNames: { readonly [K in keyof EventObjects]: ReadonlyArray<string> } = {\n${
      v1Names.join(",\n")
    }\n}\n`,
    jsdoc([
      "The related object of a v2 (thin) event of each type, fetched on demand.",
      "",
      SINCE,
      "@category models"
    ]) + `export interface ThinEventObjects {\n${v2Rows.join("\n")}\n}\n`
  ].join("\n")
}

/**
 * Every file of `packages/resources/src/generated/` for `model`.
 *
 * @since 0.2.0
 */
export const emitSdk = (model: Model, options: EmitOptions = {}): Emitted => {
  const budget = options.budget ?? DEFAULT_BUDGET
  const header = headerOf(model)
  const resources = resourcesOf(model.operations)
  const paramsOnly = paramsOnlyTypes(model)
  const typePlans = planTypeModules(model, budget, paramsOnly)
  const paramPlans = planParams(model, resources, paramsOnly, budget)

  // Where every name is declared; identifiers are unique across the SDK.
  const locations = new Map<string, { file: string; ident: string }>()
  const idents = new Map<string, string>()
  const claim = (ident: string, owner: string) => {
    const prev = idents.get(ident)
    if (prev !== undefined) throw new Error(`identifier ${ident} of ${owner} is also used by ${prev}`)
    if (RESERVED_IDENTS.has(ident)) throw new Error(`identifier ${ident} of ${owner} is reserved`)
    idents.set(ident, owner)
  }
  for (const plan of typePlans) {
    for (const d of plan.declarations) {
      for (const name of d.names) {
        const t = model.types[name]
        if (t === undefined) throw new Error(`no type ${name}`)
        claim(t.ident, name)
        locations.set(name, { file: plan.path, ident: t.ident })
      }
    }
  }
  for (const plan of paramPlans) {
    for (const d of plan.declarations) {
      for (const name of d.names) {
        const t = model.types[name]
        const ident = t === undefined ? name.slice("params:".length) : t.ident
        claim(ident, name)
        locations.set(name, { file: plan.path, ident })
      }
    }
  }

  const files = new Map<string, string>()
  for (const plan of typePlans) files.set(plan.path, typeFileText(model, plan, locations, header))
  for (const plan of paramPlans) files.set(plan.path, paramsFileText(plan, locations, header))

  const root = tree(resources)
  for (const node of descendants(root)) {
    const file = nodeFile(node)
    if (node.resource === undefined) {
      files.set(file, namespaceBarrel(node, header, importPath))
      continue
    }
    const r = node.resource
    const plan = planResource(r, childExports(node, file, importPath), locations)
    // Re-export the full params type names beside the short ones.
    const byFile = new Map<string, Array<string>>()
    for (const op of r.operations) {
      const loc = locations.get(paramsName(paramsIdent(op)))!
      const list = byFile.get(loc.file) ?? []
      list.push(loc.ident)
      byFile.set(loc.file, list)
    }
    const reexports = [...byFile.entries()].sort(([a], [b]) => compare(a, b)).map(([f, names]) =>
      `export type {\n${names.map((n) => `  ${n}`).join(",\n")}\n} from "${importPath(file, f)}"\n`
    ).join("")
    files.set(file, resourceFileText(plan, locations, header, reexports))
  }
  const entries = new Map<string, string>()
  for (const node of childrenOf(root)) entries.set(`${node.path[0]}.ts`, entryShim(node, header))
  files.set("index.ts", rootBarrel(root, header))

  const schemaFiles = [...typePlans.map((p) => p.path)].sort(compare)
  const paramFiles = [...paramPlans.map((p) => p.path)].sort(compare)
  files.set(
    "Schemas.ts",
    [
      header,
      jsdoc([
        "Every generated type and schema (`Schemas.Customer`) and every params type",
        "(`Schemas.CustomerCreateParams`). Importing it loads every type module; a",
        "resource module loads only what its operations reach.",
        "",
        SINCE
      ]),
      ...schemaFiles.map((f) => `export * from "${importPath("Schemas.ts", f)}"`),
      ...paramFiles.map((f) => `export type * from "${importPath("Schemas.ts", f)}"`),
      ""
    ].join("\n")
  )
  files.set("registry.ts", registryText(model, locations, header))
  files.set("events.ts", eventsText(model, locations, header))

  const sortedFiles = new Map([...files.entries()].sort(([a], [b]) => compare(a, b)))
  let largest = { file: "", lines: 0 }
  for (const [file, text] of sortedFiles) {
    const lines = lineCount(text)
    if (lines > largest.lines) largest = { file, lines }
  }
  return {
    files: sortedFiles,
    entries: new Map([...entries.entries()].sort(([a], [b]) => compare(a, b))),
    operations: model.operations.length,
    types: Object.keys(model.types).length,
    resources: resources.length,
    events: model.events.length,
    largest
  }
}
