/**
 * What goes on the wire, with the official `stripe` package as the oracle:
 * every operation of this SDK (found through its public barrel) and the
 * `stripe` method of the same name are called with the same path arguments
 * and params against a loopback server that records the requests, and the
 * two requests must agree: HTTP method, path (the `stripe` package's own
 * route table, with its escaping of path arguments), content type, and the
 * form-encoded body or query, pair by pair in order and byte for byte.
 *
 * Operations the `stripe` package no longer has under that name (it pins a
 * newer API version) are sent through its own request machinery
 * (`StripeResource.method`) with our route: the escaping and encoding are
 * still `stripe`'s; the route is checked against stripe-mock by the reference
 * lane's sweep. Operations on the files host are not sent by the
 * `stripe` package to a configurable host, so they are counted and left to
 * the sweep.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"
import { acceptedParams, minimalParams } from "../../../test/src/params.js"
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
  const accepted = acceptedParams(op.method, op.path)
  const params: Record<string, unknown> = { ...minimalParams(op.method, op.path, () => undefined) }
  if (accepted.has("metadata")) params["metadata"] = { order_id: "6735", "note key": "a b&c=d ü", cleared: "" }
  if (accepted.has("description")) params["description"] = "Ünïcode & spaces = fine"
  if (accepted.has("expand")) params["expand"] = ["customer", "data.latest_charge"]
  if (accepted.has("limit")) params["limit"] = 3
  return params
}

const camel = (segment: string) => segment.charAt(0).toLowerCase() + segment.slice(1)

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> => typeof u === "object" && u !== null

/** The `stripe` resource for a module (`Billing.Meters` → `stripe.billing.meters`). */
const resourceOf = (stripe: Stripe, module: string): unknown => {
  let node: unknown = stripe
  for (const segment of module.split(".")) node = isRecord(node) ? node[camel(segment)] : undefined
  return node
}

const methodOf = (stripe: Stripe, op: SdkOperation): ((...args: Array<unknown>) => Promise<unknown>) | undefined => {
  const resource = resourceOf(stripe, op.module)
  const fn = isRecord(resource) ? resource[op.name] : undefined
  // The documented boundary: a `stripe` resource method is a function returning a promise.
  return typeof fn === "function" ? (...args) => Reflect.apply(fn, resource, args) as Promise<unknown> : undefined
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
      let files = 0
      for (const op of sdkOperations) {
        if (op.host === "files") {
          files++
          continue
        }
        const args = pathParams(op.path).map(pathArg)
        const params = paramsFor(op)
        const tag = label(op)
        yield* op.call(args, params, { maxRetries: 0, headers: { "x-oracle-call": `ours ${tag}` } }).pipe(
          Effect.provide(ours),
          Effect.ignore
        )
        const method = methodOf(stripe, op)
        const options = { additionalHeaders: { "x-oracle-call": `stripe ${tag}` } }
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
        const oursEncoded = a.method === "POST" ? a.body : a.query
        const theirs = b.method === "POST" ? b.body : b.query
        const problems = [
          a.method !== b.method ? `method ${a.method} vs ${b.method}` : "",
          a.path !== b.path ? `path ${a.path} vs ${b.path}` : "",
          a.method === "POST" && a.contentType !== b.contentType
            ? `content type ${a.contentType} vs ${b.contentType}`
            : "",
          JSON.stringify(pairs(oursEncoded)) !== JSON.stringify(pairs(theirs)) ?
            `params ${oursEncoded} vs ${theirs}` :
            normalize(oursEncoded) !== normalize(theirs) ?
            `bytes ${oursEncoded} vs ${theirs}` :
            ""
        ].filter((p) => p !== "")
        if (problems.length > 0) mismatches.push(`${tag}: ${problems.join("; ")}`)
      }
      report(
        `[wire oracle] ${sdkOperations.length} operations: ${byName} against the stripe method of the same name, ` +
          `${raw} through its request machinery on our route (not in the installed stripe under that name), ` +
          `${files} on the files host left to the sweep; ${mismatches.length} mismatches`
      )
      expect(mismatches).toEqual([])
      expect(byName).toBeGreaterThan(sdkOperations.length / 2)
    }), 120_000)

  it("every operation's span is stripe.<resource>.<method>, the resource being its path under /v1", () => {
    const wrong = sdkOperations.flatMap((op) => {
      const depth = op.module.split(".").length
      const resource = op.path.split("/").slice(2, 2 + depth).join(".")
      const expected = `stripe.${resource}.${op.name}`
      return op.spanName === expected ? [] : [`${label(op)}: ${op.spanName}, expected ${expected}`]
    })
    expect(wrong).toEqual([])
  })
})
