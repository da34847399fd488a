/**
 * Throughput, client CPU per call, latency and RSS of each contender on each
 * workload at each concurrency. Contenders of one (workload, concurrency)
 * cell run in interleaved slices (A B C D A B C D ...), so that load from
 * other processes on the machine spreads over all of them rather than
 * penalizing whichever ran during a spike. Each contender runs in its own
 * process (`isolated.ts`), which runs {@link runSlice}.
 */
import * as Effect from "effect/Effect"
import type { Contender, Workload } from "./clients.js"
import type { Isolated } from "./isolated.js"

/** One contender's result in one cell. */
export interface CellResult {
  readonly contender: string
  readonly workload: Workload
  readonly concurrency: number
  readonly calls: number
  readonly callsPerSec: number
  /** Client CPU (user + system) per call, microseconds. */
  readonly cpuMicrosPerCall: number
  readonly p50Millis: number
  readonly p99Millis: number
  /** Resident set size after the contender's last slice, MB. */
  readonly rssMB: number
  readonly errors: number
  /** Calls/s and CPU µs/call of each round, for ratios taken round by round (same load for all). */
  readonly rounds: ReadonlyArray<{ readonly callsPerSec: number; readonly cpuMicrosPerCall: number }>
}

/** What one slice of one contender did. */
export interface Slice {
  readonly calls: number
  readonly errors: number
  readonly elapsedMillis: number
  readonly cpuMicros: number
}

/** Where a slice puts its latencies. */
export interface LatencySink {
  readonly record: (millis: number) => void
}

const MAX_SAMPLES = 1 << 20

class Recorder {
  readonly samples = new Float64Array(MAX_SAMPLES)
  count = 0
  record(millis: number) {
    if (this.count < MAX_SAMPLES) this.samples[this.count++] = millis
  }
  percentile(p: number): number {
    if (this.count === 0) return Number.NaN
    const sorted = this.samples.slice(0, this.count).sort()
    return sorted[Math.min(this.count - 1, Math.floor(p * this.count))]
  }
}

/** Runs one contender for `millis` at `concurrency`, in this process. */
export const runSlice = async (
  contender: Contender,
  workload: Workload,
  concurrency: number,
  millis: number,
  recorder: LatencySink | undefined
): Promise<Slice> => {
  let calls = 0
  let errors = 0
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const deadline = t0 + millis
  if (contender.kind === "promise") {
    const fn = contender.call(workload)
    const worker = async () => {
      while (performance.now() < deadline) {
        const start = performance.now()
        try {
          await fn()
          calls++
          recorder?.record(performance.now() - start)
        } catch {
          errors++
        }
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  } else {
    const call = contender.call(workload)
    const timed = Effect.suspend(() => {
      const start = performance.now()
      return Effect.matchCause(call, {
        onFailure: () => {
          errors++
        },
        onSuccess: () => {
          calls++
          recorder?.record(performance.now() - start)
        }
      })
    })
    const worker = Effect.whileLoop({
      while: () => performance.now() < deadline,
      body: () => timed,
      step: () => {}
    })
    await contender.runtime.runPromise(
      Effect.forEach(Array.from({ length: concurrency }), () => worker, { concurrency, discard: true })
    )
  }
  const elapsedMillis = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { calls, errors, elapsedMillis, cpuMicros: cpu.user + cpu.system }
}

/** Options of {@link measureCell}. */
export interface CellOptions {
  readonly warmupMillis: number
  readonly sliceMillis: number
  readonly rounds: number
}

/** Measures every contender on one workload at one concurrency. */
export const measureCell = async (
  contenders: ReadonlyArray<Isolated>,
  workload: Workload,
  concurrency: number,
  options: CellOptions
): Promise<Array<CellResult>> => {
  for (const contender of contenders) {
    const warm = await contender.slice(workload, concurrency, options.warmupMillis, false)
    if (warm.calls === 0) throw new Error(`${contender.name} made no successful ${workload} call while warming up`)
  }
  const totals = contenders.map(() => ({
    calls: 0,
    errors: 0,
    elapsedMillis: 0,
    cpuMicros: 0,
    rss: 0,
    rounds: new Array<{ readonly callsPerSec: number; readonly cpuMicrosPerCall: number }>()
  }))
  const recorders = contenders.map(() => new Recorder())
  for (let round = 0; round < options.rounds; round++) {
    // Alternate the order so that no contender always runs right after the same neighbour.
    const order = contenders.map((_, i) => i)
    if (round % 2 === 1) order.reverse()
    for (const i of order) {
      const slice = await contenders[i].slice(workload, concurrency, options.sliceMillis, true)
      for (const millis of slice.latencies) recorders[i].record(millis)
      const total = totals[i]
      total.calls += slice.calls
      total.errors += slice.errors
      total.elapsedMillis += slice.elapsedMillis
      total.cpuMicros += slice.cpuMicros
      total.rss = Math.max(total.rss, slice.rssBytes)
      total.rounds.push({
        callsPerSec: slice.calls / (slice.elapsedMillis / 1000),
        cpuMicrosPerCall: slice.cpuMicros / Math.max(1, slice.calls)
      })
    }
  }
  return contenders.map((contender, i) => {
    const total = totals[i]
    return {
      contender: contender.name,
      workload,
      concurrency,
      calls: total.calls,
      callsPerSec: total.calls / (total.elapsedMillis / 1000),
      cpuMicrosPerCall: total.cpuMicros / Math.max(1, total.calls),
      p50Millis: recorders[i].percentile(0.5),
      p99Millis: recorders[i].percentile(0.99),
      rssMB: total.rss / 1024 / 1024,
      errors: total.errors,
      rounds: total.rounds
    }
  })
}
