// Iteration helper: the HTTP part only. `tsx bench/src/probe-http.ts [workload] [concurrency] [contenders...]`
import * as Clients from "./clients.js"
import { measureCell } from "./http.js"
import { startServer } from "./server.js"

const server = await startServer()
const apiKey = "sk_test_bench"
const post = async (path: string, body: Record<string, string>) => {
  const r = await fetch(server.url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body)
  })
  return r.json() as Promise<{ id: string }>
}
const customer = await post("/v1/customers", { email: "r@example.com" })
for (let i = 0; i < 20; i++) await post("/v1/payment_intents", { amount: "1000", currency: "usd" })
const target = { url: server.url, apiKey, customerId: customer.id }
const workload = (process.argv[2] ?? "customers.retrieve") as Clients.Workload
const concurrency = Number(process.argv[3] ?? 16)
const names = process.argv.slice(4)
const all = {
  effect: () => Clients.effectNative(target, "undici"),
  promise: () => Clients.promiseStyle(target, "undici"),
  effectLean: () => Clients.effectNative(target, "lean"),
  promiseLean: () => Clients.promiseStyle(target, "lean"),
  effectFetch: () => Clients.effectNative(target, "fetch"),
  stripe: () => Clients.official(target),
  raw: () => Clients.raw(target)
} as const
const picked = names.length === 0 ? ["effect", "promise", "stripe", "raw"] : names
const contenders = await Promise.all(picked.map((n) => all[n as keyof typeof all]()))
const results = await measureCell(contenders, workload, concurrency, {
  warmupMillis: 800,
  sliceMillis: Number(process.env.SLICE ?? 1000),
  rounds: Number(process.env.ROUNDS ?? 2)
})
console.table(results.map((r) => ({
  name: r.contender,
  "calls/s": Math.round(r.callsPerSec),
  "cpu µs": Math.round(r.cpuMicrosPerCall),
  p50: r.p50Millis.toFixed(2),
  p99: r.p99Millis.toFixed(2),
  err: r.errors
})))
for (const c of contenders) await c.close()
await server.close()
