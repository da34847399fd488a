import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { Customers, type Schemas, Subscriptions } from "../src/index.js"
import { mockStripe, model, pairs } from "./support.js"

const record = (u: unknown): Record<string, unknown> => (typeof u === "object" && u !== null ? { ...u } : {})
const customer = { ...record(sample(model, "customer")), email: "jenny@example.com" }
const subscription = (expanded: boolean) => ({
  ...record(sample(model, "subscription")),
  id: "sub_1",
  customer: expanded ? customer : "cus_1"
})

describe("typed expand", () => {
  it.effect("retrieve with expand narrows the field to the object", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: subscription(true) }))
      const sub = yield* Subscriptions.retrieve("sub_1", { expand: ["customer"] }).pipe(Effect.provide(layer))
      expectTypeOf(sub.customer).toEqualTypeOf<Schemas.Customer | Schemas.DeletedCustomer>()
      expect(pairs(recorded[0]!.url.search.slice(1))).toContainEqual(["expand[0]", "customer"])
      if ("deleted" in sub.customer) return expect.fail("expected a live customer")
      expectTypeOf(sub.customer.email).toEqualTypeOf<string | null>()
      expect(sub.customer.email).toBe("jenny@example.com")
      // Other expandable fields keep their id-or-object type.
      expectTypeOf(sub.default_payment_method).toEqualTypeOf<string | Schemas.PaymentMethod | null>()
    }))

  it.effect("without expand the field may be an id", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: subscription(false) }))
      const sub = yield* Subscriptions.retrieve("sub_1").pipe(Effect.provide(layer))
      expectTypeOf(sub.customer).toEqualTypeOf<string | Schemas.Customer | Schemas.DeletedCustomer>()
      expect(sub.customer).toBe("cus_1")
      // @ts-expect-error the customer is not expanded: it may be an id
      expect(sub.customer.email).toBeUndefined()
    }))

  it.effect("list with data.* narrows every item; listAll narrows the stream", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({
        json: { object: "list", data: [subscription(true)], has_more: false, url: "/v1/subscriptions" }
      }))
      const page = yield* Subscriptions.list({ expand: ["data.customer"], limit: 1 }).pipe(Effect.provide(layer))
      expectTypeOf(page.data[0]!.customer).toEqualTypeOf<Schemas.Customer | Schemas.DeletedCustomer>()
      expect(pairs(recorded[0]!.url.search.slice(1))).toContainEqual(["expand[0]", "data.customer"])
      const items = yield* Stream.runCollect(Subscriptions.listAll({ expand: ["data.customer"] })).pipe(
        Effect.provide(layer)
      )
      const first = Chunk.unsafeHead(items)
      expectTypeOf(first.customer).toEqualTypeOf<Schemas.Customer | Schemas.DeletedCustomer>()
      expect(typeof first.customer).toBe("object")
    }))

  it.effect("dotted paths narrow nested fields", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: subscription(false) }))
      const sub = yield* Subscriptions.retrieve("sub_1", { expand: ["latest_invoice", "latest_invoice.customer"] })
        .pipe(Effect.provide(layer), Effect.orElseSucceed(() => undefined))
      if (sub === undefined) return
      expectTypeOf(sub.latest_invoice).not.toEqualTypeOf<string | Schemas.Invoice | null>()
    }))

  it.effect("expand in params is sent as expand[i]", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe(() => ({ json: customer }))
      yield* Customers.retrieve("cus_1", { expand: ["default_source"] }).pipe(Effect.provide(layer))
      expect(pairs(recorded[0]!.url.search.slice(1))).toContainEqual(["expand[0]", "default_source"])
    }))

  it("expand suggests the expandable fields but accepts any path", () => {
    type Params = NonNullable<Parameters<typeof Subscriptions.retrieve>[1]>
    expectTypeOf<"customer">().toMatchTypeOf<NonNullable<Params["expand"]>[number]>()
    expectTypeOf<"latest_invoice.payment_intent">().toMatchTypeOf<NonNullable<Params["expand"]>[number]>()
    // @ts-expect-error expand is a list of strings
    Subscriptions.retrieve("sub_1", { expand: [1] })
  })
})
