/**
 * Meter event stream throughput: this SDK's managed `MeterEventStream`
 * against the official `stripe` package's v2 meter event stream, both
 * sending the same events (byte-identical bodies, checked) to the same
 * loopback server at the same concurrency.
 *
 * The server runs in a child process, as for the other benchmarks: it stands
 * in for Stripe, so its CPU and its heap are not the client's, and the CPU
 * reported per request is the client's alone.
 *
 * Each round runs every client once, in a rotating order; the ratio is the
 * median of the rounds' ratios, so a slow moment of a shared machine (which
 * slows the clients of one round alike) does not decide it.
 *
 * Run standalone: `tsx bench/src/meter-stream.ts [events] [concurrency]`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
import * as MeterEventStream from "@lattice-stripe/resources/MeterEventStream"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"
import Stripe from "stripe"

export interface Options {
  /** Events per measured round. Default 100,000 (1,000 requests: rounds long enough to measure). */
  readonly events?: number
  /** Events per request. Default 100 (Stripe's maximum). */
  readonly batchSize?: number
  /** Requests in flight. Default 16. */
  readonly concurrency?: number
  /** Unmeasured rounds of up to 10,000 events per client first. Default 4. */
  readonly warmupRounds?: number
  /** Measured rounds; each runs every client once. Default 8. */
  readonly rounds?: number
}

export interface ClientResult {
  /** The fastest round. */
  readonly seconds: number
  readonly eventsPerSecond: number
  /** Client CPU time (user and system, the server excluded) per request of `batchSize` events, in microseconds; the lowest round. */
  readonly cpuMicrosPerRequest: number
}

export interface Result {
  readonly events: number
  readonly batchSize: number
  readonly concurrency: number
  /** One `send` per batch of `batchSize`, `concurrency` sends at a time (as the official client is driven). */
  readonly lattice: ClientResult
  /** One `send` of all the events with `{ concurrency }`: the stream splits and fans out itself. */
  readonly latticeBulk: ClientResult
  readonly stripe: ClientResult
  /**
   * The same requests through `@effect/platform`'s HttpClient alone (no SDK
   * pipeline): the transport's share, to tell it from the pipeline's.
   */
  readonly rawPlatform: ClientResult
  /** Median over the rounds of lattice events/s divided by stripe events/s in the same round. */
  readonly ratio: number
  /** The same for `latticeBulk`. */
  readonly ratioBulk: number
  /** Every round's lattice/stripe ratio, in order. */
  readonly roundRatios: ReadonlyArray<number>
}

interface Counts {
  /** Events received per bearer token. */
  readonly events: Record<string, number>
  /** Body bytes received per bearer token. */
  readonly bytes: Record<string, number>
}

interface Server {
  readonly port: number
  readonly counts: () => Promise<Counts>
  readonly close: () => Promise<void>
}

type FromChild =
  | { readonly type: "ready"; readonly port: number }
  | { readonly type: "counts"; readonly counts: Counts }

const isFromChild = (u: unknown): u is FromChild =>
  typeof u === "object" && u !== null && "type" in u && (u.type === "ready" || u.type === "counts")

/** Forks this module as the loopback meter server; resolves once it listens. */
const startServer = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ["--meter-server"], {
      // Compiled (the bench runner) it runs on plain node; as TypeScript it needs tsx's loader.
      execArgv: import.meta.url.endsWith(".ts") ? ["--import", "tsx"] : [],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    let onCounts: ((counts: Counts) => void) | undefined
    child.once("error", reject)
    child.on("message", (message: unknown) => {
      if (!isFromChild(message)) return
      if (message.type === "counts") {
        onCounts?.(message.counts)
        return
      }
      resolve({
        port: message.port,
        counts: () =>
          new Promise((done) => {
            onCounts = done
            child.send("counts")
          }),
        close: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done()
            child.once("exit", () => done())
            child.kill("SIGTERM")
          })
      })
    })
  })

const eventMarker = Buffer.from(`"event_name":`)

