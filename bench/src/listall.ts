/**
 * `listAll` memory: streams every customer of the server (100 per page)
 * and samples the live heap (after a full GC) at every page. Reports the
 * peak growth over the heap before the stream started (median of three
 * passes after a full warm-up pass), and the same for the official SDK's
 * `autoPagingEach`.
 *
 * Run as a child with `--expose-gc`: `node --expose-gc listall.js <url> <expected>`.
 * Prints one JSON line.
 */
import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
import { Customers } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import Stripe from "stripe"

/** What the child prints. */
export interface ListAllResult {
  readonly objects: number
  readonly pages: number
  readonly baselineHeapMB: number
  /** Median over three passes. */
  readonly peakGrowthMB: number
  /** Each pass's peak growth. */
  readonly passesMB: ReadonlyArray<number>
  readonly seconds: number
  /** The official SDK's `autoPagingEach` over the same list, measured the same way. */
  readonly stripePeakGrowthMB: number
}

const gc = (): void => {
  const collect: unknown = Reflect.get(globalThis, "gc")
  if (typeof collect !== "function") throw new Error("run with --expose-gc")
  collect()
}

const heap = (): number => process.memoryUsage().heapUsed

const median = (xs: ReadonlyArray<number>): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const main = async () => {
  const url = process.argv[2]
  const expected = Number(process.argv[3])
  const runtime = ManagedRuntime.make(
    StripeClient.layer({ apiKey: Redacted.make("sk_test_bench"), baseUrl: url }).pipe(
      Layer.provide(StripeHttpClient.layer),
      Layer.orDie
    )
  )
  // Warm up with one full pass: schemas, decoders, connections, and the optimizing compiler's code for
  // every path (code objects live on the heap too, and would otherwise count as growth).
  await runtime.runPromise(Stream.runDrain(Customers.listAll({ limit: 100 })))

  // Peak growth of one pass: the live heap (after a full GC) at every page, minus the heap before the pass.
  const ourPass = async () => {
    gc()
    const baseline = heap()
    let peak = 0
    let objects = 0
    const started = performance.now()
    await runtime.runPromise(
      Stream.runForEach(Customers.listAll({ limit: 100 }), () =>
        Effect.sync(() => {
          objects++
          if (objects % 100 === 0) {
            gc()
            peak = Math.max(peak, heap() - baseline)
          }
        }))
    )
    if (objects !== expected) throw new Error(`listAll yielded ${objects} customers, expected ${expected}`)
    return { baseline, peak, seconds: (performance.now() - started) / 1000 }
  }
  // The whole heap moves by a few hundred KB between identical passes (allocation-site feedback,
  // pooled buffers): the median of three passes keeps one outlier from deciding.
  const passes = [await ourPass(), await ourPass(), await ourPass()]
  await runtime.dispose()

  const parsed = new URL(url)
  const stripe = new Stripe("sk_test_bench", {
    host: parsed.hostname,
    port: Number(parsed.port),
    protocol: "http",
    telemetry: false
  })
  await stripe.customers.list({ limit: 100 }).autoPagingEach(() => {})
  const stripePass = async () => {
    gc()
    const baseline = heap()
    let peak = 0
    let count = 0
    await stripe.customers.list({ limit: 100 }).autoPagingEach(() => {
      count++
      if (count % 100 === 0) {
        gc()
        peak = Math.max(peak, heap() - baseline)
      }
    })
    return peak
  }
  const stripePeaks = [await stripePass(), await stripePass(), await stripePass()]
  const mb = (bytes: number) => bytes / 1024 / 1024
  const result: ListAllResult = {
    objects: expected,
    pages: Math.ceil(expected / 100),
    baselineHeapMB: mb(median(passes.map((p) => p.baseline))),
    peakGrowthMB: mb(median(passes.map((p) => p.peak))),
    passesMB: passes.map((p) => mb(p.peak)),
    seconds: median(passes.map((p) => p.seconds)),
    stripePeakGrowthMB: mb(median(stripePeaks))
  }
  console.log(JSON.stringify(result))
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
