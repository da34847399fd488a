/**
 * List and search endpoints: filters by params, cursor pagination
 * (`starting_after`, `ending_before`), search pages (`page`, `next_page`)
 * and sub-lists a parent embeds.
 *
 * @internal
 */
import type { Ctx, Engine } from "./engine.js"
import { invalidRequest, resourceMissing } from "./errors.js"
import type { Obj } from "./json.js"
import { isObj } from "./json.js"
import type { Params } from "./params.js"
import { paramArray, paramInt, paramString } from "./params.js"
import { matches, parseQuery } from "./search.js"

const listControls = new Set(["limit", "starting_after", "ending_before", "expand", "page", "query"])

/** The field of `type` that links it to a path param (`customer`, or the parent's object name). */
const linkField = (engine: Engine, type: string, name: string, value: string): string | undefined => {
  const parentType = engine.typeOf(value)
  const objectName = parentType === undefined ? undefined : parentType.split(".").pop()
  if (engine.spec.hasField(type, name)) return name
  return objectName !== undefined && engine.spec.hasField(type, objectName) ? objectName : undefined
}

/** The objects a list reads: a parent's embedded sub-list, or every stored object of the type. */
const candidates = (engine: Engine, ctx: Ctx, type: string): Array<Obj> => {
  // A sub-list the parent embeds (`/v1/invoices/{invoice}/lines`) is read
  // from the parent, refreshed from the store.
  const parentId = ctx.parentIds[ctx.parentIds.length - 1]
  if (parentId !== undefined) {
    const parent = engine.get(parentId)
    const segment = ctx.op.p.split("/").pop() ?? ""
    const embedded = parent?.[segment]
    if (isObj(embedded) && Array.isArray(embedded.data)) {
      return embedded.data.filter(isObj).map((item) => {
        const fresh = typeof item.id === "string" ? engine.get(item.id) : undefined
        return fresh ?? item
      })
    }
  }
  return engine.all(type).slice().reverse().filter((obj) => {
    for (const [name, value] of Object.entries(ctx.pathParams)) {
      const field = linkField(engine, type, name, value)
      if (field === undefined) continue
      const actual = obj[field]
      const actualId = isObj(actual) ? actual.id : actual
      if (actualId !== value) return false
    }
    return true
  })
}

const filter = (engine: Engine, items: Array<Obj>, type: string, params: Params): Array<Obj> => {
  let out = items
  for (const [key, value] of Object.entries(params)) {
    if (listControls.has(key) || !engine.spec.hasField(type, key)) continue
    if (key === "created" || isObj(value)) {
      if (!isObj(value)) {
        const n = Number(value)
        out = out.filter((o) => o[key] === n)
        continue
      }
      const range = value
      out = out.filter((o) => {
        const v = o[key]
        if (typeof v !== "number") return false
        const check = (op: string, f: (a: number, b: number) => boolean) =>
          range[op] === undefined || f(v, Number(range[op]))
        return check("gt", (a, b) => a > b) && check("gte", (a, b) => a >= b) && check("lt", (a, b) => a < b) &&
          check("lte", (a, b) => a <= b)
      })
      continue
    }
    if (type === "subscription" && key === "status" && value === "all") continue
    if (type === "event" && key === "type" && typeof value === "string" && value.endsWith("*")) {
      const prefix = value.slice(0, -1)
      out = out.filter((o) => typeof o.type === "string" && o.type.startsWith(prefix))
      continue
    }
    out = out.filter((o) => {
      const v = o[key]
      const id = isObj(v) ? v.id : v
      return String(id) === String(value)
    })
  }
  if (type === "subscription" && params.status === undefined) {
    out = out.filter((o) => o.status !== "canceled" && o.status !== "incomplete_expired")
  }
  if (type === "event" && params.types !== undefined) {
    const types = paramArray(params, "types").map(String)
    out = out.filter((o) => types.includes(String(o.type)))
  }
  return out
}

const limitOf = (params: Params): number => {
  if (params.limit === undefined) return 10
  const n = paramInt(params, "limit")
  if (n === undefined || n < 1 || n > 100) {
    throw invalidRequest(
      "This value must be greater than or equal to 1 and less than or equal to 100.",
      "limit",
      "parameter_invalid_integer"
    )
  }
  return n
}

/**
 * One page of a list of `type` (or of `source`, already chosen).
 *
 * @internal
 */
export const list = (engine: Engine, ctx: Ctx, type: string, source?: Array<Obj>): Obj => {
  const { params } = ctx
  const limit = limitOf(params)
  const items = filter(engine, source ?? candidates(engine, ctx, type), type, params)
  const after = paramString(params, "starting_after")
  const before = paramString(params, "ending_before")
  const indexOf = (id: string, param: string) => {
    const i = items.findIndex((o) => o.id === id)
    if (i === -1) throw resourceMissing(type.split(".").pop() ?? type, id, param)
    return i
  }
  let page: Array<Obj>
  let hasMore: boolean
  if (after !== undefined) {
    const start = indexOf(after, "starting_after") + 1
    page = items.slice(start, start + limit)
    hasMore = start + limit < items.length
  } else if (before !== undefined) {
    const end = indexOf(before, "ending_before")
    const start = Math.max(0, end - limit)
    page = items.slice(start, end)
    hasMore = start > 0
  } else {
    page = items.slice(0, limit)
    hasMore = items.length > limit
  }
  return { object: "list", data: page, has_more: hasMore, url: ctx.path }
}

/**
 * One page of a search, with `next_page` when there are more.
 *
 * @internal
 */
export const search = (engine: Engine, ctx: Ctx, type: string): Obj => {
  const { params } = ctx
  const query = parseQuery(paramString(params, "query") ?? "")
  if (typeof query === "string") throw invalidRequest(query, "query")
  const limit = limitOf(params)
  const all = engine.all(type).slice().reverse().filter((o) => matches(o, query))
  const pageToken = paramString(params, "page")
  let offset = 0
  if (pageToken !== undefined) {
    const decoded = Number.parseInt(Buffer.from(pageToken, "base64url").toString("utf8"), 10)
    if (Number.isNaN(decoded)) throw invalidRequest("Invalid page token.", "page")
    offset = decoded
  }
  const data = all.slice(offset, offset + limit)
  const hasMore = offset + limit < all.length
  const page: Obj = { object: "search_result", data, has_more: hasMore, total_count: all.length, url: ctx.path }
  // `next_page` is only there when there is one (the spec leaves it optional; stripe-mock omits it too).
  if (hasMore) page.next_page = Buffer.from(String(offset + limit), "utf8").toString("base64url")
  return page
}
