/**
 * A short single-contender run for profiling and A/B comparisons (not a
 * benchmark: `pnpm bench` interleaves contenders and takes ratios per
 * round). Prints calls/s and client CPU µs per call.
 *
 *   STRIPE_BASE_URL=http://127.0.0.1:12130 npx tsx bench/src/profile.ts \
 *     --client=effect|promise|undici|platform|raw-runpromise|official|raw \
 *     --workload=customers.create --concurrency=16 --calls=20000
 *
 * `--client` takes any name of `Clients.kinds`.
 *
 * Run under `node --cpu-prof --import tsx` to profile one contender.
 */
import * as Effect from "effect/Effect"
import * as Clients from "./clients.js"
import * as Sdk from "./sdk.js"

const flag = (name: string, fallback: string): string => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg === undefined ? fallback : arg.slice(name.length + 3)
}

const url = process.env.STRIPE_BASE_URL ?? "http://127.0.0.1:12130"
const client = flag("client", "effect")
const workload = flag("workload", "customers.create") as Clients.Workload
const concurrency = Number(flag("concurrency", "16"))
const calls = Number(flag("calls", "20000"))

// `STRIPE_MOCK=1`: the target is stripe-mock, which serves only 2024-04-10 (see sdk.ts).
const resources = process.env.STRIPE_MOCK === "1" ? await Sdk.reference() : Sdk.shipped
const target: Clients.Target = { url, apiKey: "sk_test_123", customerId: "cus_123", resources }

const isKind = (u: string): u is Clients.Kind => (Clients.kinds as ReadonlyArray<string>).includes(u)
const make = (): Promise<Clients.Contender> => Clients.make(isKind(client) ? client : "raw", target)

const run = async (contender: Clients.Contender, n: number) => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  let remaining = n
  if (contender.kind === "promise") {
    const fn = contender.call(workload)
    const worker = async () => {
      while (remaining-- > 0) await fn()
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  } else {
    const effect = contender.call(workload)
    // The loop of `http.ts`: `Effect.repeat` would add a Schedule step per call (it provides the
    // iteration's metadata as a service each time), which is the harness's cost, not the SDK's.
    const worker = Effect.whileLoop({ while: () => remaining-- > 0, body: () => effect, step: () => {} })
    await contender.runtime.runPromise(
      Effect.forEach(Array.from({ length: concurrency }), () => worker, { concurrency, discard: true })
    )
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  return { callsPerSec: n / seconds, cpuMicrosPerCall: (cpu.user + cpu.system) / n }
}

const contender = await make()
await run(contender, Math.min(2000, calls))
const result = await run(contender, calls)
await contender.close()
process.stdout.write(
  `${contender.name} ${workload} @${concurrency}: ${result.callsPerSec.toFixed(0)} calls/s, ${
    result.cpuMicrosPerCall.toFixed(1)
  } µs CPU/call\n`
)