const countEvents = (body: Buffer): number => {
  let count = 0
  for (let at = body.indexOf(eventMarker); at !== -1; at = body.indexOf(eventMarker, at + eventMarker.length)) count++
  return count
}

/** The child: Stripe's two v2 meter endpoints, counting what each token sent. */
const runServer = () => {
  const events: Record<string, number> = {}
  const bytes: Record<string, number> = {}
  let sessions = 0
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]
      if (req.method === "POST" && path === "/v2/billing/meter_event_session") {
        sessions++
        const now = Date.now()
        const body = JSON.stringify({
          id: `mes_bench_${sessions}`,
          object: "v2.billing.meter_event_session",
          authentication_token: `ek_test_bench_${sessions}`,
          created: new Date(now).toISOString(),
          expires_at: new Date(now + 15 * 60_000).toISOString(),
          livemode: false
        })
        res.writeHead(200, { "content-type": "application/json", "request-id": `req_s${sessions}` })
        res.end(body)
        return
      }
      if (req.method === "POST" && path === "/v2/billing/meter_event_stream") {
        const token = (req.headers.authorization ?? "").replace(/^Bearer /, "")
        const raw = Buffer.concat(chunks)
        bytes[token] = (bytes[token] ?? 0) + raw.length
        // Counting the events by their marker rather than parsing the body keeps the server far
        // cheaper than either client, so the clients, not the server, set the pace.
        events[token] = (events[token] ?? 0) + countEvents(raw)
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_e" })
        res.end("{}")
        return
      }
      res.writeHead(404, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: `No route ${path}` } }))
    })
  })
  server.keepAliveTimeout = 60_000
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo // node:net boundary: a TCP listen always yields AddressInfo
    const ready: FromChild = { type: "ready", port }
    process.send?.(ready)
  })
  process.on("message", (message: unknown) => {
    if (message !== "counts") return
    const reply: FromChild = { type: "counts", counts: { events, bytes } }
    process.send?.(reply)
  })
  const stop = () => {
    server.closeAllConnections()
    server.close(() => process.exit(0))
  }
  process.once("SIGTERM", stop)
  process.once("disconnect", stop)
}

const makeBatches = (events: number, batchSize: number): Array<Array<MeterEventStream.MeterEvent>> => {
  const batches: Array<Array<MeterEventStream.MeterEvent>> = []
  for (let i = 0; i < events; i += batchSize) {
    const batch: Array<MeterEventStream.MeterEvent> = []
    for (let j = i; j < Math.min(events, i + batchSize); j++) {
      // Every event carries its identifier, so both SDKs send identical bodies (this SDK would
      // otherwise add one to each event, and the server would parse more bytes for it).
      batch.push({
        event_name: "api_requests",
        payload: { stripe_customer_id: `cus_${j % 50}`, value: "1" },
        identifier: `bench-${i}-${j}`
      })
    }
    batches.push(batch)
  }
  return batches
}

