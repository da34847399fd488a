/**
 * The loopback Stripe server the benchmarks talk to, run in a child process
 * so that the server's CPU is not counted as the client's.
 *
 * Started by {@link startServer}; as a child it listens on a free port,
 * reports its URL over IPC and answers `seed` messages (customers created
 * in-process through the emulator, without HTTP, so seeding 10,000 objects
 * takes a second rather than a benchmark's worth of requests).
 */
import { EmulatorServer } from "@lattice-stripe/testing"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"

/** A running server child. */
export interface ServerHandle {
  readonly url: string
  /** Creates `count` customers in the emulator (no-op against `STRIPE_BASE_URL`). */
  readonly seedCustomers: (count: number) => Promise<void>
  readonly close: () => Promise<void>
}

type ToChild = { readonly type: "seed"; readonly count: number; readonly id: number }
type FromChild =
  | { readonly type: "ready"; readonly url: string }
  | { readonly type: "seeded"; readonly id: number }

const isFromChild = (u: unknown): u is FromChild =>
  typeof u === "object" && u !== null && "type" in u && (u.type === "ready" || u.type === "seeded")

/** Forks this module as a server child and resolves once it listens. */
export const startServer = (): Promise<ServerHandle> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--child"], {
      // Compiled (the bench runner) it runs on plain node; as TypeScript it needs tsx's loader.
      execArgv: import.meta.url.endsWith(".ts") ? ["--import", "tsx"] : [],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    const pending = new Map<number, () => void>()
    let nextId = 0
    child.once("error", reject)
    child.once("exit", (code) => {
      if (code !== 0 && code !== null) reject(new Error(`emulator server exited with code ${code}`))
    })
    child.on("message", (message: unknown) => {
      if (!isFromChild(message)) return
      if (message.type === "ready") {
        resolve({
          url: message.url,
          seedCustomers: (count) =>
            new Promise((done) => {
              const id = nextId++
              pending.set(id, done)
              const msg: ToChild = { type: "seed", count, id }
              child.send(msg)
            }),
          close: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done()
              child.once("exit", () => done())
              child.kill("SIGTERM")
            })
        })
      } else {
        pending.get(message.id)?.()
        pending.delete(message.id)
      }
    })
  })

const runChild = async () => {
  const server = await EmulatorServer.start({ port: 0 })
  const send = (message: FromChild) => process.send?.(message)
  process.on("message", async (message: ToChild) => {
    if (message.type === "seed") {
      for (let i = 0; i < message.count; i++) {
        const body = new TextEncoder().encode(
          new URLSearchParams({ email: `seed${i}@example.com`, name: `Seed ${i}`, "metadata[n]": String(i) })
            .toString()
        )
        await server.emulator.respond({
          method: "POST",
          url: "/v1/customers",
          headers: {
            authorization: "Bearer sk_test_bench",
            "content-type": "application/x-www-form-urlencoded"
          },
          body
        })
      }
      send({ type: "seeded", id: message.id })
    }
  })
  process.once("SIGTERM", () => {
    void server.close().then(() => process.exit(0))
  })
  process.once("disconnect", () => {
    void server.close().then(() => process.exit(0))
  })
  send({ type: "ready", url: server.url })
}

if (process.argv.includes("--child")) {
  void runChild()
}
