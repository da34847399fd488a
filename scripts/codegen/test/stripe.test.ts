/**
 * The `stripe` package reader against hand-written expectations taken from
 * Stripe's API reference (https://docs.stripe.com/api) and the published
 * declarations of `stripe@15.12.0` (API 2024-04-10) and `stripe@23.1.0`
 * (API 2026-10-28.endive).
 */
import { describe, expect, it } from "@effect/vitest"
import type { Field, Model, Operation, Type } from "../src/model.js"
import { referenceStripeDir, shippedStripeDir } from "../src/sources/packages.js"
import { readStripePackage } from "../src/sources/stripe.js"

const v15: Model = readStripePackage(referenceStripeDir())
const v23: Model = readStripePackage(shippedStripeDir())

const op = (m: Model, qualified: string): Operation => {
  const found = m.operations.find((o) => [...o.namespace, o.resource, o.name].join(".") === qualified)
  if (found === undefined) throw new Error(`${m.source}: no operation ${qualified}`)
  return found
}

const field = (m: Model, typeName: string, name: string): Field | undefined => {
  const t = m.types[typeName]?.type
  if (t?.kind !== "struct") throw new Error(`${m.source}: ${typeName} is not a struct`)
  return t.fields.find((f) => f.name === name)
}

const param = (o: Operation, name: string): Field => {
  const p = o.params.find((x) => x.name === name)
  if (p === undefined) throw new Error(`no param ${name}`)
  return p
}

const ref = (name: string): Type => ({ kind: "ref", name })

