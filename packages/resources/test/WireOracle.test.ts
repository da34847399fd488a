/**
 * What goes on the wire, with the official `stripe` package (23.1.0, the
 * version the shipped SDK is generated from) as the oracle: every operation
 * of this SDK (found through its public barrel) and the `stripe` method of the
 * same name, at the same place in `stripe`'s namespaces, are called with the
 * same path arguments and params against a loopback server that records the
 * requests, and the two requests must agree: HTTP method, path (the `stripe`
 * package's own route table, with its escaping of path arguments), content
 * type, and the body or query: v1 form-encoded pairs in order and byte for
 * byte, v2 JSON bodies as values.
 *
 * Params: minimal ones from the shipped model (`test/src/modelParams.ts`)
 * plus metadata, a description, expand and a limit where the operation takes
 * them. With a `host` option the `stripe` package sends the files and
 * meter-events hosts' operations there too: every operation is compared
 * (multipart uploads by their part names, the boundaries being random).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { ApiVersion, StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"
import { acceptedModelParams, minimalModelParams, modelOperation } from "../../../test/src/modelParams.js"
import { report } from "../../../test/src/report.js"
import type { SdkOperation } from "../../../test/src/sdk.js"
import { label, pathParams, sdkOperations } from "../../../test/src/sdk.js"

interface Captured {
  readonly method: string
  readonly path: string
  readonly query: string
  readonly contentType: string
  readonly body: string
}

const captured = new Map<string, Captured>()
let server: Http.Server | undefined
let port = 0

beforeAll(async () => {
  server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1")
      const tag = String(req.headers["x-oracle-call"] ?? "")
      captured.set(tag, {
        method: req.method ?? "",
        path: url.pathname,
        query: url.search.slice(1),
        contentType: String(req.headers["content-type"] ?? ""),
        body: Buffer.concat(chunks).toString("utf8")
      })
      res.writeHead(200, { "content-type": "application/json", "request-id": "req_oracle" })
      res.end("{}")
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve))
  // boundary: a TCP server's address() is an AddressInfo
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()))
})

// Path arguments with characters that must be escaped, and params that exercise the encoding:
// nested objects, indexed arrays, booleans, spaces, `&`, `=`, non-ASCII, and `""` (unset).
const pathArg = (name: string, i: number) => `${name}_${i} ü&`

const paramsFor = (op: SdkOperation): Record<string, unknown> => {
  const model = modelOperation(op.method, op.path)
  if (model === undefined) throw new Error(`${label(op)}: not in the shipped model`)
  const accepted = acceptedModelParams(model)
  const params: Record<string, unknown> = { ...minimalModelParams(model, () => undefined) }
  if (accepted.has("metadata")) params["metadata"] = { order_id: "6735", "note key": "a b&c=d ü", cleared: "" }
  if (accepted.has("description")) params["description"] = "Ünïcode & spaces = fine"
  if (accepted.has("expand")) params["expand"] = ["customer", "data.latest_charge"]
  if (accepted.has("limit")) params["limit"] = 3
  return params
}

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/**
 * Where a module is in `stripe`'s namespaces: its property names
 * (`Billing.Meters` → `["billing", "meters"]`, `OAuth` → `["oauth"]`),
 * matched without case.
 */
const stripePath = (stripe: Stripe, module: string): ReadonlyArray<string> | undefined => {
  let node: unknown = stripe
  const path: Array<string> = []
  for (const segment of module.split(".")) {
    if (!isRecord(node)) return undefined
    const key = [...Object.keys(node), ...Object.keys(Object.getPrototypeOf(node) ?? {})].find((k) =>
      k.toLowerCase() === segment.toLowerCase()
    )
    if (key === undefined) return undefined
    path.push(key)
    node = node[key]
  }
  return path
}

/** The `stripe` resource for a module (`Billing.Meters` → `stripe.billing.meters`). */
const resourceOf = (stripe: Stripe, module: string): unknown => {
  let node: unknown = stripe
  for (const key of stripePath(stripe, module) ?? [""]) node = isRecord(node) ? node[key] : undefined
  return node
}

const methodOf = (stripe: Stripe, op: SdkOperation): ((...args: Array<unknown>) => Promise<unknown>) | undefined => {
  const resource = resourceOf(stripe, op.module)
  const fn = isRecord(resource) ? resource[op.name] : undefined
  // The documented boundary: a `stripe` resource method is a function returning a promise.
  return typeof fn === "function" ? (...args) => Reflect.apply(fn, resource, args) as Promise<unknown> : undefined
}

/** The field names of a multipart body, in order (boundaries differ by design). */
const partNames = (body: string): Array<string> => [...body.matchAll(/name="([^"]*)"/g)].map((m) => m[1] ?? "")

const mediaType = (contentType: string) => contentType.split(";")[0]?.trim() ?? ""

/** A JSON body as a value with sorted keys (JSON objects have no order). */
const parseJson = (text: string): unknown => {
  const sort = (u: unknown): unknown =>
    Array.isArray(u) ? u.map(sort) : isRecord(u) ?
      Object.fromEntries(Object.keys(u).sort().map((k) => [k, sort(u[k])])) :
      u
  try {
    return sort(JSON.parse(text))
  } catch {
    return text
  }
}

/** `[key, value]` pairs of a form body or query, in order. */
const pairs = (encoded: string): Array<[string, string]> => [...new URLSearchParams(encoded).entries()]

