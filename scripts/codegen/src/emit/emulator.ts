/**
 * The embedded emulator's data tables (`packages/testing/src/generated/spec*.ts`)
 * from a model: every operation (method, path template, kind, response type,
 * accepted and required params) and every object type as a map of field
 * codes. The emulator builds object templates and coerces params from them at
 * runtime, so the module stays small.
 *
 * Field codes:
 * - prefixes: `~` optional, `?` nullable;
 * - `s` string, `s=v` string enum (its first value) or string literal, `i`
 *   integer, `n` number, `b` boolean, `T` the literal `true`, `m` free-form
 *   object (metadata), `#name` a named type, `x` expandable id (string or
 *   object), `[code` array of, `Lcode` a list object whose items have `code`.
 *
 * Type names: the emulator's hand-written behaviours name types as Stripe's
 * OpenAPI spec does (`billing_details`, `subscription_schedule_phase_configuration`),
 * and its handlers are keyed by the spec's path templates
 * (`POST /v1/customers/{customer}/balance_transactions`). A model from another
 * source (the `stripe` package: `PaymentMethod.BillingDetails`, `{id}`) is
 * given the spec's names wherever the spec has the same type or path: types
 * matched by walking both models from each object (same `object` value, then
 * the same field names), paths by their shape. What the spec does not have
 * keeps the source's names (`v2.core.account`, `Account.Configuration`).
 *
 * @since 0.2.0
 */
import type { Model, NamedType, Operation, Type } from "../model.js"
import { compare } from "./text.js"

/**
 * One row of the operations table.
 *
 * @since 0.2.0
 */
export interface OperationRow {
  readonly m: "GET" | "POST" | "DELETE"
  readonly p: string
  readonly k: "create" | "retrieve" | "update" | "delete" | "list" | "search" | "action" | "singleton" | "binary"
  readonly t: string
  readonly h?: "files" | "meterEvents" | "connect"
  readonly q: ReadonlyArray<string>
  readonly r: ReadonlyArray<string>
}

/**
 * The tables of one API version.
 *
 * @since 0.2.0
 */
export interface EmulatorTables {
  readonly apiVersion: string
  readonly operations: ReadonlyArray<OperationRow>
  readonly schemas: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly eventTypes: ReadonlyArray<string>
}

const unwrap = (t: Type): Type =>
  t.kind === "nullable" ? unwrap(t.inner) : t.kind === "array" || t.kind === "list" ? unwrap(t.items) : t

const refOf = (t: Type): string | undefined => {
  const u = unwrap(t)
  return u.kind === "ref" ? u.name : undefined
}

const structOf = (model: Model, name: string): ReadonlyMap<string, Type> => {
  const t = model.types[name]?.type
  return new Map(t?.kind === "struct" ? t.fields.map((f) => [f.name, f.type] as const) : [])
}

/**
 * Names of the model's types in the reference model (`spec`): model name → spec name.
 *
 * @since 0.2.0
 */
