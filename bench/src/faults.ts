/**
 * The full fault acceptance run (issue 12): 10,000 customer creations per
 * transport through a loopback Stripe that injects 5% of each fault per
 * request (see `packages/core/test/support/faults.ts`), with the SDK's
 * default retries; time is `TestClock`'s (backoff, `Retry-After` and the
 * stall timeouts take no real time). Prints one report per transport and
 * exits non-zero unless there are 0 duplicate side effects, 0 untyped
 * failures and every failed call carries its Idempotency-Key.
 *
 *   npx tsx bench/src/faults.ts [--calls=10000] [--concurrency=64] [--seed=12] [--transport=StripeHttpClient]
 */
import * as Effect from "effect/Effect"
import * as TestContext from "effect/TestContext"
import { runFaults } from "../../packages/core/test/support/faults.js"
import { transports } from "../../packages/core/test/support/loopback.js"

const flag = (name: string): string | undefined => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))
  return arg === undefined ? undefined : arg.slice(name.length + 3)
}

const calls = Number(flag("calls") ?? 10_000)
const concurrency = Number(flag("concurrency") ?? 64)
const seed = Number(flag("seed") ?? 12)
const only = flag("transport")

let ok = true
for (const transport of transports.filter((t) => only === undefined || t.name.includes(only))) {
  const started = performance.now()
  const report = await Effect.runPromise(
    runFaults(transport, { calls, concurrency, seed }).pipe(Effect.scoped, Effect.provide(TestContext.TestContext))
  )
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const pass = report.duplicateSideEffects === 0 && report.untypedFailures === 0 &&
    report.failuresWithoutTheirKey === 0 && report.successesInconsistent === 0
  ok &&= pass
  process.stdout.write(`${JSON.stringify({ ...report, seconds, pass }, null, 2)}\n`)
}
process.exitCode = ok ? 0 : 1
