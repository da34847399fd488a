/**
 * The cross-check: two models of one API version (Stripe's OpenAPI spec and
 * the `stripe` package's declarations for it) compared operation by operation
 * and field by field.
 *
 * - Operations are keyed by HTTP method and path with the parameters replaced
 *   by `{}` (`GET /v1/customers/{}`). For an operation on both sides: the same
 *   number of path params, host, encoding, response kind and response objects,
 *   and the same params (names, required, kinds, enum values, nullability),
 *   walked into nested structs.
 * - Objects are keyed by their `object` value (`customer`, and
 *   `customer (deleted)` for the deleted variant). From every object the
 *   fields are walked structurally, refs resolved, stopping at other Stripe
 *   objects: each field path (`customer.invoice_settings.footer`) is one
 *   field, agreeing when name, kinds, nullability, optional/required, enum
 *   values, expandable targets and list items agree.
 *
 * What a declaration cannot say is normalized away before comparing (see
 * {@link shapeOf}): `integer` and `number` are one kind (TypeScript has only
 * `number`); string and number formats are ignored (`decimal`, `int64`,
 * `unix-time`); a string literal and a one-value enum are the same; union
 * members are a set; refs to named types that are not Stripe objects are
 * inlined; a named union of Stripe objects (`external_account`,
 * `CustomerSource`) is the set of its objects.
 *
 * Every difference gets a stable key; `crosscheck-reasons.ts` gives each one
 * its reason.
 *
 * @since 0.2.0
 */
import type { Field, Model, Operation, Response, Type } from "./model.js"
import { compare } from "./sources/util.js"

/**
 * One difference between the two models.
 *
 * @since 0.2.0
 */
export interface Difference {
  /** Stable: `op POST /v1/customers param tax.ip_address kinds ...`, `field customer.tax_exempt nullable ...`. */
  readonly key: string
  readonly area: "operation" | "field" | "event"
}

/**
 * What the cross-check found.
 *
 * @since 0.2.0
 */
export interface CrossCheck {
  readonly left: string
  readonly right: string
  readonly operations: {
    /** Operations on both sides. */
    readonly compared: number
    /** Of those, the ones whose own attributes agree: path params, host, encoding, expand, response. */
    readonly agreeing: number
    /** Of those, the ones without any difference, params included. */
    readonly identical: number
    readonly onlyLeft: number
    readonly onlyRight: number
  }
  /** Param paths of the operations on both sides (`POST /v1/customers` `tax.ip_address`). */
  readonly params: { readonly compared: number; readonly agreeing: number }
  readonly objects: { readonly compared: number; readonly onlyLeft: number; readonly onlyRight: number }
  readonly fields: {
    /** Field paths walked from the objects on both sides (a field on one side only counts as compared and differing). */
    readonly compared: number
    readonly agreeing: number
  }
  /** Event types on both sides (v1 events; the spec lists them without their objects). */
  readonly events: { readonly compared: number; readonly onlyLeft: number; readonly onlyRight: number }
  /** Sorted by key. */
  readonly differences: ReadonlyArray<Difference>
}

// ---------------------------------------------------------------------------
// Shapes: a type with what a declaration cannot say normalized away
// ---------------------------------------------------------------------------

/**
 * The comparable shape of a type in its model.
 *
 * @since 0.2.0
 */
export interface Shape {
  readonly nullable: boolean
  /** `string`, `number`, `boolean`, `enum`, `literal:true`, `struct`, `map`, `array`, `list`, `expandable`, `binary`, `unknown`, `object:<objectValue>`. */
  readonly kinds: ReadonlyArray<string>
  /** Enum and string-literal values. */
  readonly values: ReadonlyArray<string>
  /** `objectValue`s an expandable field expands to. */
  readonly targets: ReadonlyArray<string>
  /** Struct fields (merged over union members). */
  readonly fields: ReadonlyMap<string, Field>
  /** The fields of each struct member, when the type is a union of several. */
  readonly structs: ReadonlyArray<ReadonlyMap<string, Field>>
  /** Items of arrays and lists, values of maps. */
  readonly items: ReadonlyArray<Type>
}

