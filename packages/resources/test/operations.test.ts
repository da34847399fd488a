import { describe, expect, it } from "@effect/vitest"
import type { StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Stream from "effect/Stream"
import { guards } from "../../../scripts/codegen/src/emit/config.js"
import { spanName } from "../../../scripts/codegen/src/emit/layout.js"
import type { Operation, Type } from "../../../scripts/codegen/src/model.js"
import { sample } from "../../../scripts/codegen/src/sample.js"
import * as Resources from "../src/index.js"
import { mockStripe, model, pairs, type Recorded } from "./support.js"

const operations = model.operations

const field = (u: unknown, key: string): unknown =>
  (typeof u === "object" || typeof u === "function") && u !== null ? Reflect.get(u, key) : undefined

const moduleOf = (op: Operation): unknown =>
  [...op.namespace, op.resource].reduce<unknown>((m, name) => field(m, name), Resources)

const guardOf = (op: Operation): string | undefined => guards[`${op.httpMethod} ${op.path}`]

const firstRef = (t: Type): string | undefined =>
  t.kind === "ref"
    ? t.name
    : t.kind === "union"
    ? t.members.map(firstRef).find((n) => n !== undefined)
    : t.kind === "nullable"
    ? firstRef(t.inner)
    : undefined

const label = (op: Operation): string => [...op.namespace, op.resource, op.name].join(".")

// Path arguments with characters that must be percent-encoded.
const pathArg = (name: string): string => `${name}_1/ü`

const paramsFor = (op: Operation): Record<string, unknown> => {
  if (guardOf(op) === "meterEventCreate") {
    return { event_name: "api_call", payload: { stripe_customer_id: "cus_1", value: "3" } }
  }
  if (guardOf(op) === "meterCreate") {
    return { default_aggregation: { formula: "count" }, display_name: "Calls", event_name: "api_call" }
  }
  if (op.encoding === "multipart") return { purpose: "dispute_evidence", file: new Uint8Array([37, 80, 68, 70]) }
  return op.httpMethod === "POST" ? { metadata: { order_id: "6735" }, description: "a b&c" } : { limit: 3 }
}

const responseFor = (op: Operation, request: Recorded): unknown => {
  if (op.response.kind === "bytes" || op.noResponseBody === true) return {}
  const type = op.response.kind === "object" ? op.response.type : op.response.items
  const ref = firstRef(type)
  const item = ref === undefined ? {} : sample(model, ref)
  switch (op.response.kind) {
    case "list":
      return { object: "list", data: [item], has_more: false, url: request.url.pathname }
    case "search":
      return { object: "search_result", data: [item], has_more: false, next_page: null, url: request.url.pathname }
    case "v2list":
      return { data: [item], next_page_url: null, previous_page_url: null }
    default:
      return item
  }
}

const isCall = (u: unknown): u is Effect.Effect<unknown, unknown, StripeClient.StripeClient> => Effect.isEffect(u)

const isStream = (u: unknown): u is Stream.Stream<unknown, unknown, StripeClient.StripeClient> =>
  typeof u === "object" && u !== null && Stream.StreamTypeId in u

const invoke = (fn: unknown, args: ReadonlyArray<unknown>): unknown =>
  typeof fn === "function" ? Reflect.apply(fn, undefined, args) : undefined

const expectRequest = (op: Operation, request: Recorded, params: Record<string, unknown>) => {
  expect(request.method).toBe(op.httpMethod)
  const path = op.path.replace(/\{([^}]+)\}/g, (_, p: string) => encodeURIComponent(pathArg(p)))
  expect(request.url.pathname).toBe(path)
  expect(request.url.host).toBe(
    op.host === "files" ? "files.test" : op.host === "meterEvents" ? "meter-events.test" : "api.test"
  )
  if (op.encoding === "multipart") {
    // Sent as multipart bytes with their boundary, which every transport can carry.
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(request.body).toContain("name=\"purpose\"\r\n\r\ndispute_evidence\r\n")
    expect(request.body).toMatch(/name="file"; filename="[^"]+"/)
  } else if (op.httpMethod === "POST" && op.encoding === "json") {
    expect(request.contentType).toBe("application/json")
    expect(JSON.parse(request.body ?? "{}")).toMatchObject(params)
  } else if (op.httpMethod === "POST") {
    const body = pairs(request.body ?? "")
    if (params.metadata !== undefined) {
      expect(body).toContainEqual(["metadata[order_id]", "6735"])
      expect(body).toContainEqual(["description", "a b&c"])
    } else {
      expect(body).toContainEqual(["event_name", "api_call"])
    }
  } else {
    expect(pairs(request.url.search.slice(1))).toContainEqual(["limit", "3"])
  }
}

