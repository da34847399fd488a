/**
 * The emitters against a hand-made model, with hand-written expectations.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Model } from "../../model.js"
import { emulatorTables, matchTypeNames } from "../emulator.js"
import { emitSdk } from "../index.js"
import { paramsIdent, singular, spanName } from "../layout.js"
import { paramType, Refs, responseType, schemaExpr } from "../render.js"
import { HEADER, lineCount } from "../text.js"
import { fixture } from "./fixture.js"

const file = (files: ReadonlyMap<string, string>, path: string): string => {
  const text = files.get(path)
  if (text === undefined) throw new Error(`no file ${path}; files: ${[...files.keys()].join(", ")}`)
  return text
}

describe("render", () => {
  it("response types: open enums, nullability, expandable ids, embedded lists", () => {
    const refs = new Refs()
    expect(responseType({ kind: "enum", values: ["a", "b"] }, refs, 0)).toBe("\"a\" | \"b\" | (string & {})")
    expect(responseType({ kind: "nullable", inner: { kind: "string" } }, refs, 0)).toBe("string | null")
    expect(responseType({ kind: "nullable", inner: { kind: "unknown" } }, refs, 0)).toBe("unknown")
    expect(responseType({ kind: "map", values: { kind: "integer" } }, refs, 0)).toBe(
      "{ readonly [key: string]: number }"
    )
    expect(responseType({ kind: "string", format: "decimal" }, refs, 0)).toBe("string")
    expect(responseType({ kind: "list", items: { kind: "string" } }, refs, 0)).toBe("Internal.ListObject<string>")
    expect(refs.internal).toBe(true)
    const expandable = responseType({ kind: "expandable", targets: [{ kind: "ref", name: "Customer" }] }, refs, 0)
    expect(expandable).toBe("string | \u0001Customer\u0002")
    expect([...refs.types]).toEqual(["Customer"])
  })

  it("params types: closed enums, Date for v1 timestamps, files as Blob or bytes", () => {
    const ctx = { refs: new Refs(), json: false }
    expect(paramType({ kind: "enum", values: ["a", "b"] }, ctx, 0, [])).toBe("\"a\" | \"b\"")
    expect(paramType({ kind: "integer", format: "unix-time" }, ctx, 0, [])).toBe("number | Date")
    expect(paramType({ kind: "integer", format: "unix-time" }, { ...ctx, json: true }, 0, [])).toBe("number")
    expect(paramType({ kind: "binary" }, ctx, 0, [])).toBe("Blob | Uint8Array")
    expect(paramType({ kind: "union", members: [{ kind: "literal", value: "" }, { kind: "string" }] }, ctx, 0, []))
      .toBe("\"\" | string")
  })

  it("schemas: struct fields typed one by one, optional fields wrapped, open enums as strings", () => {
    const refs = new Refs()
    const schema = schemaExpr(
      {
        kind: "struct",
        fields: [
          { name: "a", type: { kind: "enum", values: ["x"] }, optional: false },
          { name: "b", type: { kind: "nullable", inner: { kind: "integer" } }, optional: true }
        ]
      },
      refs,
      0
    )
    expect(schema).toBe(
      "Internal.struct<{\n  readonly a: \"x\" | (string & {})\n  readonly b?: number | null | undefined\n}>({\n" +
        "  a: Schema.String,\n  b: Internal.optional(Internal.nullable(Schema.Number))\n})"
    )
  })
})

describe("layout", () => {
  it("singular resource names as the stripe package spells its params types", () => {
    expect(singular("Customers")).toBe("Customer")
    expect(singular("Capabilities")).toBe("Capability")
    expect(singular("FinancialAddresses")).toBe("FinancialAddress")
    expect(singular("Balance")).toBe("Balance")
    expect(singular("TaxIds")).toBe("TaxId")
  })

  it("span names: stripe.<namespace...>.<resource>.<method>, segments in snake case", () => {
    const model = fixture()
    const sprocket = model.operations.find((o) => o.resource === "Sprockets")!
    expect(spanName(sprocket)).toBe("stripe.gadgets.sprockets.retrieve")
    expect(spanName({ ...sprocket, namespace: ["BillingPortal"], resource: "Sessions", name: "create" }))
      .toBe("stripe.billing_portal.sessions.create")
    expect(
      spanName({ ...sprocket, namespace: ["TestHelpers", "Treasury"], resource: "InboundTransfers", name: "fail" })
    )
      .toBe("stripe.test_helpers.treasury.inbound_transfers.fail")
    expect(spanName({ ...sprocket, namespace: ["V2", "Core"], resource: "Events", name: "list" }))
      .toBe("stripe.v2.core.events.list")
    expect(paramsIdent({ ...sprocket, namespace: ["Issuing"], resource: "Cards", name: "create" }))
      .toBe("IssuingCardCreateParams")
  })
})

describe("emitSdk", () => {
  const emitted = emitSdk(fixture())
  const files = emitted.files

  it("lays out one file per file group, params group and resource, with barrels", () => {
    expect([...files.keys()]).toEqual([
      "Schemas.ts",
      "events.ts",
      "index.ts",
      "namespaces/Gadgets.ts",
      "namespaces/V2.ts",
      "params/Gadgets/Sprockets.ts",
      "params/Gadgets/Sprockets/Cogs.ts",
      "params/V2/Things.ts",
      "params/WebhookEndpoints.ts",
      "params/Widgets.ts",
      "registry.ts",
      "resources/Gadgets/Sprockets.ts",
      "resources/Gadgets/Sprockets/Cogs.ts",
      "resources/V2/Things.ts",
      "resources/WebhookEndpoints.ts",
      "resources/Widgets.ts",
      "types/Gadgets/Sprockets.ts",
      "types/V2/Things.ts",
      "types/WebhookEndpoints.ts",
      "types/Widgets.ts"
    ])
    expect(emitted.operations).toBe(11)
    for (const [path, text] of files) expect(text.startsWith(HEADER), path).toBe(true)
    // One public entry per top-level name, beside the tree (`src/Widgets.ts`).
    expect([...emitted.entries.keys()]).toEqual(["Gadgets.ts", "V2.ts", "WebhookEndpoints.ts", "Widgets.ts"])
    expect(emitted.entries.get("Widgets.ts")).toContain("export * from \"./generated/resources/Widgets.js\"")
    expect(emitted.entries.get("Gadgets.ts")).toContain("export * from \"./generated/namespaces/Gadgets.js\"")
    expect(file(files, "namespaces/Gadgets.ts")).toContain(
      "export * as Sprockets from \"../resources/Gadgets/Sprockets.js\""
    )
    // A resource with a sub-resource re-exports it as a namespace.
    expect(file(files, "resources/Gadgets/Sprockets.ts")).toContain("export * as Cogs from \"./Sprockets/Cogs.js\"")
    expect(file(files, "index.ts")).toContain("export * as Widgets from \"./resources/Widgets.js\"")
    expect(file(files, "index.ts")).toContain("export * as Gadgets from \"./namespaces/Gadgets.js\"")
  })

  it("states each schema's type, suspends it, and marks every top-level construction pure", () => {
    const widgets = file(files, "types/Widgets.ts")
    expect(widgets).toContain("export interface Widget {")
    expect(widgets).toContain(
      "export const Widget: Schema.Schema<Widget> = /*#__PURE__*/ Schema.suspend(() => Internal.struct<Widget>({"
    )
    for (const [path, text] of files) {
      for (const line of text.split("\n")) {
        if (/Schema\.suspend\(|Op\.schema\(/.test(line)) {
          expect(line, path).toMatch(/\/\*#__PURE__\*\/ (Schema\.suspend|Op\.schema)\(/)
        }
      }
    }
    // Objects of other file groups are reached through the module that declares them, inside the thunk.
    expect(widgets).toContain("import * as $types_Gadgets_Sprockets from \"./Gadgets/Sprockets.js\"")
    expect(widgets).toContain(
      "gadget: Internal.optional(Internal.union(Schema.String, $types_Gadgets_Sprockets.Gadget, $types_Gadgets_Sprockets.DeletedGadget))"
    )
  })

  it("decodes secrets as Redacted, decimals as strings, enums open", () => {
    const widgets = file(files, "types/Widgets.ts")
    expect(widgets).toContain("readonly client_secret: Redacted.Redacted<string> | null")
    expect(widgets).toContain("client_secret: Internal.nullable(Internal.RedactedString)")
    expect(widgets).toContain("readonly price: string")
    expect(widgets).toContain("readonly color: \"red\" | \"blue\" | (string & {})")
    expect(widgets).toContain("/** Its color. */")
    // A required `unknown` field is optional (it admits undefined anyway).
    expect(widgets).toContain("readonly extra?: unknown | undefined")
    const endpoints = file(files, "types/WebhookEndpoints.ts")
    expect(endpoints).toContain("readonly secret?: Redacted.Redacted<string> | undefined")
  })

  it("puts params-only types beside the params, without schemas and with closed enums", () => {
    const params = file(files, "params/Widgets.ts")
    expect(params).toContain("export interface WidgetCreateParamsSettings {")
    expect(params).toContain("readonly mode?: \"a\" | \"b\" | undefined")
    expect(params).not.toContain("Schema.")
    expect(file(files, "types/Widgets.ts")).not.toContain("WidgetCreateParamsSettings")
    expect(params).toContain(
      "export interface WidgetCreateParams<E extends ReadonlyArray<string> = ReadonlyArray<string>> {"
    )
    expect(params).toContain("readonly starts_at?: number | Date | undefined")
    expect(params).toContain("readonly file?: Blob | Uint8Array | undefined")
    expect(params).toContain("Fields to expand in the response (`gadget`); narrows the result type.")
  })

  it("writes the operations table and one Effect per operation", () => {
    const widgets = file(files, "resources/Widgets.ts")
    expect(widgets).toContain(
      "  create: {\n    method: \"POST\",\n    path: \"/v1/widgets\",\n    pathParams: [],\n    spanName: \"stripe.widgets.create\"\n  }"
    )
    expect(widgets).toContain(
      "  pdf: {\n    method: \"GET\",\n    path: \"/v1/widgets/{id}/pdf\",\n    pathParams: [\"id\"],\n    spanName: \"stripe.widgets.pdf\",\n    host: \"files\"\n  }"
    )
    expect(widgets).toContain(
      "export const retrieve = <const E extends ReadonlyArray<string> = []>(\n  id: string,\n" +
        "  params?: $params_Widgets.WidgetRetrieveParams<E>,\n  options?: StripeClient.RequestOptions\n" +
        "): Effect.Effect<Expand.Expanded<$types_Widgets.Widget, E>, StripeError.StripeError, StripeClient.StripeClient> =>\n" +
        "  Op.call(operations.retrieve, [id], schemas.retrieve, params, options)"
    )
    expect(widgets).toContain("params: $params_Widgets.WidgetCreateParams<E>,")
    expect(widgets).toContain("Op.bytes(operations.pdf, [id], params, options)")
    expect(widgets).toContain(
      "): Stream.Stream<Expand.Expanded<$types_Widgets.Widget, Op.ItemPaths<E>>, StripeError.StripeError, StripeClient.StripeClient> =>\n" +
        "  Op.listAll(operations.list, [], schemas.list, params, options)"
    )
    expect(widgets).toContain("Op.searchAll(operations.search, [], schemas.search, params, options)")
    expect(widgets).toContain("export type CreateParams<E extends ReadonlyArray<string> = ReadonlyArray<string>> =")
    const union = file(files, "resources/Gadgets/Sprockets.ts")
    expect(union).toContain(
      "retrieve: /*#__PURE__*/ Op.schema(() => import(\"../../types/Gadgets/Sprockets.js\"), ($m) => Internal.union($m.Gadget, $m.DeletedGadget))"
    )
    const v2 = file(files, "resources/V2/Things.ts")
    expect(v2).toContain(
      "Op.schema(() => import(\"../../types/V2/Things.js\"), ($m) => Op.v2Page($m.V2ThingsThing))"
    )
    // A resource module imports its type modules for types only: they load on the first call.
    for (const [path, text] of files) {
      if (path.startsWith("resources/")) expect(text, path).not.toMatch(/^import \* as \$types_/m)
    }
    expect(v2).toContain("Op.v2ListAll(operations.list, [], schemas.list, params, options)")
    expect(v2).toContain("): Effect.Effect<void, StripeError.StripeError, StripeClient.StripeClient> =>\n  Op.noBody(")
    expect(v2).toContain("host: \"meterEvents\"")
    // v2 params travel as JSON: no Date.
    expect(file(files, "params/V2/Things.ts")).toContain("readonly at: number")
  })

  it("keys the registry by object value and the events by type", () => {
    const registry = file(files, "registry.ts")
    expect(registry).toContain("  readonly widget: $types_Widgets.Widget")
    expect(registry).toContain("  readonly webhook_endpoint: $types_WebhookEndpoints.WebhookEndpoint")
    expect(registry).toMatch(
      /DeletedObjectTypes \{\n {2}readonly gadget: \$types_Gadgets_Sprockets\.DeletedGadget\n {2}readonly widget/
    )
    const events = file(files, "events.ts")
    expect(events).toContain("  readonly \"widget.created\": $types_Widgets.Widget")
    expect(events).toContain(
      "  readonly \"gadget.updated\": $types_Gadgets_Sprockets.Gadget | $types_Gadgets_Sprockets.DeletedGadget"
    )
    expect(events).toContain("  \"gadget.updated\": [\"gadget\"]")
    expect(events).toContain("  readonly \"v2.things.thing.created\": $types_V2_Things.V2ThingsThing")
  })

  it("is deterministic: the same model in another order gives the same files", () => {
    const again = emitSdk(fixture(true)).files
    expect([...again.keys()]).toEqual([...files.keys()])
    for (const [path, text] of files) expect(again.get(path) === text, path).toBe(true)
  })

  it("splits a file group over the line budget into parts that import each other", () => {
    const small = emitSdk(fixture(), { budget: 40 }).files
    const parts = [...small.keys()].filter((k) => k.startsWith("types/Widgets"))
    expect(parts).toEqual(["types/Widgets.2.ts", "types/Widgets.3.ts", "types/Widgets.ts"])
    // `Widget` (in the second part) refers to `WidgetSettings` in the third.
    expect(file(small, "types/Widgets.2.ts")).toContain("import * as $types_Widgets_3 from \"./Widgets.3.js\"")
    expect(file(small, "types/Widgets.2.ts")).toContain("settings: Internal.nullable($types_Widgets_3.WidgetSettings)")
    // Resource modules are one file per resource; type and params files follow the budget.
    for (const [path, text] of small) {
      if (!path.startsWith("resources/")) expect(lineCount(text), path).toBeLessThan(120)
    }
  })
})

describe("emulator tables", () => {
  const spec: Model = {
    ...fixture(),
    types: {
      widget: {
        ...fixture().types["Widget"]!,
        name: "widget",
        ident: "SpecWidget",
        type: {
          kind: "struct",
          fields: [
            { name: "id", type: { kind: "string" }, optional: false },
            { name: "object", type: { kind: "literal", value: "widget" }, optional: false },
            {
              name: "settings",
              type: { kind: "nullable", inner: { kind: "ref", name: "widget_settings" } },
              optional: false
            }
          ]
        }
      },
      widget_settings: {
        name: "widget_settings",
        ident: "SpecWidgetSettings",
        module: "Widgets",
        type: { kind: "struct", fields: [] }
      }
    },
    operations: fixture().operations.map((o) => ({ ...o, path: o.path.replace("{id}", "{widget}") }))
  }

  it("names types and paths as the spec does where it has them", () => {
    const names = matchTypeNames(fixture(), spec)
    expect(names.get("Widget")).toBe("widget")
    expect(names.get("Widget.Settings")).toBe("widget_settings")
    const tables = emulatorTables(fixture(), spec)
    expect(tables.operations.find((o) => o.m === "GET" && o.p === "/v1/widgets/{widget}")).toEqual({
      m: "GET",
      p: "/v1/widgets/{widget}",
      k: "retrieve",
      t: "widget",
      q: ["expand"],
      r: []
    })
    expect(tables.schemas["widget"]).toEqual({
      client_secret: "?s",
      color: "s=red",
      created: "i",
      gadget: "~x",
      id: "s",
      metadata: "m",
      object: "s=widget",
      parts: "~L#gadget",
      price: "s",
      settings: "?#widget_settings"
    })
    expect(tables.schemas["widget_settings"]).toEqual({ enabled: "b", extra: "m" })
    expect(tables.eventTypes).toEqual(["widget.created"])
  })

  it("classifies operations as the engine expects", () => {
    const tables = emulatorTables(fixture())
    const kind = (m: string, p: string) => tables.operations.find((o) => o.m === m && o.p === p)?.k
    expect(kind("POST", "/v1/widgets")).toBe("create")
    expect(kind("GET", "/v1/widgets")).toBe("list")
    expect(kind("GET", "/v1/widgets/search")).toBe("search")
    expect(kind("DELETE", "/v1/widgets/{id}")).toBe("delete")
    expect(kind("GET", "/v1/widgets/{id}/pdf")).toBe("binary")
    expect(kind("GET", "/v2/things")).toBe("list")
    expect(tables.operations.find((o) => o.p === "/v1/widgets/{id}/pdf")?.h).toBe("files")
  })
})