/** Runs `f` over `items` with at most `concurrency` promises in flight. */
const pool = async <A>(items: ReadonlyArray<A>, concurrency: number, f: (a: A) => Promise<unknown>) => {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      await f(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

interface Sample {
  readonly seconds: number
  readonly cpuMicros: number
}

const measure = async (f: () => Promise<unknown>): Promise<Sample> => {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  await f()
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  return { seconds, cpuMicros: used.user + used.system }
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const best = (samples: ReadonlyArray<Sample>, events: number, requests: number): ClientResult => {
  const seconds = Math.min(...samples.map((s) => s.seconds))
  const cpu = Math.min(...samples.map((s) => s.cpuMicros))
  return { seconds, eventsPerSecond: events / seconds, cpuMicrosPerRequest: cpu / requests }
}

export const run = async (options: Options = {}): Promise<Result> => {
  const events = options.events ?? 100_000
  const batchSize = options.batchSize ?? 100
  const concurrency = options.concurrency ?? 16
  const rounds = options.rounds ?? 8
  const server = await startServer()
  const baseUrl = `http://127.0.0.1:${server.port}`
  const batches = makeBatches(events, batchSize)
  const warmup = makeBatches(Math.min(events, 10_000), batchSize)
  const warmupRounds = options.warmupRounds ?? 4

  const runtime = ManagedRuntime.make(
    MeterEventStream.layer().pipe(
      Layer.provide(
        StripeClient.layer({ apiKey: Redacted.make("sk_test_bench"), baseUrl, meterEventsBaseUrl: baseUrl })
      ),
      Layer.provideMerge(StripeHttpClient.layer)
    )
  )
  const latticeSend = (input: ReadonlyArray<ReadonlyArray<MeterEventStream.MeterEvent>>) =>
    runtime.runPromise(
      Effect.flatMap(
        MeterEventStream.MeterEventStream,
        (stream) => Effect.forEach(input, (batch) => stream.send(batch), { concurrency, discard: true })
      )
    )
  const latticeBulkSend = (input: ReadonlyArray<MeterEventStream.MeterEvent>) =>
    runtime.runPromise(
      Effect.flatMap(MeterEventStream.MeterEventStream, (stream) => stream.send(input, { concurrency }))
    )
  const allEvents = batches.flat()
  const warmupEvents = warmup.flat()

  // Raw transport: pre-identified events, one JSON POST per batch, no retries/timeout/span/decoding.
  const rawBatches = batches.map((batch) =>
    JSON.stringify({ events: batch.map((e, i) => ({ ...e, identifier: `raw-${i}-${Math.random()}` })) })
  )
  const rawSend = (input: ReadonlyArray<string>) =>
    runtime.runPromise(
      Effect.flatMap(HttpClient.HttpClient, (client) =>
        Effect.forEach(
          input,
          (body) =>
            client.execute(
              HttpClientRequest.post(`${baseUrl}/v2/billing/meter_event_stream`).pipe(
                HttpClientRequest.setHeader("authorization", "Bearer ek_test_bench_raw"),
                HttpClientRequest.bodyText(body, "application/json")
              )
            ).pipe(Effect.flatMap((response) => response.text)),
          { concurrency, discard: true }
        ))
    )

  const host = "127.0.0.1"
  const stripeConfig = { host, port: server.port, protocol: "http" as const, maxNetworkRetries: 0 }
  const apiClient = new Stripe("sk_test_bench", stripeConfig)
  const session = await apiClient.v2.billing.meterEventSession.create()
  const streamClient = new Stripe(session.authentication_token, stripeConfig)
  // The stream method pins `meter-events.stripe.com`; a per-call `host` points it at the loopback server.
  // The same events, as the official SDK's (mutable) param type.
  const toStripe = (input: ReadonlyArray<ReadonlyArray<MeterEventStream.MeterEvent>>) =>
    input.map((batch) =>
      batch.map((e) => ({
        event_name: e.event_name,
        payload: { ...e.payload },
        ...(e.identifier === undefined ? {} : { identifier: e.identifier })
      }))
    )
  const stripeBatches = toStripe(batches)
  const stripeWarmup = toStripe(warmup)
  // Types from the method itself: the namespace paths of the param types differ between stripe majors.
  type StreamParams = Parameters<typeof streamClient.v2.billing.meterEventStream.create>[0]
  // `host` is honoured per call at run time but is not in every major's `RequestOptions` type; a
  // non-literal object with a declared member keeps it.
  const streamOptions = { host, maxNetworkRetries: 0 }
  const stripeSend = (input: ReadonlyArray<StreamParams["events"]>) =>
    pool(input, concurrency, (events) => streamClient.v2.billing.meterEventStream.create({ events }, streamOptions))

  try {
    // Warm the JIT of every path before measuring (Effect's run loop takes longer to settle).
    for (let w = 0; w < warmupRounds; w++) {
      await latticeSend(warmup)
      await latticeBulkSend(warmupEvents)
      await stripeSend(stripeWarmup)
      await rawSend(rawBatches.slice(0, warmup.length))
    }
    const latticeSamples: Array<Sample> = []
    const bulkSamples: Array<Sample> = []
    const stripeSamples: Array<Sample> = []
    const rawSamples: Array<Sample> = []
    const steps: ReadonlyArray<() => Promise<void>> = [
      async () => void latticeSamples.push(await measure(() => latticeSend(batches))),
      async () => void stripeSamples.push(await measure(() => stripeSend(stripeBatches))),
      async () => void bulkSamples.push(await measure(() => latticeBulkSend(allEvents))),
      async () => void rawSamples.push(await measure(() => rawSend(rawBatches)))
    ]
    for (let r = 0; r < rounds; r++) {
      // Rotate the order, so that no client always pays for the garbage of the one before.
      for (let i = 0; i < steps.length; i++) await steps[(r + i) % steps.length]()
    }
    // Session 1 is the official client's (created before the managed stream's first send); the
    // managed stream's sessions follow; the raw transport uses a token of its own.
    const counts = await server.counts()
    const isLattice = (token: string) => token !== "ek_test_bench_1" && token !== "ek_test_bench_raw"
    const sum = (record: Record<string, number>, pick: (token: string) => boolean) =>
      Object.entries(record).filter(([token]) => pick(token)).reduce((n, [, c]) => n + c, 0)
    const expected = warmupRounds * warmupEvents.length + rounds * events
    const stripeCount = counts.events["ek_test_bench_1"] ?? 0
    const latticeCount = sum(counts.events, isLattice)
    if (stripeCount !== expected || latticeCount !== 2 * expected) {
      throw new Error(
        `Event counts differ: official ${stripeCount} (expected ${expected}), lattice ${latticeCount} (expected ${
          2 * expected
        })`
      )
    }
    // The same events must be the same bytes on the wire, or the server's parsing would favour one side.
    const stripeBytes = counts.bytes["ek_test_bench_1"] ?? 0
    const latticeBytes = sum(counts.bytes, isLattice)
    if (latticeBytes !== 2 * stripeBytes) {
      throw new Error(`Body bytes differ: official ${stripeBytes} per pass, lattice ${latticeBytes / 2}`)
    }
    const roundRatios = stripeSamples.map((s, r) => s.seconds / latticeSamples[r].seconds)
    return {
      events,
      batchSize,
      concurrency,
      lattice: best(latticeSamples, events, batches.length),
      latticeBulk: best(bulkSamples, events, batches.length),
      stripe: best(stripeSamples, events, batches.length),
      rawPlatform: best(rawSamples, events, batches.length),
      ratio: median(roundRatios),
      ratioBulk: median(stripeSamples.map((s, r) => s.seconds / bulkSamples[r].seconds)),
      roundRatios
    }
  } finally {
    await runtime.dispose()
    await server.close()
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (isMain && process.argv.includes("--meter-server")) {
  runServer()
} else if (isMain) {
  const events = process.argv[2] === undefined ? undefined : Number(process.argv[2])
  const concurrency = process.argv[3] === undefined ? undefined : Number(process.argv[3])
  run({
    ...(events === undefined ? {} : { events }),
    ...(concurrency === undefined ? {} : { concurrency })
  }).then(
    (r) => {
      const fmt = (n: number) => Math.round(n).toLocaleString("en-US")
      console.log(
        `meter event stream: ${fmt(r.events)} events, ${r.batchSize} per request, concurrency ${r.concurrency}`
      )
      const line = (name: string, c: ClientResult) =>
        console.log(
          `  ${name.padEnd(18)} ${fmt(c.eventsPerSecond).padStart(8)} events/s (${c.seconds.toFixed(3)} s, ` +
            `${fmt(c.cpuMicrosPerRequest)} µs client CPU per request)`
        )
      line("@lattice-stripe", r.lattice)
      line("  one bulk send", r.latticeBulk)
      line("stripe (official)", r.stripe)
      line("raw platform http", r.rawPlatform)
      console.log(
        `  ratio ${r.ratio.toFixed(2)} (target >= 2.0; rounds ${r.roundRatios.map((x) => x.toFixed(2)).join(" ")}), ` +
          `bulk ${r.ratioBulk.toFixed(2)}`
      )
    },
    (error) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