describe("generated operations", () => {
  it("covers the resources of the issue, by the stripe package's names", () => {
    const names = new Set(operations.map(label))
    for (
      const expected of [
        "Customers.search",
        "Customers.createBalanceTransaction",
        "Customers.listTaxIds",
        "PaymentIntents.confirm",
        "PaymentIntents.incrementAuthorization",
        "SetupIntents.verifyMicrodeposits",
        "PaymentMethods.detach",
        "Refunds.cancel",
        "Charges.capture",
        "Checkout.Sessions.expire",
        "Checkout.Sessions.listLineItems",
        "Disputes.close",
        "Invoices.markUncollectible",
        "Invoices.createPreview",
        "Invoices.listLineItems",
        "Invoices.voidInvoice",
        "CreditNotes.preview",
        "CreditNotes.listLineItems",
        "Quotes.pdf",
        "Subscriptions.cancel",
        "Subscriptions.resume",
        "Subscriptions.deleteDiscount",
        "SubscriptionSchedules.release",
        "Billing.Meters.listEventSummaries",
        "Billing.MeterEventAdjustments.create",
        "Tax.Transactions.createFromCalculation",
        "Entitlements.ActiveEntitlements.list",
        "TestHelpers.TestClocks.advance",
        "Accounts.reject",
        "Accounts.createPerson",
        "Accounts.listExternalAccounts",
        "Accounts.createLoginLink",
        "Accounts.listCapabilities",
        "Transfers.createReversal",
        "Payouts.reverse",
        "Balance.retrieve",
        "ApplicationFees.createRefund",
        "Events.list",
        "WebhookEndpoints.del",
        "Issuing.Cards.create",
        "Treasury.FinancialAccounts.list",
        "Terminal.Readers.processPaymentIntent",
        "V2.Core.Events.list",
        "V2.Billing.MeterEventSession.create"
      ]
    ) {
      expect(names).toContain(expected)
    }
  })

  for (const op of operations) {
    const name = label(op)
    it.effect(`${name}: ${op.httpMethod} ${op.path}`, () =>
      Effect.gen(function*() {
        const mod = moduleOf(op)
        expect(field(field(mod, "operations"), op.name)).toMatchObject({
          method: op.httpMethod,
          path: op.path,
          pathParams: op.pathParams,
          spanName: spanName(op)
        })
        const { layer, recorded } = mockStripe((request) =>
          op.response.kind === "bytes"
            ? { bytes: new Uint8Array([37, 80, 68, 70]) }
            : { json: responseFor(op, request) }
        )
        const params = paramsFor(op)
        const args = [...op.pathParams.map(pathArg), params, { idempotencyKey: "idem_1" }]
        const effect = invoke(field(mod, op.name), args)
        if (!isCall(effect)) return expect.fail(`${name} is not a function returning an Effect`)
        const exit = yield* Effect.exit(Effect.provide(effect, layer))
        expect(exit).toSatisfy(Exit.isSuccess)
        expect(recorded).toHaveLength(1)
        expectRequest(op, recorded[0]!, params)
        if (op.httpMethod === "POST") expect(recorded[0]!.headers["idempotency-key"]).toBe("idem_1")
        if (Exit.isSuccess(exit)) {
          const value = exit.value
          if (op.response.kind === "bytes") expect(value).toEqual(new Uint8Array([37, 80, 68, 70]))
          else if (op.noResponseBody === true) expect(value).toBeUndefined()
          else if (op.response.kind === "object") {
            expect(field(value, "object")).toBe(field(responseFor(op, recorded[0]!), "object"))
          } else expect(field(field(value, "data"), "length")).toBe(1)
        }
        if (op.response.kind === "list" || op.response.kind === "search" || op.response.kind === "v2list") {
          const all = invoke(field(mod, `${op.name}All`), args)
          if (!isStream(all)) return expect.fail(`${name}All is not a Stream`)
          const items = yield* Stream.runCollect(all).pipe(Effect.provide(layer))
          expect(items.length).toBe(1)
          expect(recorded).toHaveLength(2)
          expectRequest(op, recorded[1]!, params)
        }
      }))
  }
})