const objectLabel = (model: Model, name: string): string | undefined => {
  const t = model.types[name]
  if (t?.objectValue === undefined) return undefined
  return t.deleted === true ? `${t.objectValue} (deleted)` : t.objectValue
}

/**
 * The `objectValue`s a type stands for: a Stripe object, or a named union of
 * them (`external_account`), or a union of those.
 */
const objectsOf = (model: Model, t: Type, seen: ReadonlySet<string> = new Set()): Array<string> => {
  switch (t.kind) {
    case "ref": {
      const label = objectLabel(model, t.name)
      if (label !== undefined) return [label]
      const named = model.types[t.name]
      if (named === undefined || seen.has(t.name)) return []
      return objectsOf(model, named.type, new Set([...seen, t.name]))
    }
    case "union":
      return t.members.flatMap((m) => objectsOf(model, m, seen))
    case "nullable":
      return objectsOf(model, t.inner, seen)
    default:
      return []
  }
}

/**
 * The shape of a type.
 *
 * @since 0.2.0
 */
export const shapeOf = (model: Model, type: Type): Shape => {
  let nullable = false
  const kinds = new Set<string>()
  const values = new Set<string>()
  const targets = new Set<string>()
  const fields = new Map<string, Field>()
  const structs: Array<ReadonlyMap<string, Field>> = []
  const items: Array<Type> = []
  const visit = (t: Type, seen: ReadonlySet<string>): void => {
    switch (t.kind) {
      case "nullable":
        nullable = true
        return visit(t.inner, seen)
      case "union":
        return t.members.forEach((m) => visit(m, seen))
      case "ref": {
        const label = objectLabel(model, t.name)
        if (label !== undefined) {
          kinds.add(`object:${label}`)
          return
        }
        const named = model.types[t.name]
        if (named === undefined) {
          kinds.add(`dangling:${t.name}`)
          return
        }
        if (seen.has(t.name)) {
          kinds.add("recursive")
          return
        }
        return visit(named.type, new Set([...seen, t.name]))
      }
      case "literal":
        if (typeof t.value === "string") {
          kinds.add("enum")
          values.add(t.value)
        } else {
          kinds.add(`literal:${String(t.value)}`)
        }
        return
      case "enum":
        kinds.add("enum")
        t.values.forEach((v) => values.add(v))
        return
      case "string":
        kinds.add("string")
        return
      case "integer":
      case "number":
        kinds.add("number")
        return
      case "struct":
        // An object without declared fields (`properties: {}`, or a declaration's empty
        // interface) says as much as free-form JSON.
        if (t.fields.length === 0) {
          kinds.add("unknown")
          return
        }
        kinds.add("struct")
        structs.push(new Map(t.fields.map((f) => [f.name, f])))
        for (const f of t.fields) {
          const prev = fields.get(f.name)
          // A field in several struct members of a union is optional unless every member requires it.
          fields.set(f.name, prev === undefined ? f : { ...f, optional: prev.optional || f.optional })
        }
        return
      case "array":
      case "list":
        kinds.add(t.kind)
        items.push(t.items)
        return
      case "map":
        kinds.add("map")
        items.push(t.values)
        return
      case "expandable":
        kinds.add("expandable")
        for (const target of t.targets) objectsOf(model, target).forEach((o) => targets.add(o))
        return
      default:
        kinds.add(t.kind)
    }
  }
  visit(type, new Set())
  const sorted = (s: ReadonlySet<string>) => [...s].sort(compare)
  return { nullable, kinds: sorted(kinds), values: sorted(values), targets: sorted(targets), fields, structs, items }
}

// ---------------------------------------------------------------------------
// Walking fields
// ---------------------------------------------------------------------------

const list = (xs: ReadonlyArray<string>): string => (xs.length === 0 ? "-" : xs.join("|"))