export const matchTypeNames = (model: Model, spec: Model): ReadonlyMap<string, string> => {
  const out = new Map<string, string>()
  const taken = new Set<string>()
  const bySpecObject = new Map<string, string>()
  for (const t of Object.values(spec.types).sort((a, b) => compare(a.name, b.name))) {
    if (t.objectValue === undefined) continue
    const key = `${t.objectValue}${t.deleted === true ? " deleted" : ""}`
    const prev = bySpecObject.get(key)
    // Prefer the component named after its object (`customer`, `deleted_customer`).
    const own = t.deleted === true ? `deleted_${t.objectValue}` : t.objectValue
    if (prev === undefined || t.name === own) bySpecObject.set(key, t.name)
  }
  const queue: Array<readonly [string, string]> = []
  const link = (from: string, to: string) => {
    if (out.has(from) || taken.has(to) || spec.types[to] === undefined || model.types[from] === undefined) return
    out.set(from, to)
    taken.add(to)
    queue.push([from, to])
  }
  for (const t of Object.values(model.types).sort((a, b) => compare(a.name, b.name))) {
    if (t.objectValue === undefined) continue
    const target = bySpecObject.get(`${t.objectValue}${t.deleted === true ? " deleted" : ""}`)
    if (target !== undefined) link(t.name, target)
  }
  // The responses of the same operation (by method and path shape) are the same type.
  const specOps = new Map(spec.operations.map((op) => [shapeOf(op.httpMethod, op.path), op] as const))
  for (const op of model.operations) {
    const other = specOps.get(shapeOf(op.httpMethod, op.path))
    if (other === undefined || op.response.kind === "bytes" || other.response.kind === "bytes") continue
    const x = refOf(op.response.kind === "object" ? op.response.type : op.response.items)
    const y = refOf(other.response.kind === "object" ? other.response.type : other.response.items)
    if (x !== undefined && y !== undefined) link(x, y)
  }
  const membersOf = (m: Model, name: string): ReadonlyArray<string> => {
    const t = m.types[name]?.type
    return t?.kind === "union" ? t.members.flatMap((u) => (u.kind === "ref" ? [u.name] : [])) : []
  }
  while (queue.length > 0) {
    const [from, to] = queue.shift()!
    // Unions: members with the same `object` value.
    for (const member of membersOf(model, from)) {
      const value = model.types[member]?.objectValue
      const match = membersOf(spec, to).find((n) => value !== undefined && spec.types[n]?.objectValue === value)
      if (match !== undefined) link(member, match)
    }
    const a = structOf(model, from)
    const b = structOf(spec, to)
    for (const [field, type] of [...a.entries()].sort(([x], [y]) => compare(x, y))) {
      const other = b.get(field)
      if (other === undefined) continue
      const x = refOf(type)
      const y = refOf(other)
      if (x !== undefined && y !== undefined) link(x, y)
    }
  }
  return out
}

const shapeOf = (method: string, path: string): string => `${method} ${path.replace(/\{[^}]+\}/g, "{}")}`

/**
 * The emulator tables of a model. `spec` (the OpenAPI model) supplies type
 * names and path templates where it has the same ones; omit it for the spec's
 * own model.
 *
 * @since 0.2.0
 */
