/**
 * Meter event stream throughput: this SDK's managed `MeterEventStream`
 * against the official `stripe` package's v2 meter event stream, both
 * sending the same events to the same loopback server at the same
 * concurrency.
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
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { pathToFileURL } from "node:url"
import Stripe from "stripe"

export interface Options {
  /** Events per measured round. Default 20,000. */
  readonly events?: number
  /** Events per request. Default 100 (Stripe's maximum). */
  readonly batchSize?: number
  /** Requests in flight. Default 16. */
  readonly concurrency?: number
  /** Unmeasured rounds of up to 10,000 events per client first. Default 4. */
  readonly warmupRounds?: number
  /** Measured rounds per client; the best is kept. Default 6. */
  readonly rounds?: number
}

export interface ClientResult {
  readonly seconds: number
  readonly eventsPerSecond: number
  /** Process CPU time (client and loopback server) per request of `batchSize` events, in microseconds. */
  readonly cpuMicrosPerRequest: number
}

export interface Result {
  readonly events: number
  readonly batchSize: number
  readonly concurrency: number
  readonly lattice: ClientResult
  readonly stripe: ClientResult
  /**
   * The same requests through `@effect/platform`'s HttpClient alone (no SDK
   * pipeline): the transport's share, to tell it from the pipeline's.
   */
  readonly rawPlatform: ClientResult
  /** lattice events/s divided by stripe events/s. */
  readonly ratio: number
}

interface Server {
  readonly port: number
  /** Events received per bearer token. */
  readonly received: Map<string, number>
  readonly close: () => Promise<void>
}

const startServer = (): Promise<Server> => {
  const received = new Map<string, number>()
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
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"))
        const count =
          typeof parsed === "object" && parsed !== null && "events" in parsed && Array.isArray(parsed.events)
            ? parsed.events.length
            : 0
        received.set(token, (received.get(token) ?? 0) + count)
        res.writeHead(200, { "content-type": "application/json", "request-id": "req_e" })
        res.end("{}")
        return
      }
      res.writeHead(404, { "content-type": "application/json" })
      res.end(JSON.stringify({ error: { type: "invalid_request_error", message: `No route ${path}` } }))
    })
  })
  server.keepAliveTimeout = 60_000
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo // node:net boundary: a TCP listen always yields AddressInfo
      resolve({
        port,
        received,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
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

const best = (samples: ReadonlyArray<Sample>, events: number, requests: number): ClientResult => {
  const seconds = Math.min(...samples.map((s) => s.seconds))
  const cpu = Math.min(...samples.map((s) => s.cpuMicros))
  return { seconds, eventsPerSecond: events / seconds, cpuMicrosPerRequest: cpu / requests }
}

export const run = async (options: Options = {}): Promise<Result> => {
  const events = options.events ?? 20_000
  const batchSize = options.batchSize ?? 100
  const concurrency = options.concurrency ?? 16
  const rounds = options.rounds ?? 6
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
    input.map((batch) => batch.map((e) => ({ event_name: e.event_name, payload: { ...e.payload } })))
  const stripeBatches = toStripe(batches)
  const stripeWarmup = toStripe(warmup)
  const stripeSend = (input: ReadonlyArray<Stripe.V2.Billing.MeterEventStreamCreateParams["events"]>) =>
    pool(input, concurrency, (events) => streamClient.v2.billing.meterEventStream.create({ events }, { host }))

  try {
    // Warm the JIT of all three paths before measuring (Effect's run loop takes longer to settle).
    for (let w = 0; w < warmupRounds; w++) {
      await latticeSend(warmup)
      await stripeSend(stripeWarmup)
      await rawSend(rawBatches.slice(0, warmup.length))
    }
    const latticeSamples: Array<Sample> = []
    const stripeSamples: Array<Sample> = []
    const rawSamples: Array<Sample> = []
    const steps: ReadonlyArray<() => Promise<void>> = [
      async () => void latticeSamples.push(await measure(() => latticeSend(batches))),
      async () => void stripeSamples.push(await measure(() => stripeSend(stripeBatches))),
      async () => void rawSamples.push(await measure(() => rawSend(rawBatches)))
    ]
    for (let r = 0; r < rounds; r++) {
      // Rotate the order, so that no client always pays for the garbage of the one before.
      for (let i = 0; i < steps.length; i++) await steps[(r + i) % steps.length]()
    }
    const expected = warmupRounds * warmup.flat().length + rounds * events
    // Session 1 is the official client's: it is created before the managed stream's first send.
    const counts = [...server.received.entries()]
    const stripeCount = server.received.get("ek_test_bench_1") ?? 0
    const latticeCount = counts.filter(([token]) => token !== "ek_test_bench_1" && token !== "ek_test_bench_raw")
      .reduce((n, [, c]) => n + c, 0)
    if (stripeCount !== expected || latticeCount !== expected) {
      throw new Error(
        `Event counts differ from ${expected}: official ${stripeCount}, lattice ${latticeCount}`
      )
    }
    const lattice = best(latticeSamples, events, batches.length)
    const stripe = best(stripeSamples, events, batches.length)
    const rawPlatform = best(rawSamples, events, batches.length)
    return {
      events,
      batchSize,
      concurrency,
      lattice,
      stripe,
      rawPlatform,
      ratio: lattice.eventsPerSecond / stripe.eventsPerSecond
    }
  } finally {
    await runtime.dispose()
    await server.close()
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (isMain) {
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
            `${fmt(c.cpuMicrosPerRequest)} µs CPU per request incl. server)`
        )
      line("@lattice-stripe", r.lattice)
      line("stripe (official)", r.stripe)
      line("raw platform http", r.rawPlatform)
      console.log(`  ratio ${r.ratio.toFixed(2)} (target >= 1.0)`)
    },
    (error) => {
      console.error(error)
      process.exitCode = 1
    }
  )
}
