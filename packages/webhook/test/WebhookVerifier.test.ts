import { describe, expect, it } from "@effect/vitest"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import { inspect } from "node:util"
import Stripe from "stripe"
import { Webhook, WebhookVerifier } from "../src/index.js"
import { exitReason as reasonOf, makeEvent, paymentIntentPayload, secret, SENTINEL } from "./fixtures.js"

const T = 1_700_000_000
const stripe = new Stripe("sk_test_123")

// The official package's header: the oracle for what a genuine signature is.
const officialHeader = (payload: string, key: string, timestamp: number): string =>
  stripe.webhooks.generateTestHeaderString({ payload, secret: key, timestamp })

// Runs in the calling fiber, so that TestClock time applies to the module function.
const reason = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<string> => Effect.map(Effect.exit(effect), reasonOf)

describe("WebhookVerifier", () => {
  it.effect("agrees with the official stripe package on genuine, forged, tampered and stale headers", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime((T + 10) * 1000)
      const verifier = yield* WebhookVerifier.make({ secret })
      const genuine = officialHeader(paymentIntentPayload, SENTINEL, T)
      const cases: ReadonlyArray<readonly [string, string, string]> = [
        [paymentIntentPayload, genuine, "ok"],
        [paymentIntentPayload, officialHeader(paymentIntentPayload, "whsec_other", T), "NoMatchingSignature"],
        [`${paymentIntentPayload} `, genuine, "NoMatchingSignature"],
        [paymentIntentPayload, genuine.replace(/v1=[0-9a-f]/, "v1=g"), "NoMatchingSignature"],
        [paymentIntentPayload, `t=${T}`, "InvalidHeader"],
        [paymentIntentPayload, officialHeader(paymentIntentPayload, SENTINEL, T - 301), "TimestampOutsideTolerance"]
      ]
      for (const [payload, header, expected] of cases) {
        let officialOk = true
        try {
          // The official check, at the same instant (its `receivedAt` is in milliseconds).
          stripe.webhooks.constructEvent(payload, header, SENTINEL, 300, undefined, (T + 10) * 1000)
        } catch {
          officialOk = false
        }
        const got = reasonOf(Effect.runSyncExit(verifier.constructEvent(payload, header, { decodeObject: false })))
        expect(got).toBe(expected)
        expect(got === "ok").toBe(officialOk)
        expect(reasonOf(Effect.runSyncExit(verifier.verifyHeader(payload, header)))).toBe(expected)
      }
    }))

  it.effect("gives the same verdict as Webhook.constructEvent for any header, secret and tolerance", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const genuine = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      const headers = fc.oneof(
        fc.constant(genuine),
        fc.string(),
        fc.nat({ max: genuine.length - 1 }).chain((at) =>
          fc.string({ minLength: 1, maxLength: 1 }).map((c) => genuine.slice(0, at) + c + genuine.slice(at + 1))
        )
      )
      const samples = fc.sample(
        fc.record({
          header: headers,
          offset: fc.integer({ min: -400, max: 400 }),
          tolerance: fc.constantFrom<Duration.DurationInput | undefined>(undefined, 0, "10 seconds", "1 hour"),
          rotating: fc.boolean()
        }),
        { numRuns: 300, seed: 42 }
      )
      for (const sample of samples) {
        const secrets = sample.rotating ? [Redacted.make("whsec_previous"), secret] : secret
        yield* TestClock.setTime((T + sample.offset) * 1000)
        const verifier = yield* WebhookVerifier.make({ secret: secrets, tolerance: sample.tolerance })
        const expected = yield* reason(
          Webhook.constructEvent(paymentIntentPayload, sample.header, secrets, {
            tolerance: sample.tolerance,
            decodeObject: false
          })
        )
        expect(yield* reason(verifier.constructEvent(paymentIntentPayload, sample.header, { decodeObject: false })))
          .toBe(expected)
      }
    }))

  it.effect("reads time from the Clock it was built under: a TestClock adjusted later is seen", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const verifier = yield* WebhookVerifier.make({ secret, tolerance: "10 seconds" })
      const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      expect(yield* reason(verifier.verifyHeader(paymentIntentPayload, header))).toBe("ok")
      yield* TestClock.adjust("10 seconds")
      expect(yield* reason(verifier.verifyHeader(paymentIntentPayload, header))).toBe("ok")
      yield* TestClock.adjust("1 second")
      expect(yield* reason(verifier.verifyHeader(paymentIntentPayload, header))).toBe("TimestampOutsideTolerance")
    }))

  it.effect("returns a completed Effect where Node's crypto exists: runSync needs no fiber", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const verifier = yield* WebhookVerifier.make({ secret })
      const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      const accepted = verifier.constructEvent(paymentIntentPayload, header, { decodeObject: false })
      const refused = verifier.constructEvent(paymentIntentPayload, "t=1,v1=00", { decodeObject: false })
      expect(Exit.isExit(accepted)).toBe(true)
      expect(Exit.isExit(refused)).toBe(true)
      expect(Exit.isExit(verifier.verifyHeader(paymentIntentPayload, header))).toBe(true)
      const event = yield* accepted
      expect(event.id).toBe("evt_1NG8Du2eZvKYlo2CUI79vXWy")
      // The redaction rule holds on this path too.
      expect(Redacted.isRedacted(Reflect.get(event.data.object, "client_secret"))).toBe(true)
    }))

  it.effect("decodes data.object by default, as Webhook.constructEvent does", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const verifier = yield* WebhookVerifier.make({ secret })
      const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      const event = yield* verifier.constructEvent(paymentIntentPayload, header)
      expect(event.type).toBe("payment_intent.succeeded")
      if (event.type !== "payment_intent.succeeded") return
      expect(event.data.object.amount).toBe(2000)
      expect(Redacted.value(event.data.object.client_secret ?? Redacted.make(""))).toBe("pi_123_secret_abc")
      // An object that does not decode is a WebhookObjectError, not a defect.
      const broken = JSON.stringify(
        makeEvent("payment_intent.succeeded", { id: "pi_1", object: "payment_intent", amount: "2000" })
      )
      const brokenHeader = Webhook.generateTestSignature(broken, secret, { timestamp: T })
      expect(yield* reason(verifier.constructEvent(broken, brokenHeader))).toBe("WebhookObjectError")
    }))

  it.effect("refuses an empty secret or a negative tolerance when built, before any request", () =>
    Effect.gen(function*() {
      expect(yield* reason(WebhookVerifier.make({ secret: "" }))).toBe("InvalidSecret")
      expect(yield* reason(WebhookVerifier.make({ secret: [] }))).toBe("InvalidSecret")
      expect(yield* reason(WebhookVerifier.make({ secret, tolerance: "-1 seconds" }))).toBe("InvalidTolerance")
      expect(yield* reason(WebhookVerifier.make({ secret, tolerance: Number.NaN }))).toBe("InvalidTolerance")
    }))

  it.effect("refuses hostile per-request inputs with typed errors and never throws", () =>
    Effect.gen(function*() {
      const verifier = yield* WebhookVerifier.make({ secret })
      const values: ReadonlyArray<unknown> = [undefined, null, 1, {}, [], new Date(), "", Symbol("x"), () => 1]
      for (const payload of values) {
        for (const header of values) {
          // Boundary: a caller's `any` (an Express `req.body`) reaches the verifier untyped.
          const exit = Effect.runSyncExit(verifier.constructEvent(payload as string, header as string))
          expect(["InvalidPayload", "EmptyPayload"]).toContain(reasonOf(exit))
        }
      }
      expect(reasonOf(Effect.runSyncExit(verifier.verifyHeader(paymentIntentPayload, undefined)))).toBe(
        "MissingHeader"
      )
    }))

  it.effect("layerConfig reads a redacted secret from Config, and never shows it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const provider = ConfigProvider.fromMap(new Map([["STRIPE_WEBHOOK_SECRET", SENTINEL]]))
      const verifier = yield* WebhookVerifier.WebhookVerifier.pipe(
        Effect.provide(
          WebhookVerifier.layerConfig({ secret: Config.redacted("STRIPE_WEBHOOK_SECRET") }).pipe(
            Layer.provide(Layer.setConfigProvider(provider))
          )
        )
      )
      const header = Webhook.generateTestSignature(paymentIntentPayload, SENTINEL, { timestamp: T })
      expect(yield* reason(verifier.verifyHeader(paymentIntentPayload, header))).toBe("ok")
      expect(inspect(verifier, { depth: 10 })).not.toContain(SENTINEL)
      expect(JSON.stringify(verifier)).not.toContain(SENTINEL)
      const missing = yield* Effect.exit(
        WebhookVerifier.WebhookVerifier.pipe(
          Effect.provide(
            WebhookVerifier.layerConfig({ secret: Config.redacted("STRIPE_WEBHOOK_SECRET") }).pipe(
              Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map())))
            )
          )
        )
      )
      expect(Exit.isFailure(missing)).toBe(true)
      expect(String(missing)).toContain("STRIPE_WEBHOOK_SECRET")
    }))
})
