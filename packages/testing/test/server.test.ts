import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import { Customers, PaymentIntents } from "@lattice-stripe/resources"
import { Emulator, EmulatorServer, Fault } from "@lattice-stripe/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Path from "node:path"
import * as Url from "node:url"
import Stripe from "stripe"
import { fetchHandle, notebook, wire } from "./support.js"

interface Received {
  readonly body: string
  readonly signature: string | undefined
}

/** A loopback webhook receiver. */
const receiver = async () => {
  const received: Array<Received> = []
  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      const signature = req.headers["stripe-signature"]
      received.push({
        body: Buffer.concat(chunks).toString("utf8"),
        signature: typeof signature === "string" ? signature : undefined
      })
      res.writeHead(200).end("ok")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo // boundary: a TCP server's address
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe("EmulatorServer (loopback)", () => {
  it("runs the notebook over HTTP with Stripe's headers", async () => {
    const server = await EmulatorServer.start({ port: 0, emulatorOptions: { seed: 11 } })
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const w = wire(fetchHandle(server.url))
      const failures: Array<string> = []
      await notebook(w, (ok, what) => {
        if (!ok) failures.push(what)
      })
      expect(failures).toEqual([])
      const res = await w.post("/v1/customers", { email: "h@example.com" }, {
        headers: { "idempotency-key": "abc", "stripe-version": "2024-04-10" }
      })
      expect(res.headers["request-id"]).toMatch(/^req_/)
      expect(res.headers["stripe-version"]).toBe("2024-04-10")
      expect(res.headers["idempotency-key"]).toBe("abc")
      const replay = await w.post("/v1/customers", { email: "h@example.com" }, {
        headers: { "idempotency-key": "abc" }
      })
      expect(replay.headers["idempotent-replayed"]).toBe("true")
      expect(replay.json.id).toBe(res.json.id)
    } finally {
      await server.close()
    }
  })

  it("drops connections and answers faults on the wire", async () => {
    const emulator = Emulator.make()
    const server = await EmulatorServer.start({ port: 0, emulator })
    try {
      emulator.faults.inject({ method: "GET", path: "/v1/balance" }, [Fault.drop(), Fault.status(502)])
      const w = wire(fetchHandle(server.url))
      await expect(w.get("/v1/balance")).rejects.toThrow()
      expect((await w.get("/v1/balance")).status).toBe(502)
      expect((await w.get("/v1/balance")).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it("serves StripeClient over real HTTP (api, files and meter-events hosts on one port)", async () => {
    const server = await EmulatorServer.start({ port: 0 })
    try {
      const layer = StripeClient.layer({
        apiKey: Redacted.make("sk_test_loopback"),
        baseUrl: server.url,
        filesBaseUrl: server.url,
        meterEventsBaseUrl: server.url
      }).pipe(Layer.provide(FetchHttpClient.layer))
      const result = await Effect.gen(function*() {
        const customer = yield* Customers.create({ email: "wire@example.com" })
        const intent = yield* PaymentIntents.create({ amount: 999, currency: "usd", customer: customer.id })
        const confirmed = yield* PaymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" })
        const failure = yield* Effect.flip(Customers.retrieve("cus_missing"))
        return { confirmed, failure }
      }).pipe(Effect.provide(layer), Effect.runPromise)
      expect(result.confirmed.status).toBe("succeeded")
      expect(result.failure._tag).toBe("StripeInvalidRequestError")
    } finally {
      await server.close()
    }
  })

  it("POSTs each event signed like Stripe to the webhook URL", async () => {
    const hook = await receiver()
    const secret = "whsec_loopback_test"
    const server = await EmulatorServer.start({ port: 0, emulatorOptions: { webhooks: { url: hook.url, secret } } })
    try {
      const w = wire(fetchHandle(server.url))
      const c = await w.post("/v1/customers", { email: "hook@example.com" })
      const pi = await w.post("/v1/payment_intents", { amount: 100, currency: "usd", customer: c.json.id })
      await w.post(`/v1/payment_intents/${pi.json.id}/confirm`, { payment_method: "pm_card_visa" })
      await server.emulator.flushWebhooks()
      const types = hook.received.map((r) => JSON.parse(r.body).type)
      expect(types).toEqual([
        "customer.created",
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded"
      ])
      // verified by the official SDK's implementation of Stripe's scheme
      const stripe = new Stripe("sk_test_unused")
      for (const r of hook.received) {
        const event = stripe.webhooks.constructEvent(r.body, r.signature ?? "", secret)
        expect(event.id).toMatch(/^evt_/)
      }
      // and by hand: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<payload>">
      const first = hook.received[0]
      const parts = Object.fromEntries((first.signature ?? "").split(",").map((p) => p.split("=")))
      const expected = Crypto.createHmac("sha256", secret).update(`${parts.t}.${first.body}`).digest("hex")
      expect(parts.v1).toBe(expected)
      expect(server.emulator.webhookDeliveries().every((d) => d.status === 200)).toBe(true)
      const tampered = first.body.replace("hook@example.com", "evil@example.com")
      expect(() => stripe.webhooks.constructEvent(tampered, first.signature ?? "", secret)).toThrow()
    } finally {
      await server.close()
      await hook.close()
    }
  })

  it("delivers to webhook endpoints created through the API", async () => {
    const hook = await receiver()
    const server = await EmulatorServer.start({ port: 0 })
    try {
      const w = wire(fetchHandle(server.url))
      const endpoint = await w.post("/v1/webhook_endpoints", { url: hook.url, enabled_events: ["product.created"] })
      expect(endpoint.json.secret).toMatch(/^whsec_/)
      expect((await w.get(`/v1/webhook_endpoints/${endpoint.json.id}`)).json.secret).toBeUndefined()
      await w.post("/v1/customers", {})
      await w.post("/v1/products", { name: "Hooked" })
      await server.emulator.flushWebhooks()
      expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(["product.created"])
      const stripe = new Stripe("sk_test_unused")
      const event = stripe.webhooks.constructEvent(
        hook.received[0].body,
        hook.received[0].signature ?? "",
        endpoint.json.secret
      )
      expect(event.type).toBe("product.created")
    } finally {
      await server.close()
      await hook.close()
    }
  })

  it.effect("EmulatorServer.layer scopes the server", () =>
    Effect.gen(function*() {
      const server = yield* EmulatorServer.EmulatorServer
      const res = yield* Effect.promise(() =>
        fetch(`${server.url}/v1/customers`, { headers: { authorization: "Bearer sk_test_1" } })
      )
      expect(res.status).toBe(200)
    }).pipe(Effect.provide(EmulatorServer.layer({ port: 0 }))))

  it("reports a port in use", async () => {
    const a = await EmulatorServer.start({ port: 0 })
    try {
      await expect(EmulatorServer.start({ port: a.port })).rejects.toMatchObject({ _tag: "EmulatorServerError" })
    } finally {
      await a.close()
    }
  })

  it("the CLI prints its URL, serves requests and stops on SIGTERM", async () => {
    const bin = Path.join(Path.dirname(Url.fileURLToPath(import.meta.url)), "../bin/lattice-stripe-mock.mjs")
    const child = ChildProcess.spawn(process.execPath, [bin, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ""
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString()
          const m = /listening on (http:\/\/\S+)/.exec(out)
          if (m !== null) resolve(m[1])
        })
        child.once("exit", (code) => reject(new Error(`exited early (${code}): ${out}`)))
      })
      const res = await fetch(`${url}/v1/customers`, {
        method: "POST",
        headers: { authorization: "Bearer sk_test_cli", "content-type": "application/x-www-form-urlencoded" },
        body: "email=cli%40example.com"
      })
      expect((await res.json()).email).toBe("cli@example.com")
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
      child.kill("SIGTERM")
      expect(await exit).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  })
})