/** The member of a union of structs closest to one struct: most shared field names, fewest others. */
const closest = (
  members: ReadonlyArray<ReadonlyMap<string, Field>>,
  one: ReadonlyMap<string, Field>
): ReadonlyMap<string, Field> => {
  let best: ReadonlyMap<string, Field> = new Map()
  let bestScore = Number.NEGATIVE_INFINITY
  for (const m of members) {
    const shared = [...m.keys()].filter((k) => one.has(k)).length
    const score = 2 * shared - m.size - one.size
    if (score > bestScore) {
      best = m
      bestScore = score
    }
  }
  return best
}

interface Walk {
  readonly compared: number
  readonly agreeing: number
}

class Comparer {
  readonly differences: Array<Difference> = []

  constructor(
    readonly left: Model,
    readonly right: Model,
    readonly leftLabel: string,
    readonly rightLabel: string
  ) {}

  diff(area: Difference["area"], key: string): void {
    this.differences.push({ area, key })
  }

  pair(a: string, b: string): string {
    return `${this.leftLabel}=${a} ${this.rightLabel}=${b}`
  }

  /** Compares two shapes' own attributes; returns the attribute differences. */
  attributes(prefix: string, a: Shape, b: Shape): Array<string> {
    const out: Array<string> = []
    if (list(a.kinds) !== list(b.kinds)) out.push(`${prefix} kinds ${this.pair(list(a.kinds), list(b.kinds))}`)
    if (a.nullable !== b.nullable) out.push(`${prefix} nullable ${this.pair(String(a.nullable), String(b.nullable))}`)
    if (a.kinds.includes("enum") && b.kinds.includes("enum") && list(a.values) !== list(b.values)) {
      const onlyA = a.values.filter((v) => !b.values.includes(v))
      const onlyB = b.values.filter((v) => !a.values.includes(v))
      out.push(`${prefix} enum ${this.pair(`+${list(onlyA)}`, `+${list(onlyB)}`)}`)
    }
    if (list(a.targets) !== list(b.targets)) {
      out.push(`${prefix} targets ${this.pair(list(a.targets), list(b.targets))}`)
    }
    return out
  }

  /**
   * The struct fields to walk below a field. When one side is a union of
   * several structs and the other one struct (the spec's alternative shapes of
   * `payment_method_options.*`), the closest member is walked and the
   * difference in members is one difference of this field.
   */
  members(
    path: string,
    a: Shape,
    b: Shape,
    own: Array<string>
  ): readonly [ReadonlyMap<string, Field>, ReadonlyMap<string, Field>] {
    const na = a.structs.length
    const nb = b.structs.length
    // One side an object without fields, the other a union of that with a struct.
    const bare = (x: Shape, y: Shape) =>
      x.structs.length === 0 && x.kinds.includes("unknown") && y.kinds.includes("unknown")
    if (na !== nb && (bare(a, b) || bare(b, a))) {
      own.push(`${path} struct-members ${this.pair(String(na), String(nb))}`)
      return [new Map(), new Map()]
    }
    if (na === nb || Math.min(na, nb) !== 1) return [a.fields, b.fields]
    own.push(`${path} struct-members ${this.pair(String(na), String(nb))}`)
    const [oneA] = a.structs
    const [oneB] = b.structs
    if (na === 1 && oneA !== undefined) return [oneA, closest(b.structs, oneA)]
    return oneB === undefined ? [a.fields, b.fields] : [closest(a.structs, oneB), oneB]
  }

