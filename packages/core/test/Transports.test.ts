/**
 * The behaviour suite: one set of tests run on every transport the SDK
 * documents (`StripeHttpClient.layer`, `NodeHttpClient.layerUndici`,
 * `FetchHttpClient.layer`) against a loopback server whose answers each test
 * scripts. Time is `TestClock`'s: retries, backoff, `Retry-After` and
 * timeouts are driven by adjusting it, never by sleeping.
 *
 * The oracle of each test is the server's record of what arrived on the
 * wire, or a hand-written expectation (Stripe's documented headers and
 * error shapes, the W3C/B3 header formats).
 */
import { describe, expect, it } from "@effect/vitest"
import { Customers } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { gzipSync } from "node:zlib"
import * as StripeClient from "../src/StripeClient.js"
import type { StripeError } from "../src/StripeError.js"
import {
  API_KEY,
  customerBody,
  eventually,
  failureOf,
  loopback,
  sendJson,
  sleepingWithin,
  stripeOn,
  tick,
  transports
} from "./support/loopback.js"
import { exitOf, recordingLogger, recordingTracer } from "./support/tracing.js"

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  email: Schema.NullOr(Schema.String)
})

const create = (options?: StripeClient.RequestOptions) =>
  StripeClient.request({
    method: "POST",
    path: "/v1/customers",
    pathTemplate: "/v1/customers",
    params: { email: "a@b.co" },
    options,
    schema: Customer,
    spanName: "stripe.customers.create"
  })

const retrieve = (path = "/v1/customers/cus_1", options?: StripeClient.RequestOptions) =>
  StripeClient.request({
    method: "GET",
    path,
    pathTemplate: "/v1/customers/{customer}",
    options,
    schema: Customer,
    spanName: "stripe.customers.retrieve"
  })

const stripeError = (type: string | undefined, extra: Record<string, unknown> = {}) => ({
  error: { ...(type === undefined ? {} : { type }), message: `A ${type ?? "typeless"} error.`, ...extra }
})

