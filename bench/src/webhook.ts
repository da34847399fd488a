/**
 * Webhook verification throughput: `Webhook.constructEvent` of this SDK
 * against the official `stripe` package's `stripe.webhooks.constructEvent`,
 * on the same 2 KB signed payload.
 *
 * Run alone with `tsx bench/src/webhook.ts`, or through the bench runner via
 * {@link run}.
 */
import { Webhook, WebhookVerifier } from "@lattice-stripe/webhook"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { type ChildProcess, fork, type Serializable } from "node:child_process"
import { fileURLToPath, pathToFileURL } from "node:url"
import Stripe from "stripe"

/** Verifications per second of one contender (median over the rounds). */
export interface Measurement {
  readonly name: string
  readonly opsPerSec: number
  /** Mean cost of one verification in microseconds. */
  readonly microsPerOp: number
}

/** What {@link run} reports. */
export interface WebhookBenchResult {
  readonly name: "webhook"
  readonly payloadBytes: number
  readonly rounds: number
  /** `stripe.webhooks.constructEvent(payload: string, ...)`. */
  readonly stripe: Measurement
  /** `Effect.runSync(Webhook.constructEvent(payload: string, ...))` per verification: a non-Effect host. */
  readonly lattice: Measurement
  /** `yield* Webhook.constructEvent(payload: string, ...)` inside one running Effect program. */
  readonly latticeInProgram: Measurement
  /**
   * `Effect.runSync(verifier.constructEvent(payload: string, header))` per verification, the
   * endpoint's `WebhookVerifier` built once (its secret checked and its keys prepared once).
   */
  readonly latticeVerifier: Measurement
  /** The same two SDK calls with the raw body as a `Buffer` (what `express.raw()` and HTTP servers hand over). */
  readonly stripeBuffer: Measurement
  readonly latticeBuffer: Measurement
  /** Median over rounds of `lattice / stripe` measured back to back: the headline, target at least 1.3. */
  readonly ratio: number
  readonly ratioInProgram: number
  readonly ratioBuffer: number
  /** Median over rounds of `latticeVerifier / stripe`: the recommended API, one `runSync` per call. */
  readonly ratioVerifier: number
}

const SECRET = "whsec_bench_0123456789abcdef0123456789abcdef"
const TARGET_BYTES = 2048

/** A realistic `payment_intent.succeeded` event, padded through `metadata` to 2 KB. */
export const makePayload = (): string => {
  const now = Math.floor(Date.now() / 1000)
  const event = {
    id: "evt_3P1bench000000000000000",
    object: "event",
    api_version: "2024-04-10",
    created: now,
    data: {
      object: {
        id: "pi_3P1bench000000000000000",
        object: "payment_intent",
        amount: 2000,
        amount_capturable: 0,
        amount_received: 2000,
        capture_method: "automatic",
        client_secret: "pi_3P1bench000000000000000_secret_abcdefghijklmnopqrstuvwxyz",
        confirmation_method: "automatic",
        created: now,
        currency: "usd",
        customer: "cus_Pbench00000000",
        description: "Order #1234",
        latest_charge: "ch_3P1bench000000000000000",
        livemode: false,
        metadata: { order_id: "1234", padding: "" },
        payment_method: "pm_1P1bench000000000000000",
        payment_method_types: ["card"],
        status: "succeeded"
      }
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: "req_bench0000000", idempotency_key: "8f9a4d3e-0000-4000-8000-000000000000" },
    type: "payment_intent.succeeded"
  }
  const base = JSON.stringify(event).length
  event.data.object.metadata.padding = "x".repeat(Math.max(0, TARGET_BYTES - base))
  return JSON.stringify(event)
}

type Body = (iterations: number) => number

