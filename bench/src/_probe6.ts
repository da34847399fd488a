import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { StripeClient } from "@lattice-stripe/core"
import * as MeterEventStream from "@lattice-stripe/resources/MeterEventStream"
import * as Schema from "effect/Schema"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
const sessionBody = JSON.stringify({id:"mes_1",object:"v2.billing.meter_event_session",authentication_token:"ek_x",created:new Date().toISOString(),expires_at:new Date(Date.now()+900000).toISOString(),livemode:false})
const fake = HttpClient.make((req) => Effect.succeed(HttpClientResponse.fromWeb(req, new Response(req.url.includes("session") ? sessionBody : "{}", { status: 200, headers: { "content-type": "application/json" } }))))
const baseUrl = "http://127.0.0.1:1"
const http = Layer.succeed(HttpClient.HttpClient, fake)
const rt = ManagedRuntime.make(Layer.mergeAll(http, MeterEventStream.layer().pipe(Layer.provideMerge(StripeClient.layer({ apiKey: Redacted.make("sk_test"), baseUrl, meterEventsBaseUrl: baseUrl })), Layer.provide(http))))
const batch = Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { stripe_customer_id: "cus_1", value: String(i) } }))
const withIds = batch.map((e) => ({ ...e, identifier: crypto.randomUUID() }))
const N = 2000
const many = <E, R>(eff: Effect.Effect<unknown, E, R>) => Effect.forEach(Array.from({ length: N }), () => eff, { concurrency: 16, discard: true })
const req = StripeClient.request({ method: "POST", path: "/v2/billing/meter_event_stream", host: "meterEvents", params: { events: withIds }, schema: Schema.Unknown, bearer: Redacted.make("tok") })
const variants: Record<string, Effect.Effect<unknown, unknown, any>> = {
  fakeHttpOnly: many(Effect.flatMap(HttpClient.HttpClient, (c) => Effect.flatMap(c.post(baseUrl + "/x"), (r) => r.text))),
  request: many(req),
  requestNoTracer: many(req).pipe(Effect.withTracerEnabled(false)),
  send: Effect.flatMap(MeterEventStream.MeterEventStream, (st) => many(st.send(batch))),
  sendNoTracer: Effect.flatMap(MeterEventStream.MeterEventStream, (st) => many(st.send(batch))).pipe(Effect.withTracerEnabled(false)),
  prepareOnly: many(MeterEventStream.prepareEvents(batch)),
  stringifyOnly: many(Effect.sync(() => JSON.stringify({ events: withIds }))),
}
for (let round = 0; round < 4; round++) {
  for (const [name, f] of Object.entries(variants)) {
    const c0 = process.cpuUsage()
    await rt.runPromise(f as any)
    const c = process.cpuUsage(c0)
    if (round > 1) console.log(name.padEnd(20), ((c.user + c.system) / N).toFixed(1), "µs/req cpu")
  }
}
await rt.dispose()
