import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { sample } from "../../../scripts/codegen/src/sample.js"
import { Subscriptions } from "../src/index.js"
import * as ObjectRegistry from "../src/ObjectRegistry.js"
import * as Schemas from "../src/Schemas.js"
import { mockStripe, model } from "./support.js"

const record = (u: unknown): Record<string, unknown> => (typeof u === "object" && u !== null ? { ...u } : {})

const objectSchemas = Object.values(model.types)
  .flatMap((t) =>
    t.objectValue === undefined ? [] : [{ name: t.name, value: t.objectValue, deleted: t.deleted === true }]
  )
  .sort((a, b) => (a.name < b.name ? -1 : 1))

describe("decoding", () => {
  it("the registry knows every object type of the model", () => {
    const live = objectSchemas.filter((o) => !o.deleted)
    expect(live.length).toBeGreaterThan(120)
    for (const o of live) {
      expect(ObjectRegistry.isKnown(o.value)).toBe(true)
      expect(ObjectRegistry.get(o.value)).toBeDefined()
    }
    expect(ObjectRegistry.get("not_a_stripe_object")).toBeUndefined()
  })

  for (const o of objectSchemas) {
    it.effect(`decodes a realistic ${o.name}`, () =>
      Effect.gen(function*() {
        const input = sample(model, o.name, { optionalDepth: 2 })
        const decoded = yield* ObjectRegistry.decodeUnknown(input)
        expect(decoded).toMatchObject({ object: o.value })
        if (o.deleted) expect(decoded).toMatchObject({ deleted: true })
      }))
  }

  it.effect("passes unknown object types through unchanged", () =>
    Effect.gen(function*() {
      const input = { object: "brand_new_object", id: "bno_1", whatever: [1, 2] }
      expect(yield* ObjectRegistry.decodeUnknown(input)).toBe(input)
      expect(yield* ObjectRegistry.decodeUnknown("cus_123")).toBe("cus_123")
    }))

  it("rejects a known object that misses required fields", () => {
    const result = Schema.decodeUnknownEither(ObjectRegistry.get("customer"))({ object: "customer" })
    expect(Either.isLeft(result)).toBe(true)
  })

  it("accepts an unknown enum value and ignores an extra field", () => {
    const base = sample(model, "subscription")
    const input = {
      ...record(base),
      status: "paused_by_a_future_feature",
      collection_method: "invoice_by_carrier_pigeon",
      field_added_in_2030: { nested: true }
    }
    const decoded = Schema.decodeUnknownSync(Schemas.Subscription)(input)
    expect(decoded.status).toBe("paused_by_a_future_feature")
    expect(decoded.collection_method).toBe("invoice_by_carrier_pigeon")
    expect(decoded).not.toHaveProperty("field_added_in_2030")
    // Known values keep their literal type for narrowing.
    const active: Schemas.Subscription["status"] = "active"
    expect(active).toBe("active")
  })

  it("follows nullability and optionality of the pinned version (stripe@23's Customer declaration)", () => {
    // `email: string | null` (required, nullable), `name?: string | null` (optional, nullable),
    // `created: number` and `livemode: boolean` (required, not nullable).
    const withNull: Record<string, unknown> = { ...record(sample(model, "customer")), email: null, name: null }
    expect(Schema.decodeUnknownSync(Schemas.Customer)(withNull).email).toBeNull()
    const { created: _created, ...without } = withNull
    expect(Either.isLeft(Schema.decodeUnknownEither(Schemas.Customer)(without))).toBe(true)
    const { email: _email, ...noEmail } = withNull
    expect(Either.isLeft(Schema.decodeUnknownEither(Schemas.Customer)(noEmail))).toBe(true)
    const { name: _name, ...noName } = withNull
    expect(Schema.decodeUnknownSync(Schemas.Customer)(noName).name).toBeUndefined()
    expect(Either.isLeft(Schema.decodeUnknownEither(Schemas.Customer)({ ...withNull, livemode: null }))).toBe(true)
  })

  it("decodes an expandable field as an id, the object, or its deleted variant", () => {
    const base = sample(model, "subscription")
    const sub = record(base)
    const decode = Schema.decodeUnknownSync(Schemas.Subscription)
    expect(decode({ ...sub, customer: "cus_1" }).customer).toBe("cus_1")
    const customer = decode({ ...sub, customer: sample(model, "customer") }).customer
    expect(typeof customer === "object" && customer.object).toBe("customer")
    const deleted = decode({ ...sub, customer: { id: "cus_2", object: "customer", deleted: true } }).customer
    expect(deleted).toEqual({ id: "cus_2", object: "customer", deleted: true })
  })

  it.effect("a resource call decodes forward-compatible responses", () =>
    Effect.gen(function*() {
      const base = sample(model, "subscription")
      const { layer } = mockStripe(() => ({
        json: { ...record(base), status: "future_status", brand_new: 1 }
      }))
      const sub = yield* Subscriptions.retrieve("sub_1").pipe(Effect.provide(layer))
      expect(sub.status).toBe("future_status")
      expect(sub).not.toHaveProperty("brand_new")
    }))

  it.effect("a response that does not decode is a StripeDecodeError", () =>
    Effect.gen(function*() {
      const { layer } = mockStripe(() => ({ json: { object: "subscription", id: 42 } }))
      const error = yield* Subscriptions.retrieve("sub_1").pipe(Effect.flip, Effect.provide(layer))
      expect(error._tag).toBe("StripeDecodeError")
    }))
})
