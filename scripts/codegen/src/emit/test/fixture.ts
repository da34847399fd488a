/**
 * A small hand-made model: two objects with a cycle, a deleted variant, a
 * secret, a params-only nested type, a namespaced resource with a
 * sub-resource, a v2 list, a search, a binary download and a body-less v2
 * call. The expectations in the tests are written by hand against it.
 */
import type { Field, Model, NamedType, Operation, Type } from "../../model.js"

const f = (name: string, type: Type, optional = false, description?: string): Field => ({
  name,
  type,
  optional,
  ...(description === undefined ? {} : { description })
})

const str: Type = { kind: "string" }
const int: Type = { kind: "integer" }
const ref = (name: string): Type => ({ kind: "ref", name })
const nullable = (inner: Type): Type => ({ kind: "nullable", inner })
const lit = (value: string | number | boolean): Type => ({ kind: "literal", value })

const types: ReadonlyArray<NamedType> = [
  {
    name: "Widget",
    ident: "Widget",
    objectValue: "widget",
    module: "Widgets",
    description: "A widget.",
    type: {
      kind: "struct",
      fields: [
        f("client_secret", nullable(str)),
        f("color", { kind: "enum", values: ["red", "blue"] }, false, "Its color."),
        f("created", { kind: "integer", format: "unix-time" }),
        f("gadget", { kind: "expandable", targets: [ref("Gadget"), ref("DeletedGadget")] }, true),
        f("id", str),
        f("metadata", { kind: "map", values: str }),
        f("object", lit("widget")),
        f("parts", { kind: "list", items: ref("Gadget") }, true),
        f("price", { kind: "string", format: "decimal" }),
        f("settings", nullable(ref("Widget.Settings")))
      ]
    }
  },
  {
    name: "Widget.Settings",
    ident: "WidgetSettings",
    module: "Widgets",
    type: { kind: "struct", fields: [f("enabled", { kind: "boolean" }), f("extra", { kind: "unknown" })] }
  },
  {
    name: "DeletedWidget",
    ident: "DeletedWidget",
    objectValue: "widget",
    deleted: true,
    module: "Widgets",
    type: { kind: "struct", fields: [f("deleted", lit(true)), f("id", str), f("object", lit("widget"))] }
  },
  {
    name: "Gadget",
    ident: "Gadget",
    objectValue: "gadget",
    module: "Gadgets/Sprockets",
    type: { kind: "struct", fields: [f("id", str), f("object", lit("gadget")), f("widget", nullable(ref("Widget")))] }
  },
  {
    name: "DeletedGadget",
    ident: "DeletedGadget",
    objectValue: "gadget",
    deleted: true,
    module: "Gadgets/Sprockets",
    type: { kind: "struct", fields: [f("deleted", lit(true)), f("id", str), f("object", lit("gadget"))] }
  },
  {
    name: "WebhookEndpoint",
    ident: "WebhookEndpoint",
    objectValue: "webhook_endpoint",
    module: "WebhookEndpoints",
    type: { kind: "struct", fields: [f("id", str), f("object", lit("webhook_endpoint")), f("secret", str, true)] }
  },
  {
    name: "V2.Things.Thing",
    ident: "V2ThingsThing",
    objectValue: "v2.things.thing",
    module: "V2/Things",
    type: {
      kind: "struct",
      fields: [f("created", { kind: "string", format: "date-time" }), f("id", str), f("object", lit("v2.things.thing"))]
    }
  },
  {
    name: "WidgetCreateParams.Settings",
    ident: "WidgetCreateParamsSettings",
    module: "Widgets",
    type: {
      kind: "struct",
      fields: [f("enabled", { kind: "boolean" }), f("mode", { kind: "enum", values: ["a", "b"] }, true)]
    }
  }
]

const op = (o: Partial<Operation> & Pick<Operation, "resource" | "name" | "httpMethod" | "path">): Operation => ({
  namespace: [],
  pathParams: [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ""),
  host: "api",
  apiMode: o.path.startsWith("/v2/") ? "v2" : "v1",
  encoding: o.path.startsWith("/v2/") ? "json" : "form",
  params: [],
  paramsRequired: false,
  expandable: false,
  response: { kind: "object", type: ref("Widget") },
  ...o
})

