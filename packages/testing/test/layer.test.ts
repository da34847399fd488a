import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient } from "@lattice-stripe/core"
import {
  AccountLinks,
  Accounts,
  Billing,
  BillingPortal,
  Customers,
  Events,
  Files,
  PaymentIntents,
  Prices,
  Products,
  Quotes,
  Refunds,
  SetupIntents,
  Subscriptions,
  SubscriptionSchedules,
  Transfers
} from "@lattice-stripe/resources"
import { Emulator, Fault } from "@lattice-stripe/testing"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  HttpClient.execute(
    HttpClientRequest.post(path).pipe(
      HttpClientRequest.setHeaders({ authorization: "Bearer sk_test_layer", ...headers }),
      HttpClientRequest.bodyText(body, "application/x-www-form-urlencoded")
    )
  )

describe("Emulator.layer (HttpClient, no sockets)", () => {
  it.effect("answers form-encoded requests in memory", () =>
    Effect.gen(function*() {
      const res = yield* post("http://stripe.invalid/v1/customers", "email=layer%40example.com&metadata[k]=v")
      expect(res.status).toBe(200)
      expect(res.headers["request-id"]).toMatch(/^req_/)
      const json = yield* res.json
      expect(json).toMatchObject({ object: "customer", email: "layer@example.com", metadata: { k: "v" } })
    }).pipe(Effect.provide(Emulator.layer({ seed: 1 }))))

  it.effect("layerWith shares an instance the test can inspect", () => {
    const emulator = Emulator.make({ seed: 2 })
    return Effect.gen(function*() {
      yield* post("http://stripe.invalid/v1/products", "name=Shared")
      expect(emulator.list("product").map((p) => p.name)).toEqual(["Shared"])
    }).pipe(Effect.provide(Emulator.layerWith(emulator)))
  })

  it.effect("a dropped connection is a RequestError caused by ECONNRESET", () => {
    const emulator = Emulator.make()
    emulator.faults.inject({ path: "/v1/customers" }, [Fault.drop()])
    return Effect.gen(function*() {
      const exit = yield* Effect.exit(post("http://stripe.invalid/v1/customers", ""))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? Option.getOrUndefined(Cause.failureOption(exit.cause)) : undefined
      expect(error?._tag).toBe("RequestError")
      expect(error?.reason).toBe("Transport")
      expect(error?.cause).toMatchObject({ code: "ECONNRESET" })
      expect(emulator.list("customer")).toHaveLength(0)
    }).pipe(Effect.provide(Emulator.layerWith(emulator)))
  })

  it.effect("delays use the Effect clock (TestClock)", () => {
    const emulator = Emulator.make()
    emulator.faults.inject({ method: "POST", path: "/v1/customers" }, [Fault.delay("30 seconds")])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(post("http://stripe.invalid/v1/customers", ""))
      yield* TestClock.adjust("29 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      const res = yield* Fiber.join(fiber)
      expect(res.status).toBe(200)
    }).pipe(Effect.provide(Emulator.layerWith(emulator)))
  })

  it.effect("status faults carry Stripe-Should-Retry and Retry-After", () => {
    const emulator = Emulator.make()
    emulator.faults.inject({ path: "/v1/customers" }, [
      Fault.status(500, { shouldRetry: false }),
      Fault.rateLimited({ retryAfter: 3 })
    ])
    return Effect.gen(function*() {
      const a = yield* post("http://stripe.invalid/v1/customers", "")
      expect(a.status).toBe(500)
      expect(a.headers["stripe-should-retry"]).toBe("false")
      const b = yield* post("http://stripe.invalid/v1/customers", "")
      expect(b.status).toBe(429)
      expect(b.headers["retry-after"]).toBe("3")
    }).pipe(Effect.provide(Emulator.layerWith(emulator)))
  })
})