// Runs `body` in batches for about `sliceMs` of this process's CPU time and
// returns verifications per CPU-second. CPU time rather than wall time: on a
// shared machine, time spent descheduled is not the SDK's cost. Every call
// must verify, so a broken contender cannot look fast.
const slice = (name: string, body: Body, sliceMs: number): number => {
  const batch = 500
  let iterations = 0
  let verified = 0
  const start = process.cpuUsage()
  let elapsedMicros = 0
  while (elapsedMicros < sliceMs * 1000) {
    verified += body(batch)
    iterations += batch
    const used = process.cpuUsage(start)
    elapsedMicros = used.user + used.system
  }
  if (verified !== iterations) throw new Error(`${name}: ${iterations - verified} verifications failed`)
  return (iterations / elapsedMicros) * 1_000_000
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const measurement = (name: string, samples: ReadonlyArray<number>): Measurement => {
  const opsPerSec = median(samples)
  return { name, opsPerSec, microsPerOp: 1_000_000 / opsPerSec }
}

const contenders = {
  stripe: "stripe.webhooks.constructEvent (string)",
  lattice: "lattice Webhook.constructEvent (string, runSync per call)",
  latticeInProgram: "lattice Webhook.constructEvent (string, in one Effect program)",
  latticeVerifier: "lattice WebhookVerifier constructEvent (string, runSync per call)",
  stripeBuffer: "stripe.webhooks.constructEvent (Buffer)",
  latticeBuffer: "lattice Webhook.constructEvent (Buffer, runSync per call)"
} as const

type Contender = keyof typeof contenders

interface WorkerInput {
  readonly contender: Contender
  readonly payload: string
  readonly header: string
}

const makeBody = (input: WorkerInput): Body => {
  const { header, payload } = input
  const bytes = Buffer.from(payload, "utf8")
  const secret = Redacted.make(SECRET)
  const stripe = new Stripe("sk_test_bench")
  const lattice = (body: string | Buffer): Body => (n) => {
    let ok = 0
    for (let i = 0; i < n; i++) {
      // Verification and the envelope check, as the official SDK does (no object decoding).
      const event = Effect.runSync(Webhook.constructEvent(body, header, secret, { decodeObject: false }))
      if (event.type === "payment_intent.succeeded") ok++
    }
    return ok
  }
  const official = (body: string | Buffer): Body => (n) => {
    let ok = 0
    for (let i = 0; i < n; i++) {
      const event = stripe.webhooks.constructEvent(body, header, SECRET)
      if (event.type === "payment_intent.succeeded") ok++
    }
    return ok
  }
  switch (input.contender) {
    case "stripe":
      return official(payload)
    case "stripeBuffer":
      return official(bytes)
    case "lattice":
      return lattice(payload)
    case "latticeBuffer":
      return lattice(bytes)
    case "latticeVerifier": {
      const verifier = Effect.runSync(WebhookVerifier.make({ secret }))
      return (n) => {
        let ok = 0
        for (let i = 0; i < n; i++) {
          const event = Effect.runSync(verifier.constructEvent(payload, header, { decodeObject: false }))
          if (event.type === "payment_intent.succeeded") ok++
        }
        return ok
      }
    }
    case "latticeInProgram":
      return (n) =>
        Effect.runSync(Effect.gen(function*() {
          let ok = 0
          for (let i = 0; i < n; i++) {
            const event = yield* Webhook.constructEvent(payload, header, secret, { decodeObject: false })
            if (event.type === "payment_intent.succeeded") ok++
          }
          return ok
        }))
  }
}

// Each contender runs in its own child process: code JIT-compiled for one
// SDK, and garbage left by it, cannot slow down the other, and each process's
// CPU time is its own.
const CHILD_FLAG = "--webhook-bench-contender"

const isWorkerInput = (u: unknown): u is WorkerInput =>
  typeof u === "object" && u !== null && "contender" in u && typeof u.contender === "string" &&
  Object.hasOwn(contenders, u.contender) && "payload" in u && typeof u.payload === "string" &&
  "header" in u && typeof u.header === "string"

const serveChild = (): void => {
  let body: Body | undefined
  let name = ""
  process.on("message", (message: unknown) => {
    if (isWorkerInput(message)) {
      body = makeBody(message)
      name = message.contender
      process.send?.("ready")
    } else if (typeof message === "number" && body !== undefined) {
      process.send?.(slice(name, body, message))
    }
  })
}

interface Runner {
  readonly measure: (sliceMs: number) => Promise<number>
  readonly close: () => void
}

const request = (child: ChildProcess, message: unknown): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`benchmark child exited with ${code}`))
    child.once("exit", onExit)
    child.once("message", (reply: unknown) => {
      child.off("exit", onExit)
      resolve(reply)
    })
    child.send(message as Serializable)
  })