  /**
   * Walks two sets of struct fields in parallel (object fields or params).
   * Each field path counts once; a field agrees when its own attributes do.
   */
  fields(
    area: Difference["area"],
    prefix: string,
    a: ReadonlyMap<string, Field>,
    b: ReadonlyMap<string, Field>,
    depth: number
  ): Walk {
    let compared = 0
    let agreeing = 0
    const names = [...new Set([...a.keys(), ...b.keys()])].sort(compare)
    for (const name of names) {
      const fa = a.get(name)
      const fb = b.get(name)
      const path = prefix === "" ? name : `${prefix}.${name}`
      compared++
      if (fa === undefined || fb === undefined) {
        this.diff(area, `${path} only-in ${fa === undefined ? this.rightLabel : this.leftLabel}`)
        continue
      }
      const own: Array<string> = []
      const sa = shapeOf(this.left, fa.type)
      const sb = shapeOf(this.right, fb.type)
      // The spec never lists a nullable field in `required`: for a field nullable on both sides,
      // its `optional` says nothing, and only the other side's presence is known.
      const presenceKnown = !(area === "field" && sa.nullable && sb.nullable)
      if (presenceKnown && fa.optional !== fb.optional) {
        own.push(`${path} optional ${this.pair(String(fa.optional), String(fb.optional))}`)
      }
      own.push(...this.attributes(path, sa, sb))
      // Items of arrays, lists and maps: their attributes belong to this field.
      const ia = shapeOf(this.left, { kind: "union", members: sa.items })
      const ib = shapeOf(this.right, { kind: "union", members: sb.items })
      if (sa.items.length > 0 || sb.items.length > 0) own.push(...this.attributes(`${path}[]`, ia, ib))
      const [ma, mb] = this.members(path, sa, sb, own)
      const [mia, mib] = this.members(`${path}[]`, ia, ib, own)
      for (const d of own) this.diff(area, d)
      if (own.length === 0) agreeing++
      if (depth > 12) continue
      // Nested structs (and structs inside arrays/lists/maps), stopping at Stripe objects.
      const sub = this.fields(area, path, ma, mb, depth + 1)
      const subItems = this.fields(area, `${path}[]`, mia, mib, depth + 1)
      compared += sub.compared + subItems.compared
      agreeing += sub.agreeing + subItems.agreeing
    }
    return { compared, agreeing }
  }

  // --- operations ---------------------------------------------------------

  responseShape(model: Model, r: Response): { readonly kind: string; readonly objects: string } {
    if (r.kind === "bytes") return { kind: "bytes", objects: "-" }
    const t = r.kind === "object" ? r.type : r.items
    return { kind: r.kind, objects: list([...new Set(objectsOf(model, t))].sort(compare)) }
  }

  operation(
    key: string,
    a: Operation,
    b: Operation
  ): { readonly own: boolean; readonly identical: boolean; readonly params: Walk } {
    const prefix = `op ${key}`
    const own: Array<string> = []
    if (a.pathParams.length !== b.pathParams.length) {
      own.push(`${prefix} path-params ${this.pair(String(a.pathParams.length), String(b.pathParams.length))}`)
    }
    if (a.host !== b.host) own.push(`${prefix} host ${this.pair(a.host, b.host)}`)
    if (a.encoding !== b.encoding) own.push(`${prefix} encoding ${this.pair(a.encoding, b.encoding)}`)
    if (a.expandable !== b.expandable) {
      own.push(`${prefix} expandable ${this.pair(String(a.expandable), String(b.expandable))}`)
    }
    const ra = this.responseShape(this.left, a.response)
    const rb = this.responseShape(this.right, b.response)
    if (ra.kind !== rb.kind) own.push(`${prefix} response ${this.pair(ra.kind, rb.kind)}`)
    if (ra.objects !== rb.objects) own.push(`${prefix} response-objects ${this.pair(ra.objects, rb.objects)}`)
    for (const d of own) this.diff("operation", d)
    const byName = (fs: ReadonlyArray<Field>) => new Map(fs.map((f) => [f.name, f]))
    const params = this.fields("operation", `${prefix} param`, byName(a.params), byName(b.params), 0)
    return { own: own.length === 0, identical: own.length === 0 && params.agreeing === params.compared, params }
  }
}

/**
 * `GET /v1/customers/{}`: the key of an operation on both sides.
 *
 * @since 0.2.0
 */
export const operationKey = (o: Operation): string => `${o.httpMethod} ${o.path.replace(/\{[^}]*\}/g, "{}")}`

/**
 * Compares two models of the same API version.
 *
 * @since 0.2.0
 */