describe("readStripePackage: both layouts", () => {
  it("reads the pinned API versions and counts", () => {
    expect([v15.apiVersion, v15.source]).toEqual(["2024-04-10", "stripe@15.12.0"])
    expect([v23.apiVersion, v23.source]).toEqual(["2026-10-28.endive", "stripe@23.1.0"])
    // stripe@23.1.0: 652 `_makeRequest` call sites = 648 API methods + the 2
    // OAuth methods on connect.stripe.com + the `/v1/account` branch of
    // `accounts.retrieve` (also `retrieveCurrent`) + the dynamic
    // `fetchRelatedObject` of v2 events. 91 methods are under /v2.
    console.log(
      `stripe@15.12.0: ${v15.operations.length} operations, ${
        Object.keys(v15.types).length
      } types, ${v15.events.length} events; ` +
        `stripe@23.1.0: ${v23.operations.length} operations (${
          v23.operations.filter((o) => o.apiMode === "v2").length
        } v2), ${Object.keys(v23.types).length} types, ${v23.events.length} events`
    )
    expect(v23.operations.length).toBe(650)
    expect(v23.requestCalls?.length).toBe(652)
    expect(v23.operations.filter((o) => o.apiMode === "v2").length).toBe(91)
    expect(v15.operations.length).toBe(483)
    expect(v15.operations.some((o) => o.apiMode === "v2")).toBe(false)
    expect(v23.operations.filter((o) => o.host === "connect").map((o) => `${o.resource}.${o.name} ${o.path}`).sort())
      .toEqual(["OAuth.deauthorize /oauth/deauthorize", "OAuth.token /oauth/token"])
  })

  it("Customers.retrieve: GET /v1/customers/{id}, a customer or a deleted customer", () => {
    for (const m of [v15, v23]) {
      expect(op(m, "Customers.retrieve")).toMatchObject({
        httpMethod: "GET",
        path: "/v1/customers/{id}",
        pathParams: ["id"],
        host: "api",
        apiMode: "v1",
        encoding: "form",
        expandable: true,
        paramsRequired: false,
        response: { kind: "object", type: { kind: "union", members: [ref("Customer"), ref("DeletedCustomer")] } }
      })
    }
  })

  it("path params are named as the declarations name the arguments", () => {
    for (const m of [v15, v23]) {
      expect(op(m, "Customers.deleteTaxId")).toMatchObject({
        httpMethod: "DELETE",
        path: "/v1/customers/{customerId}/tax_ids/{id}",
        pathParams: ["customerId", "id"],
        response: { kind: "object", type: ref("DeletedTaxId") }
      })
    }
    expect(op(v23, "V2.Core.Accounts.Persons.create")).toMatchObject({
      httpMethod: "POST",
      path: "/v2/core/accounts/{accountId}/persons",
      pathParams: ["accountId"]
    })
    expect(op(v15, "TestHelpers.Treasury.InboundTransfers.fail")).toMatchObject({
      httpMethod: "POST",
      path: "/v1/test_helpers/treasury/inbound_transfers/{id}/fail"
    })
  })

  it("current_period_end moved from the subscription (2024-04-10) to its items (endive)", () => {
    expect(field(v15, "Subscription", "current_period_end")).toMatchObject({
      type: { kind: "number" },
      optional: false
    })
    expect(field(v23, "Subscription", "current_period_end")).toBeUndefined()
    expect(field(v23, "SubscriptionItem", "current_period_end")).toMatchObject({
      type: { kind: "number" },
      optional: false
    })
  })

  it("an Issuing operation: Issuing.Cards.create", () => {
    for (const m of [v15, v23]) {
      const o = op(m, "Issuing.Cards.create")
      expect(o).toMatchObject({
        namespace: ["Issuing"],
        resource: "Cards",
        httpMethod: "POST",
        path: "/v1/issuing/cards",
        paramsRequired: true,
        response: { kind: "object", type: ref("Issuing.Card") }
      })
      expect(param(o, "currency")).toMatchObject({ type: { kind: "string" }, optional: false })
      expect(param(o, "type")).toMatchObject({
        type: { kind: "enum", values: ["physical", "virtual"] },
        optional: false
      })
      expect(m.types["Issuing.Card"]).toMatchObject({
        ident: "IssuingCard",
        objectValue: "issuing.card",
        module: "Issuing/Cards"
      })
    }
  })

  it("lists and searches", () => {
    for (const m of [v15, v23]) {
      expect(op(m, "Customers.list").response).toEqual({ kind: "list", items: ref("Customer") })
      expect(op(m, "Customers.search").response).toEqual({ kind: "search", items: ref("Customer") })
      expect(param(op(m, "Customers.search"), "query").optional).toBe(false)
    }
  })

  it("Files.create is a multipart upload on the files host; Quotes.pdf answers bytes", () => {
    for (const m of [v15, v23]) {
      const o = op(m, "Files.create")
      expect(o).toMatchObject({ httpMethod: "POST", path: "/v1/files", host: "files", encoding: "multipart" })
      expect(param(o, "file")).toMatchObject({ type: { kind: "binary" }, optional: false })
      expect(op(m, "Quotes.pdf")).toMatchObject({ host: "files", response: { kind: "bytes" } })
    }
  })

  it("expandable fields: a union of an id with Stripe objects", () => {
    for (const m of [v15, v23]) {
      expect(field(m, "Customer", "default_source")?.type).toEqual({
        kind: "nullable",
        inner: { kind: "expandable", targets: [ref("CustomerSource")] }
      })
      expect(m.types["CustomerSource"]?.type).toEqual({
        kind: "union",
        members: [ref("Account"), ref("BankAccount"), ref("Card"), ref("Source")]
      })
      expect(field(m, "Customer", "subscriptions")).toMatchObject({
        optional: true,
        type: { kind: "list", items: ref("Subscription") }
      })
      expect(field(m, "Customer", "object")?.type).toEqual({ kind: "literal", value: "customer" })
      expect(field(m, "Customer", "metadata")?.type).toEqual({ kind: "map", values: { kind: "string" } })
      // `deleted?: void` on the live object is not a field.
      expect(field(m, "Customer", "deleted")).toBeUndefined()
      expect(m.types["DeletedCustomer"]).toMatchObject({ objectValue: "customer", deleted: true })
    }
  })

  it("Emptyable params: the value, or an empty string to unset it; metadata params are string maps", () => {
    for (const m of [v15, v23]) {
      expect(param(op(m, "Customers.create"), "address").type).toEqual({
        kind: "union",
        members: [{ kind: "literal", value: "" }, ref("AddressParam")]
      })
      expect(param(op(m, "Customers.create"), "metadata").type).toEqual({
        kind: "union",
        members: [{ kind: "literal", value: "" }, { kind: "map", values: { kind: "string" } }]
      })
    }
  })

  it("v1 events: the object each event type carries", () => {
    for (const m of [v15, v23]) {
      expect(m.events.find((e) => e.type === "customer.created")).toEqual({
        type: "customer.created",
        apiMode: "v1",
        object: ref("Customer")
      })
      expect(m.events.find((e) => e.type === "invoice.paid")?.object).toEqual(ref("Invoice"))
      expect(m.types["Event"]).toMatchObject({ objectValue: "event", module: "Events" })
      expect(op(m, "Events.list").response).toEqual({ kind: "list", items: ref("Event") })
    }
  })
})

