import { Webhook } from "@lattice-stripe/webhook"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import Stripe from "stripe"
const SECRET = "whsec_bench_0123456789abcdef0123456789abcdef"
const secret = Redacted.make(SECRET)
const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", created: 1, livemode: false, pending_webhooks: 1, data: { object: { object: "payment_intent", id: "pi_1", a: "x".repeat(1700) } } })
const header = Webhook.generateTestSignature(payload, SECRET)
const stripe = new Stripe("sk")
const which = process.argv[2]
const f = which === "ours" ? () => Effect.runSync(Webhook.constructEvent(payload, header, secret)) : () => stripe.webhooks.constructEvent(payload, header, SECRET)
const N = 300_000
for (let i = 0; i < 50000; i++) f()
const s = process.cpuUsage()
for (let i = 0; i < N; i++) f()
const u = process.cpuUsage(s)
console.log(which, ((u.user + u.system) / N).toFixed(2), "µs cpu")
