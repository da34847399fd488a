import { describe, expect, it } from "@effect/vitest"
import { FormEncoding } from "@lattice-stripe/core"
import { decodeForm } from "../src/internal/form.js"
import { encode } from "./support.js"

describe("form decoding", () => {
  it("nests brackets and builds indexed arrays", () => {
    expect(decodeForm("amount=2000&metadata[a]=1&items[0][price]=p1&items[1][price]=p2&items[1][quantity]=3"))
      .toEqual({ amount: "2000", metadata: { a: "1" }, items: [{ price: "p1" }, { price: "p2", quantity: "3" }] })
  })

  it("appends with [] and keeps numeric metadata keys mixed with names as an object", () => {
    expect(decodeForm("expand[]=customer&expand[]=data.customer")).toEqual({ expand: ["customer", "data.customer"] })
    expect(decodeForm("metadata[1]=a&metadata[x]=b")).toEqual({ metadata: { 1: "a", x: "b" } })
  })

  it("decodes percent escapes and plus signs, and empty values", () => {
    expect(decodeForm("email=a%40b.com&name=SDK+Explorer&description=")).toEqual({
      email: "a@b.com",
      name: "SDK Explorer",
      description: ""
    })
    expect(decodeForm("")).toEqual({})
  })

  it("round-trips the test encoder", () => {
    const params = {
      phases: [{ items: [{ price: "price_1", quantity: "1" }], iterations: "3" }],
      metadata: { "key with space": "v&=" }
    }
    expect(decodeForm(encode(params))).toEqual(params)
  })
})

describe("form decoding of the SDK's own encoder", () => {
  it("reads what core's FormEncoding.encode writes", () => {
    const body = FormEncoding.encode({
      amount: 2000,
      confirm: true,
      expand: ["customer", "data.customer"],
      items: [{ price: "price_1", quantity: 2 }],
      metadata: { order: "42", empty: "" },
      recurring: { interval: "month" }
    })
    expect(decodeForm(body)).toEqual({
      amount: "2000",
      confirm: "true",
      expand: ["customer", "data.customer"],
      items: [{ price: "price_1", quantity: "2" }],
      metadata: { order: "42", empty: "" },
      recurring: { interval: "month" }
    })
  })
})