/**
 * The bytes both encoders agree on: `stripe` (qs) escapes `!'()*` and turns
 * every `%5B`/`%5D` back into brackets, values included; this SDK keeps
 * RFC 3986's sub-delimiters and escapes brackets inside values. Both are the
 * same form data (the pairs are compared exactly); the normalization only
 * makes the byte comparison about everything else (order, nesting, indices).
 */
const normalize = (encoded: string) =>
  encoded.replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/%21/g, "!").replace(/%27/g, "'")
    .replace(/%28/g, "(").replace(/%29/g, ")").replace(/%2A/g, "*")

describe("requests match the official stripe package's", () => {
  it.effect("for every operation: method, path, content type, encoded params", () =>
    Effect.gen(function*() {
      const stripe = new Stripe("sk_test_oracle", {
        host: "127.0.0.1",
        port,
        protocol: "http",
        maxNetworkRetries: 0,
        telemetry: false
      })
      const base = `http://127.0.0.1:${port}`
      const ours = StripeClient.layer({
        apiKey: Redacted.make("sk_test_oracle"),
        baseUrl: base,
        filesBaseUrl: base,
        meterEventsBaseUrl: base,
        maxRetries: 0
      }).pipe(Layer.provide(NodeHttpClient.layerUndici), Layer.orDie)
      const mismatches: Array<string> = []
      let byName = 0
      let raw = 0
      for (const op of sdkOperations) {
        const args = pathParams(op.path).map(pathArg)
        const params = paramsFor(op)
        const tag = label(op)
        yield* op.call(args, params, { maxRetries: 0, headers: { "x-oracle-call": `ours ${tag}` } }).pipe(
          Effect.provide(ours),
          Effect.ignore
        )
        const method = methodOf(stripe, op)
        // `apiVersion` in the options: stripe refuses to create an ephemeral key without it (it is the version it sends anyway).
        const options = { headers: { "x-oracle-call": `stripe ${tag}` }, apiVersion: ApiVersion.API_VERSION }
        if (method !== undefined) {
          byName++
          yield* Effect.promise(() => method(...args, params, options).catch(() => undefined))
        } else {
          raw++
          // The `stripe` package's request machinery (path escaping, encoding) on our route.
          const Route = Stripe.StripeResource.extend({
            call: Stripe.StripeResource.method({ method: op.method, fullPath: op.path })
          })
          const route = new Route(stripe)
          yield* Effect.promise(() => Promise.resolve(route.call(...args, params, options)).catch(() => undefined))
        }
        const a = captured.get(`ours ${tag}`)
        const b = captured.get(`stripe ${tag}`)
        if (a === undefined || b === undefined) {
          mismatches.push(`${tag}: not sent (${a === undefined ? "ours" : "stripe's"})`)
          continue
        }
        const hasBody = a.body !== "" || b.body !== ""
        const oursEncoded = hasBody ? a.body : a.query
        const theirs = hasBody ? b.body : b.query
        const json = op.path.startsWith("/v2/") && hasBody
        const multipart = mediaType(a.contentType) === "multipart/form-data"
        const problems = [
          a.method !== b.method ? `method ${a.method} vs ${b.method}` : "",
          a.path !== b.path ? `path ${a.path} vs ${b.path}` : "",
          hasBody && mediaType(a.contentType) !== mediaType(b.contentType)
            ? `content type ${a.contentType} vs ${b.contentType}`
            : "",
          multipart ?
            (JSON.stringify(partNames(oursEncoded)) !== JSON.stringify(partNames(theirs)) ?
              `parts ${partNames(oursEncoded).join(",")} vs ${partNames(theirs).join(",")}` :
              "") :
            json ?
            (JSON.stringify(parseJson(oursEncoded)) !== JSON.stringify(parseJson(theirs)) ?
              `json ${oursEncoded} vs ${theirs}` :
              "") :
            JSON.stringify(pairs(oursEncoded)) !== JSON.stringify(pairs(theirs)) ?
            `params ${oursEncoded} vs ${theirs}` :
            normalize(oursEncoded) !== normalize(theirs) ?
            `bytes ${oursEncoded} vs ${theirs}` :
            ""
        ].filter((p) => p !== "")
        if (problems.length > 0) mismatches.push(`${tag}: ${problems.join("; ")}`)
      }
      report(
        `[wire oracle] ${sdkOperations.length} operations: ${byName} against the stripe@23.1.0 method of the same ` +
          `name (files, meter-events and connect hosts included: stripe sends them to the configured host too), ` +
          `${raw} not in stripe under that name; ${mismatches.length} mismatches`
      )
      expect(mismatches).toEqual([])
      expect(raw).toBe(0)
      expect(byName).toBe(sdkOperations.length)
    }), 300_000)

  it("every operation's span is stripe.<resource>.<method>, the resource where stripe@23.1.0 has it", () => {
    // `stripe.v2.core.eventDestinations.create` → span `stripe.v2.core.event_destinations.create`.
    const stripe = new Stripe("sk_test_oracle")
    const snake = (segment: string) =>
      segment.replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()
    const wrong = sdkOperations.flatMap((op) => {
      const expected = `stripe.${(stripePath(stripe, op.module) ?? ["?"]).map(snake).join(".")}.${op.name}`
      const inStripe = methodOf(stripe, op) !== undefined
      return op.spanName === expected && inStripe
        ? []
        : [`${label(op)}: ${op.spanName}, expected ${expected}${inStripe ? "" : " (no such stripe method)"}`]
    })
    expect(wrong).toEqual([])
  })
})
