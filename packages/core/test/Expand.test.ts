/**
 * Type-level tests: `tsc -p packages/core/tsconfig.json` fails if any of
 * these expectations does not hold (vitest only runs them as no-ops).
 */
import { describe, expectTypeOf, it } from "@effect/vitest"
import type * as Expand from "../src/Expand.js"
import type * as Pagination from "../src/Pagination.js"

interface Card {
  readonly id: string
  readonly object: "card"
  readonly last4: string
}
interface Customer {
  readonly id: string
  readonly object: "customer"
  readonly email: string | null
  readonly default_source: string | Card | null
}
interface DeletedCustomer {
  readonly id: string
  readonly object: "customer"
  readonly deleted: true
}
interface PaymentMethod {
  readonly id: string
  readonly object: "payment_method"
}
interface PaymentIntent {
  readonly id: string
  readonly customer: string | Customer | DeletedCustomer | null
}
interface Invoice {
  readonly id: string
  readonly payment_intent: string | PaymentIntent | null
}
interface Price {
  readonly id: string
  readonly unit_amount: number | null
}
interface SubscriptionItem {
  readonly id: string
  readonly price: string | Price
}
interface Subscription {
  readonly id: string
  readonly customer: string | Customer | DeletedCustomer
  readonly latest_invoice: string | Invoice | null
  readonly default_payment_method?: string | PaymentMethod | null
  readonly items: { readonly object: "list"; readonly data: ReadonlyArray<SubscriptionItem> }
  readonly metadata: Readonly<Record<string, string>>
}

describe("Expand.Expanded", () => {
  it("narrows a top-level expandable field and leaves the others", () => {
    type S = Expand.Expanded<Subscription, ["customer"]>
    expectTypeOf<S["customer"]>().toEqualTypeOf<Customer | DeletedCustomer>()
    expectTypeOf<S["latest_invoice"]>().toEqualTypeOf<string | Invoice | null>()
    expectTypeOf<S["id"]>().toEqualTypeOf<string>()
    expectTypeOf<S["metadata"]>().toEqualTypeOf<Readonly<Record<string, string>>>()
    const readEmail = (
      s: S
    ) => (s.customer.object === "customer" && !("deleted" in s.customer) ? s.customer.email : null)
    expectTypeOf(readEmail).returns.toEqualTypeOf<string | null>()
  })

  it("refuses to treat an unexpanded field as an object", () => {
    const unexpanded = (s: Subscription) =>
      // @ts-expect-error customer may be a string id until it is expanded
      s.customer.email
    expectTypeOf(unexpanded).toBeFunction()
  })

  it("keeps nullability and optionality", () => {
    type S = Expand.Expanded<Subscription, ["latest_invoice", "default_payment_method"]>
    expectTypeOf<S["latest_invoice"]>().toEqualTypeOf<Invoice | null>()
    expectTypeOf<S["default_payment_method"]>().toEqualTypeOf<PaymentMethod | null | undefined>()
    expectTypeOf<{}>().toMatchTypeOf<Pick<S, "default_payment_method">>()
  })

  it("narrows dotted paths and their parents", () => {
    type S = Expand.Expanded<Subscription, ["latest_invoice.payment_intent.customer"]>
    type I = Exclude<S["latest_invoice"], null>
    type P = Exclude<I["payment_intent"], null>
    expectTypeOf<I["id"]>().toEqualTypeOf<string>()
    expectTypeOf<P["customer"]>().toEqualTypeOf<Customer | DeletedCustomer | null>()
    expectTypeOf<S["customer"]>().toEqualTypeOf<string | Customer | DeletedCustomer>()
  })

  it("distributes over unions: members without the field are unchanged", () => {
    type S = Expand.Expanded<Subscription, ["customer.default_source"]>
    type C = Extract<S["customer"], { readonly email: string | null }>
    expectTypeOf<C["default_source"]>().toEqualTypeOf<Card | null>()
    expectTypeOf<Extract<S["customer"], { readonly deleted: true }>>().toEqualTypeOf<DeletedCustomer>()
  })

  it("maps arrays: data.customer on a page, items.data.price on a subscription", () => {
    type P = Expand.Expanded<Pagination.Page<Subscription>, ["data.customer"]>
    expectTypeOf<P["data"][number]["customer"]>().toEqualTypeOf<Customer | DeletedCustomer>()
    expectTypeOf<P["has_more"]>().toEqualTypeOf<boolean>()
    type S = Expand.Expanded<Subscription, ["items.data.price", "customer"]>
    expectTypeOf<S["items"]["data"][number]["price"]>().toEqualTypeOf<Price>()
    expectTypeOf<S["customer"]>().toEqualTypeOf<Customer | DeletedCustomer>()
  })

  it("leaves the type alone for unknown paths and for paths not known statically", () => {
    type U = Expand.Expanded<Subscription, ["nope", "id", "id.nope", "metadata.nope"]>
    expectTypeOf<U["latest_invoice"]>().toEqualTypeOf<string | Invoice | null>()
    expectTypeOf<U["id"]>().toEqualTypeOf<string>()
    expectTypeOf<U["customer"]>().toEqualTypeOf<string | Customer | DeletedCustomer>()
    expectTypeOf<U>().toMatchTypeOf<Subscription>()
    expectTypeOf<Subscription>().toMatchTypeOf<U>()
    expectTypeOf<Expand.Expanded<Subscription, Array<string>>>().toEqualTypeOf<Subscription>()
    expectTypeOf<Expand.Expanded<Subscription, []>>().toEqualTypeOf<Subscription>()
  })

  it("works with non-tuple arrays of literal paths", () => {
    type S = Expand.Expanded<Subscription, ReadonlyArray<"customer" | "latest_invoice">>
    expectTypeOf<S["customer"]>().toEqualTypeOf<Customer | DeletedCustomer>()
    expectTypeOf<S["latest_invoice"]>().toEqualTypeOf<Invoice | null>()
  })

  it("ExpandableKeys lists the id-or-object fields", () => {
    expectTypeOf<Expand.ExpandableKeys<Subscription>>().toEqualTypeOf<
      "customer" | "latest_invoice" | "default_payment_method"
    >()
  })
})
