/**
 * What is particular to `StripeHttpClient`: its own timer on the real-time
 * clock, its `HttpClient` for other requests, its layer without `undici`.
 * Everything Stripe calls do on it is in the behaviour suite
 * (`Transports.test.ts`), which runs on every transport. Waiting here is on
 * events (the server received, the client aborted), never on sleeps.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { spawnSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as StripeClient from "../src/StripeClient.js"
import * as StripeHttpClient from "../src/StripeHttpClient.js"
import { eventually, failureOf, loopback, sendJson } from "./support/loopback.js"

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  email: Schema.NullOr(Schema.String)
})

const stripe = (url: string) =>
  StripeClient.layer({ apiKey: Redacted.make("sk_test_lean"), baseUrl: url, maxRetries: 0 }).pipe(
    Layer.provide(StripeHttpClient.layer),
    Layer.orDie
  )

describe("StripeHttpClient on the real-time clock", () => {
  it.live("carries Stripe calls: headers, form body, decoding, metadata, repeated headers joined", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply((_, res) => {
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_ok", "x-multi": ["a", "b"] })
        res.end(JSON.stringify({ id: "cus_1", object: "customer", email: null, extra: true }))
      })
      const [value, meta] = yield* StripeClient.withResponse(
        StripeClient.request({
          method: "POST",
          path: "/v1/customers",
          params: { email: "a@b.co", metadata: { plan: "pro" } },
          schema: Customer
        })
      ).pipe(Effect.provide(stripe(server.url)))
      expect(value).toStrictEqual({ id: "cus_1", object: "customer", email: null })
      expect(meta).toMatchObject({ requestId: "req_ok", status: 200, attempts: 1, replayed: false })
      expect(meta.headers["x-multi"]).toBe("a, b")
      expect(server.seen[0]).toMatchObject({
        method: "POST",
        url: "/v1/customers",
        body: "email=a%40b.co&metadata[plan]=pro"
      })
      expect(server.seen[0].headers.authorization).toBe("Bearer sk_test_lean")
      expect(server.seen[0].headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(server.seen[0].headers["idempotency-key"]).toBe(meta.idempotencyKey)
    }).pipe(Effect.scoped))

  it.live("its own timer bounds a stalled attempt: a Timeout, and the request is aborted", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply(() => {})
      const exit = yield* StripeClient.request({
        method: "GET",
        path: "/v1/customers/cus_1",
        options: { timeout: 30 },
        schema: Customer
      }).pipe(Effect.provide(stripe(server.url)), Effect.exit)
      expect(failureOf(exit)).toMatchObject({ _tag: "StripeConnectionError", reason: "Timeout" })
      yield* server.abandoned(1)
      expect(server.aborted()).toBe(1)
    }).pipe(Effect.scoped))

  it.live("a refused connection is a StripeConnectionError(Refused)", () =>
    Effect.gen(function*() {
      // A port that was just free: listen, note it, close, then call it.
      const port = yield* Effect.async<number>((resume) => {
        const probe = Http.createServer()
        probe.listen(0, "127.0.0.1", () => {
          // Boundary: a TCP server's address() is always an AddressInfo.
          const free = (probe.address() as AddressInfo).port
          probe.close(() => resume(Effect.succeed(free)))
        })
      })
      const exit = yield* StripeClient.request({ method: "GET", path: "/v1/customers/cus_1", schema: Customer }).pipe(
        Effect.provide(stripe(`http://127.0.0.1:${port}`)),
        Effect.exit
      )
      expect(failureOf(exit)).toMatchObject({ _tag: "StripeConnectionError", reason: "Refused" })
    }))

  it.live("interrupting a call aborts its request", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply(() => {})
      const fiber = yield* StripeClient.request({ method: "GET", path: "/v1/customers/cus_1", schema: Customer }).pipe(
        Effect.provide(stripe(server.url)),
        Effect.fork
      )
      yield* server.received(1)
      expect(Exit.isInterrupted(yield* Fiber.interrupt(fiber))).toBe(true)
      yield* server.abandoned(1)
    }).pipe(Effect.scoped))

  it.live("sends a v2 JSON body as UTF-8 bytes, unchanged", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply((_, res) => sendJson(res, 200, {}))
      const events = [{ event_name: "api_requests", payload: { note: "café ✓ 😀", value: "1" } }]
      yield* StripeClient.request({
        method: "POST",
        path: "/v2/billing/meter_event_stream",
        params: { events },
        schema: Schema.Unknown
      }).pipe(Effect.provide(stripe(server.url)))
      expect(server.seen[0].headers["content-type"]).toBe("application/json")
      expect(Number(server.seen[0].headers["content-length"])).toBe(Buffer.byteLength(JSON.stringify({ events })))
      expect(JSON.parse(server.seen[0].body)).toStrictEqual({ events })
    }).pipe(Effect.scoped))

  it.live("is a complete HttpClient for other requests", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply((_, res) => sendJson(res, 200, { id: "cus_1" }))
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(`${server.url}/other?x=1`).pipe(HttpClientRequest.bodyText("hello", "text/plain"))
      )
      expect(response.status).toBe(200)
      expect(yield* response.json).toMatchObject({ id: "cus_1" })
      expect(server.seen[0]).toMatchObject({ method: "POST", url: "/other?x=1", body: "hello" })
      expect(server.seen[0].headers["content-type"]).toBe("text/plain")
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
      expect(failureOf(exit)).toMatchObject({ _tag: "StripeConnectionError", reason: "Timeout" })
      // The interruption of the attempt is forked: wait for it by yielding, not by sleeping.
      yield* eventually(() => interrupted, "the attempt was interrupted")
    }))
})

describe("without undici", () => {
  const here = Path.dirname(fileURLToPath(import.meta.url))
  const root = Path.join(here, "../../..")

  it("StripeHttpClient.layer fails with a typed StripeConfigError naming undici, never a defect", () => {
    // A resolve hook that makes `undici` missing, as in a project that did not install it.
    const hook = Path.join(Fs.mkdtempSync(Path.join(root, "node_modules/.cache-no-undici-")), "hook.mjs")
    Fs.writeFileSync(
      hook,
      [
        "import { register } from 'node:module'",
        "register('data:text/javascript,' + encodeURIComponent(`",
        "export async function resolve(specifier, context, next) {",
        "  if (specifier === 'undici') { const e = new Error(\"Cannot find package 'undici'\"); e.code = 'ERR_MODULE_NOT_FOUND'; throw e }",
        "  return next(specifier, context)",
        "}`))"
      ].join("\n")
    )
    const script = [
      `const { StripeHttpClient, StripeClient } = await import(${JSON.stringify(Path.join(here, "../src/index.ts"))})`,
      "const { Effect, Layer, Redacted, Exit, Cause } = await import('effect')",
      "const layer = StripeClient.layer({ apiKey: Redacted.make('sk_test_x') }).pipe(Layer.provide(StripeHttpClient.layer))",
      "const exit = await Effect.runPromiseExit(Effect.scoped(Layer.build(layer)))",
      "const failure = Exit.isFailure(exit) ? Cause.failureOption(exit.cause) : undefined",
      "process.stdout.write(JSON.stringify({ failed: Exit.isFailure(exit), die: Exit.isFailure(exit) && Cause.isDie(exit.cause), error: failure?._tag === 'Some' ? failure.value : null }))"
    ].join(";")
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", hook, "--input-type=module", "-e", script],
      {
        encoding: "utf8",
        cwd: root
      }
    )
    Fs.rmSync(Path.dirname(hook), { recursive: true, force: true })
    expect(run.stderr).toBe("")
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({
      failed: true,
      die: false,
      error: { _tag: "StripeConfigError", option: "undici" }
    })
  })

  it("no module of core refers to undici or its types (a consumer's tsc needs neither)", () => {
    const src = Path.join(here, "../src")
    const files = Fs.readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"))
    expect(files.length).toBeGreaterThan(5)
    for (const file of files) {
      // The code, not its documentation (examples may show an undici Agent passed in).
      const code = Fs.readFileSync(Path.join(src, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(
        /\/\/.*$/gm,
        ""
      )
      expect(code, file).not.toMatch(/from\s+["']undici["']|import\(\s*["']undici["']\s*\)|require\(\s*["']undici["']/)
    }
  })
})
