/**
 * Type-level `expand`: the type of a resource once some of its expandable
 * fields are expanded.
 *
 * CONTRACT FILE (TODO: core helper implements and tests).
 *
 * @since 0.1.0
 */

/**
 * `Expanded<Subscription, ["customer"]>` is `Subscription` with `customer`
 * narrowed from `string | Customer | DeletedCustomer` to
 * `Customer | DeletedCustomer`. Dotted paths (`"latest_invoice.payment_intent"`)
 * narrow nested fields; arrays are mapped (`"data.customer"` on a `Page`).
 * Nullability is kept: `string | Customer | null` becomes `Customer | null`.
 *
 * @since 0.1.0
 * @category models
 */
export type Expanded<T, Paths extends ReadonlyArray<string>> = Paths extends readonly [
  infer H extends string,
  ...infer R extends ReadonlyArray<string>
] ? Expanded<ExpandPath<T, H>, R>
  : T

/**
 * Narrows one (possibly dotted) path.
 *
 * @since 0.1.0
 * @category models
 */
export type ExpandPath<T, P extends string> = T extends ReadonlyArray<infer E> ? ReadonlyArray<ExpandPath<E, P>>
  : T extends null | undefined ? T
  : P extends `${infer H}.${infer R}` ? H extends keyof T ? Omit<T, H> & { readonly [K in H]: ExpandPath<Exclude<T[H], string>, R> }
    : T
  : P extends keyof T ? Omit<T, P> & { readonly [K in P]: Exclude<T[P], string> }
  : T
