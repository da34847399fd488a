import { describe, expect, it } from "@effect/vitest"
import * as ObjectRegistry from "@lattice-stripe/resources/ObjectRegistry"
import { Emulator } from "@lattice-stripe/testing"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { operations } from "../src/generated/spec.js"
import { encode, wire } from "./support.js"

// Values for path params: the parent objects the sweep creates first.
const parents = async (w: ReturnType<typeof wire>) => {
  const customer = (await w.post("/v1/customers", { email: "sweep@example.com" })).json
  const product = (await w.post("/v1/products", { name: "Sweep" })).json
  const price = (await w.post("/v1/prices", {
    product: product.id,
    currency: "usd",
    unit_amount: 100,
    recurring: { interval: "month" }
  })).json
  const sub = (await w.post("/v1/subscriptions", { customer: customer.id, items: [{ price: price.id }] })).json
  const pi = (await w.post("/v1/payment_intents", { amount: 100, currency: "usd" })).json
  const account = (await w.post("/v1/accounts", { type: "express" })).json
  const transfer = (await w.post("/v1/transfers", { amount: 10, currency: "usd", destination: account.id })).json
  const out: Record<string, string | undefined> = {
    customer: customer.id,
    product: product.id,
    price: price.id,
    subscription_exposed_id: sub.id,
    subscription: sub.id,
    invoice: sub.latest_invoice,
    intent: pi.id,
    account: account.id,
    id: transfer.id
  }
  return out
}

const decodes = (value: unknown): boolean => {
  if (typeof value !== "object" || value === null || !("object" in value) || typeof value.object !== "string") {
    return true
  }
  if (value.object === "list" || value.object === "search_result") {
    return "data" in value && Array.isArray(value.data) && value.data.every(decodes)
  }
  const schema = "deleted" in value && value.deleted === true
    ? ObjectRegistry.getDeleted(value.object)
    : ObjectRegistry.get(value.object)
  return schema === undefined || Either.isRight(Schema.decodeUnknownEither(schema)(value))
}

describe("every generated operation", () => {
  it("answers without an emulator error, and its 2xx bodies decode", async () => {
    const emulator = Emulator.make({ seed: 5 })
    const w = wire((r) => emulator.handle(r))
    const ids = await parents(w)
    const statuses: Record<string, number> = {}
    const undecodable: Array<string> = []
    for (const op of operations) {
      const path = op.p.replace(/\{([^}]+)\}/g, (_, name: string) => ids[name] ?? "obj_missing")
      const params = Object.fromEntries(op.r.map((r) => [r, "1"]))
      const res = await w.call(op.m, path, params)
      statuses[`${op.m} ${op.p}`] = res.status
      if (res.status === 200 && !decodes(res.json)) undecodable.push(`${op.m} ${op.p}`)
    }
    const crashed = Object.entries(statuses).filter(([, s]) => s >= 500)
    expect(crashed).toEqual([])
    expect(undecodable).toEqual([])
    expect(Object.values(statuses).filter((s) => s === 200).length).toBeGreaterThan(90)
    // the body encoder the sweep uses is Stripe's
    expect(encode({ a: [{ b: 1 }] })).toBe("a%5B0%5D%5Bb%5D=1")
  })
})
