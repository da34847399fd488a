import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as FormEncoding from "../src/FormEncoding.js"
import * as Pagination from "../src/Pagination.js"
import type { Call } from "./utils.js"
import { clientLayer, json } from "./utils.js"

const Customer = Schema.Struct({ id: Schema.String, object: Schema.Literal("customer") })

// Stripe lists newest first: cus_10 ... cus_1.
const all = Array.from({ length: 10 }, (_, i) => ({ id: `cus_${10 - i}`, object: "customer" }))

const query = (call: Call) => FormEncoding.decode(call.url.search)

/** A list endpoint with Stripe's cursor semantics. */
const listHandler = (call: Call) => {
  const q = query(call)
  const limit = Number(q.limit ?? 10)
  let start = 0
  let end = Math.min(limit, all.length)
  if (typeof q.starting_after === "string") {
    start = all.findIndex((c) => c.id === q.starting_after) + 1
    end = Math.min(start + limit, all.length)
  } else if (typeof q.ending_before === "string") {
    end = all.findIndex((c) => c.id === q.ending_before)
    start = Math.max(0, end - limit)
  }
  const hasMore = typeof q.ending_before === "string" ? start > 0 : end < all.length
  return json({ object: "list", data: all.slice(start, end), has_more: hasMore, url: "/v1/customers" })
}

const listRequest = (params: Record<string, unknown>) => ({
  method: "GET" as const,
  path: "/v1/customers",
  params: { ...params, expand: ["data.default_source"] },
  options: { stripeAccount: "acct_1" },
  schema: Pagination.Page(Customer)
})

describe("Pagination.Page", () => {
  it("is memoized per item schema and decodes lists leniently", () => {
    expect(Pagination.Page(Customer)).toBe(Pagination.Page(Customer))
    expect(Pagination.SearchPage(Customer)).toBe(Pagination.SearchPage(Customer))
    const page = Schema.decodeUnknownSync(Pagination.Page(Customer))({
      object: "list",
      data: [{ id: "cus_1", object: "customer", unknown_field: 1 }],
      has_more: false,
      url: "/v1/customers",
      new_top_level: true
    })
    expect(page).toEqual({
      object: "list",
      data: [{ id: "cus_1", object: "customer" }],
      has_more: false,
      url: "/v1/customers"
    })
    const search = Schema.decodeUnknownSync(Pagination.SearchPage(Customer))({
      object: "search_result",
      data: [],
      has_more: false,
      next_page: null,
      total_count: 0,
      url: "/v1/customers/search"
    })
    expect(search.next_page).toBeNull()
    expect(Schema.decodeUnknownEither(Pagination.Page(Customer))({ object: "search_result" })._tag).toBe("Left")
  })
})

