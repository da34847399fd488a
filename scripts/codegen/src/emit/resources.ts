/**
 * The operations module of each resource: one function per operation (an
 * `Effect`), a `Stream` walker per list, the `operations` table (method, path
 * template, path params, span name) and short names of the params types.
 *
 * @since 0.2.0
 */
import type { Operation, Type } from "../model.js"
import { guards } from "./config.js"
import type { Declaration, FilePlan, Locations } from "./files.js"
import {
  argName,
  bindingName,
  isExpandable,
  paramsIdent,
  qualifiedName,
  type Resource,
  resourcePath,
  shortParamsIdent,
  spanName
} from "./layout.js"
import { SINCE } from "./objects.js"
import { paramsName } from "./params.js"
import { Refs, refToken, resolveRefs, responseType, schemaExpr } from "./render.js"
import { compare, docText, importPath, jsdoc, lit } from "./text.js"

const itemType = (op: Operation): Type | undefined =>
  op.response.kind === "bytes" || op.noResponseBody === true
    ? undefined
    : op.response.kind === "object"
    ? op.response.type
    : op.response.items

const isPaged = (op: Operation): boolean =>
  op.response.kind === "list" || op.response.kind === "search" || op.response.kind === "v2list"

const CTX = "StripeError.StripeError, StripeClient.StripeClient"

/**
 * The planned operations module of one resource. `children` re-exports what
 * is nested under it (`V2.Core.Accounts.Persons` under `V2.Core.Accounts`).
 *
 * @since 0.2.0
 */