const startChild = async (input: WorkerInput): Promise<Runner> => {
  // The same execArgv (tsx's loader) so the child can load this TypeScript file.
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], { execArgv: process.execArgv, stdio: "inherit" })
  await request(child, input)
  return {
    measure: async (sliceMs) => {
      const reply = await request(child, sliceMs)
      if (typeof reply !== "number") throw new Error(`unexpected reply from ${input.contender}`)
      return reply
    },
    close: () => child.kill()
  }
}

/**
 * Measures both SDKs in many short rounds, each contender isolated in its
 * own worker, one at a time in a rotating order so that load from other
 * processes hits all of them alike. Reports medians, and ratios as the
 * median of per-round ratios.
 */
export const run = async (options?: { readonly sliceMs?: number; readonly rounds?: number }): Promise<
  WebhookBenchResult
> => {
  const sliceMs = options?.sliceMs ?? 150
  const rounds = options?.rounds ?? 15
  const payload = makePayload()
  const header = Webhook.generateTestSignature(payload, SECRET)
  const names: ReadonlyArray<Contender> = [
    "stripe",
    "lattice",
    "latticeInProgram",
    "stripeBuffer",
    "latticeBuffer",
    "latticeVerifier"
  ]
  const runners = await Promise.all(names.map((contender) => startChild({ contender, payload, header })))
  try {
    // Warm up the JIT on every path.
    for (const runner of runners) await runner.measure(300)
    const samples = names.map(() => new Array<number>())
    for (let round = 0; round < rounds; round++) {
      for (let k = 0; k < runners.length; k++) {
        const index = (k + round) % runners.length
        samples[index].push(await runners[index].measure(sliceMs))
      }
    }
    const ratio = (a: number, b: number) => median(samples[a].map((ops, round) => ops / samples[b][round]))
    return {
      name: "webhook",
      payloadBytes: Buffer.byteLength(payload),
      rounds,
      stripe: measurement(contenders.stripe, samples[0]),
      lattice: measurement(contenders.lattice, samples[1]),
      latticeInProgram: measurement(contenders.latticeInProgram, samples[2]),
      stripeBuffer: measurement(contenders.stripeBuffer, samples[3]),
      latticeBuffer: measurement(contenders.latticeBuffer, samples[4]),
      latticeVerifier: measurement(contenders.latticeVerifier, samples[5]),
      ratio: ratio(1, 0),
      ratioInProgram: ratio(2, 0),
      ratioBuffer: ratio(4, 3),
      ratioVerifier: ratio(5, 0)
    }
  } finally {
    for (const runner of runners) runner.close()
  }
}

const format = (m: Measurement): string =>
  `${m.name.padEnd(64)} ${Math.round(m.opsPerSec).toLocaleString("en-US").padStart(10)} verifications/s  ${
    m.microsPerOp.toFixed(2)
  } µs`

const isChild = process.argv.includes(CHILD_FLAG)
const isMain = !isChild && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (isChild) serveChild()

if (isMain) {
  const result = await run()
  console.log(
    `webhook verification, ${result.payloadBytes}-byte payload, median of ${result.rounds} rounds, per CPU-second`
  )
  for (
    const m of [
      result.stripe,
      result.lattice,
      result.latticeInProgram,
      result.stripeBuffer,
      result.latticeBuffer,
      result.latticeVerifier
    ]
  ) {
    console.log(format(m))
  }
  console.log(`ratio lattice/stripe, string payload, runSync per call: ${result.ratio.toFixed(2)} (target >= 1.3)`)
  console.log(`ratio lattice/stripe, string payload, in one program:  ${result.ratioInProgram.toFixed(2)}`)
  console.log(`ratio lattice/stripe, Buffer payload, runSync per call: ${result.ratioBuffer.toFixed(2)}`)
  console.log(`ratio WebhookVerifier/stripe, string payload, runSync per call: ${result.ratioVerifier.toFixed(2)}`)
}
