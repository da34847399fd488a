/**
 * Where generated things live and what they are called: files of type
 * modules, params and resources; params type names; span names.
 *
 * Layout of `packages/resources/src/generated/`:
 * - `types/<module>.ts`: the object interfaces and schemas of one file group
 *   (`NamedType.module`: `Customers`, `Issuing/Cards`), split into
 *   `<module>.<n>.ts` parts when large;
 * - `params/<namespace>/<Resource>.ts`: the params types of one resource;
 * - `resources/<namespace>/<Resource>.ts`: the operations of one resource;
 * - `namespaces/<namespace>.ts`: the barrels of namespaces that are no
 *   resource (`Issuing`, `TestHelpers/Treasury`), `index.ts` the root barrel;
 * - beside the tree, `src/<Name>.ts`: the public entry of each top-level name
 *   (`@lattice-stripe/resources/<Name>`), one generated re-export (a
 *   hand-written module of that name takes its place);
 * - `Schemas.ts`, `registry.ts`, `events.ts`: every type; objects by their
 *   `object` value; event types and their objects.
 *
 * @since 0.2.0
 */
import type { Operation } from "../model.js"
import { argNames, singulars } from "./config.js"
import { camel, compare, pascal, RESERVED, snake } from "./text.js"

/**
 * A resource: the operations of one `namespace` + `resource`.
 *
 * @since 0.2.0
 */
export interface Resource {
  readonly namespace: ReadonlyArray<string>
  readonly name: string
  readonly operations: ReadonlyArray<Operation>
}

/**
 * `Issuing.Cards`, `Customers`.
 *
 * @since 0.2.0
 */
export const qualifiedName = (r: Pick<Resource, "namespace" | "name">): string => [...r.namespace, r.name].join(".")

/**
 * `Issuing/Cards`: the resource's path below `resources/` and `params/`.
 *
 * @since 0.2.0
 */
export const resourcePath = (r: Pick<Resource, "namespace" | "name">): string => [...r.namespace, r.name].join("/")

/**
 * The resources of a model's operations, sorted, each with its operations sorted by name.
 *
 * @since 0.2.0
 */
export const resourcesOf = (operations: ReadonlyArray<Operation>): ReadonlyArray<Resource> => {
  const byKey = new Map<string, { namespace: ReadonlyArray<string>; name: string; operations: Array<Operation> }>()
  const sorted = [...operations].sort((a, b) =>
    compare(a.namespace.join("."), b.namespace.join(".")) || compare(a.resource, b.resource) ||
    compare(a.name, b.name) || compare(a.httpMethod, b.httpMethod) || compare(a.path, b.path)
  )
  for (const op of sorted) {
    const k = [...op.namespace, op.resource].join("/")
    let r = byKey.get(k)
    if (r === undefined) {
      r = { namespace: op.namespace, name: op.resource, operations: [] }
      byKey.set(k, r)
    }
    r.operations.push(op)
  }
  return [...byKey.values()].sort((a, b) =>
    compare([...a.namespace, a.name].join("."), [...b.namespace, b.name].join("."))
  )
}

/**
 * `Customers` → `Customer`, `Capabilities` → `Capability`.
 *
 * @since 0.2.0
 */
export const singular = (resource: string): string => {
  const override = singulars[resource]
  if (override !== undefined) return override
  for (const [suffix, replacement] of Object.entries(singulars)) {
    if (resource.endsWith(suffix) && resource !== suffix) return resource.slice(0, -suffix.length) + replacement
  }
  if (resource.endsWith("ies")) return resource.slice(0, -3) + "y"
  if (resource.endsWith("sses") || resource.endsWith("xes")) return resource.slice(0, -2)
  if (resource.endsWith("ss")) return resource
  if (resource.endsWith("s")) return resource.slice(0, -1)
  return resource
}

/**
 * The params type of an operation, unique across the SDK: the namespace, the
 * singular resource, the method (`IssuingCardCreateParams`, `CustomerListParams`).
 *
 * @since 0.2.0
 */
export const paramsIdent = (op: Operation): string =>
  `${op.namespace.join("")}${singular(op.resource)}${pascal(op.name)}Params`

/**
 * The short name of an operation's params type inside its resource module (`CreateParams`).
 *
 * @since 0.2.0
 */
export const shortParamsIdent = (op: Operation): string => `${pascal(op.name)}Params`

/**
 * `stripe.<namespace...>.<resource>.<method>`, segments in snake case:
 * `stripe.customers.create`, `stripe.issuing.cards.create`,
 * `stripe.v2.core.events.list`, `stripe.billing_portal.sessions.create`.
 *
 * @since 0.2.0
 */
export const spanName = (op: Operation): string =>
  ["stripe", ...op.namespace.map(spanSegment), spanSegment(op.resource), op.name].join(".")

// As the `stripe` package names the resource: `OAuth` is its `oauth`.
const spanSegment = (name: string): string => name === "OAuth" ? "oauth" : snake(name)

/**
 * The argument name of a path parameter.
 *
 * @since 0.2.0
 */
export const argName = (param: string): string => {
  const name = argNames[param] ?? camel(param)
  return RESERVED.has(name) ? `${name}_` : name
}

/**
 * The binding name of an operation's function (`void` is not a binding name).
 *
 * @since 0.2.0
 */
export const bindingName = (name: string): string => (RESERVED.has(name) ? `${name}_` : name)

/**
 * Whether an operation takes `expand` (a binary download does not, whatever the source says).
 *
 * @since 0.2.0
 */
export const isExpandable = (op: Operation): boolean => op.expandable && op.response.kind !== "bytes"
