import * as HttpApp from "@effect/platform/HttpApp"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as TestClock from "effect/TestClock"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { Webhook, WebhookHttp } from "../src/index.js"
import { makeEvent, paymentIntent, paymentIntentPayload, secret } from "./fixtures.js"

const T = 1_700_000_000

describe("WebhookHttp.makeHandler (HttpApp)", () => {
  const received: Array<string> = []
  const app = WebhookHttp.makeHandler({
    secret,
    handler: (event) =>
      Webhook.dispatch(event, {
        "payment_intent.succeeded": (intent) => Effect.sync(() => received.push(`${event.type}:${intent.id}`)),
        "invoice.payment_failed": () => Effect.fail("handler failed"),
        "charge.failed": () => Effect.die("handler died")
      })
  })

  const call = (init: { method?: string; body?: string | undefined; signature?: string | undefined }) =>
    Effect.gen(function*() {
      const headers: Record<string, string> = {}
      if (init.signature !== undefined) headers["stripe-signature"] = init.signature
      const request = new Request("http://127.0.0.1/stripe/webhook", {
        method: init.method ?? "POST",
        headers,
        ...(init.body === undefined ? {} : { body: init.body })
      })
      const response = yield* Effect.provideService(
        app,
        HttpServerRequest.HttpServerRequest,
        HttpServerRequest.fromWeb(request)
      )
      return response
    })

  const signedAt = (body: string) => Webhook.generateTestSignature(body, secret, { timestamp: T })

  it.effect("answers 200 after the handler succeeded", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      received.length = 0
      const response = yield* call({ body: paymentIntentPayload, signature: signedAt(paymentIntentPayload) })
      expect(response.status).toBe(200)
      expect(received).toEqual(["payment_intent.succeeded:pi_123"])
    }))

  it.effect("answers 200 for event types without a handler", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const body = JSON.stringify(makeEvent("brand.new", { id: "x_1", object: "brand" }))
      expect((yield* call({ body, signature: signedAt(body) })).status).toBe(200)
    }))

  it.effect("answers 405 to other methods, with Allow: POST", () =>
    Effect.gen(function*() {
      for (const method of ["GET", "PUT", "DELETE"]) {
        const response = yield* call({ method, body: method === "GET" ? undefined : "x" })
        expect(response.status).toBe(405)
        expect(response.headers["allow"]).toBe("POST")
      }
    }))

  it.effect("answers 400 to a missing, forged or stale signature and to a non-event body", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      expect((yield* call({ body: paymentIntentPayload })).status).toBe(400)
      expect((yield* call({ body: paymentIntentPayload, signature: "t=1,v1=abc" })).status).toBe(400)
      const forged = Webhook.generateTestSignature(paymentIntentPayload, "whsec_wrong", { timestamp: T })
      expect((yield* call({ body: paymentIntentPayload, signature: forged })).status).toBe(400)
      expect((yield* call({ body: "[]", signature: signedAt("[]") })).status).toBe(400)
      yield* TestClock.setTime((T + 301) * 1000)
      expect((yield* call({ body: paymentIntentPayload, signature: signedAt(paymentIntentPayload) })).status).toBe(400)
    }))

  it.effect("answers 500 when the handler fails or dies, so Stripe retries", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const failing = JSON.stringify(makeEvent("invoice.payment_failed", { id: "in_1", object: "brand_new" }))
      expect((yield* call({ body: failing, signature: signedAt(failing) })).status).toBe(500)
      const dying = JSON.stringify(makeEvent("charge.failed", { id: "ch_1", object: "brand_new" }))
      expect((yield* call({ body: dying, signature: signedAt(dying) })).status).toBe(500)
    }))

  it("answers 400 with an empty body through a web handler", async () => {
    const handler = HttpApp.toWebHandler(app)
    const bad = await handler(
      new Request("http://127.0.0.1/", {
        method: "POST",
        body: paymentIntentPayload,
        headers: { "stripe-signature": "t=1,v1=00" }
      })
    )
    expect(bad.status).toBe(400)
    expect(await bad.text()).toBe("")
    const good = await handler(
      new Request("http://127.0.0.1/", {
        method: "POST",
        body: paymentIntentPayload,
        headers: { "stripe-signature": Webhook.generateTestSignature(paymentIntentPayload, secret) }
      })
    )
    expect(good.status).toBe(200)
  })
})

