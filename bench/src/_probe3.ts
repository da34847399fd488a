import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { StripeClient } from "@lattice-stripe/core"
import * as MeterEventStream from "@lattice-stripe/resources/MeterEventStream"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as http from "node:http"
const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"content-type":"application/json"}); res.end(req.url?.includes("session") ? JSON.stringify({id:"mes_1",object:"v2.billing.meter_event_session",authentication_token:"ek_x",created:new Date().toISOString(),expires_at:new Date(Date.now()+900000).toISOString(),livemode:false}) : "{}") }) })
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
const port = (server.address() as any).port
const baseUrl = `http://127.0.0.1:${port}`
const rt = ManagedRuntime.make(MeterEventStream.layer().pipe(Layer.provide(StripeClient.layer({ apiKey: Redacted.make("sk_test"), baseUrl, meterEventsBaseUrl: baseUrl })), Layer.provide(NodeHttpClient.layerUndici)))
const batch = Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { stripe_customer_id: "cus_1", value: String(i) } }))
for (let k = 0; k < 5; k++) {
  const s = performance.now(); const c0 = process.cpuUsage()
  await rt.runPromise(Effect.flatMap(MeterEventStream.MeterEventStream, (st) => Effect.forEach(Array.from({ length: 300 }), () => st.send(batch), { concurrency: 16, discard: true })))
  const c = process.cpuUsage(c0)
  console.log(((performance.now() - s) / 300).toFixed(3), "ms/req wall", ((c.user + c.system) / 1000 / 300).toFixed(3), "ms/req cpu")
}
const s = performance.now()
await rt.dispose()
console.log("dispose", performance.now() - s)
server.close(); server.closeAllConnections()
