/**
 * A loopback Stripe for fault injection, and the harness that runs many
 * calls through it. The server implements Stripe's idempotency: the first
 * request with a key is applied once and its response stored; a repeat gets
 * the stored response (`Idempotent-Replayed: true`).
 * It records every side effect with the key and the caller's logical call
 * number (sent as `metadata[call]`): that record is the oracle.
 *
 * Faults, each with the same probability per request (default 5%):
 * - `reset-before`: the connection is destroyed before anything is applied;
 * - `reset-after`: the call is applied, then the connection is destroyed;
 * - `500`: an `api_error`, nothing applied;
 * - `409`: a concurrent-request conflict, nothing applied;
 * - `429`: a rate limit with `Retry-After: 1`, nothing applied;
 * - `stall`: the call is applied, the headers and half the body sent, then
 *   nothing (past any timeout);
 * - `truncated`: the call is applied, half the body sent, then the
 *   connection is destroyed;
 * - `html200`: a maintenance page with status 200, nothing applied.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as StripeClient from "../../src/StripeClient.js"
import { isStripeError } from "../../src/StripeError.js"
import type { TransportCase } from "./loopback.js"
import { stripeOn, tick } from "./loopback.js"

export const FAULTS = [
  "reset-before",
  "reset-after",
  "500",
  "409",
  "429",
  "stall",
  "truncated",
  "html200"
] as const

export type Fault = typeof FAULTS[number]

export interface SideEffect {
  readonly key: string
  readonly call: string
  readonly id: string
}

export interface FaultServer {
  readonly url: string
  readonly effects: Array<SideEffect>
  /** Keys the server saw, per logical call. */
  readonly keysByCall: Map<string, Set<string>>
  readonly injected: Record<Fault | "none", number>
}

/** mulberry32: a small seeded generator, so that a run can be replayed. */
const seeded = (seed: number) => () => {
  seed |= 0
  seed = (seed + 0x6D2B79F5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const params = (body: string): URLSearchParams => new URLSearchParams(body)

export const faultServer = (options: { readonly rate: number; readonly seed: number }) =>
  Effect.acquireRelease(
    Effect.async<FaultServer & { readonly server: Http.Server }>((resume) => {
      const random = seeded(options.seed)
      const effects: Array<SideEffect> = []
      const keysByCall = new Map<string, Set<string>>()
      const stored = new Map<string, string>()
      const injected: Record<Fault | "none", number> = {
        "reset-before": 0,
        "reset-after": 0,
        "500": 0,
        "409": 0,
        "429": 0,
        stall: 0,
        truncated: 0,
        html200: 0,
        none: 0
      }
      const pick = (): Fault | "none" => {
        const r = random()
        const index = Math.floor(r / options.rate)
        return index < FAULTS.length ? FAULTS[index] : "none"
      }
      /** Applies the call once per key, as Stripe does; the response text and whether it was replayed. */
      const apply = (key: string, call: string): { readonly text: string; readonly replayed: boolean } => {
        const known = stored.get(key)
        if (known !== undefined) return { text: known, replayed: true }
        const id = `cus_${effects.length + 1}`
        effects.push({ key, call, id })
        const text = JSON.stringify({ id, object: "customer", email: null, metadata: { call } })
        stored.set(key, text)
        return { text, replayed: false }
      }
      const server = Http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const key = String(req.headers["idempotency-key"] ?? "")
          const call = params(Buffer.concat(chunks).toString("utf8")).get("metadata[call]") ?? ""
          let seen = keysByCall.get(call)
          if (seen === undefined) keysByCall.set(call, seen = new Set())
          seen.add(key)
          const fault = pick()
          injected[fault]++
          const error = (status: number, body: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { "content-type": "application/json", "request-id": `req_${status}`, ...headers })
            res.end(JSON.stringify(body))
          }
          if (key === "") return error(400, { error: { type: "invalid_request_error", message: "no key" } })
          switch (fault) {
            case "reset-before":
              return req.socket.destroy()
            case "500":
              return error(500, { error: { type: "api_error", message: "boom" } })
            case "409":
              return error(409, {
                error: { type: "idempotency_error", message: "A request with this key is in progress" }
              })
            case "429":
              return error(429, { error: { type: "rate_limit_error", message: "slow down" } }, { "retry-after": "1" })
            case "html200":
              res.writeHead(200, { "content-type": "text/html" })
              return res.end("<html><body>Down for maintenance</body></html>")
            default:
              break
          }
          const { replayed, text } = apply(key, call)
          const headers = {
            "content-type": "application/json",
            "content-length": String(Buffer.byteLength(text)),
            "request-id": `req_${effects.length}`,
            ...(replayed ? { "idempotent-replayed": "true" } : {})
          }
          switch (fault) {
            case "reset-after":
              return req.socket.destroy()
            case "stall":
              res.writeHead(200, headers)
              return res.write(text.slice(0, text.length >> 1))
            case "truncated":
              res.writeHead(200, headers)
              res.write(text.slice(0, text.length >> 1))
              return setImmediate(() => req.socket.destroy())
            default:
              res.writeHead(200, headers)
              return res.end(text)
          }
        })
      })
      server.listen(0, "127.0.0.1", () => {
        // Boundary: a TCP server's address() is always an AddressInfo.
        const port = (server.address() as AddressInfo).port
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, effects, keysByCall, injected, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )

export interface FaultReport {
  readonly transport: string
  readonly calls: number
  readonly succeeded: number
  readonly failed: number
  readonly failuresByTag: Record<string, number>
  readonly duplicateSideEffects: number
  readonly untypedFailures: number
  readonly failuresWithoutTheirKey: number
  readonly successesInconsistent: number
  readonly injected: Record<Fault | "none", number>
  readonly requests: number
}

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  metadata: Schema.Struct({ call: Schema.String })
})

