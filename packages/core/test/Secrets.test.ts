import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"
import * as StripeClient from "../src/StripeClient.js"
import { clientLayer, json, mockHttp, SENTINEL } from "./utils.js"

const Customer = Schema.Struct({ id: Schema.String, object: Schema.Literal("customer") })

/** Captures every span the program starts (including the platform's `http.client` spans). */
const captureSpans = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const spans: Array<Tracer.Span> = []
    const native = yield* Effect.tracer
    const tracer = Tracer.make({
      span: (name, parent, context, links, startTime, kind, options) => {
        const span = native.span(name, parent, context, links, startTime, kind, options)
        spans.push(span)
        return span
      },
      context: native.context
    })
    const exit = yield* Effect.exit(Effect.withTracer(effect, tracer))
    return { exit, spans }
  })

const captureLogs = () => {
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, cause, logLevel, message }) => {
    lines.push(
      `${logLevel.label} ${inspect(message, { depth: 10 })} ${inspect(annotations, { depth: 10 })} ${
        Cause.pretty(cause)
      }`
    )
  })
  return { lines, layer: Logger.add(logger) }
}

describe("spans", () => {
  it.effect("every call runs in stripe.<resource>.<method> with method, template, status, request id, attempts", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer((_, i) =>
        i === 0 ?
          json({ error: { type: "api_error", message: "boom" } }, 500) :
          json({ id: "cus_1", object: "customer" }, 200, { "request-id": "req_span" })
      )
      const program = StripeClient.request({
        method: "GET",
        path: "/v1/customers/cus_1",
        pathTemplate: "/v1/customers/{customer}",
        schema: Customer,
        spanName: "stripe.customers.retrieve"
      }).pipe(Effect.provide(layer))
      const fiber = yield* Effect.fork(captureSpans(program))
      yield* TestClock.adjust("1 minute")
      const { exit, spans } = yield* Fiber.join(fiber)
      expect(Exit.isSuccess(exit)).toBe(true)
      const span = spans.find((s) => s.name === "stripe.customers.retrieve")
      expect(span).toBeDefined()
      expect(Object.fromEntries(span!.attributes)).toEqual({
        "http.method": "GET",
        "stripe.path": "/v1/customers/{customer}",
        "http.status_code": 200,
        "stripe.request_id": "req_span",
        "stripe.attempts": 2
      })
      expect(span!.kind).toBe("client")
      // One span per call on every transport: the platform's `http.client` spans (whose exits hold the
      // request and its credentials) are not made for Stripe calls.
      expect(spans.map((s) => s.name)).toEqual(["stripe.customers.retrieve"])
    }))

  it.effect("the default span name is stripe.request, and failures record their status", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(
        () => json({ error: { type: "invalid_request_error", message: "nope" } }, 404, { "request-id": "req_404" })
      )
      const { exit, spans } = yield* captureSpans(
        StripeClient.request({ method: "GET", path: "/v1/nope", schema: Customer }).pipe(Effect.provide(layer))
      )
      expect(Exit.isFailure(exit)).toBe(true)
      const span = spans.find((s) => s.name === "stripe.request")
      expect(span?.attributes.get("http.status_code")).toBe(404)
      expect(span?.attributes.get("stripe.request_id")).toBe("req_404")
      expect(span?.attributes.get("stripe.path")).toBe("/v1/nope")
      expect(span?.attributes.get("stripe.attempts")).toBe(1)
    }))
})

