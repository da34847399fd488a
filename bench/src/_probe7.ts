import * as MeterEventStream from "@lattice-stripe/resources/MeterEventStream"
import * as Effect from "effect/Effect"
const batch = Array.from({ length: 100 }, (_, i) => ({ event_name: "x", payload: { stripe_customer_id: "cus_1", value: String(i) } }))
const N = 20000
for (let r = 0; r < 4; r++) {
  let s = performance.now(); for (let i = 0; i < N; i++) Effect.runSync(MeterEventStream.prepareEvents(batch)); console.log("prepare runSync", ((performance.now() - s) * 1000 / N).toFixed(1), "µs")
  s = performance.now(); for (let i = 0; i < N; i++) Effect.runSync(Effect.void); console.log("runSync void", ((performance.now() - s) * 1000 / N).toFixed(1), "µs")
  s = performance.now(); for (let i = 0; i < N; i++) batch.map((e) => ({ ...e, identifier: crypto.randomUUID() })); console.log("map+uuid", ((performance.now() - s) * 1000 / N).toFixed(1), "µs")
}
