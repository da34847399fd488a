/**
 * Minimal valid params for an operation of the shipped API version, derived
 * from the model the `stripe@23.1.0` declarations give (its params types:
 * which params are required, recursively, and their types). The 2024-04-10
 * OpenAPI spec (`params.ts`) does not describe the operations and params that
 * came later; this does, for the calls the sweep and the wire oracle make
 * through the shipped SDK.
 */
import { ApiVersion } from "@lattice-stripe/core"
import { loadModel } from "../../scripts/codegen/src/emit/sources.js"
import type { Field, Model, Operation, Type } from "../../scripts/codegen/src/model.js"
import { includable } from "./expandable.js"
import type { IdFor } from "./params.js"
import { sdkOperations } from "./sdk.js"
import type { Catalog } from "./world.js"

/** The shipped model (read once per process). */
export const shippedModel: Model = loadModel("shipped")

const byRoute: ReadonlyMap<string, Operation> = new Map(
  shippedModel.operations.map((op) => [`${op.httpMethod} ${op.path}`, op] as const)
)

/** The model's operation for a method and path template (the SDK's own template). */
export const modelOperation = (method: string, path: string): Operation | undefined => byRoute.get(`${method} ${path}`)

const named: Readonly<Record<string, unknown>> = {
  country: "US",
  currency: "usd",
  email: "reference@example.com",
  return_url: "https://example.com/return",
  refresh_url: "https://example.com/refresh",
  success_url: "https://example.com/success",
  cancel_url: "https://example.com/cancel",
  url: "https://example.com/hook"
}

const isUnset = (t: Type): boolean => t.kind === "literal" && t.value === ""

const valueOf = (model: Model, name: string, t: Type, idFor: IdFor, depth: number): unknown => {
  // Only a string can be an id.
  const id = (t.kind === "string" && t.format === undefined) || t.kind === "expandable" ? idFor(name) : undefined
  if (id !== undefined) return id
  switch (t.kind) {
    case "string":
      if (t.format === "date-time") return "2026-01-01T00:00:00.000Z"
      if (t.format === "int64" || t.format === "decimal") return "1"
      return named[name] ?? "reference"
    case "integer":
    case "number":
      return t.format === "unix-time" ? 1_700_000_000 : 1
    case "boolean":
      return true
    case "literal":
      return t.value
    case "enum":
      return t.values.find((v) => v !== "") ?? "reference"
    case "array":
      return [valueOf(model, name, t.items, idFor, depth + 1)]
    case "map":
      return { reference: valueOf(model, "reference", t.values, idFor, depth + 1) }
    case "struct":
      return structValue(model, t.fields, idFor, depth + 1)
    case "ref": {
      const named = model.types[t.name]
      return named === undefined || depth > 8 ? {} : valueOf(model, name, named.type, idFor, depth + 1)
    }
    case "union": {
      const member = t.members.find((m) => !isUnset(m)) ?? t.members[0]
      return member === undefined ? "reference" : valueOf(model, name, member, idFor, depth)
    }
    case "nullable":
      return valueOf(model, name, t.inner, idFor, depth)
    case "expandable":
      return "reference"
    case "binary":
      return "reference"
    case "list":
    case "unknown":
      return "reference"
  }
}

const isScalar = (model: Model, t: Type): boolean => {
  if (t.kind === "ref") {
    const named = model.types[t.name]
    return named !== undefined && isScalar(model, named.type)
  }
  if (t.kind === "nullable") return isScalar(model, t.inner)
  if (t.kind === "union") return t.members.some((m) => !isUnset(m) && isScalar(model, m))
  return t.kind === "string" || t.kind === "integer" || t.kind === "boolean" || t.kind === "enum" ||
    t.kind === "literal"
}

const structValue = (model: Model, fields: ReadonlyArray<Field>, idFor: IdFor, depth: number): unknown => {
  if (depth > 8) return {}
  const out: Record<string, unknown> = {}
  for (const f of fields) if (!f.optional) out[f.name] = valueOf(model, f.name, f.type, idFor, depth)
  if (Object.keys(out).length > 0) return out
  // An empty object is not sent at all; a required one needs one field to exist on the wire.
  const first = fields.find((f) => isScalar(model, f.type)) ?? fields[0]
  return first === undefined ? out : { [first.name]: valueOf(model, first.name, first.type, idFor, depth) }
}

/** The model's required params of an operation, each with a minimal value. */
export const minimalModelParams = (op: Operation, idFor: IdFor): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const f of op.params) if (!f.optional) out[f.name] = valueOf(shippedModel, f.name, f.type, idFor, 0)
  return out
}

/** Every param the model accepts for an operation (`expand` when it takes it). */
export const acceptedModelParams = (op: Operation): ReadonlySet<string> =>
  new Set([...op.params.map((f) => f.name), ...(op.expandable ? ["expand"] : [])])

/**
 * The shipped catalog for a world on the emulator: the shipped API version,
 * params from the shipped model.
 */
export const shippedCatalog: Catalog = {
  version: ApiVersion.API_VERSION,
  ops: sdkOperations,
  params: (op, idFor) => {
    const model = modelOperation(op.method, op.path)
    return model === undefined ? {} : minimalModelParams(model, idFor)
  }
}

const fieldsOfRef = (t: Type): ReadonlyArray<Field> => {
  if (t.kind === "ref") {
    const named = shippedModel.types[t.name]
    return named === undefined ? [] : fieldsOfRef(named.type)
  }
  if (t.kind === "union") return t.members.length === 0 || t.members[0] === undefined ? [] : fieldsOfRef(t.members[0])
  return t.kind === "struct" ? t.fields : []
}

const isExpandable = (t: Type): boolean =>
  t.kind === "expandable" || (t.kind === "nullable" && isExpandable(t.inner)) ||
  (t.kind === "array" && isExpandable(t.items))

/**
 * The `expand[]` values that ask for every expandable field of a response of
 * the shipped version (from the model's `expandable` fields and Stripe's
 * includable ones, `test/src/expandable.ts`); `data.<field>` for lists.
 */
export const modelExpandPaths = (op: Operation): ReadonlyArray<string> => {
  if (!op.expandable || op.response.kind === "bytes") return []
  const list = op.response.kind !== "object"
  const fields = fieldsOfRef(op.response.kind === "object" ? op.response.type : op.response.items)
  const object = fields.find((f) => f.name === "object")
  const objectValue = object?.type.kind === "literal" ? String(object.type.value) : ""
  const extra = new Set(includable[objectValue] ?? [])
  return fields.filter((f) => isExpandable(f.type) || extra.has(f.name)).map((f) => list ? `data.${f.name}` : f.name)
}