export const emulatorTables = (model: Model, spec?: Model): EmulatorTables => {
  const specNames = spec === undefined ? new Map<string, string>() : matchTypeNames(model, spec)
  const specPaths = new Map<string, string>()
  for (const op of spec?.operations ?? []) specPaths.set(shapeOf(op.httpMethod, op.path), op.path)

  // Table names: the spec's, else the object value, else the model's own name.
  const names = new Map<string, string>()
  const used = new Set<string>(specNames.values())
  for (const t of Object.values(model.types).sort((a, b) => compare(a.name, b.name))) {
    const mapped = specNames.get(t.name)
    if (mapped !== undefined) {
      names.set(t.name, mapped)
      continue
    }
    const own = t.objectValue === undefined ? t.name : t.deleted === true ? `deleted_${t.objectValue}` : t.objectValue
    const name = used.has(own) ? t.name : own
    used.add(name)
    names.set(t.name, name)
  }
  const nameOf = (t: NamedType | string): string => {
    const key = typeof t === "string" ? t : t.name
    return names.get(key) ?? key
  }

  const schemas: Record<string, Record<string, string>> = {}
  const queue: Array<string> = []
  const enqueue = (name: string) => {
    const table = nameOf(name)
    if (!(table in schemas) && !queue.includes(name)) queue.push(name)
  }

  const code = (t: Type, owner: string, field: string): string => {
    switch (t.kind) {
      case "nullable": {
        const inner = code(t.inner, owner, field)
        return inner.startsWith("?") ? inner : `?${inner}`
      }
      case "ref":
        if (model.types[t.name] === undefined) return "m"
        enqueue(t.name)
        return `#${nameOf(t.name)}`
      case "expandable":
        return "x"
      case "union": {
        const real = t.members.filter((m) => !(m.kind === "literal" && m.value === ""))
        const first = real[0] ?? t.members[0]
        return first === undefined ? "m" : code(first, owner, field)
      }
      case "string":
        return "s"
      case "enum":
        return t.values.length > 0 ? `s=${t.values[0]}` : "s"
      case "literal":
        return t.value === true
          ? "T"
          : typeof t.value === "string"
          ? `s=${t.value}`
          : typeof t.value === "number"
          ? "n"
          : "b"
      case "integer":
        return "i"
      case "number":
        return "n"
      case "boolean":
        return "b"
      case "array":
        return `[${code(t.items, owner, field)}`
      case "list":
        return `L${code(t.items, owner, field)}`
      case "struct": {
        if (t.fields.length === 0) return "m"
        const name = `${owner}::${field}`
        if (!(name in schemas)) {
          schemas[name] = {}
          schemas[name] = fieldsOf(t, name)
        }
        return `#${name}`
      }
      case "map":
      case "unknown":
      case "binary":
        return "m"
    }
  }

  const fieldsOf = (t: Type, owner: string): Record<string, string> => {
    const out: Record<string, string> = {}
    if (t.kind !== "struct") return out
    for (const f of [...t.fields].sort((a, b) => compare(a.name, b.name))) {
      const c = code(f.type, owner, f.name)
      out[f.name] = f.optional ? `~${c}` : c
    }
    return out
  }

  const responseName = (op: Operation): string => {
    if (op.response.kind === "bytes" || op.noResponseBody === true) return ""
    const t = op.response.kind === "object" ? op.response.type : op.response.items
    const first = t.kind === "ref"
      ? t.name
      : t.kind === "union"
      ? t.members.flatMap((m) => (m.kind === "ref" ? [m.name] : []))[0]
      : undefined
    // A union alias (`ExternalAccount = BankAccount | Card`) answers with its first member.
    const concrete = (name: string, depth: number): string => {
      const named = model.types[name]?.type
      const member = named?.kind === "union" ? named.members.find((m) => m.kind === "ref") : undefined
      return member?.kind === "ref" && depth < 4 ? concrete(member.name, depth + 1) : name
    }
    if (first === undefined || model.types[first] === undefined) return ""
    const chosen = concrete(first, 0)
    enqueue(chosen)
    return nameOf(chosen)
  }

  const byShape = new Map<string, Operation>()
  for (const op of model.operations) byShape.set(shapeOf(op.httpMethod, op.path), op)
  const pathOf = (op: Operation): string => specPaths.get(shapeOf(op.httpMethod, op.path)) ?? op.path
  const typeOfGet = (path: string): string | undefined => {
    const op = byShape.get(shapeOf("GET", path))
    return op === undefined ? undefined : responseName(op)
  }

  const rows: Array<OperationRow> = []
  for (const op of model.operations) {
    const path = pathOf(op)
    const t = responseName(op)
    const segments = path.split("/")
    const last = segments[segments.length - 1] ?? ""
    const prev = segments[segments.length - 2] ?? ""
    let k: OperationRow["k"]
    if (op.httpMethod === "GET") {
      k = op.response.kind === "list" || op.response.kind === "v2list"
        ? "list"
        : op.response.kind === "search"
        ? "search"
        : op.response.kind === "bytes"
        ? "binary"
        : last.startsWith("{")
        ? "retrieve"
        : "singleton"
    } else if (op.httpMethod === "DELETE") {
      const named = Object.values(model.types).find((x) => nameOf(x) === t)
      k = named?.deleted === true || t.startsWith("deleted_") ? "delete" : "action"
    } else if (last.startsWith("{")) {
      k = "update"
    } else if (prev.startsWith("{")) {
      // `POST /v1/x/{id}/verb`: an action on the parent when it answers with
      // the parent's type, otherwise a sub-collection create.
      const parentType = typeOfGet(segments.slice(0, -1).join("/")) ?? ""
      const list = byShape.get(shapeOf("GET", path))
      const hasList = list !== undefined && list.response.kind === "list"
      k = !hasList && (parentType === t || parentType === "") ? "action" : "create"
    } else {
      k = "create"
    }
    const q = new Set(op.params.map((f) => f.name))
    if (op.expandable) q.add("expand")
    const r = op.params.filter((f) => !f.optional).map((f) => f.name)
    rows.push({
      m: op.httpMethod,
      p: path,
      k,
      t,
      ...(op.host === "api" ? {} : { h: op.host }),
      q: [...q].sort(compare),
      r: [...new Set(r)].sort(compare)
    })
  }
  rows.sort((a, b) => compare(a.p, b.p) || compare(order(a.m), order(b.m)))

  // Every Stripe object, and the event envelope, even when no operation returns it.
  for (const t of Object.values(model.types).sort((a, b) => compare(a.name, b.name))) {
    if (t.objectValue !== undefined) enqueue(t.name)
  }
  while (queue.length > 0) {
    const name = queue.shift()!
    const table = nameOf(name)
    if (table in schemas) continue
    const t = model.types[name]
    if (t === undefined) continue
    schemas[table] = {}
    schemas[table] = fieldsOf(t.type, table)
  }
  const sortedSchemas: Record<string, Record<string, string>> = {}
  for (const key of Object.keys(schemas).sort(compare)) sortedSchemas[key] = schemas[key] ?? {}

  return { apiVersion: model.apiVersion, operations: rows, schemas: sortedSchemas, eventTypes: eventTypesOf(model) }
}

