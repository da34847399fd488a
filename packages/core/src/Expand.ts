/**
 * Type-level `expand`: the type of a resource once some of its expandable
 * fields are expanded.
 *
 * Stripe models an expandable field as `string | Object` (an id, or the
 * object when the request asked for it with `expand`). These types narrow
 * such fields for the paths a call expanded.
 *
 * @example
 * ```ts
 * import type { Expand } from "@lattice-stripe/core"
 *
 * interface Customer { readonly id: string; readonly email: string | null }
 * interface Subscription { readonly id: string; readonly customer: string | Customer }
 *
 * type WithCustomer = Expand.Expanded<Subscription, ["customer"]>
 * declare const sub: WithCustomer
 * sub.customer.email // string | null
 * ```
 *
 * @since 0.1.0
 */

/**
 * `Expanded<Subscription, ["customer"]>` is `Subscription` with `customer`
 * narrowed from `string | Customer | DeletedCustomer` to
 * `Customer | DeletedCustomer`. Dotted paths (`"latest_invoice.payment_intent"`)
 * narrow nested fields (and their parents, as Stripe expands them); arrays
 * are mapped (`"data.customer"` on a `Page`). Nullability and optionality are
 * kept: `string | Customer | null` becomes `Customer | null`. A path naming
 * no field leaves the type unchanged, and so does a `string[]` whose paths
 * are not known statically.
 *
 * @since 0.1.0
 * @category models
 */
export type Expanded<T, Paths extends ReadonlyArray<string>> = string extends Paths[number] ? T
  : ExpandPath<T, Paths[number]>

/**
 * Narrows the fields named by `P`, a union of (possibly dotted) paths.
 * Distributes over unions: members that lack the field (a `DeletedCustomer`)
 * are left as they are.
 *
 * @since 0.1.0
 * @category models
 */
export type ExpandPath<T, P extends string> = [P] extends [never] ? T
  : T extends ReadonlyArray<infer E> ? ReadonlyArray<ExpandPath<E, P>>
  : T extends string | number | boolean | bigint | symbol | null | undefined ? T
  : {
    readonly [K in keyof T]: K extends P ? ExpandPath<Narrow<T[K]>, Rest<P, K>>
      : [Rest<P, K>] extends [never] ? T[K]
      : ExpandPath<Narrow<T[K]>, Rest<P, K>>
  }

/**
 * Drops the id (`string`) from an expandable field; a field that holds no
 * object at all (a plain string id) is left as it is.
 *
 * @since 0.1.0
 * @category models
 */
export type Narrow<V> = [Exclude<V, string | null | undefined>] extends [never] ? V : Exclude<V, string>

/**
 * The remainders of the paths in `P` that start with `K.`.
 *
 * @since 0.1.0
 * @category models
 */
export type Rest<P extends string, K> = P extends `${K & string}.${infer R}` ? R : never

/**
 * The keys of `T` that may be expanded, one level deep: those whose type
 * includes both an id (`string`) and an object.
 *
 * @since 0.1.0
 * @category models
 */
export type ExpandableKeys<T> =
  & {
    [K in keyof T]-?: string extends T[K] ? ([Exclude<T[K], string | null | undefined>] extends [never] ? never : K)
      : never
  }[keyof T]
  & string