for (const transport of transports) {
  describe(`behaviour on ${transport.name}`, () => {
    describe("retries and backoff (TestClock)", () => {
      it.scoped("retries 5xx with exponential backoff and jitter, the same Idempotency-Key every time", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) =>
            i < 2 ? sendJson(res, 500, stripeError("api_error")) : sendJson(res, 200, customerBody)
          )
          const fiber = yield* Effect.fork(
            StripeClient.requestWithResponse({ method: "POST", path: "/v1/customers", schema: Customer }).pipe(
              Effect.provide(stripeOn(transport, server.url, { maxRetries: 2 }))
            )
          )
          yield* server.received(1)
          // Retry 1 waits between half and all of 500 ms; retry 2 of 1,000 ms.
          const first = yield* sleepingWithin(250, 500)
          expect(server.seen).toHaveLength(1)
          yield* TestClock.adjust(first)
          yield* server.received(2)
          const second = yield* sleepingWithin(first + 500, first + 1000)
          yield* TestClock.adjust(second - first)
          const response = yield* Fiber.join(fiber)
          expect(server.seen).toHaveLength(3)
          expect(response.meta.attempts).toBe(3)
          const keys = server.seen.map((s) => s.headers["idempotency-key"])
          expect(new Set(keys).size).toBe(1)
          expect(keys[0]).toBe(response.meta.idempotencyKey)
        }))

      it.scoped("honours Retry-After with the default schedule and with a replaced one", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) =>
            i % 2 === 0 ?
              sendJson(res, 429, stripeError("rate_limit_error"), { "retry-after": "7" }) :
              sendJson(res, 200, customerBody)
          )
          const defaultSchedule = yield* Effect.fork(
            create().pipe(Effect.provide(stripeOn(transport, server.url, { maxRetries: 1 })))
          )
          yield* server.received(1)
          expect(yield* sleepingWithin(1, 60_000)).toBe(7000)
          yield* TestClock.adjust(7000)
          yield* Fiber.join(defaultSchedule)

          const start = 7000
          const replaced = yield* Effect.fork(
            create().pipe(
              Effect.provide(stripeOn(transport, server.url, {
                maxRetries: 1,
                retrySchedule: Schedule.spaced("10 millis")
              }))
            )
          )
          yield* server.received(3)
          yield* sleepingWithin(start + 10, start + 10)
          yield* TestClock.adjust(10)
          // The schedule's 10 ms are over; Stripe asked for 7 s, which still stand.
          expect(yield* sleepingWithin(start + 11, start + 60_000)).toBe(start + 7000)
          expect(server.seen).toHaveLength(3)
          yield* TestClock.adjust(6990)
          yield* Fiber.join(replaced)
          expect(server.seen).toHaveLength(4)
        }))

      it.scoped("Stripe-Should-Retry decides when present", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) =>
            i === 0 ?
              sendJson(res, 500, stripeError("api_error"), { "stripe-should-retry": "false" }) :
              i === 1 ?
              sendJson(res, 400, stripeError("invalid_request_error"), { "stripe-should-retry": "true" }) :
              sendJson(res, 200, customerBody)
          )
          const layer = stripeOn(transport, server.url, { maxRetries: 2 })
          const exit = yield* Effect.exit(create().pipe(Effect.provide(layer)))
          expect(failureOf(exit)._tag).toBe("StripeApiError")
          expect(server.seen).toHaveLength(1)
          const fiber = yield* Effect.fork(create().pipe(Effect.provide(layer)))
          yield* server.received(2)
          yield* TestClock.adjust("1 second")
          yield* Fiber.join(fiber)
          expect(server.seen).toHaveLength(3)
        }))
    })

    describe("timeouts (TestClock)", () => {
      it.scoped("a body that stalls after the headers times out; the request is aborted and carries its key", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res) => {
            res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
            res.write("{\"id\":\"cus_1\",")
          })
          const fiber = yield* Effect.fork(
            create({ timeout: "5 seconds" }).pipe(Effect.provide(stripeOn(transport, server.url)))
          )
          yield* server.received(1)
          yield* sleepingWithin(5000, 5000)
          yield* TestClock.adjust("5 seconds")
          const error = failureOf(yield* Fiber.await(fiber))
          expect(error).toMatchObject({ _tag: "StripeConnectionError", reason: "Timeout" })
          expect(error._tag === "StripeConnectionError" && error.idempotencyKey).toBe(
            server.seen[0].headers["idempotency-key"]
          )
          yield* server.abandoned(1)
        }))

      it.scoped("the timeout bounds each attempt: a retry gets its own", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) => {
            if (i === 0) return res.writeHead(200, { "content-type": "application/json" })
            sendJson(res, 200, customerBody)
          })
          const fiber = yield* Effect.fork(
            StripeClient.requestWithResponse({
              method: "GET",
              path: "/v1/customers/cus_1",
              options: { timeout: "5 seconds" },
              schema: Customer
            }).pipe(Effect.provide(stripeOn(transport, server.url, { maxRetries: 1 })))
          )
          yield* server.received(1)
          yield* sleepingWithin(5000, 5000)
          yield* TestClock.adjust("5 seconds")
          yield* server.received(1)
          const backoff = yield* sleepingWithin(5250, 5500)
          yield* TestClock.adjust(backoff - 5000)
          const response = yield* Fiber.join(fiber)
          expect(response.meta.attempts).toBe(2)
        }))

      it.scoped("interrupting a call aborts its request", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply(() => {})
          const fiber = yield* Effect.fork(retrieve().pipe(Effect.provide(stripeOn(transport, server.url))))
          yield* server.received(1)
          expect(Exit.isInterrupted(yield* Fiber.interrupt(fiber))).toBe(true)
          yield* server.abandoned(1)
        }))
    })

    describe("errors: every class, each carrying the call's Idempotency-Key", () => {
      const cases: ReadonlyArray<
        readonly [string, StripeError["_tag"], (res: import("node:http").ServerResponse) => void]
      > = [
        ["402 card_error", "StripeCardError", (res) => sendJson(res, 402, stripeError("card_error"))],
        [
          "400 invalid_request_error",
          "StripeInvalidRequestError",
          (res) => sendJson(res, 400, stripeError("invalid_request_error"))
        ],
        ["401", "StripeAuthenticationError", (res) => sendJson(res, 401, stripeError("authentication_error"))],
        ["403", "StripePermissionError", (res) => sendJson(res, 403, stripeError("permission_error"))],
        ["429", "StripeRateLimitError", (res) => sendJson(res, 429, stripeError("rate_limit_error"))],
        [
          "400 idempotency_error",
          "StripeIdempotencyError",
          (res) => sendJson(res, 400, stripeError("idempotency_error"))
        ],
        ["500", "StripeApiError", (res) => sendJson(res, 500, stripeError("api_error"))],
        ["a reset connection", "StripeConnectionError", (res) => res.socket?.destroy()],
        ["an HTML 200", "StripeDecodeError", (res) => {
          res.writeHead(200, { "content-type": "text/html" })
          res.end("<html>maintenance</html>")
        }]
      ]
      for (const [name, tag, answer] of cases) {
        it.scoped(`${name} → ${tag}`, () =>
          Effect.gen(function*() {
            const server = yield* loopback
            server.reply((_, res) => answer(res))
            const error = failureOf(yield* Effect.exit(create().pipe(Effect.provide(stripeOn(transport, server.url)))))
            expect(error._tag).toBe(tag)
            const sent = server.seen[0].headers["idempotency-key"]
            expect(typeof sent).toBe("string")
            expect(error._tag !== "StripeValidationError" ? error.idempotencyKey : undefined).toBe(sent)
          }))
      }

      it.scoped("retrying with the key of a failed call reuses it (the documented way to retry safely)", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) => i === 0 ? res.socket?.destroy() : sendJson(res, 200, customerBody))
          const layer = stripeOn(transport, server.url)
          const program = create().pipe(
            Effect.catchTag("StripeConnectionError", (e) => create({ idempotencyKey: e.idempotencyKey }))
          )
          yield* program.pipe(Effect.provide(layer))
          expect(server.seen).toHaveLength(2)
          expect(server.seen[1].headers["idempotency-key"]).toBe(server.seen[0].headers["idempotency-key"])
        }))
    })

    describe("hostile responses never hang a call and never become defects", () => {
      const deep = (levels: number) => "[".repeat(levels) + "]".repeat(levels)
      const bodies: ReadonlyArray<readonly [string, string]> = [
        ["a value nested 5,000 levels deep where a string is expected", `{"id":${deep(5000)},"object":"customer"}`],
        ["a value nested 200,000 levels deep", `{"id":"cus_1","object":"customer","email":${deep(200_000)}}`],
        ["JSON with a __proto__ key", `{"__proto__":{"polluted":true},"id":"cus_1","object":"customer","email":null}`]
      ]
      for (const [name, body] of bodies) {
        it.scoped(name, () =>
          Effect.gen(function*() {
            const server = yield* loopback
            server.reply((_, res) => {
              res.writeHead(200, { "content-type": "application/json" })
              res.end(body)
            })
            const exit = yield* Effect.exit(
              create({ timeout: "2 seconds" }).pipe(Effect.provide(stripeOn(transport, server.url)))
            )
            // Settled without the clock moving: nothing waited on the timeout. A `__proto__` key never
            // reaches Object.prototype.
            if (Exit.isFailure(exit)) expect(failureOf(exit)._tag).toBe("StripeDecodeError")
            expect(Reflect.get({}, "polluted")).toBeUndefined()
          }))
      }

      it.scoped("a recursive schema fed 100,000 levels fails with StripeDecodeError", () =>
        Effect.gen(function*() {
          interface Node {
            readonly child?: Node | undefined
          }
          const NodeSchema: Schema.Schema<Node> = Schema.Struct({
            child: Schema.optional(Schema.suspend(() => NodeSchema))
          })
          const server = yield* loopback
          server.reply((_, res) => {
            res.writeHead(200, { "content-type": "application/json" })
            res.end("{\"child\":".repeat(100_000) + "1" + "}".repeat(100_000))
          })
          const exit = yield* Effect.exit(
            StripeClient.request({ method: "GET", path: "/v1/nodes", schema: NodeSchema }).pipe(
              Effect.provide(stripeOn(transport, server.url))
            )
          )
          expect(failureOf(exit)._tag).toBe("StripeDecodeError")
        }))
    })

    describe("response size limit", () => {
      const limit = 64 * 1024
      const big = "x".repeat(1024 * 1024)
      const answers: ReadonlyArray<
        readonly [string, StripeError["_tag"], (res: import("node:http").ServerResponse) => void]
      > = [
        ["a 1 MB 200 with its length", "StripeDecodeError", (res) => {
          res.writeHead(200, { "content-type": "text/plain", "content-length": String(big.length) })
          res.end(big)
        }],
        ["a 1 MB chunked 200", "StripeDecodeError", (res) => {
          res.writeHead(200, { "content-type": "text/plain" })
          for (let i = 0; i < 16; i++) res.write(big.slice(0, 65536))
          res.end()
        }],
        ["a 1 MB error message", "StripeApiError", (res) => sendJson(res, 500, { error: { message: big } })],
        ["a gzip body that inflates to 8 MB", "StripeDecodeError", (res) => {
          const zipped = gzipSync(Buffer.alloc(8 * 1024 * 1024, 32))
          res.writeHead(200, {
            "content-type": "application/json",
            "content-encoding": "gzip",
            "content-length": String(zipped.length)
          })
          res.end(zipped)
        }]
      ]
      for (const [name, tag, answer] of answers) {
        it.scoped(`${name}: ${tag} with a bounded body`, () =>
          Effect.gen(function*() {
            const server = yield* loopback
            server.reply((_, res) => answer(res))
            const error = failureOf(
              yield* Effect.exit(
                create().pipe(Effect.provide(stripeOn(transport, server.url, { maxResponseBytes: limit })))
              )
            )
            expect(error._tag).toBe(tag)
            const kept = error._tag === "StripeDecodeError" || error._tag === "StripeApiError" ? error.body ?? "" : ""
            expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(2048)
            expect(error.message.length).toBeLessThanOrEqual(1200)
          }))
      }

      it.scoped("an error message within the limit is kept to 1,000 characters", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res) => sendJson(res, 400, { error: { type: "invalid_request_error", message: big } }))
          const error = failureOf(yield* Effect.exit(create().pipe(Effect.provide(stripeOn(transport, server.url)))))
          expect(error._tag).toBe("StripeInvalidRequestError")
          expect(error.message.length).toBeLessThan(1100)
          const raw = error._tag === "StripeInvalidRequestError" ? error.raw : undefined
          expect(JSON.stringify(raw).length).toBeLessThan(5000)
        }))
    })

    describe("redirects are never followed", () => {
      for (const status of [301, 302, 307, 308]) {
        it.scoped(`a ${status} fails with StripeApiError and the Location is never requested`, () =>
          Effect.gen(function*() {
            const server = yield* loopback
            const elsewhere = yield* loopback
            elsewhere.reply((_, res) => sendJson(res, 200, { id: "cus_elsewhere", object: "customer", email: null }))
            server.reply((_, res) => {
              res.writeHead(status, { location: `${elsewhere.url}/v1/customers` })
              res.end()
            })
            const error = failureOf(yield* Effect.exit(create().pipe(Effect.provide(stripeOn(transport, server.url)))))
            expect(error).toMatchObject({ _tag: "StripeApiError", status })
            expect(elsewhere.seen).toHaveLength(0)
          }))
      }
    })

    describe("input validation before anything is sent", () => {
      const badValues = ["a\r\nx-injected: 1", "a\nb", "a\u0000b", "ā", "😀"]
      const optionCases: ReadonlyArray<readonly [string, (bad: string) => StripeClient.RequestOptions]> = [
        ["idempotencyKey", (bad) => ({ idempotencyKey: bad })],
        ["stripeAccount", (bad) => ({ stripeAccount: bad })],
        ["stripeVersion", (bad) => ({ stripeVersion: bad })],
        ["apiKey", (bad) => ({ apiKey: Redacted.make(`sk_test_${bad}`) })],
        ["headers (value)", (bad) => ({ headers: { "stripe-beta": bad } })]
      ]
      for (const [name, options] of optionCases) {
        it.scoped(`${name} with CR, LF, NUL or a character above U+00FF → StripeValidationError, never retried`, () =>
          Effect.gen(function*() {
            const server = yield* loopback
            const layer = stripeOn(transport, server.url, { maxRetries: 5 })
            for (const bad of badValues) {
              const error = failureOf(yield* Effect.exit(create(options(bad)).pipe(Effect.provide(layer))))
              expect(error._tag).toBe("StripeValidationError")
              expect(error.message).not.toContain(bad)
            }
            expect(server.seen).toHaveLength(0)
          }))
      }

      it.scoped("header names must be tokens; framing headers cannot be set", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          const layer = stripeOn(transport, server.url)
          for (
            const headers of [
              { "bad name": "1" },
              { "x:y": "1" },
              { "content-length": "0" },
              { "transfer-encoding": "chunked" },
              { host: "example.com" },
              { Connection: "close" }
            ]
          ) {
            const error = failureOf(yield* Effect.exit(create({ headers }).pipe(Effect.provide(layer))))
            expect(error._tag).toBe("StripeValidationError")
          }
          expect(server.seen).toHaveLength(0)
        }))

      it.scoped("path arguments: empty, . and .. are refused; everything else stays one literal segment", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res) => sendJson(res, 200, { id: "x", object: "customer", deleted: true }))
          const layer = stripeOn(transport, server.url)
          const refused: ReadonlyArray<Effect.Effect<unknown, StripeError, StripeClient.StripeClient>> = [
            Customers.retrieve("."),
            Customers.retrieve(".."),
            Customers.retrieve(""),
            Customers.update(".", { name: "x" }),
            Customers.del(".."),
            Customers.retrieveBalanceTransaction("..", "cbtxn_1"),
            Customers.retrieveBalanceTransaction("cus_1", ".."),
            Customers.retrieveBalanceTransaction("cus_1", "")
          ]
          for (const call of refused) {
            const error = failureOf(yield* Effect.exit(Effect.provide(call, layer)))
            expect(error).toMatchObject({ _tag: "StripeValidationError", param: "path" })
          }
          expect(server.seen).toHaveLength(0)
          yield* Effect.exit(Effect.provide(Customers.del("cus_1/../../v1/balance?x=1#y"), layer))
          yield* Effect.exit(Effect.provide(Customers.retrieve("%2e%2e"), layer))
          expect(server.seen.map((s) => s.url)).toEqual([
            "/v1/customers/cus_1%2F..%2F..%2Fv1%2Fbalance%3Fx%3D1%23y",
            "/v1/customers/%252e%252e"
          ])
        }))

      it.scoped("a raw request path must be a path on the configured host", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          const layer = stripeOn(transport, server.url)
          for (
            const path of [
              "@example.com/steal",
              "https://example.com/x",
              "//example.com/x",
              "/v1/./customers",
              "/v1/%2E%2e/balance",
              "/v1/customers#x",
              "/v1/a b",
              "/v1/caf\u00e9",
              "/v1\\customers",
              "/v1/customers?x=1#y",
              ""
            ]
          ) {
            const error = failureOf(yield* Effect.exit(retrieve(path).pipe(Effect.provide(layer))))
            expect(error, path).toMatchObject({ _tag: "StripeValidationError", param: "path" })
          }
          expect(server.seen).toHaveLength(0)
          yield* retrieve("/v1/customers/cus_1?expand[0]=x").pipe(Effect.provide(layer))
          expect(server.seen.map((s) => s.url)).toEqual(["/v1/customers/cus_1?expand[0]=x"])
        }))
    })

    describe("spans and trace propagation", () => {
      it.scoped("one span per call, the same attributes on every transport, traceparent and b3 sent", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) =>
            i === 0 ?
              sendJson(res, 500, stripeError("api_error"), { "request-id": "req_500" }) :
              sendJson(res, 200, customerBody, { "request-id": "req_span" })
          )
          const { spans, tracer } = recordingTracer()
          const fiber = yield* Effect.fork(
            retrieve().pipe(
              Effect.provide(stripeOn(transport, server.url, { maxRetries: 1 })),
              Effect.withTracer(tracer)
            )
          )
          yield* server.received(1)
          yield* TestClock.adjust("1 second")
          yield* Fiber.join(fiber)
          expect(spans.map((s) => s.name)).toEqual(["stripe.customers.retrieve"])
          const [span] = spans
          expect(span.kind).toBe("client")
          expect(Object.fromEntries(span.attributes)).toEqual({
            "http.method": "GET",
            "stripe.path": "/v1/customers/{customer}",
            "http.status_code": 200,
            "stripe.request_id": "req_span",
            "stripe.attempts": 2
          })
          // Its exit never holds the value (which may carry secrets).
          expect(exitOf(span)).toStrictEqual(Exit.void)
          // The headers @effect/platform's HttpTraceContext.toHeaders sends, from the call's span.
          for (const seen of server.seen) {
            expect(seen.headers.traceparent).toBe(`00-${span.traceId}-${span.spanId}-01`)
            expect(seen.headers.b3).toBe(`${span.traceId}-${span.spanId}-1`)
          }
        }))

      it.scoped("a failed call's span ends with its typed error and the status", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res) =>
            sendJson(res, 404, stripeError("invalid_request_error"), { "request-id": "req_404" })
          )
          const { spans, tracer } = recordingTracer()
          yield* Effect.exit(
            retrieve().pipe(Effect.provide(stripeOn(transport, server.url)), Effect.withTracer(tracer))
          )
          const [span] = spans
          expect(span.attributes.get("http.status_code")).toBe(404)
          expect(span.attributes.get("stripe.request_id")).toBe("req_404")
          const exit = exitOf(span)
          expect(exit !== undefined && Exit.isFailure(exit) ? failureOf(exit) : undefined).toMatchObject({
            _tag: "StripeInvalidRequestError"
          })
        }))

      it.scoped("under a caller's span with Effect's own tracer, the call's span is its child and propagates", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          const parent = yield* Effect.makeSpan("handler")
          yield* retrieve().pipe(Effect.provide(stripeOn(transport, server.url)), Effect.withParentSpan(parent))
          const traceparent = String(server.seen[0].headers.traceparent)
          expect(traceparent).toMatch(new RegExp(`^00-${parent.traceId}-[0-9a-f]{16}-01$`))
          expect(traceparent).not.toContain(parent.spanId)
          expect(String(server.seen[0].headers.b3)).toMatch(new RegExp(`-${parent.spanId}$`))
        }))

      it.scoped("with tracing off nothing is propagated", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          const { spans, tracer } = recordingTracer()
          yield* retrieve().pipe(
            Effect.provide(stripeOn(transport, server.url)),
            Effect.withTracer(tracer),
            Effect.withTracerEnabled(false)
          )
          expect(spans).toHaveLength(0)
          expect(server.seen[0].headers.traceparent).toBeUndefined()
        }))
    })

    describe("what Stripe's own SDKs send and read", () => {
      it.scoped("X-Stripe-Client-Telemetry carries the previous call's request id and duration", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res, i) => sendJson(res, 200, customerBody, { "request-id": `req_${i}` }))
          yield* Effect.zip(retrieve(), retrieve()).pipe(Effect.provide(stripeOn(transport, server.url)))
          expect(server.seen[0].headers["x-stripe-client-telemetry"]).toBeUndefined()
          const telemetry: unknown = JSON.parse(String(server.seen[1].headers["x-stripe-client-telemetry"]))
          expect(telemetry).toMatchObject({ last_request_metrics: { request_id: "req_0" } })
          const ms: unknown = Reflect.get(Reflect.get(Object(telemetry), "last_request_metrics"), "request_duration_ms")
          expect(Number.isInteger(ms)).toBe(true)
          const ua = JSON.parse(String(server.seen[0].headers["x-stripe-client-user-agent"]))
          expect(typeof ua.platform).toBe("string")
        }))

      it.scoped("asks for an uncompressed body, which a gzip-capable server then sends; a caller's Accept-Encoding wins", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          // As a server that compresses when the client accepts it (fetch asks for gzip by default).
          server.reply((seen, res) => {
            if (!/gzip/.test(String(seen.headers["accept-encoding"] ?? ""))) return sendJson(res, 200, customerBody)
            const zipped = gzipSync(JSON.stringify(customerBody))
            res.writeHead(200, {
              "content-type": "application/json",
              "content-encoding": "gzip",
              "content-length": String(zipped.length)
            })
            res.end(zipped)
          })
          const customer = yield* retrieve().pipe(Effect.provide(stripeOn(transport, server.url)))
          expect(customer).toEqual({ id: customerBody.id, object: "customer", email: customerBody.email })
          expect(server.seen[0].headers["accept-encoding"]).toBe("identity")
          yield* Effect.exit(
            retrieve("/v1/customers/cus_1", { headers: { "Accept-Encoding": "gzip" } }).pipe(
              Effect.provide(stripeOn(transport, server.url))
            )
          )
          expect(server.seen[1].headers["accept-encoding"]).toBe("gzip")
        }))

      it.scoped("telemetry: false sends neither the telemetry header nor the platform", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          yield* Effect.zip(retrieve(), retrieve()).pipe(
            Effect.provide(stripeOn(transport, server.url, { telemetry: false }))
          )
          expect(server.seen.map((s) => s.headers["x-stripe-client-telemetry"])).toEqual([undefined, undefined])
          expect(JSON.parse(String(server.seen[0].headers["x-stripe-client-user-agent"])).platform).toBeUndefined()
        }))

      it.scoped("a Stripe-Notice header is logged as a warning", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          server.reply((_, res) =>
            sendJson(res, 200, customerBody, { "stripe-notice": "This API version is deprecated" })
          )
          const logs = recordingLogger()
          yield* retrieve().pipe(
            Effect.provide(stripeOn(transport, server.url)),
            Effect.provide(Logger.replace(Logger.defaultLogger, Logger.none)),
            Effect.provide(logs.layer),
            Logger.withMinimumLogLevel(LogLevel.Warning)
          )
          expect(logs.lines.filter((l) => l.startsWith("WARN") && l.includes("This API version is deprecated")))
            .toHaveLength(1)
        }))

      it.scoped("the Authorization header carries the key; nothing else of the call sees it", () =>
        Effect.gen(function*() {
          const server = yield* loopback
          yield* retrieve().pipe(Effect.provide(stripeOn(transport, server.url)))
          expect(server.seen[0].headers.authorization).toBe(`Bearer ${API_KEY}`)
        }))
    })
  })
}

describe("the per-attempt clock is the fiber's", () => {
  it.scoped("a stalled call under TestClock never settles until the clock moves", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply(() => {})
      const fiber = yield* Effect.fork(
        retrieve("/v1/customers/cus_1", { timeout: "1 second" }).pipe(
          Effect.provide(stripeOn(transports[0], server.url))
        )
      )
      yield* server.received(1)
      for (let i = 0; i < 20; i++) yield* tick
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      yield* eventually(() => fiber.unsafePoll() !== null, "the call settled")
      expect(failureOf(yield* Fiber.await(fiber))).toMatchObject({ reason: "Timeout" })
    }))
})