/**
 * Runs `calls` customer creations through the fault server on one
 * transport, `concurrency` at a time, with the SDK's default retries (2) and
 * backoff. Time is `TestClock`'s, moved forward by a driver fiber while the
 * sockets do their work, so retries, `Retry-After` and timeouts take no
 * real time. Needs `TestServices` (run it under `it.effect` or with
 * `TestContext.TestContext`).
 */
export const runFaults = (
  transport: TransportCase,
  options: {
    readonly calls: number
    readonly concurrency?: number | undefined
    readonly rate?: number | undefined
    readonly seed?: number | undefined
  }
): Effect.Effect<FaultReport, never, Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* faultServer({ rate: options.rate ?? 0.05, seed: options.seed ?? 12 })
    const layer = stripeOn(transport, server.url, { maxRetries: 2, timeout: "10 seconds" })
    // Moves the TestClock 50 ms per turn of the event loop: a healthy exchange takes a few turns, a
    // timeout 200, the longest backoff 100. (An exchange slow enough to time out is retried under its
    // key like any other: the invariants below hold either way.)
    const driver = yield* Effect.fork(Effect.forever(Effect.zipRight(tick, TestClock.adjust("50 millis"))))
    const outcomes = yield* Effect.forEach(
      Array.from({ length: options.calls }, (_, i) => String(i)),
      (call) =>
        Effect.exit(
          StripeClient.requestWithResponse({
            method: "POST",
            path: "/v1/customers",
            params: { email: `c${call}@example.com`, metadata: { call } },
            schema: Customer
          })
        ).pipe(Effect.map((exit) => [call, exit] as const)),
      { concurrency: options.concurrency ?? 64 }
    ).pipe(Effect.provide(layer))
    yield* Fiber.interrupt(driver)

    const failuresByTag: Record<string, number> = {}
    let untyped = 0
    let withoutKey = 0
    let inconsistent = 0
    let succeeded = 0
    for (const [call, exit] of outcomes) {
      const keys = server.keysByCall.get(call) ?? new Set<string>()
      if (Exit.isSuccess(exit)) {
        succeeded++
        const { meta, value } = exit.value
        const effect = server.effects.find((e) => e.call === call)
        // The value is the object Stripe applied for this call, under the key it was sent with.
        if (effect === undefined || effect.id !== value.id || effect.key !== meta.idempotencyKey || keys.size !== 1) {
          inconsistent++
        }
        continue
      }
      const failure = Cause.failureOption(exit.cause)
      if (failure._tag === "None" || !isStripeError(failure.value)) {
        untyped++
        continue
      }
      const error = failure.value
      failuresByTag[error._tag] = (failuresByTag[error._tag] ?? 0) + 1
      const key = error._tag === "StripeValidationError" ? undefined : error.idempotencyKey
      if (key === undefined || keys.size !== 1 || !keys.has(key)) withoutKey++
    }
    const perCall = new Map<string, number>()
    for (const effect of server.effects) perCall.set(effect.call, (perCall.get(effect.call) ?? 0) + 1)
    let duplicates = 0
    for (const count of perCall.values()) if (count > 1) duplicates += count - 1
    const requests = Object.values(server.injected).reduce((a, b) => a + b, 0)
    return {
      transport: transport.name,
      calls: options.calls,
      succeeded,
      failed: options.calls - succeeded,
      failuresByTag,
      duplicateSideEffects: duplicates,
      untypedFailures: untyped,
      failuresWithoutTheirKey: withoutKey,
      successesInconsistent: inconsistent,
      injected: { ...server.injected },
      requests
    }
  })