describe("Pagination.listAll", () => {
  it.effect("walks starting_after forward over 4 pages, keeping the options", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(listHandler)
      const ids = yield* Pagination.listAll(listRequest({ limit: 3 })).pipe(
        Stream.map((c) => c.id),
        Stream.runCollect,
        Effect.provide(layer)
      )
      expect(Chunk.toReadonlyArray(ids)).toEqual(all.map((c) => c.id))
      expect(calls.map(query)).toEqual([
        { limit: "3", expand: ["data.default_source"] },
        { limit: "3", starting_after: "cus_8", expand: ["data.default_source"] },
        { limit: "3", starting_after: "cus_5", expand: ["data.default_source"] },
        { limit: "3", starting_after: "cus_2", expand: ["data.default_source"] }
      ])
      expect(calls.every((c) => c.headers["stripe-account"] === "acct_1")).toBe(true)
    }))

  it.effect("walks ending_before backward over 3 pages, oldest first", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(listHandler)
      const ids = yield* Pagination.listAll(listRequest({ limit: 3, ending_before: "cus_1" })).pipe(
        Stream.map((c) => c.id),
        Stream.runCollect,
        Effect.provide(layer)
      )
      expect(Chunk.toReadonlyArray(ids)).toEqual([
        "cus_2",
        "cus_3",
        "cus_4",
        "cus_5",
        "cus_6",
        "cus_7",
        "cus_8",
        "cus_9",
        "cus_10"
      ])
      expect(calls.map((c) => query(c).ending_before)).toEqual(["cus_1", "cus_4", "cus_7"])
      expect(calls.every((c) => query(c).starting_after === undefined)).toBe(true)
    }))

  it.effect("is lazy: fetches a page only when its items are pulled", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(listHandler)
      const first = yield* Pagination.listAll(listRequest({ limit: 3 })).pipe(
        Stream.take(2),
        Stream.runCollect,
        Effect.provide(layer)
      )
      expect(Chunk.size(first)).toBe(2)
      expect(calls).toHaveLength(1)
    }))

  it.effect("stops on has_more with an empty page, and fails on an item without id", () =>
    Effect.gen(function*() {
      const empty = clientLayer(() => json({ object: "list", data: [], has_more: true, url: "/v1/x" }))
      const none = yield* Pagination.listAll(listRequest({})).pipe(Stream.runCollect, Effect.provide(empty.layer))
      expect(Chunk.size(none)).toBe(0)
      expect(empty.calls).toHaveLength(1)

      const noId = clientLayer(() => json({ object: "list", data: [{ name: "x" }], has_more: true, url: "/v1/x" }))
      const exit = yield* Pagination.listAll({
        method: "GET",
        path: "/v1/things",
        schema: Pagination.Page(Schema.Struct({ name: Schema.String }))
      }).pipe(Stream.runCollect, Effect.provide(noId.layer), Effect.exit)
      expect(Exit.isFailure(exit)).toBe(true)
    }))

  it.effect("propagates a failed page as a typed error", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(
        (call, i) =>
          i === 0 ? listHandler(call) : json({ error: { type: "invalid_request_error", message: "bad cursor" } }, 400),
        { maxRetries: 0 }
      )
      const exit = yield* Pagination.listAll(listRequest({ limit: 3 })).pipe(
        Stream.runCollect,
        Effect.provide(layer),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag).toBe(
        "StripeInvalidRequestError"
      )
    }))
})

describe("Pagination.searchAll", () => {
  it.effect("follows next_page over 3 pages, keeping the query and options", () =>
    Effect.gen(function*() {
      const pages: Record<string, { data: ReadonlyArray<unknown>; next: string | null }> = {
        first: { data: all.slice(0, 4), next: "page_2" },
        page_2: { data: all.slice(4, 8), next: "page_3" },
        page_3: { data: all.slice(8), next: null }
      }
      const { calls, layer } = clientLayer((call) => {
        const q = query(call)
        const page = pages[typeof q.page === "string" ? q.page : "first"]
        return json({
          object: "search_result",
          data: page.data,
          has_more: page.next !== null,
          next_page: page.next,
          total_count: all.length,
          url: "/v1/customers/search"
        })
      })
      const ids = yield* Pagination.searchAll({
        method: "GET",
        path: "/v1/customers/search",
        params: { query: "email:'a@b.co'", limit: 4 },
        options: { stripeAccount: "acct_s" },
        schema: Pagination.SearchPage(Customer)
      }).pipe(Stream.map((c) => c.id), Stream.runCollect, Effect.provide(layer))
      expect(Chunk.toReadonlyArray(ids)).toEqual(all.map((c) => c.id))
      expect(calls.map(query)).toEqual([
        { query: "email:'a@b.co'", limit: "4" },
        { query: "email:'a@b.co'", limit: "4", page: "page_2" },
        { query: "email:'a@b.co'", limit: "4", page: "page_3" }
      ])
      expect(calls.every((c) => c.headers["stripe-account"] === "acct_s")).toBe(true)
    }))
})