export const crossCheck = (
  left: Model,
  right: Model,
  labels: { readonly left: string; readonly right: string } = { left: "spec", right: "stripe" }
): CrossCheck => {
  if (left.apiVersion !== right.apiVersion) {
    throw new Error(
      `API versions differ: ${left.apiVersion} (${left.source}) and ${right.apiVersion} (${right.source})`
    )
  }
  const c = new Comparer(left, right, labels.left, labels.right)
  const opsOf = (m: Model) => new Map(m.operations.map((o) => [operationKey(o), o]))
  const la = opsOf(left)
  const lb = opsOf(right)
  let compared = 0
  let agreeing = 0
  let identical = 0
  let paramsCompared = 0
  let paramsAgreeing = 0
  let onlyLeft = 0
  let onlyRight = 0
  for (const key of [...new Set([...la.keys(), ...lb.keys()])].sort(compare)) {
    const a = la.get(key)
    const b = lb.get(key)
    if (a === undefined || b === undefined) {
      c.diff("operation", `op ${key} only-in ${a === undefined ? labels.right : labels.left}`)
      if (a === undefined) onlyRight++
      else onlyLeft++
      continue
    }
    compared++
    const r = c.operation(key, a, b)
    if (r.own) agreeing++
    if (r.identical) identical++
    paramsCompared += r.params.compared
    paramsAgreeing += r.params.agreeing
  }
  const objectsOfModel = (m: Model) => {
    const out = new Map<string, Type>()
    // Types are sorted by name: of two with one `object` value (`Invoice`, `UpcomingInvoice`), the first.
    for (const name of Object.keys(m.types)) {
      const label = objectLabel(m, name)
      if (label !== undefined && !out.has(label)) out.set(label, { kind: "ref", name })
    }
    return out
  }
  const oa = objectsOfModel(left)
  const ob = objectsOfModel(right)
  let objectsCompared = 0
  let objectsOnlyLeft = 0
  let objectsOnlyRight = 0
  let fieldsCompared = 0
  let fieldsAgreeing = 0
  for (const label of [...new Set([...oa.keys(), ...ob.keys()])].sort(compare)) {
    const a = oa.get(label)
    const b = ob.get(label)
    if (a === undefined || b === undefined) {
      c.diff("field", `object ${label} only-in ${a === undefined ? labels.right : labels.left}`)
      if (a === undefined) objectsOnlyRight++
      else objectsOnlyLeft++
      continue
    }
    objectsCompared++
    const structOf = (m: Model, t: Type): ReadonlyMap<string, Field> => {
      const named = t.kind === "ref" ? m.types[t.name] : undefined
      return named === undefined ? new Map() : shapeOf(m, named.type).fields
    }
    const w = c.fields("field", `field ${label}`, structOf(left, a), structOf(right, b), 0)
    fieldsCompared += w.compared
    fieldsAgreeing += w.agreeing
  }
  const eventsOf = (m: Model): ReadonlySet<string> =>
    new Set(m.events.filter((e) => e.apiMode === "v1").map((e) => e.type))
  const ea = eventsOf(left)
  const eb = eventsOf(right)
  let eventsCompared = 0
  for (const type of [...new Set([...ea, ...eb])].sort(compare)) {
    if (ea.has(type) && eb.has(type)) eventsCompared++
    else c.diff("event", `event ${type} only-in ${ea.has(type) ? labels.left : labels.right}`)
  }
  return {
    left: left.source,
    right: right.source,
    operations: { compared, agreeing, identical, onlyLeft, onlyRight },
    params: { compared: paramsCompared, agreeing: paramsAgreeing },
    objects: { compared: objectsCompared, onlyLeft: objectsOnlyLeft, onlyRight: objectsOnlyRight },
    fields: { compared: fieldsCompared, agreeing: fieldsAgreeing },
    events: {
      compared: eventsCompared,
      onlyLeft: [...ea].filter((t) => !eb.has(t)).length,
      onlyRight: [...eb].filter((t) => !ea.has(t)).length
    },
    differences: [...c.differences].sort((x, y) => compare(x.key, y.key))
  }
}

