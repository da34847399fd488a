/**
 * The fast paths are chosen by supported means and are tested to be taken:
 * - the transport is a service (`StripeHttpClient.Transport`): with it, Stripe
 *   calls never touch the `HttpClient`, under any clock, log level or tracer;
 *   without it, a wrapped `HttpClient` is what sends them;
 * - the real-time clock is recognised by identity (`Effect.clock`): only then
 *   does the transport time an attempt with its own timer;
 * - Effect's built-in tracer is recognised by identity (`Effect.tracer`): no
 *   span is made for a call nothing can observe;
 * - the fast decoder handles the generated schemas' bodies itself, with and
 *   without code generation, and `compileDecoders: false` never evaluates code.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Customers, PaymentIntents, Prices, Products, Subscriptions } from "@lattice-stripe/resources"
import { Emulator } from "@lattice-stripe/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { decoderStats } from "../src/internal/pipeline.js"
import * as StripeClient from "../src/StripeClient.js"
import * as StripeHttpClient from "../src/StripeHttpClient.js"
import { customerBody, loopback } from "./support/loopback.js"
import { recordingTracer } from "./support/tracing.js"

const Customer = Schema.Struct({ id: Schema.String, object: Schema.Literal("customer") })

/** An HttpClient that must never be used: every request through it is counted and fails. */
const forbiddenHttpClient = () => {
  let used = 0
  const client = HttpClient.make((request) =>
    Effect.sync(() => used++).pipe(Effect.zipRight(Effect.dieMessage(`HttpClient used for ${request.url}`)))
  )
  return { used: () => used, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

const retrieve = StripeClient.request({ method: "GET", path: "/v1/customers/cus_1", schema: Customer })

describe("the transport is a service", () => {
  const calls = (url: string) =>
    Effect.gen(function*() {
      yield* retrieve
      yield* StripeClient.request({ method: "POST", path: "/v1/customers", params: { name: "x" }, schema: Customer })
      const form = new FormData()
      form.append("purpose", "dispute_evidence")
      form.append("file", new Blob(["%PDF"]), "a.pdf")
      yield* StripeClient.request({
        method: "POST",
        path: "/v1/files",
        host: "files",
        multipart: form,
        schema: Customer
      })
      const client = yield* StripeClient.StripeClient
      yield* client.executeBytes({ method: "GET", path: "/v1/quotes/qt_1/pdf", host: "files" })
      return url
    })

  const layerWithForbiddenClient = (url: string) => {
    const forbidden = forbiddenHttpClient()
    // StripeHttpClient.layer's HttpClient replaced by one that must not be used: only its Transport remains.
    const transport = Layer.merge(StripeHttpClient.layer, forbidden.layer)
    return {
      forbidden,
      layer: StripeClient.layer({ apiKey: Redacted.make("sk_test_x"), baseUrl: url, maxRetries: 0 }).pipe(
        Layer.provide(transport),
        Layer.orDie
      )
    }
  }

  it.live("live clock: Stripe calls never touch the HttpClient", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const { forbidden, layer } = layerWithForbiddenClient(server.url)
      yield* calls(server.url).pipe(Effect.provide(layer))
      expect(forbidden.used()).toBe(0)
      expect(server.seen).toHaveLength(4)
    }).pipe(Effect.scoped))

  it.scoped("TestClock, Debug logging and a tracer do not change the path", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const { forbidden, layer } = layerWithForbiddenClient(server.url)
      const { spans, tracer } = recordingTracer()
      yield* calls(server.url).pipe(
        Effect.provide(layer),
        Effect.withTracer(tracer),
        Logger.withMinimumLogLevel(LogLevel.Debug),
        Effect.provide(Logger.replace(Logger.defaultLogger, Logger.none))
      )
      expect(forbidden.used()).toBe(0)
      expect(spans).toHaveLength(4)
    }))

  it.scoped("without the transport, a wrapped HttpClient sends Stripe calls (its middleware applies)", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const wrapped = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, HttpClient.mapRequest(HttpClientRequest.setHeader("x-wrapped", "1")))
      ).pipe(Layer.provide(NodeHttpClient.layerUndici))
      yield* retrieve.pipe(
        Effect.provide(
          StripeClient.layer({ apiKey: Redacted.make("sk_test_x"), baseUrl: server.url }).pipe(
            Layer.provide(wrapped),
            Layer.orDie
          )
        )
      )
      expect(server.seen[0].headers["x-wrapped"]).toBe("1")
    }))

  it.scoped("the choice is visible: StripeHttpClient.layer provides the Transport service", () =>
    Effect.gen(function*() {
      const present = yield* Effect.serviceOption(StripeHttpClient.Transport).pipe(
        Effect.provide(StripeHttpClient.layer)
      )
      expect(present._tag).toBe("Some")
      const absent = yield* Effect.serviceOption(StripeHttpClient.Transport).pipe(
        Effect.provide(NodeHttpClient.layerUndici)
      )
      expect(absent._tag).toBe("None")
    }))
})