const order = (m: string): string => (m === "GET" ? "0" : m === "POST" ? "1" : "2")

/**
 * The event types a webhook endpoint can subscribe to: the `enabled_events`
 * enum of `POST /v1/webhook_endpoints` (without `*`), else the model's v1 events.
 *
 * @since 0.2.0
 */
export const eventTypesOf = (model: Model): ReadonlyArray<string> => {
  const create = model.operations.find((op) => op.httpMethod === "POST" && op.path === "/v1/webhook_endpoints")
  const enabled = create?.params.find((f) => f.name === "enabled_events")
  const resolve = (t: Type | undefined): Type | undefined => {
    const u = t === undefined ? undefined : unwrap(t)
    return u?.kind === "ref" ? resolve(model.types[u.name]?.type) : u
  }
  const items = resolve(enabled?.type)
  const values = items?.kind === "enum"
    ? items.values
    : items?.kind === "union"
    ? items.members.flatMap((m) => (m.kind === "literal" && typeof m.value === "string" ? [m.value] : []))
    : undefined
  const types = values ?? model.events.filter((e) => e.apiMode === "v1").map((e) => e.type)
  return [...new Set(types.filter((t) => t !== "*"))].sort(compare)
}

/**
 * The text of a tables module.
 *
 * @since 0.2.0
 */
export const emulatorFile = (tables: EmulatorTables, source: string): string => {
  const literal = (value: unknown) => JSON.stringify(JSON.stringify(value))
  return [
    `// Generated by scripts/codegen from ${source} (API ${tables.apiVersion}). Do not edit; run \`pnpm codegen\`.`,
    "// Field codes: `~` optional, `?` nullable; s string (s=v enum), i integer, n number, b boolean, T true,",
    "// m free-form object, #name named type, x expandable id, [ array of, L list object of.",
    "",
    "/** @internal */",
    "export interface OperationSpec {",
    "  readonly m: \"GET\" | \"POST\" | \"DELETE\"",
    "  readonly p: string",
    "  readonly k: \"create\" | \"retrieve\" | \"update\" | \"delete\" | \"list\" | \"search\" | \"action\" | \"singleton\" | \"binary\"",
    "  readonly t: string",
    "  readonly h?: \"files\" | \"meterEvents\" | \"connect\"",
    "  readonly q: ReadonlyArray<string>",
    "  readonly r: ReadonlyArray<string>",
    "}",
    "",
    "/** @internal */",
    `export const apiVersion = ${JSON.stringify(tables.apiVersion)}`,
    "",
    "/** @internal */",
    `export const operations: ReadonlyArray<OperationSpec> = JSON.parse(${literal(tables.operations)})`,
    "",
    "/** @internal */",
    `export const schemas: Readonly<Record<string, Readonly<Record<string, string>>>> = JSON.parse(${
      literal(tables.schemas)
    })`,
    "",
    "/** @internal */",
    `export const eventTypes: ReadonlyArray<string> = JSON.parse(${literal(tables.eventTypes)})`,
    ""
  ].join("\n")
}
