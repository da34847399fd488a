/**
 * Each HTTP contender in its own child process, driven slice by slice by the
 * runner: its heap, its garbage and its JIT state are its own, so a major
 * collection caused by one client's garbage is never charged to the client
 * measured next, and the CPU time of a slice (`process.cpuUsage()` in the
 * child) is that client's alone. The webhook section isolates its
 * contenders the same way.
 *
 * The parent only sends "run a slice of this workload at this concurrency
 * for N ms" and receives the counts, the CPU time and the latencies.
 */
import { type ChildProcess, fork, type Serializable } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as Clients from "./clients.js"
import { runSlice, type Slice } from "./http.js"
import * as Sdk from "./sdk.js"

/** Which client a child runs: the runner's five, and the floors of the three ways this SDK is measured. */
export type Kind = Extract<
  Clients.Kind,
  "effect" | "promise" | "undici" | "official" | "raw" | "raw-effect" | "raw-runpromise" | "platform"
>

/** The kinds in the report's order. */
export const kinds: ReadonlyArray<Kind> = [
  "effect",
  "promise",
  "undici",
  "official",
  "raw",
  "raw-effect",
  "raw-runpromise",
  "platform"
]

/** What a child is told when it starts. */
export interface Setup {
  readonly kind: Kind
  readonly url: string
  readonly apiKey: string
  readonly customerId: string
  /** The target is stripe-mock: measure the reference SDK (see `sdk.ts`). */
  readonly reference: boolean
}

/** One slice's outcome, as the child reports it. */
export interface SliceReport extends Slice {
  /** Latencies in milliseconds, when the slice was recorded. */
  readonly latencies: ReadonlyArray<number>
  readonly rssBytes: number
}

/** A contender in its own process, as the runner drives it. */
export interface Isolated {
  readonly name: string
  readonly slice: (
    workload: Clients.Workload,
    concurrency: number,
    millis: number,
    record: boolean
  ) => Promise<SliceReport>
  readonly close: () => Promise<void>
}

const CHILD_FLAG = "--http-contender"

interface SliceRequest {
  readonly type: "slice"
  readonly workload: Clients.Workload
  readonly concurrency: number
  readonly millis: number
  readonly record: boolean
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const isSetup = (u: unknown): u is Setup =>
  isRecord(u) && typeof u.kind === "string" && (kinds as ReadonlyArray<string>).includes(u.kind) &&
  typeof u.url === "string" && typeof u.apiKey === "string" && typeof u.customerId === "string" &&
  typeof u.reference === "boolean"

const isSliceRequest = (u: unknown): u is SliceRequest =>
  isRecord(u) && u.type === "slice" && typeof u.workload === "string" &&
  (Clients.workloads as ReadonlyArray<string>).includes(u.workload) && typeof u.concurrency === "number" &&
  typeof u.millis === "number" && typeof u.record === "boolean"

const make = async (setup: Setup): Promise<Clients.Contender> => {
  const resources = setup.reference ? await Sdk.reference() : Sdk.shipped
  return Clients.make(setup.kind, { url: setup.url, apiKey: setup.apiKey, customerId: setup.customerId, resources })
}

const serve = (): void => {
  let contender: Clients.Contender | undefined
  const reply = (message: Serializable) => {
    process.send?.(message)
  }
  process.on("message", (message: unknown) => {
    if (isSetup(message)) {
      make(message).then(
        (made) => {
          contender = made
          reply({ type: "ready", name: made.name })
        },
        (error: unknown) => reply({ type: "error", error: String(error) })
      )
    } else if (isSliceRequest(message) && contender !== undefined) {
      const latencies: Array<number> = []
      const recorder = message.record ? { record: (millis: number) => latencies.push(millis) } : undefined
      runSlice(contender, message.workload, message.concurrency, message.millis, recorder).then(
        (slice) => reply({ type: "slice", ...slice, latencies, rssBytes: process.memoryUsage.rss() }),
        (error: unknown) => reply({ type: "error", error: String(error) })
      )
    } else if (message === "close" && contender !== undefined) {
      contender.close().finally(() => process.exit(0))
    }
  })
}

const request = (child: ChildProcess, message: Serializable): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`contender process exited with ${code}`))
    child.once("exit", onExit)
    child.once("message", (answer: unknown) => {
      child.off("exit", onExit)
      if (!isRecord(answer)) return reject(new Error("unexpected message from a contender process"))
      if (answer.type === "error") return reject(new Error(String(answer.error)))
      resolve(answer)
    })
    child.send(message)
  })

const num = (u: unknown): number => (typeof u === "number" ? u : Number.NaN)

/** Starts one contender's process; resolves once its client is built. */
export const start = async (setup: Setup): Promise<Isolated> => {
  const file = fileURLToPath(import.meta.url)
  const child = fork(file, [CHILD_FLAG], {
    // Compiled (the bench runner) it runs on plain node; as TypeScript it needs tsx's loader.
    execArgv: file.endsWith(".ts") ? ["--import", "tsx"] : [],
    stdio: ["ignore", "inherit", "inherit", "ipc"]
  })
  const ready = await request(child, { ...setup })
  return {
    name: String(ready.name),
    slice: async (workload, concurrency, millis, record) => {
      const answer = await request(child, { type: "slice", workload, concurrency, millis, record })
      const latencies = Array.isArray(answer.latencies) ? answer.latencies.map(num) : []
      return {
        calls: num(answer.calls),
        errors: num(answer.errors),
        elapsedMillis: num(answer.elapsedMillis),
        cpuMicros: num(answer.cpuMicros),
        latencies,
        rssBytes: num(answer.rssBytes)
      }
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once("exit", () => resolve())
        child.send("close")
      })
  }
}

if (process.argv.includes(CHILD_FLAG)) serve()