describe("Emulator.layerClient (StripeClient + resources)", () => {
  it.effect("runs the notebook through the SDK", () => {
    const emulator = Emulator.make({ seed: 9 })
    return Effect.gen(function*() {
      const customer = yield* Customers.create({ email: "explorer@example.com", name: "SDK Explorer" })
      expect(customer.id).toMatch(/^cus_/)
      const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id })
      expect(intent.status).toBe("requires_payment_method")
      const page = yield* PaymentIntents.list({ limit: 5 })
      expect(page.data.map((p) => p.id)).toEqual([intent.id])
      const confirmed = yield* PaymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" })
      expect(confirmed.status).toBe("succeeded")
      const declined = yield* PaymentIntents.create({
        amount: 2000,
        currency: "usd",
        payment_method: "pm_card_chargeDeclined",
        confirm: true
      }).pipe(Effect.flip)
      expect(declined._tag).toBe("StripeCardError")
      expect(declined._tag === "StripeCardError" ? declined.declineCode : undefined).toBe("generic_decline")
      const missing = yield* Effect.flip(
        StripeClient.request({
          method: "POST",
          path: "/v1/payment_intents",
          params: { currency: "usd" },
          schema: Schema.Unknown
        })
      )
      expect(missing._tag).toBe("StripeInvalidRequestError")

      const setup = yield* SetupIntents.create({ customer: customer.id, usage: "off_session" })
      expect(setup.usage).toBe("off_session")
      const refund = yield* Refunds.create({ payment_intent: confirmed.id })
      expect(refund.status).toBe("succeeded")

      const product = yield* Products.create({ name: "Explorer Pro Plan" })
      const price = yield* Prices.create({
        product: product.id,
        currency: "usd",
        unit_amount: 2000,
        recurring: { interval: "month" }
      })
      const sub = yield* Subscriptions.create({ customer: customer.id, items: [{ price: price.id }] })
      expect(sub.status).toBe("active")
      const subs = yield* Subscriptions.list({ customer: customer.id })
      expect(subs.data).toHaveLength(1)
      const expanded = yield* Subscriptions.retrieve(sub.id, { expand: ["customer"] })
      expect(expanded.customer).toMatchObject({ email: "explorer@example.com" })

      const schedule = yield* SubscriptionSchedules.create({
        customer: customer.id,
        start_date: "now",
        end_behavior: "release",
        phases: [{ items: [{ price: price.id, quantity: 1 }], duration: { interval: "month", interval_count: 3 } }]
      })
      expect(schedule.status).toBe("active")

      const meter = yield* Billing.Meters.create({
        display_name: "API Calls",
        event_name: "api_call",
        default_aggregation: { formula: "sum" },
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        value_settings: { event_payload_key: "value" }
      })
      expect(meter.status).toBe("active")
      const event = yield* Billing.MeterEvents.create({
        event_name: "api_call",
        payload: { stripe_customer_id: customer.id, value: "1" }
      })
      expect(event.event_name).toBe("api_call")
      const session = yield* Billing.MeterEventStream.createSession()
      yield* Billing.MeterEventStream.sendEvents(session, [
        { event_name: "api_call", payload: { stripe_customer_id: customer.id, value: "1" } }
      ])
      expect(emulator.meterEventStream()).toHaveLength(1)

      const portal = yield* BillingPortal.Sessions.create({
        customer: customer.id,
        return_url: "https://example.com/account"
      })
      expect(portal.customer).toBe(customer.id)
      const cancelled = yield* Subscriptions.cancel(sub.id)
      expect(cancelled.status).toBe("canceled")

      const account = yield* Accounts.create({ type: "express", email: "merchant@example.com" })
      const link = yield* AccountLinks.create({
        account: account.id,
        type: "account_onboarding",
        refresh_url: "https://example.com/reauth",
        return_url: "https://example.com/return"
      })
      expect(link.expires_at).toBeGreaterThan(link.created)
      const transfer = yield* Transfers.create({ amount: 1000, currency: "usd", destination: account.id })
      expect(transfer.amount).toBe(1000)

      const all = yield* Stream.runCollect(Customers.listAll({ limit: 1 }))
      expect(Chunk.size(all)).toBe(1)
      const events = yield* Stream.runCollect(Events.listAll({ limit: 3 }))
      expect(Chunk.size(events)).toBe(emulator.events().length)
    }).pipe(Effect.provide(Emulator.layerClient({ emulator })))
  })

  it.effect("retries scripted 503s through the client's retry policy", () => {
    const emulator = Emulator.make()
    emulator.faults.inject({ method: "POST", path: "/v1/customers" }, [
      Fault.status(503, { shouldRetry: true }),
      Fault.drop()
    ])
    return Effect.gen(function*() {
      const fiber = yield* Effect.fork(StripeClient.withResponse(Customers.create({ email: "retry@example.com" })))
      yield* TestClock.adjust("1 minute")
      const [customer, meta] = yield* Fiber.join(fiber)
      expect(customer.email).toBe("retry@example.com")
      expect(meta.attempts).toBe(3)
      // the same idempotency key on every attempt
      const keys = emulator.requests().filter((r) => r.status === 200).map((r) => r.idempotencyKey)
      expect(keys).toHaveLength(1)
      expect(emulator.list("customer")).toHaveLength(1)
    }).pipe(Effect.provide(Emulator.layerClient({ emulator })))
  })

  it.effect("idempotent replays are visible in the response metadata", () =>
    Effect.gen(function*() {
      const options = { idempotencyKey: "order-42" }
      const [first, a] = yield* StripeClient.withResponse(Customers.create({ email: "i@example.com" }, options))
      const [second, b] = yield* StripeClient.withResponse(Customers.create({ email: "i@example.com" }, options))
      expect(second.id).toBe(first.id)
      expect([a.replayed, b.replayed]).toEqual([false, true])
      expect(b.requestId).toMatch(/^req_/)
      const conflict = yield* Effect.flip(Customers.create({ email: "other@example.com" }, options))
      expect(conflict._tag).toBe("StripeIdempotencyError")
    }).pipe(Effect.provide(Emulator.layerClient())))

  it.effect("an expired meter event session surfaces as the SDK's MeterEventSessionExpired", () => {
    let now = Date.UTC(2024, 3, 10)
    const emulator = Emulator.make({ now: () => now, meterSessionLifetime: "15 minutes" })
    return Effect.gen(function*() {
      const session = yield* Billing.MeterEventStream.createSession()
      now += 16 * 60 * 1000
      const error = yield* Effect.flip(
        Billing.MeterEventStream.sendEvents(session, [{
          event_name: "api_call",
          payload: { stripe_customer_id: "cus_1" }
        }])
      )
      expect(error._tag).toBe("MeterEventSessionExpired")
      expect(error._tag === "MeterEventSessionExpired" ? error.detectedBy : undefined).toBe("server")
      expect(emulator.meterEventStream()).toHaveLength(0)
    }).pipe(Effect.provide(Emulator.layerClient({ emulator })))
  })

  it.effect("uploads files as multipart and downloads quote PDFs (files host)", () =>
    Effect.gen(function*() {
      const file = yield* Files.create({
        file: new Blob(["evidence"], { type: "text/plain" }),
        purpose: "dispute_evidence"
      })
      expect(file).toMatchObject({ object: "file", purpose: "dispute_evidence", size: 8 })
      const customer = yield* Customers.create({})
      const quote = yield* Quotes.create({ customer: customer.id })
      yield* Quotes.finalizeQuote(quote.id)
      const pdf = yield* Quotes.pdf(quote.id)
      expect(new TextDecoder().decode(pdf)).toMatch(/^%PDF-1\.4/)
    }).pipe(Effect.provide(Emulator.layerClient())))

  it.effect("layerClient builds a fresh emulator when none is given", () =>
    Effect.gen(function*() {
      const a = yield* Customers.create({ email: "fresh@example.com" })
      const got = yield* Customers.retrieve(a.id)
      expect(got.id).toBe(a.id)
    }).pipe(Effect.provide(Layer.fresh(Emulator.layerClient({ seed: 5 })))))
})
