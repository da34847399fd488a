import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { StripeClient } from "@lattice-stripe/core"
import * as MeterEventStream from "@lattice-stripe/resources/MeterEventStream"
import * as Schema from "effect/Schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as http from "node:http"
import Stripe from "stripe"
const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"content-type":"application/json"}); res.end(req.url?.includes("session") ? JSON.stringify({id:"mes_1",object:"v2.billing.meter_event_session",authentication_token:"ek_x",created:new Date().toISOString(),expires_at:new Date(Date.now()+900000).toISOString(),livemode:false}) : "{}") }) })
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
const port = (server.address() as any).port
const baseUrl = `http://127.0.0.1:${port}`
const rt = ManagedRuntime.make(Layer.mergeAll(NodeHttpClient.layerUndici, MeterEventStream.layer().pipe(Layer.provideMerge(StripeClient.layer({ apiKey: Redacted.make("sk_test"), baseUrl, meterEventsBaseUrl: baseUrl })), Layer.provide(NodeHttpClient.layerUndici))))
const batch = Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { stripe_customer_id: "cus_1", value: String(i) } }))
const withIds = batch.map((e) => ({ ...e, identifier: crypto.randomUUID() }))
const body = JSON.stringify({ events: withIds })
const N = 400
const stripe = new Stripe("ek_x", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 })
const pool = async (f: () => Promise<unknown>) => { let n = 0; await Promise.all(Array.from({ length: 16 }, async () => { while (n++ < N) await f() })) }
const variants: Record<string, () => Promise<unknown>> = {
  effectHttp: () => rt.runPromise(Effect.forEach(Array.from({ length: N }), () => Effect.flatMap(HttpClient.HttpClient, (c) => Effect.flatMap(c.execute(HttpClientRequest.post(baseUrl + "/v2/billing/meter_event_stream").pipe(HttpClientRequest.bodyText(body, "application/json"))), (r) => r.text)), { concurrency: 16, discard: true })),
  stripeClientRequest: () => rt.runPromise(Effect.forEach(Array.from({ length: N }), () => StripeClient.request({ method: "POST", path: "/v2/billing/meter_event_stream", host: "meterEvents", params: { events: withIds }, schema: Schema.Unknown, bearer: Redacted.make("tok") }), { concurrency: 16, discard: true })),
  managedSend: () => rt.runPromise(Effect.flatMap(MeterEventStream.MeterEventStream, (st) => Effect.forEach(Array.from({ length: N }), () => st.send(batch), { concurrency: 16, discard: true }))),
  officialSdk: () => pool(() => stripe.v2.billing.meterEventStream.create({ events: batch }, { host: "127.0.0.1" })),
}
for (let round = 0; round < 4; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const s = performance.now(); const c0 = process.cpuUsage()
    await f()
    const c = process.cpuUsage(c0)
    if (round > 0) console.log(name.padEnd(20), ((performance.now() - s) / N).toFixed(3), "ms/req wall", ((c.user + c.system) / 1000 / N).toFixed(3), "ms/req cpu")
  }
}
await rt.dispose()
server.close(); server.closeAllConnections()