// ---------------------------------------------------------------------------
// Reasons
// ---------------------------------------------------------------------------

/**
 * A reviewed reason for differences (see `crosscheck-reasons.ts`).
 *
 * @since 0.2.0
 */
export interface ReasonLike {
  readonly match: string | RegExp
  readonly reason: string
}

/**
 * Which reason explains which difference.
 *
 * @since 0.2.0
 */
export interface Explanation {
  /** Each reason with the difference keys it explains, in the reasons' order. */
  readonly explained: ReadonlyArray<{ readonly reason: ReasonLike; readonly keys: ReadonlyArray<string> }>
  /** Differences no reason matches. */
  readonly unexplained: ReadonlyArray<string>
  /** Reasons that match no difference. */
  readonly unused: ReadonlyArray<ReasonLike>
}

const matches = (r: ReasonLike, key: string): boolean =>
  typeof r.match === "string" ? r.match === key : r.match.test(key)

/**
 * Gives each difference the first reason that matches it.
 *
 * @since 0.2.0
 */
export const explain = (differences: ReadonlyArray<Difference>, reasons: ReadonlyArray<ReasonLike>): Explanation => {
  const keys = reasons.map((): Array<string> => [])
  const unexplained: Array<string> = []
  for (const d of differences) {
    const i = reasons.findIndex((r) => matches(r, d.key))
    if (i < 0) unexplained.push(d.key)
    else keys[i]?.push(d.key)
  }
  return {
    explained: reasons.map((reason, i) => ({ reason, keys: keys[i] ?? [] })),
    unexplained,
    unused: reasons.filter((_, i) => (keys[i] ?? []).length === 0)
  }
}

const percent = (n: number, of: number): string => (of === 0 ? "-" : `${((100 * n) / of).toFixed(1)}%`)

/**
 * A short table of a cross-check: counts and percentages.
 *
 * @since 0.2.0
 */
export const summary = (c: CrossCheck, e: Explanation): string => {
  const opDiffs = c.differences.filter((d) => d.area === "operation").length
  const fieldDiffs = c.differences.filter((d) => d.area !== "operation").length
  const explained = c.differences.length - e.unexplained.length
  const rows: ReadonlyArray<readonly [string, string, string]> = [
    [
      "operations (method, path params, host, encoding, response)",
      `${c.operations.agreeing}/${c.operations.compared} agree`,
      percent(c.operations.agreeing, c.operations.compared)
    ],
    [
      "operations, params included",
      `${c.operations.identical}/${c.operations.compared} identical`,
      percent(c.operations.identical, c.operations.compared)
    ],
    [
      "operation params (paths)",
      `${c.params.agreeing}/${c.params.compared} agree`,
      percent(c.params.agreeing, c.params.compared)
    ],
    ["operations on one side", `${c.operations.onlyLeft} only left, ${c.operations.onlyRight} only right`, ""],
    ["objects", `${c.objects.compared} on both sides, ${c.objects.onlyLeft} + ${c.objects.onlyRight} on one side`, ""],
    [
      "object fields (paths)",
      `${c.fields.agreeing}/${c.fields.compared} agree`,
      percent(c.fields.agreeing, c.fields.compared)
    ],
    ["event types", `${c.events.compared} on both sides, ${c.events.onlyLeft} + ${c.events.onlyRight} on one side`, ""],
    [
      "differences with a reason",
      `${explained}/${c.differences.length} (${opDiffs} in operations, ${fieldDiffs} in objects and events)`,
      percent(explained, c.differences.length)
    ],
    ["reasons", `${e.explained.length}, ${e.unused.length} unused`, ""]
  ]
  const w0 = Math.max(...rows.map((r) => r[0].length))
  const w1 = Math.max(...rows.map((r) => r[1].length))
  return [
    `cross-check: left ${c.left}, right ${c.right}`,
    ...rows.map(([a, b, p]) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${p}`.trimEnd())
  ].join("\n")
}
