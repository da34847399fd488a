/**
 * Pages and lazy streams over Stripe list and search endpoints.
 *
 * @example
 * ```ts
 * import { Pagination } from "@lattice-stripe/core"
 * import { Schema, Stream } from "effect"
 *
 * const Customer = Schema.Struct({ id: Schema.String, email: Schema.NullOr(Schema.String) })
 *
 * const everyCustomer = Pagination.listAll({
 *   method: "GET",
 *   path: "/v1/customers",
 *   params: { limit: 100 },
 *   schema: Pagination.Page(Customer)
 * })
 * const emails = Stream.runCollect(Stream.map(everyCustomer, (c) => c.email))
 * ```
 *
 * @since 0.1.0
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { Request } from "./StripeClient.js"
import { StripeClient } from "./StripeClient.js"
import type { StripeError } from "./StripeError.js"
import { StripeValidationError } from "./StripeError.js"

/**
 * One page of a list endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly object: "list"
  readonly data: ReadonlyArray<A>
  readonly has_more: boolean
  readonly url: string
}

/**
 * One page of a search endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface SearchPage<A> {
  readonly object: "search_result"
  readonly data: ReadonlyArray<A>
  readonly has_more: boolean
  readonly next_page?: string | null | undefined
  readonly total_count?: number | undefined
  readonly url: string
}

/**
 * One page of a v2 list endpoint: the items and the URLs (path and query on
 * the API host) of the next and previous pages, `null` at either end.
 *
 * @since 0.2.0
 * @category models
 */
export interface V2Page<A> {
  readonly data: ReadonlyArray<A>
  readonly next_page_url: string | null
  readonly previous_page_url?: string | null | undefined
}

const pageCache = new WeakMap<object, object>()
const searchPageCache = new WeakMap<object, object>()
const v2PageCache = new WeakMap<object, object>()

const fromUnknown = <A, I>(schema: Schema.Schema<A, I, never>): Schema.Schema<A, unknown, never> =>
  // `strict: false`: the input side is widened to `unknown`, which is what arrives from JSON.parse.
  Schema.compose(Schema.Unknown, schema, { strict: false })

/**
 * The schema of one page of a list endpoint. Memoized per item schema, so
 * calling it on every request costs a `WeakMap` lookup and reuses the
 * compiled decoder.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = <A, I>(item: Schema.Schema<A, I, never>): Schema.Schema<Page<A>, unknown, never> => {
  const cached = pageCache.get(item)
  // Boundary cast: the cache is keyed by the item schema, so the stored page schema has items of type `A`.
  if (cached !== undefined) return cached as Schema.Schema<Page<A>, unknown, never>
  const created = fromUnknown(Schema.Struct({
    object: Schema.Literal("list"),
    data: Schema.Array(item),
    has_more: Schema.Boolean,
    url: Schema.String
  }))
  pageCache.set(item, created)
  return created
}

/**
 * The schema of one page of a search endpoint. Memoized per item schema.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SearchPage = <A, I>(item: Schema.Schema<A, I, never>): Schema.Schema<SearchPage<A>, unknown, never> => {
  const cached = searchPageCache.get(item)
  // Boundary cast: the cache is keyed by the item schema, so the stored page schema has items of type `A`.
  if (cached !== undefined) return cached as Schema.Schema<SearchPage<A>, unknown, never>
  const created = fromUnknown(Schema.Struct({
    object: Schema.Literal("search_result"),
    data: Schema.Array(item),
    has_more: Schema.Boolean,
    next_page: Schema.optional(Schema.NullOr(Schema.String)),
    total_count: Schema.optional(Schema.Number),
    url: Schema.String
  }))
  searchPageCache.set(item, created)
  return created
}

/**
 * The schema of one page of a v2 list endpoint. Memoized per item schema.
 *
 * @since 0.2.0
 * @category schemas
 */
export const V2Page = <A, I>(item: Schema.Schema<A, I, never>): Schema.Schema<V2Page<A>, unknown, never> => {
  const cached = v2PageCache.get(item)
  // Boundary cast: the cache is keyed by the item schema, so the stored page schema has items of type `A`.
  if (cached !== undefined) return cached as Schema.Schema<V2Page<A>, unknown, never>
  const created = fromUnknown(Schema.Struct({
    data: Schema.Array(item),
    next_page_url: Schema.NullOr(Schema.String),
    previous_page_url: Schema.optional(Schema.NullOr(Schema.String))
  }))
  v2PageCache.set(item, created)
  return created
}