describe("the API key never leaks", () => {
  const containsSentinel = (text: string) => text.includes(SENTINEL) || text.includes("SENTINEL")

  const outputs = (u: unknown): Array<string> => [
    String(u),
    JSON.stringify(u) ?? "",
    inspect(u, { depth: 20, showHidden: true }),
    Inspectable.format(u),
    u instanceof Error ? u.message + (u.stack ?? "") : ""
  ]

  it.effect("not in logs, errors, spans, toString, toJSON or inspection", () =>
    Effect.gen(function*() {
      const logs = captureLogs()
      const handlers = [
        () => json({ id: "cus_1", object: "customer" }),
        // Stripe echoes a (masked) key; a misbehaving proxy could echo the real one.
        () => json({ error: { type: "invalid_request_error", message: `Invalid API Key provided: ${SENTINEL}` } }, 401),
        () => new Response(`<html>Bad gateway for Bearer ${SENTINEL}</html>`, { status: 502 }),
        () => json({ id: 1, echoed: `Authorization: Bearer ${SENTINEL}` }),
        () => new Response(`not json ${SENTINEL}`, { status: 200 }),
        () =>
          json({ error: { type: "card_error", message: "declined", payment_intent: { client_secret: SENTINEL } } }, 402)
      ]
      const http = mockHttp((call, i) => {
        if (i >= handlers.length) {
          return Effect.fail(
            new HttpClientError.RequestError({
              request: call.request,
              reason: "Transport",
              cause: Object.assign(new TypeError("fetch failed"), {
                cause: Object.assign(new Error(`connect ECONNREFUSED ${SENTINEL}`), { code: "ECONNREFUSED" })
              })
            })
          )
        }
        return handlers[i]()
      })
      const layer = StripeClient.layer({ apiKey: Redacted.make(SENTINEL), maxRetries: 0 }).pipe(
        Layer.provide(http.layer)
      )
      const errors: Array<unknown> = []
      const program = Effect.gen(function*() {
        const client = yield* StripeClient.StripeClient
        for (let i = 0; i <= handlers.length; i++) {
          const exit = yield* Effect.exit(
            StripeClient.request({ method: "POST", path: "/v1/customers", params: { name: "x" }, schema: Customer })
          )
          if (Exit.isFailure(exit)) {
            errors.push(Cause.squash(exit.cause))
            errors.push(Cause.pretty(exit.cause))
          }
        }
        return client
      }).pipe(Effect.provide(layer), Logger.withMinimumLogLevel(LogLevel.All), Effect.provide(logs.layer))
      const { exit, spans } = yield* captureSpans(program)
      expect(Exit.isSuccess(exit)).toBe(true)
      if (!Exit.isSuccess(exit)) return
      const client = exit.value

      // Each call was sent with the key, and failed in its own way.
      expect(http.calls.every((c) => c.headers.authorization === `Bearer ${SENTINEL}`)).toBe(true)
      expect(errors.filter((e) => typeof e !== "string").map((e) => Reflect.get(Object(e), "_tag"))).toEqual([
        "StripeAuthenticationError",
        "StripeApiError",
        "StripeDecodeError",
        "StripeDecodeError",
        "StripeCardError",
        "StripeConnectionError"
      ])
      expect(logs.lines.length).toBeGreaterThan(0)
      expect(spans.length).toBeGreaterThan(0)

      for (const line of logs.lines) expect(containsSentinel(line), line).toBe(false)
      for (const error of errors) {
        for (const text of outputs(error)) expect(containsSentinel(text), text).toBe(false)
      }
      for (const span of spans) {
        for (const [name, value] of span.attributes) {
          expect(containsSentinel(`${name}=${String(value)}`), name).toBe(false)
        }
      }
      for (const text of [...outputs(client), ...outputs(client.config), ...outputs(client.config.apiKey)]) {
        expect(containsSentinel(text), text).toBe(false)
      }
    }))

  it("config validation errors never include the key", async () => {
    const exit = await Effect.runPromiseExit(
      StripeClient.make({ apiKey: Redacted.make(`${SENTINEL} with spaces`) }).pipe(
        Effect.provide(mockHttp(() => json({})).layer)
      )
    )
    expect(Exit.isFailure(exit)).toBe(true)
    for (const text of outputs(exit)) expect(containsSentinel(text)).toBe(false)
  })
})
