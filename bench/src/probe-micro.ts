// Iteration helper: CPU of this SDK's pipeline per call against an in-process HttpClient (no network).
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { StripeClient } from "@lattice-stripe/core"
import { Customers } from "@lattice-stripe/resources"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"

const body = JSON.stringify({"id":"cus_PbfNJ3cZ9v0xyz","object":"customer","address":null,"balance":0,"created":1711111111,"currency":null,"default_source":null,"delinquent":false,"description":"created by pnpm bench","discount":null,"email":"bench@example.com","invoice_prefix":"ABCD1234","invoice_settings":{"custom_fields":null,"default_payment_method":null,"footer":null,"rendering_options":null},"livemode":false,"metadata":{},"name":"Bench Customer","next_invoice_sequence":1,"phone":null,"preferred_locales":[],"shipping":null,"tax_exempt":"none","test_clock":null})
const fake = HttpClient.make((request) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: 200, headers: { "content-type": "application/json", "request-id": "req_123" } }))))
import { TransportTypeId } from "../../packages/core/src/internal/transport.js"
const leanFake = Object.assign(HttpClient.make(() => Effect.die("no")), { [TransportTypeId]: { send: (_r: unknown, done: (x: unknown) => void) => { queueMicrotask(() => done({ _tag: "Response", status: 200, headers: { "content-type": "application/json", "request-id": "req_123" }, body })); return () => {} } } })
const layer = StripeClient.layer({ apiKey: Redacted.make("sk_test_x"), baseUrl: "http://127.0.0.1:1" }).pipe(
  Layer.provide(Layer.succeed(HttpClient.HttpClient, process.env.LEAN ? leanFake : fake)), Layer.orDie)
const rt = ManagedRuntime.make(layer)
const which = process.argv[2] ?? "retrieve"
const call = which === "create" ? Customers.create({ email: "bench@example.com", name: "Bench Customer", description: "x" }) : Customers.retrieve("cus_123")
const N = Number(process.argv[3] ?? 20000)
const mode = process.argv[4] ?? "effect"
const runOnce = async (n: number) => {
  if (mode === "effect") await rt.runPromise(Effect.forEach(Array.from({ length: n }), () => call, { concurrency: 16, discard: true }))
  else { let i = 0; await Promise.all(Array.from({ length: 16 }, async () => { while (i++ < n) await rt.runPromise(call) })) }
}
// baseline: Response + text + JSON.parse
const baseline = async (n: number) => { for (let i = 0; i < n; i++) { await new Promise<void>((r) => queueMicrotask(r)); JSON.parse(body) } }
await runOnce(3000); await baseline(3000)
let s = process.cpuUsage(); await baseline(N); let u = process.cpuUsage(s)
console.log("baseline Response+JSON.parse", ((u.user + u.system) / N).toFixed(1), "µs")
s = process.cpuUsage(); await runOnce(N); u = process.cpuUsage(s)
console.log(which, mode, ((u.user + u.system) / N).toFixed(1), "µs/call")
await rt.dispose()
