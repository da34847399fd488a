/**
 * Test support: a loopback HTTP server whose answers each test scripts, the
 * three transports the SDK runs on, and helpers to drive `TestClock` while
 * real sockets do their work (no real sleeps: waiting is yielding to the
 * event loop until the server or the clock reached a given state).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as TestClock from "effect/TestClock"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as StripeClient from "../../src/StripeClient.js"
import type { StripeConfigError } from "../../src/StripeError.js"
import * as StripeHttpClient from "../../src/StripeHttpClient.js"

export interface Seen {
  readonly method: string
  /** Path and query exactly as they arrived on the wire. */
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** Answers one request; `index` counts requests from 0. */
export type Reply = (seen: Seen, res: Http.ServerResponse, index: number) => void

export interface Loopback {
  readonly url: string
  readonly port: number
  readonly seen: Array<Seen>
  /** Replaces the answer for the following requests. */
  readonly reply: (reply: Reply) => void
  /** Resolves once the server has received `count` requests in all. */
  readonly received: (count: number) => Effect.Effect<void>
  /** How many responses the client abandoned (connection closed before the end was written). */
  readonly aborted: () => number
  /** Resolves once `count` responses were abandoned by the client. */
  readonly abandoned: (count: number) => Effect.Effect<void>
}

/** Writes a JSON answer. */
export const sendJson = (
  res: Http.ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {}
): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    "request-id": "req_loopback",
    ...headers
  })
  res.end(text)
}

export const customerBody = { id: "cus_1", object: "customer", email: null }

/** A loopback server for one test; closed (with every connection) when the scope ends. */
export const loopback: Effect.Effect<Loopback, never, Scope.Scope> = Effect.acquireRelease(
  Effect.async<Loopback & { readonly server: Http.Server }>((resume) => {
    const seen: Array<Seen> = []
    let reply: Reply = (_, res) => sendJson(res, 200, customerBody)
    let aborted = 0
    const waiters: Array<() => void> = []
    const notify = () => {
      for (const waiter of waiters.splice(0)) waiter()
    }
    const server = Http.createServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (chunk: Buffer) => chunks.push(chunk))
      req.on("end", () => {
        const entry: Seen = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8")
        }
        const index = seen.length
        seen.push(entry)
        res.on("close", () => {
          if (!res.writableFinished) {
            aborted++
            notify()
          }
        })
        try {
          reply(entry, res, index)
        } finally {
          notify()
        }
      })
    })
    const until = (done: () => boolean): Effect.Effect<void> =>
      Effect.async<void>((resume) => {
        const check = () => {
          if (done()) resume(Effect.void)
          else waiters.push(check)
        }
        check()
      })
    server.listen(0, "127.0.0.1", () => {
      // Boundary: a TCP server's address() is always an AddressInfo.
      const port = (server.address() as AddressInfo).port
      resume(Effect.succeed({
        url: `http://127.0.0.1:${port}`,
        port,
        seen,
        server,
        reply: (next) => {
          reply = next
        },
        received: (count) => until(() => seen.length >= count),
        aborted: () => aborted,
        abandoned: (count) => until(() => aborted >= count)
      }))
    })
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

export interface TransportCase {
  readonly name: string
  readonly layer:
    | Layer.Layer<HttpClient.HttpClient | StripeHttpClient.Transport, StripeConfigError>
    | Layer.Layer<HttpClient.HttpClient>
  /** Whether this case sends through the raw transport service. */
  readonly raw: boolean
}

/** The three transports of the SDK's documentation, each tested the same way. */
export const transports: ReadonlyArray<TransportCase> = [
  { name: "StripeHttpClient.layer", layer: StripeHttpClient.layer, raw: true },
  { name: "NodeHttpClient.layerUndici", layer: NodeHttpClient.layerUndici, raw: false },
  { name: "FetchHttpClient.layer", layer: FetchHttpClient.layer, raw: false }
]

export const API_KEY = "sk_test_loopback"

/** A `StripeClient` on the loopback server over one transport. */
export const stripeOn = (
  transport: TransportCase,
  url: string,
  options: Partial<StripeClient.Options> = {}
): Layer.Layer<StripeClient.StripeClient> =>
  StripeClient.layer({
    apiKey: Redacted.make(API_KEY),
    baseUrl: url,
    maxRetries: 0,
    ...options
  }).pipe(Layer.provide(transport.layer), Layer.orDie)

/** Yields to the event loop once (I/O callbacks run), without any timer. */
export const tick: Effect.Effect<void> = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** Yields to the event loop until `done()` holds; fails the test after 100,000 turns. */
export const eventually = (done: () => boolean, what: string): Effect.Effect<void> =>
  Effect.gen(function*() {
    for (let i = 0; i < 100_000; i++) {
      if (done()) return
      yield* tick
    }
    return yield* Effect.dieMessage(`never happened: ${what}`)
  })

/**
 * Waits (by yielding to the event loop) until `TestClock` has a pending
 * sleep waking between `from` and `to` (clock millis, inclusive), and
 * returns its wake-up time. Sleeps of finished timeouts stay in the list
 * until the clock passes them, so a window tells the sleeps apart.
 */
export const sleepingWithin = (from: number, to: number): Effect.Effect<number> =>
  Effect.gen(function*() {
    for (let i = 0; i < 100_000; i++) {
      const sleeps = yield* TestClock.sleeps()
      for (const at of sleeps) if (at >= from && at <= to) return at
      yield* tick
    }
    return yield* Effect.dieMessage(`TestClock never had a sleep waking between ${from} and ${to}`)
  })

/** The failure of an exit, or a thrown test error. */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (exit._tag === "Failure" && exit.cause._tag === "Fail") return exit.cause.error
  throw new Error(`expected a typed failure, got ${JSON.stringify(exit)}`)
}
