/**
 * The type modules: per file group (`NamedType.module`), one interface (or
 * type alias) and one schema per named type.
 *
 * Every schema is `/*#__PURE__*\/ Schema.suspend(() => ...)` with its type
 * stated beside it: suspended, a schema is built on its first use only, so
 * importing a module builds no schema (of it or of the modules it imports);
 * stated, the types of a cyclic graph of schemas need no inference.
 *
 * @since 0.2.0
 */
import { isSecretField } from "../../../../packages/core/src/Redaction.js"
import type { Field, Model, NamedType, Type } from "../model.js"
import { refsOf } from "../sources/util.js"
import { secretData } from "./config.js"
import { type Declaration, type FilePlan, pack } from "./files.js"
import { Refs, responseStruct, responseType, schemaExpr, schemaStruct } from "./render.js"
import { compare, docText, jsdoc } from "./text.js"

/**
 * @since 0.2.0
 */
export const SINCE = "@since 0.2.0"

/**
 * Whether field `field` of named type `t` holds a secret: core's one rule
 * (`Redaction.isSecretField`, by field name and the type's `object` value),
 * the same that redacts what the SDK renders and wraps webhook data.
 *
 * @since 0.2.0
 */
export const isRedactedField = (t: NamedType, field: string): boolean => isSecretField(field, t.objectValue)

/**
 * The declaration (interface or type alias, and schema) of one named type.
 *
 * @since 0.2.0
 */
export const namedTypeDeclaration = (t: NamedType): Declaration => {
  const refs = new Refs()
  const redact = (field: string) => isRedactedField(t, field)
  const description = t.description === undefined ? [] : [docText(t.description), ""]
  const what = t.objectValue === undefined
    ? []
    : [`The Stripe object \`${t.objectValue}\`${t.deleted === true ? " (deleted)" : ""}.`, ""]
  const typeDoc = jsdoc([...description, ...what, SINCE, "@category models"])
  const schemaDoc = jsdoc([`Schema of {@link ${t.ident}}.`, "", SINCE, "@category schemas"])
  let typeText: string
  let schema: string
  if (secretData.types.has(t.name)) {
    refs.internal = true
    typeText = `export interface ${t.ident} {\n  readonly [key: string]: unknown\n}\n`
    schema = "Internal.SecretData"
  } else if (t.type.kind === "struct") {
    const dataFields = new Set(secretData.fields[t.name] ?? [])
    const declared = new Set(t.type.fields.map((f) => f.name))
    const fields = [
      ...t.type.fields,
      ...[...dataFields].filter((name) => !declared.has(name)).map((name): Field => ({
        name,
        type: { kind: "map", values: { kind: "unknown" } },
        optional: true,
        description: "Free-form data of the event type, with secret fields as `Redacted` values."
      }))
    ].sort((a, b) => compare(a.name, b.name))
    typeText = `export interface ${t.ident} ${responseStruct(fields, refs, 0, redact)}\n`
    schema = schemaStruct(t.ident, fields, refs, 0, redact, (name) => dataFields.has(name))
  } else {
    typeText = `export type ${t.ident} = ${responseType(t.type, refs, 0)}\n`
    schema = schemaExpr(t.type, refs, 0)
  }
  const schemaText =
    `export const ${t.ident}: Schema.Schema<${t.ident}> = /*#__PURE__*/ Schema.suspend(() => ${schema})\n`
  return { names: [t.name], text: `${typeDoc}${typeText}\n${schemaDoc}${schemaText}`, refs }
}

/**
 * The planned files of every type module, with the declarations in each.
 *
 * @since 0.2.0
 */
export const planTypeModules = (
  model: Model,
  budget: number,
  exclude: ReadonlySet<string>
): ReadonlyArray<FilePlan> => {
  const byModule = new Map<string, Array<NamedType>>()
  for (const t of Object.values(model.types)) {
    if (exclude.has(t.name)) continue
    const list = byModule.get(t.module) ?? []
    list.push(t)
    byModule.set(t.module, list)
  }
  const plans: Array<FilePlan> = []
  for (const module of [...byModule.keys()].sort(compare)) {
    const types = (byModule.get(module) ?? []).slice().sort((a, b) => compare(a.ident, b.ident))
    plans.push(...pack(`types/${module}`, types.map(namedTypeDeclaration), budget))
  }
  return plans
}

/**
 * The names of the types that only params reach (`SubscriptionScheduleCreateParams.Phase`):
 * they are emitted as params types (closed enums, no schema) beside the
 * params of their file group. A type reached by a response, an event or the
 * object registry stays a response type even when params use it too.
 *
 * @since 0.2.0
 */
export const paramsOnlyTypes = (model: Model): ReadonlySet<string> => {
  const reach = (roots: ReadonlyArray<Type>): Set<string> => {
    const seen = new Set<string>()
    const stack = roots.flatMap((t) => refsOf(t))
    while (stack.length > 0) {
      const name = stack.pop()!
      if (seen.has(name)) continue
      seen.add(name)
      const t = model.types[name]
      if (t !== undefined) stack.push(...refsOf(t.type))
    }
    return seen
  }
  const responseRoots: Array<Type> = []
  for (const op of model.operations) {
    if (op.response.kind === "object") responseRoots.push(op.response.type)
    else if (op.response.kind !== "bytes") responseRoots.push(op.response.items)
  }
  for (const e of model.events) {
    if (e.object !== undefined) responseRoots.push(e.object)
    if (e.data !== undefined) responseRoots.push(e.data)
  }
  for (const t of Object.values(model.types)) {
    if (t.objectValue !== undefined) responseRoots.push({ kind: "ref", name: t.name })
  }
  const responses = reach(responseRoots)
  const params = reach(model.operations.flatMap((op) => op.params.map((f) => f.type)))
  return new Set([...params].filter((n) => !responses.has(n)))
}