describe("WebhookHttp.nodeListener", () => {
  const handled: Array<string> = []
  let chunksSeen = 0
  let nextError: unknown = undefined

  const listener = WebhookHttp.nodeListener({
    secret,
    maxBodyBytes: 64 * 1024,
    onHandlerError: () => {},
    handler: async (event) => {
      if (event.type === "invoice.payment_failed") throw new Error("rejected promise")
      handled.push(`${event.type}:${event.data.object.id}`)
    }
  })
  const effectListener = WebhookHttp.nodeListener({
    secret,
    onHandlerError: () => {},
    handler: (event) =>
      event.type === "invoice.payment_failed"
        ? Effect.fail("effect failed")
        : Effect.sync(() => handled.push(`effect:${event.type}`))
  })
  const throwingListener = WebhookHttp.nodeListener({
    secret,
    onHandlerError: () => {},
    handler: () => {
      throw new Error("sync throw")
    }
  })

  // A stand-in for `express.raw()` / `express.json()`: reads the body first and
  // leaves it on `req.body`, then calls the middleware with `next`.
  const withFrameworkBody = (parse: boolean): http.RequestListener => (req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const raw = Buffer.concat(chunks)
      Object.assign(req, { body: parse ? JSON.parse(raw.toString("utf8")) : raw })
      WebhookHttp.expressMiddleware({ secret, handler: (event) => void handled.push(`express:${event.type}`) })(
        req,
        res,
        (error) => {
          nextError = error
          res.statusCode = 500
          res.end()
        }
      )
    })
  }

  const server = http.createServer((req, res) => {
    const route = req.url ?? "/"
    if (route === "/effect") return effectListener(req, res)
    if (route === "/throw") return throwingListener(req, res)
    if (route === "/express-raw") return withFrameworkBody(false)(req, res)
    if (route === "/express-json") return withFrameworkBody(true)(req, res)
    req.on("data", () => chunksSeen++)
    listener(req, res)
  })
  let port = 0

  beforeAll(() =>
    new Promise<void>((resolve) => {
      server.listen(0, "127.0.0.1", () => {
        const address: AddressInfo | string | null = server.address()
        if (address !== null && typeof address === "object") port = address.port
        resolve()
      })
    })
  )
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const send = (options: {
    path?: string
    method?: string
    chunks?: ReadonlyArray<string | Buffer>
    signature?: string
  }): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { "content-type": "application/json" }
      if (options.signature !== undefined) headers["stripe-signature"] = options.signature
      const req = http.request(
        { host: "127.0.0.1", port, method: options.method ?? "POST", path: options.path ?? "/", headers },
        (res) => {
          let body = ""
          res.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }))
        }
      )
      req.on("error", reject)
      // Separate writes without a Content-Length go out as separate HTTP chunks.
      for (const chunk of options.chunks ?? []) req.write(chunk)
      req.end()
    })

  const splitInThree = (body: Buffer): Array<Buffer> => {
    const a = Math.floor(body.length / 3)
    return [body.subarray(0, a), body.subarray(a, 2 * a), body.subarray(2 * a)]
  }

  it("reassembles a body sent in 3 chunks, even with a character split across chunks", async () => {
    const text = JSON.stringify(
      makeEvent("payment_intent.succeeded", { ...paymentIntent, description: "café ☕ naïve 🚀".repeat(20) })
    )
    const body = Buffer.from(text, "utf8")
    // Cut inside the multi-byte "☕" so that per-chunk decoding would corrupt it.
    const cut = body.indexOf(Buffer.from("☕", "utf8")) + 1
    const chunks = [body.subarray(0, cut), body.subarray(cut, cut + 100), body.subarray(cut + 100)]
    handled.length = 0
    chunksSeen = 0
    const response = await send({ chunks, signature: Webhook.generateTestSignature(text, secret) })
    expect(response.status).toBe(200)
    expect(chunksSeen).toBe(3)
    expect(handled).toEqual(["payment_intent.succeeded:pi_123"])
  })

  it("answers 405 to non-POST requests", async () => {
    expect((await send({ method: "GET" })).status).toBe(405)
    expect((await send({ method: "PUT", chunks: ["{}"] })).status).toBe(405)
  })

  it("answers 400 with an empty body to bad signatures and empty bodies", async () => {
    const body = Buffer.from(paymentIntentPayload)
    const forged = await send({ chunks: splitInThree(body), signature: "t=1700000000,v1=" + "0".repeat(64) })
    expect(forged).toEqual({ status: 400, body: "" })
    expect((await send({ chunks: splitInThree(body) })).status).toBe(400)
    expect((await send({ signature: Webhook.generateTestSignature("", secret) })).status).toBe(400)
    const stale = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: Date.now() / 1000 - 3600 })
    expect((await send({ chunks: [body], signature: stale })).status).toBe(400)
  })

  it("answers 500 when the handler rejects, throws or its Effect fails", async () => {
    const text = JSON.stringify(makeEvent("invoice.payment_failed", { id: "in_1", object: "invoice" }))
    const signature = Webhook.generateTestSignature(text, secret)
    expect((await send({ chunks: [text], signature })).status).toBe(500)
    expect((await send({ path: "/effect", chunks: [text], signature })).status).toBe(500)
    expect((await send({ path: "/throw", chunks: [text], signature })).status).toBe(500)
  })

  it("runs an Effect handler and answers 200", async () => {
    handled.length = 0
    const signature = Webhook.generateTestSignature(paymentIntentPayload, secret)
    expect((await send({ path: "/effect", chunks: [paymentIntentPayload], signature })).status).toBe(200)
    expect(handled).toEqual(["effect:payment_intent.succeeded"])
  })

  it("answers 413 to bodies over maxBodyBytes", async () => {
    const big = "x".repeat(70 * 1024)
    const response = await send({ chunks: [big, big], signature: Webhook.generateTestSignature(big + big, secret) })
    expect(response.status).toBe(413)
  })

  it("uses req.body when express.raw() already read it", async () => {
    handled.length = 0
    const signature = Webhook.generateTestSignature(paymentIntentPayload, secret)
    const response = await send({
      path: "/express-raw",
      chunks: splitInThree(Buffer.from(paymentIntentPayload)),
      signature
    })
    expect(response.status).toBe(200)
    expect(handled).toEqual(["express:payment_intent.succeeded"])
  })

  it("hands a parsed req.body to next() instead of failing every event", async () => {
    nextError = undefined
    const signature = Webhook.generateTestSignature(paymentIntentPayload, secret)
    const response = await send({ path: "/express-json", chunks: [paymentIntentPayload], signature })
    expect(response.status).toBe(500)
    expect(nextError).toBeInstanceOf(Error)
    expect(String(nextError)).toContain("express.raw")
  })
})