const paramsOf = (params: unknown): Record<string, unknown> =>
  Predicate.isRecord(params) && !Array.isArray(params) ? params : {}

const idOf = (item: unknown): string | undefined =>
  Predicate.hasProperty(item, "id") && typeof item.id === "string" ? item.id : undefined

const missingId = new StripeValidationError({
  message: "Cannot paginate: a list item has no string `id` to continue from",
  param: "starting_after"
})

/**
 * Walks a list endpoint lazily: `starting_after` the last id of each page, or
 * `ending_before` the first id when the request's params had `ending_before`.
 * Keeps the request's options. Holds one page in memory.
 *
 * Walking backwards (`ending_before`), each page's items are emitted in
 * reverse, as the official Stripe SDKs do, so the stream runs in one
 * direction through time (oldest first).
 *
 * @since 0.1.0
 * @category streams
 */
export const listAll = <A, I>(request: Request<Page<A>, I>): Stream.Stream<A, StripeError, StripeClient> => {
  const first = paramsOf(request.params)
  const backwards = first.ending_before !== undefined && first.ending_before !== null
  return Stream.paginateChunkEffect(
    first,
    (params) =>
      Effect.flatMap(StripeClient, (client) => client.execute({ ...request, params })).pipe(
        Effect.flatMap(({ value: page }) => {
          const data = page.data
          const items = Chunk.unsafeFromArray(backwards ? data.slice().reverse() : data)
          if (!page.has_more || data.length === 0) {
            return Effect.succeed([items, Option.none<Record<string, unknown>>()] as const)
          }
          const cursor = idOf(backwards ? data[0] : data[data.length - 1])
          if (cursor === undefined) return Effect.fail(missingId)
          const next = backwards
            ? { ...params, ending_before: cursor }
            : { ...params, starting_after: cursor }
          return Effect.succeed([items, Option.some(next)] as const)
        })
      )
  )
}

/**
 * Walks a search endpoint lazily following `next_page` (sent as `page`).
 * Keeps the request's options. Holds one page in memory.
 *
 * @since 0.1.0
 * @category streams
 */
export const searchAll = <A, I>(request: Request<SearchPage<A>, I>): Stream.Stream<A, StripeError, StripeClient> =>
  Stream.paginateChunkEffect(
    paramsOf(request.params),
    (params) =>
      Effect.flatMap(StripeClient, (client) => client.execute({ ...request, params })).pipe(
        Effect.map(({ value: page }) => {
          const items = Chunk.unsafeFromArray(page.data)
          const nextPage = page.next_page
          if (
            !page.has_more || nextPage === undefined || nextPage === null || nextPage === "" || page.data.length === 0
          ) {
            return [items, Option.none<Record<string, unknown>>()] as const
          }
          return [items, Option.some({ ...params, page: nextPage })] as const
        })
      )
  )

const badNextPage = (url: string) =>
  new StripeValidationError({
    message: `Cannot paginate: next_page_url ${JSON.stringify(url.slice(0, 200))} is not a /v2/ path on the API host`,
    param: "next_page_url"
  })

/**
 * Walks a v2 list endpoint lazily, as Stripe's SDKs do: the first page with
 * the request's params, then each `next_page_url` (a path with its query,
 * which carries the page token and the filters) until it is `null`. A GET
 * follows the URL alone; a POST list sends the same params again. Keeps the
 * request's options. Holds one page in memory. A `next_page_url` that is not
 * a `/v2/` path on the configured host stops the stream with a
 * `StripeValidationError` rather than send the key elsewhere.
 *
 * @since 0.2.0
 * @category streams
 */
export const v2ListAll = <A, I>(request: Request<V2Page<A>, I>): Stream.Stream<A, StripeError, StripeClient> =>
  Stream.paginateChunkEffect(
    { path: request.path, params: request.params },
    (state: { readonly path: string; readonly params: unknown }) =>
      Effect.flatMap(StripeClient, (client) => client.execute({ ...request, ...state })).pipe(
        Effect.flatMap(({ value: page }) => {
          const items = Chunk.unsafeFromArray(page.data)
          const next = page.next_page_url
          if (next === null || next === "") {
            return Effect.succeed([items, Option.none<{ path: string; params: unknown }>()] as const)
          }
          if (!next.startsWith("/v2/")) return Effect.fail(badNextPage(next))
          const params = request.method === "GET" ? undefined : request.params
          return Effect.succeed([items, Option.some({ path: next, params })] as const)
        })
      )
  )
