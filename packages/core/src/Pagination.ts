/**
 * Pages and lazy streams over Stripe list and search endpoints.
 *
 * CONTRACT FILE (TODO: core helper implements).
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import type { Request, StripeClient } from "./StripeClient.js"
import type { StripeError } from "./StripeError.js"

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
  readonly next_page: string | null
  readonly total_count?: number | undefined
  readonly url: string
}

/** @since 0.1.0 @category schemas */
export declare const Page: <A, I>(item: Schema.Schema<A, I, never>) => Schema.Schema<Page<A>, unknown, never>
/** @since 0.1.0 @category schemas */
export declare const SearchPage: <A, I>(item: Schema.Schema<A, I, never>) => Schema.Schema<SearchPage<A>, unknown, never>

/**
 * Walks a list endpoint lazily: `starting_after` the last id of each page, or
 * `ending_before` the first id when the request's params had `ending_before`.
 * Keeps the request's options. Holds one page in memory.
 *
 * @since 0.1.0
 * @category streams
 */
export declare const listAll: <A, I>(request: Request<Page<A>, I>) => Stream.Stream<A, StripeError, StripeClient>

/**
 * Walks a search endpoint lazily following `next_page`.
 *
 * @since 0.1.0
 * @category streams
 */
export declare const searchAll: <A, I>(request: Request<SearchPage<A>, I>) => Stream.Stream<A, StripeError, StripeClient>
