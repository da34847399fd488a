import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { StripeClient } from "@lattice-stripe/core"
import * as Schema from "effect/Schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as http from "node:http"

const server = http.createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, {"content-type":"application/json"}); res.end("{}") }) })
await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()))
const port = (server.address() as any).port
const baseUrl = `http://127.0.0.1:${port}`
const body = JSON.stringify({ events: Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { a: String(i) }, identifier: crypto.randomUUID() })) })
const rt = ManagedRuntime.make(Layer.mergeAll(NodeHttpClient.layerUndici, StripeClient.layer({ apiKey: Redacted.make("sk_test"), baseUrl, meterEventsBaseUrl: baseUrl }).pipe(Layer.provide(NodeHttpClient.layerUndici))))
const N = 200
const t = async (name: string, eff: Effect.Effect<unknown, unknown, any>) => {
  for (let k = 0; k < 2; k++) {
    const s = performance.now()
    await rt.runPromise(Effect.forEach(Array.from({ length: N }), () => eff, { concurrency: 16, discard: true }) as any)
    console.log(name, ((performance.now() - s) / N).toFixed(3), "ms/req")
  }
}
await t("raw effect http", Effect.flatMap(HttpClient.HttpClient, (c) => Effect.flatMap(c.execute(HttpClientRequest.post(baseUrl + "/v2/billing/meter_event_stream").pipe(HttpClientRequest.bodyText(body, "application/json"))), (r) => r.text)))
const parsed = JSON.parse(body)
await t("StripeClient.request", StripeClient.request({ method: "POST", path: "/v2/billing/meter_event_stream", host: "meterEvents", params: parsed, schema: Schema.Unknown, bearer: Redacted.make("tok") }))
await rt.dispose()
server.close()
