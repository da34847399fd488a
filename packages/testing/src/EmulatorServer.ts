/**
 * The emulator on a loopback HTTP port, speaking Stripe's wire protocol (the
 * same as stripe-mock): form-encoded v1, JSON v2, the files and meter-events
 * paths on the same port, so one base URL serves all three hosts.
 *
 * @example
 * ```ts
 * import { EmulatorServer } from "@lattice-stripe/testing"
 *
 * const server = await EmulatorServer.start({ port: 0 })
 * await fetch(`${server.url}/v1/customers`, {
 *   method: "POST",
 *   headers: { authorization: "Bearer sk_test_123" },
 *   body: new URLSearchParams({ email: "a@example.com" })
 * })
 * await server.close()
 * ```
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Emulator from "./Emulator.js"

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Default 12111 (stripe-mock's port); 0 picks a free port. */
  readonly port?: number | undefined
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Serve an existing emulator (to inspect it from a test). */
  readonly emulator?: Emulator.Emulator | undefined
  /** Options of a fresh emulator when `emulator` is not given. */
  readonly emulatorOptions?: Emulator.Options | undefined
}

/**
 * A running server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Server {
  /** e.g. `http://127.0.0.1:12111` */
  readonly url: string
  readonly port: number
  readonly emulator: Emulator.Emulator
  readonly close: () => Promise<void>
}

/**
 * The server could not listen (port in use, bad host).
 *
 * @since 0.1.0
 * @category errors
 */
export class EmulatorServerError extends Schema.TaggedError<EmulatorServerError>(
  "@lattice-stripe/testing/EmulatorServerError"
)("EmulatorServerError", { message: Schema.String, cause: Schema.optional(Schema.Defect) }) {}

/**
 * @since 0.1.0
 * @category tags
 */
export class EmulatorServer extends Context.Tag("@lattice-stripe/testing/EmulatorServer")<EmulatorServer, Server>() {}

const readBody = (req: Http.IncomingMessage): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))))
    req.on("error", reject)
  })

const handler = (emulator: Emulator.Emulator) => async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
  try {
    const method = req.method ?? "GET"
    const url = req.url ?? "/"
    const body = await readBody(req)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v
    }
    const request: Emulator.Request = { method, url, headers, body }
    const path = new URL(url, "http://emulator.invalid").pathname
    const fault = emulator.faults.take(method, path)
    if (fault?._tag === "Drop") {
      req.socket.destroy()
      return
    }
    if (fault?._tag === "Delay") {
      await new Promise((resolve) => setTimeout(resolve, Duration.toMillis(fault.duration)))
    }
    const response = fault?._tag === "Status"
      ? emulator.faultResponse(request, fault)
      : await emulator.respond(request)
    res.writeHead(response.status, { ...response.headers, "content-length": String(byteLength(response.body)) })
    res.end(response.body)
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    res.writeHead(500, { "content-type": "application/json" })
    res.end(JSON.stringify({ error: { type: "api_error", message: `Emulator error: ${message}` } }))
  }
}

const byteLength = (body: string | Uint8Array) =>
  typeof body === "string" ? Buffer.byteLength(body, "utf8") : body.byteLength

/**
 * Starts a server; resolves once it listens.
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = (options: Options = {}): Promise<Server> => {
  const emulator = options.emulator ?? Emulator.make(options.emulatorOptions)
  const host = options.host ?? "127.0.0.1"
  const server = Http.createServer((req, res) => {
    void handler(emulator)(req, res)
  })
  server.keepAliveTimeout = 5_000
  return new Promise((resolve, reject) => {
    server.once(
      "error",
      (cause) =>
        reject(new EmulatorServerError({ message: `Could not listen on ${host}:${options.port ?? 12111}`, cause }))
    )
    server.listen(options.port ?? 12111, host, () => {
      const port = (server.address() as AddressInfo).port // boundary: a TCP server's address() is always AddressInfo
      const hostPart = host.includes(":") ? `[${host}]` : host
      resolve({
        url: `http://${hostPart}:${port}`,
        port,
        emulator,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            server.closeAllConnections()
          })
      })
    })
  })
}

/**
 * A server for the lifetime of a scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const scoped = (options?: Options): Effect.Effect<Server, EmulatorServerError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: () => start(options),
      catch: (e) => e instanceof EmulatorServerError ? e : new EmulatorServerError({ message: String(e), cause: e })
    }),
    (server) => Effect.promise(() => server.close())
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (options?: Options): Layer.Layer<EmulatorServer, EmulatorServerError> =>
  Layer.scoped(EmulatorServer, scoped(options))
