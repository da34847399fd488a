// Iteration helper: profile one contender. `node --cpu-prof --import tsx bench/src/probe-prof.ts <contender> <workload> <ms>`
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
const which = process.argv[2] ?? "effect"
const workload = (process.argv[3] ?? "customers.retrieve") as Clients.Workload
const ms = Number(process.argv[4] ?? 5000)
const c = which === "effect" ? await Clients.effectNative(target, (process.env.T ?? "undici") as Clients.Transport)
  : which === "promise" ? await Clients.promiseStyle(target, (process.env.T ?? "undici") as Clients.Transport)
  : which === "stripe" ? await Clients.official(target) : await Clients.raw(target)
const [r] = await measureCell([c], workload, 16, { warmupMillis: 500, sliceMillis: ms, rounds: 1 })
console.log(r)
await c.close()
await server.close()