export const planResource = (resource: Resource, children: string, locations: Locations): FilePlan => {
  const refs = new Refs()
  const file = `resources/${resourcePath(resource)}.ts`
  const ops = resource.operations
  const qualified = qualifiedName(resource)
  const needs = { stream: false, pagination: false, expand: false, guards: false }

  const itemTs = (op: Operation): string => {
    const t = itemType(op)
    return t === undefined ? (op.noResponseBody === true ? "void" : "Uint8Array") : responseType(t, refs, 0)
  }
  // The schema of a response is built from its type modules, imported on the
  // first call (`Op.schema`): importing a resource module loads no type module.
  const itemSchema = (op: Operation): { readonly text: string; readonly files: ReadonlyArray<string> } => {
    const t = itemType(op)
    if (t === undefined) return { text: "", files: [] }
    const own = new Refs()
    const text = schemaExpr(t, own, 1)
    if (own.internal) refs.internal = true
    for (const name of own.types) refs.types.add(name)
    const files = [
      ...new Set([...own.values].map((name) => {
        const loc = locations.get(name)
        if (loc === undefined) throw new Error(`${qualified}.${op.name}: unknown type ${name}`)
        return loc.file
      }))
    ].sort(compare)
    const single = files.length === 1
    const resolved = resolveRefs(text, (name) => {
      const loc = locations.get(name)!
      return `${single ? "$m" : `$m${files.indexOf(loc.file)}`}.${loc.ident}`
    })
    return { text: resolved, files }
  }
  const pageTs = (op: Operation, item: string): string => {
    switch (op.response.kind) {
      case "list":
        return `Pagination.Page<${item}>`
      case "search":
        return `Pagination.SearchPage<${item}>`
      case "v2list":
        return `Pagination.V2Page<${item}>`
      default:
        return item
    }
  }
  const pageSchema = (op: Operation, item: string): string => {
    switch (op.response.kind) {
      case "list":
        return `Op.page(${item})`
      case "search":
        return `Op.searchPage(${item})`
      case "v2list":
        return `Op.v2Page(${item})`
      default:
        return item
    }
  }
  const paramsRef = (op: Operation): string => {
    const name = paramsName(paramsIdent(op))
    refs.types.add(name)
    return refToken(name)
  }

  const parts: Array<string> = []
  // Short names of the params types.
  for (const op of ops) {
    const full = paramsRef(op)
    parts.push(
      jsdoc([`Params of {@link ${bindingName(op.name)}}.`, "", SINCE, "@category params"]) +
        (isExpandable(op)
          ? `export type ${
            shortParamsIdent(op)
          }<E extends ReadonlyArray<string> = ReadonlyArray<string>> = ${full}<E>\n`
          : `export type ${shortParamsIdent(op)} = ${full}\n`)
    )
  }
  // The operations table.
  const rows = ops.map((op) =>
    `  ${op.name}: {\n    method: ${lit(op.httpMethod)},\n    path: ${lit(op.path)},\n    pathParams: [${
      op.pathParams.map(lit).join(", ")
    }],\n    spanName: ${lit(spanName(op))}${op.host === "api" ? "" : `,\n    host: ${lit(op.host)}`}\n  }`
  )
  parts.push(
    jsdoc([
      "Method, path template, path params and span name of each operation of this module.",
      "",
      SINCE,
      "@category operations"
    ]) + `export const operations = {\n${rows.join(",\n")}\n} as const satisfies Record<string, Op.Operation>\n`
  )
  // Response schemas, built on first use.
  const schemaRows = ops.flatMap((op) => {
    if (op.response.kind === "bytes" || op.noResponseBody === true) return []
    if (isPaged(op)) needs.pagination = true
    const { files, text } = itemSchema(op)
    const schema = pageSchema(op, text)
    const load = files.length === 1
      ? `() => import("${importPath(file, files[0]!)}")`
      : `() => Promise.all([${files.map((f) => `import("${importPath(file, f)}")`).join(", ")}])`
    const bind = files.length === 1 ? "($m)" : `([${files.map((_, i) => `$m${i}`).join(", ")}])`
    return [`  ${op.name}: /*#__PURE__*/ Op.schema(${load}, ${bind} => ${schema})`]
  })
  if (schemaRows.length > 0) parts.push(`const schemas = {\n${schemaRows.join(",\n")}\n}\n`)

  for (const op of ops) {
    const binding = bindingName(op.name)
    const args = op.pathParams.map((p) => `${argName(p)}: string`)
    const expand = isExpandable(op)
    if (expand) needs.expand = true
    const generic = expand ? "<const E extends ReadonlyArray<string> = []>" : ""
    const params = `params${op.paramsRequired ? "" : "?"}: ${paramsRef(op)}${expand ? "<E>" : ""}`
    const sig = [...args, params, "options?: StripeClient.RequestOptions"]
    const item = itemTs(op)
    const value = pageTs(op, item)
    const ret = expand ? `Expand.Expanded<${value}, E>` : value
    // Path arguments: checked and escaped by `Op` (an empty, `.` or `..` segment fails before sending).
    const path = `[${op.pathParams.map(argName).join(", ")}]`
    const call = op.noResponseBody === true
      ? `Op.noBody(operations.${op.name}, ${path}, params, options)`
      : op.response.kind === "bytes"
      ? `Op.bytes(operations.${op.name}, ${path}, params, options)`
      : op.encoding === "multipart"
      ? `Op.multipart(operations.${op.name}, ${path}, schemas.${op.name}, params, options)`
      : `Op.call(operations.${op.name}, ${path}, schemas.${op.name}, params, options)`
    const guard = guards[`${op.httpMethod} ${op.path}`]
    if (guard !== undefined) needs.guards = true
    const body = guard === undefined ? call : `Op.guarded(Guards.${guard}(params), ${call})`
    const doc = [
      ...(op.description === undefined ? [] : [docText(op.description), ""]),
      `\`${op.httpMethod} ${op.path}\``,
      "",
      ...(op.deprecated === true ? ["@deprecated Stripe marks this operation deprecated.", ""] : []),
      SINCE,
      "@category operations"
    ]
    const exported = binding === op.name ? "export " : ""
    parts.push(
      jsdoc(doc) +
        `${exported}const ${binding} = ${generic}(\n  ${
          sig.join(",\n  ")
        }\n): Effect.Effect<${ret}, ${CTX}> =>\n  ${body}\n` +
        (binding === op.name ? "" : `\nexport { ${binding} as ${op.name} }\n`)
    )
    if (isPaged(op)) {
      needs.stream = true
      const walker = op.response.kind === "list"
        ? "Op.listAll"
        : op.response.kind === "search"
        ? "Op.searchAll"
        : "Op.v2ListAll"
      const itemRet = expand ? `Expand.Expanded<${item}, Op.ItemPaths<E>>` : item
      parts.push(
        jsdoc([
          `Every item of {@link ${binding}} as a \`Stream\`, fetching pages lazily (one page in memory).`,
          "",
          SINCE,
          "@category streams"
        ]) +
          `export const ${op.name}All = ${generic}(\n  ${
            sig.join(",\n  ")
          }\n): Stream.Stream<${itemRet}, ${CTX}> =>\n  ${walker}(operations.${op.name}, ${path}, schemas.${op.name}, params, options)\n`
      )
    }
  }

  const heading: Array<string> = []
  const base = "../".repeat(resource.namespace.length + 2)
  // Types only from core: a resource module imports nothing but `Op` (and
  // `Internal` for unions) when it loads, so that loading all of them stays cheap.
  heading.push(
    `import type { ${needs.expand ? "Expand, " : ""}${
      needs.pagination ? "Pagination, " : ""
    }StripeClient, StripeError } from "@lattice-stripe/core"`
  )
  heading.push(`import type * as Effect from "effect/Effect"`)
  if (parts.some((p) => p.includes("Schema."))) heading.push(`import * as Schema from "effect/Schema"`)
  if (needs.stream) heading.push(`import type * as Stream from "effect/Stream"`)
  if (needs.guards) heading.push(`import * as Guards from "${base}internal/guards.js"`)
  if (refs.internal) heading.push(`import * as Internal from "${base}internal/schema.js"`)
  heading.push(`import * as Op from "${base}internal/operation.js"`)
  const names = ops.map((o) => `\`${o.name}\``).join(", ")
  const moduleDoc = jsdoc([
    `Stripe \`${qualified}\`: ${names}.`,
    "",
    SINCE
  ])
  const declaration: Declaration = {
    names: [],
    text: [...(children === "" ? [] : [children]), ...parts].join("\n"),
    refs
  }
  return { path: file, declarations: [declaration], doc: moduleDoc, imports: heading }
}