describe("readStripePackage: stripe@23 only", () => {
  it("a v2 list: V2.Core.Accounts.list returns a V2ListPromise", () => {
    expect(op(v23, "V2.Core.Accounts.list")).toMatchObject({
      namespace: ["V2", "Core"],
      resource: "Accounts",
      httpMethod: "GET",
      path: "/v2/core/accounts",
      apiMode: "v2",
      encoding: "json",
      response: { kind: "v2list", items: ref("V2.Core.Account") }
    })
    expect(v23.types["V2.Core.Account"]).toMatchObject({ objectValue: "v2.core.account", module: "V2/Core/Accounts" })
  })

  it("the meter event stream: POST /v2/billing/meter_event_stream on the meter-events host, no body back", () => {
    expect(op(v23, "V2.Billing.MeterEventStream.create")).toMatchObject({
      httpMethod: "POST",
      host: "meterEvents",
      apiMode: "v2",
      encoding: "json",
      paramsRequired: true,
      noResponseBody: true,
      response: { kind: "object", type: { kind: "struct", fields: [] } }
    })
    expect(op(v23, "V2.Billing.MeterEventSession.create").host).toBe("api")
  })

  it("v2 thin events: the related object", () => {
    expect(v23.events.find((e) => e.type === "v2.core.account.created")).toEqual({
      type: "v2.core.account.created",
      apiMode: "v2",
      object: ref("V2.Core.Account")
    })
    expect(v23.events.find((e) => e.type === "v1.customer.created")).toEqual({
      type: "v1.customer.created",
      apiMode: "v2",
      object: ref("Customer")
    })
    expect(v23.types["V2.Core.Event"]).toMatchObject({ objectValue: "v2.core.event" })
    // Every thin event declares `related_object` (`RelatedObject`, or `RelatedSingletonObject`).
    expect(field(v23, "V2.Core.Event", "related_object")).toMatchObject({
      optional: true,
      type: {
        kind: "union",
        members: [ref("V2.Core.Events.RelatedObject"), ref("V2.Core.Events.RelatedSingletonObject")]
      }
    })
    expect(op(v23, "V2.Core.Events.retrieve").response).toEqual({ kind: "object", type: ref("V2.Core.Event") })
  })

  it("Decimal, bigint, OtherString", () => {
    expect(field(v23, "Price", "unit_amount_decimal")?.type).toEqual({
      kind: "nullable",
      inner: { kind: "string", format: "decimal" }
    })
    expect(field(v23, "V2.Commerce.ProductCatalogImport.StatusDetails.Processing", "error_count")?.type).toEqual({
      kind: "string",
      format: "int64"
    })
    // `'day' | 'month' | 'week' | 'year' | OtherString`: the listed values.
    expect(field(v23, "Plan", "interval")?.type).toEqual({ kind: "enum", values: ["day", "month", "week", "year"] })
  })

  it("@deprecated methods", () => {
    expect(op(v23, "ExchangeRates.list").deprecated).toBe(true)
    expect(op(v23, "Customers.list").deprecated).toBeUndefined()
  })

  it("every ref names a type of the model; identifiers are unique", () => {
    for (const m of [v15, v23]) {
      const names = new Set(Object.keys(m.types))
      const dangling: Array<string> = []
      const visit = (t: Type): void => {
        switch (t.kind) {
          case "ref":
            if (!names.has(t.name)) dangling.push(t.name)
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
      for (const t of Object.values(m.types)) visit(t.type)
      for (const o of m.operations) o.params.forEach((p) => visit(p.type))
      for (const e of m.events) if (e.object !== undefined) visit(e.object)
      expect(dangling).toEqual([])
      const idents = Object.values(m.types).map((t) => t.ident)
      expect(new Set(idents).size).toBe(idents.length)
    }
  })

  it("is deterministic", () => {
    expect(readStripePackage(referenceStripeDir())).toEqual(v15)
  })
})