/** A transport double recording what the pipeline hands it, answering a customer. */
const recordingTransport = () => {
  const requests: Array<StripeHttpClient.RawRequest> = []
  const service: StripeHttpClient.TransportService = {
    send: (request, done) => {
      requests.push(request)
      queueMicrotask(() =>
        done({
          _tag: "Response",
          status: 200,
          headers: { "request-id": "req_double" },
          body: JSON.stringify(customerBody)
        })
      )
      return () => {}
    }
  }
  const layer = StripeClient.layer({ apiKey: Redacted.make("sk_test_x"), timeout: "7 seconds", maxRetries: 0 }).pipe(
    Layer.provide(Layer.merge(Layer.succeed(StripeHttpClient.Transport, service), forbiddenHttpClient().layer)),
    Layer.orDie
  )
  return { requests, layer }
}

describe("supported detection", () => {
  it.live("the real-time clock (by Effect.clock identity): the transport's own timer bounds the attempt", () =>
    Effect.gen(function*() {
      const double = recordingTransport()
      yield* retrieve.pipe(Effect.provide(double.layer))
      expect(double.requests[0].timeoutMillis).toBe(7000)
    }))

  it.effect("TestClock: the Clock bounds the attempt, never a plain timer", () =>
    Effect.gen(function*() {
      const double = recordingTransport()
      yield* retrieve.pipe(Effect.provide(double.layer))
      expect(double.requests[0].timeoutMillis).toBeUndefined()
    }))

  it.live("Effect's built-in tracer without a parent span: no span, nothing propagated", () =>
    Effect.gen(function*() {
      const double = recordingTransport()
      yield* retrieve.pipe(Effect.provide(double.layer))
      expect(double.requests[0].headers.traceparent).toBeUndefined()
      const { spans, tracer } = recordingTracer()
      yield* retrieve.pipe(Effect.provide(double.layer), Effect.withTracer(tracer))
      expect(spans).toHaveLength(1)
      expect(double.requests[1].headers.traceparent).toBe(`00-${spans[0].traceId}-${spans[0].spanId}-01`)
    }))
})

describe("the fast decoder handles the generated schemas' bodies", () => {
  const flow = Effect.gen(function*() {
    const customer = yield* Customers.create({ email: "fast@example.com", name: "Fast" })
    yield* Customers.retrieve(customer.id)
    yield* Customers.list({ limit: 3 })
    const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id })
    yield* PaymentIntents.retrieve(intent.id)
    yield* PaymentIntents.list({ limit: 5 })
    const product = yield* Products.create({ name: "Plan" })
    const price = yield* Prices.create({
      product: product.id,
      currency: "usd",
      unit_amount: 1000,
      recurring: { interval: "month" }
    })
    const sub = yield* Subscriptions.create({ customer: customer.id, items: [{ price: price.id }] })
    yield* Subscriptions.retrieve(sub.id, { expand: ["customer"] })
  })

  for (const compileDecoders of [true, false]) {
    it.effect(`compileDecoders: ${compileDecoders}: every body decoded without effect's fallback`, () =>
      Effect.gen(function*() {
        const before = { ...decoderStats }
        yield* flow.pipe(
          Effect.provide(
            StripeClient.layer({
              apiKey: Redacted.make(Emulator.apiKey),
              baseUrl: Emulator.baseUrl,
              compileDecoders
            }).pipe(Layer.provide(Emulator.layer()), Layer.orDie)
          )
        )
        expect(decoderStats.slow - before.slow).toBe(0)
        expect(decoderStats.fast - before.fast).toBe(10)
      }))
  }

  it.effect("compileDecoders: false never evaluates code (a CSP without unsafe-eval)", () =>
    Effect.gen(function*() {
      const original = globalThis.Function
      let constructed = 0
      globalThis.Function = new Proxy(original, {
        construct: () => {
          constructed++
          throw new EvalError("code generation is not allowed")
        },
        apply: () => {
          constructed++
          throw new EvalError("code generation is not allowed")
        }
      })
      const server = Emulator.layer()
      const Fresh = Schema.Struct({
        id: Schema.String,
        object: Schema.Literal("customer"),
        name: Schema.NullOr(Schema.String)
      })
      const result = yield* StripeClient.request({
        method: "POST",
        path: "/v1/customers",
        params: { name: "csp" },
        schema: Fresh
      }).pipe(
        Effect.provide(
          StripeClient.layer({
            apiKey: Redacted.make(Emulator.apiKey),
            baseUrl: Emulator.baseUrl,
            compileDecoders: false
          })
            .pipe(Layer.provide(server), Layer.orDie)
        ),
        Effect.ensuring(Effect.sync(() => {
          globalThis.Function = original
        }))
      )
      expect(result.name).toBe("csp")
      expect(constructed).toBe(0)
    }))

  it("importing the SDK runs no code-generation probe", () => {
    const here = Path.dirname(fileURLToPath(import.meta.url))
    const script = [
      "let calls = 0",
      "const F = globalThis.Function",
      "globalThis.Function = new Proxy(F, { construct(t, a) { calls++; return Reflect.construct(t, a) } })",
      `await import(${JSON.stringify(Path.join(here, "../src/index.ts"))})`,
      `await import(${JSON.stringify(Path.join(here, "../../resources/src/index.ts"))})`,
      "process.stdout.write(String(calls))"
    ].join(";")
    const run = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      cwd: Path.join(here, "../../..")
    })
    expect(run.stderr).toBe("")
    expect(run.stdout).toBe("0")
  })
})