const operations: ReadonlyArray<Operation> = [
  op({
    resource: "Widgets",
    name: "create",
    httpMethod: "POST",
    path: "/v1/widgets",
    expandable: true,
    description: "Creates a widget.",
    params: [
      f("color", { kind: "enum", values: ["red", "blue"] }),
      f("file", { kind: "binary" }, true),
      f("settings", ref("WidgetCreateParams.Settings"), true),
      f("starts_at", { kind: "integer", format: "unix-time" }, true)
    ],
    paramsRequired: true
  }),
  op({ resource: "Widgets", name: "retrieve", httpMethod: "GET", path: "/v1/widgets/{id}", expandable: true }),
  op({
    resource: "Widgets",
    name: "del",
    httpMethod: "DELETE",
    path: "/v1/widgets/{id}",
    response: { kind: "object", type: ref("DeletedWidget") }
  }),
  op({
    resource: "Widgets",
    name: "list",
    httpMethod: "GET",
    path: "/v1/widgets",
    expandable: true,
    params: [f("limit", int, true)],
    response: { kind: "list", items: ref("Widget") }
  }),
  op({
    resource: "Widgets",
    name: "search",
    httpMethod: "GET",
    path: "/v1/widgets/search",
    params: [f("query", str)],
    paramsRequired: true,
    response: { kind: "search", items: ref("Widget") }
  }),
  op({
    resource: "Widgets",
    name: "pdf",
    httpMethod: "GET",
    path: "/v1/widgets/{id}/pdf",
    host: "files",
    response: { kind: "bytes" }
  }),
  op({
    namespace: ["Gadgets"],
    resource: "Sprockets",
    name: "retrieve",
    httpMethod: "GET",
    path: "/v1/gadgets/sprockets/{id}",
    response: { kind: "object", type: { kind: "union", members: [ref("Gadget"), ref("DeletedGadget")] } }
  }),
  op({
    namespace: ["Gadgets", "Sprockets"],
    resource: "Cogs",
    name: "list",
    httpMethod: "GET",
    path: "/v1/gadgets/sprockets/{sprocket}/cogs",
    response: { kind: "list", items: ref("Gadget") }
  }),
  op({
    resource: "WebhookEndpoints",
    name: "create",
    httpMethod: "POST",
    path: "/v1/webhook_endpoints",
    params: [f("enabled_events", { kind: "array", items: { kind: "enum", values: ["*", "widget.created"] } })],
    paramsRequired: true,
    response: { kind: "object", type: ref("WebhookEndpoint") }
  }),
  op({
    namespace: ["V2"],
    resource: "Things",
    name: "list",
    httpMethod: "GET",
    path: "/v2/things",
    params: [f("limit", int, true)],
    response: { kind: "v2list", items: ref("V2.Things.Thing") }
  }),
  op({
    namespace: ["V2"],
    resource: "Things",
    name: "ping",
    httpMethod: "POST",
    path: "/v2/things/ping",
    host: "meterEvents",
    params: [f("at", { kind: "integer", format: "unix-time" })],
    paramsRequired: true,
    response: { kind: "object", type: { kind: "struct", fields: [] } },
    noResponseBody: true
  })
]

/** The fixture model; `shuffle` reverses the order of its types and operations (the output must not change). */
export const fixture = (shuffle = false): Model => {
  const ts = shuffle ? [...types].reverse() : types
  const record: Record<string, NamedType> = {}
  for (const t of ts) record[t.name] = t
  return {
    apiVersion: "2099-01-01.test",
    source: "fixture",
    types: record,
    operations: shuffle ? [...operations].reverse() : operations,
    events: [
      { type: "widget.created", apiMode: "v1", object: ref("Widget") },
      {
        type: "gadget.updated",
        apiMode: "v1",
        object: { kind: "union", members: [ref("Gadget"), ref("DeletedGadget")] }
      },
      { type: "v2.things.thing.created", apiMode: "v2", object: ref("V2.Things.Thing") }
    ]
  }
}
