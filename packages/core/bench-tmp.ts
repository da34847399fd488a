import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Layer, Redacted, Schema, ManagedRuntime } from "effect"
import * as StripeClient from "./src/StripeClient.js"

const body = JSON.stringify({ id: "cus_123", object: "customer", email: "a@b.co", name: "x", created: 1, livemode: false, metadata: {} })
const client = HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, new Response(body, { status: 200, headers: { "request-id": "req_1", "content-type": "application/json" } }))))
const Customer = Schema.Struct({ id: Schema.String, object: Schema.Literal("customer"), email: Schema.NullOr(Schema.String) })
const layer = StripeClient.layer({ apiKey: Redacted.make("sk_test_123") }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
const rt = ManagedRuntime.make(layer)
const call = StripeClient.request({ method: "POST", path: "/v1/customers", params: { email: "a@b.co", metadata: { a: "1" } }, schema: Customer, spanName: "stripe.customers.create" })
const raw = Effect.flatMap(HttpClient.HttpClient, (c) => Effect.flatMap(c.post("https://api.stripe.com/v1/customers"), (r) => r.text)).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client)))
const N = 20000
for (const [name, eff] of [["pipeline", call], ["pipeline", call], ["pipeline", call]] as const) {
  await rt.runPromise(Effect.forEach(Array.from({ length: 2000 }), () => eff as any, { concurrency: 16 }))
  const t = performance.now()
  await rt.runPromise(Effect.forEach(Array.from({ length: N }), () => eff as any, { concurrency: 16 }))
  console.log(name, ((performance.now() - t) * 1000 / N).toFixed(1), "µs/call")
}
await rt.dispose()
