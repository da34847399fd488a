import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as StripeClient from "../src/StripeClient.js"
import * as StripeHttpClient from "../src/StripeHttpClient.js"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** A loopback server; `hang` paths never answer, and count when the client closes their connection. */
const server = Effect.acquireRelease(
  Effect.async<{
    readonly url: string
    readonly seen: Array<Seen>
    readonly server: Http.Server
    readonly aborted: () => number
  }>((resume) => {
    const seen: Array<Seen> = []
    let aborted = 0
    const srv = Http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8")
        })
        if (req.url?.startsWith("/hang") === true) {
          res.on("close", () => aborted++)
          return
        }
        if (req.url?.startsWith("/v1/missing") === true) {
          res.writeHead(404, { "content-type": "application/json", "request-id": "req_404" })
          return res.end(JSON.stringify({ error: { type: "invalid_request_error", message: "No such customer" } }))
        }
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_ok", "x-multi": ["a", "b"] })
        res.end(JSON.stringify({ id: "cus_1", object: "customer", email: null, extra: true }))
      })
    })
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as AddressInfo).port // boundary: a TCP server's address() is always AddressInfo
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, seen, server: srv, aborted: () => aborted }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  email: Schema.NullOr(Schema.String)
})

const stripe = (url: string) =>
  StripeClient.layer({ apiKey: Redacted.make("sk_test_lean"), baseUrl: url, maxRetries: 0 }).pipe(
    Layer.provide(StripeHttpClient.layer)
  )

describe("StripeHttpClient", () => {
  it.live("carries Stripe calls: headers, form body, decoding, metadata", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* server
      const [value, meta] = yield* StripeClient.withResponse(
        StripeClient.request({
          method: "POST",
          path: "/v1/customers",
          params: { email: "a@b.co", metadata: { plan: "pro" } },
          schema: Customer
        })
      ).pipe(Effect.provide(stripe(url)))
      expect(value).toStrictEqual({ id: "cus_1", object: "customer", email: null })
      expect(meta).toMatchObject({ requestId: "req_ok", status: 200, attempts: 1, replayed: false })
      expect(meta.headers["x-multi"]).toBe("a, b")
      expect(seen[0]).toMatchObject({
        method: "POST",
        url: "/v1/customers",
        body: "email=a%40b.co&metadata[plan]=pro"
      })
      expect(seen[0].headers.authorization).toBe("Bearer sk_test_lean")
      expect(seen[0].headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(seen[0].headers["idempotency-key"]).toBe(meta.idempotencyKey)
    }).pipe(Effect.scoped))

  it.live("maps Stripe errors like any transport", () =>
    Effect.gen(function*() {
      const { url } = yield* server
      const exit = yield* StripeClient.request({ method: "GET", path: "/v1/missing", schema: Customer }).pipe(
        Effect.provide(stripe(url)),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "StripeInvalidRequestError",
        status: 404,
        requestId: "req_404"
      })
    }).pipe(Effect.scoped))

  it.live("bounds an attempt with the real clock: a stalled server is a Timeout, and the request is aborted", () =>
    Effect.gen(function*() {
      const { aborted, url } = yield* server
      const exit = yield* StripeClient.request({
        method: "GET",
        path: "/hang",
        options: { timeout: 30 },
        schema: Customer
      }).pipe(Effect.provide(stripe(url)), Effect.exit)
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "StripeConnectionError",
        reason: "Timeout"
      })
      while (aborted() === 0) yield* Effect.sleep(1)
      expect(aborted()).toBe(1)
    }).pipe(Effect.scoped))

  it.live("a refused connection is a StripeConnectionError(Refused)", () =>
    Effect.gen(function*() {
      const { server: srv, url } = yield* server
      srv.close()
      srv.closeAllConnections()
      yield* Effect.sleep(5)
      const exit = yield* StripeClient.request({ method: "GET", path: "/v1/customers/cus_1", schema: Customer }).pipe(
        Effect.provide(stripe(url)),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "StripeConnectionError",
        reason: "Refused"
      })
    }).pipe(Effect.scoped))

  it.live("interrupting a call aborts its request", () =>
    Effect.gen(function*() {
      const { aborted, seen, url } = yield* server
      const fiber = yield* StripeClient.request({ method: "GET", path: "/hang", schema: Customer }).pipe(
        Effect.provide(stripe(url)),
        Effect.fork
      )
      while (seen.length === 0) yield* Effect.sleep(1)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      while (aborted() === 0) yield* Effect.sleep(1)
      expect(aborted()).toBe(1)
    }).pipe(Effect.scoped))

  it.live("sends a v2 JSON body as UTF-8 bytes, unchanged", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* server
      const events = [{ event_name: "api_requests", payload: { note: "café ✓ 😀", value: "1" } }]
      yield* StripeClient.request({
        method: "POST",
        path: "/v2/billing/meter_event_stream",
        params: { events },
        schema: Schema.Unknown
      }).pipe(Effect.provide(stripe(url)))
      expect(seen[0].headers["content-type"]).toBe("application/json")
      expect(Number(seen[0].headers["content-length"])).toBe(Buffer.byteLength(JSON.stringify({ events })))
      expect(JSON.parse(seen[0].body)).toStrictEqual({ events })
    }).pipe(Effect.scoped))

  it.live("is a complete HttpClient for other requests", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* server
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(`${url}/other?x=1`).pipe(HttpClientRequest.bodyText("hello", "text/plain"))
      )
      expect(response.status).toBe(200)
      expect(yield* response.json).toMatchObject({ id: "cus_1" })
      expect(seen[0]).toMatchObject({ method: "POST", url: "/other?x=1", body: "hello" })
      expect(seen[0].headers["content-type"]).toBe("text/plain")
    }).pipe(Effect.provide(StripeHttpClient.layer), Effect.scoped))
})

describe("timeouts on the real clock, any HttpClient", () => {
  it.live("a transport that never answers fails with Timeout, and its attempt is interrupted", () =>
    Effect.gen(function*() {
      let interrupted = false
      const never = HttpClient.make(() =>
        Effect.onInterrupt(Effect.never, () => Effect.sync(() => (interrupted = true)))
      )
      const exit = yield* StripeClient.request({
        method: "GET",
        path: "/v1/customers/cus_1",
        options: { timeout: 20 },
        schema: Customer
      }).pipe(
        Effect.provide(
          StripeClient.layer({ apiKey: Redacted.make("sk_test_x"), maxRetries: 0 }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, never))
          )
        ),
        Effect.exit
      )
      expect(Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined).toMatchObject({
        _tag: "StripeConnectionError",
        reason: "Timeout"
      })
      yield* Effect.sleep(5)
      expect(interrupted).toBe(true)
    }))
})
