/**
 * Webhook verification against careless and hostile callers: what it
 * accepts (`string | Buffer | Uint8Array` for payload and header), what it
 * refuses with a typed error (anything else, empty payloads, invalid
 * tolerance and secret options), and that it never throws. The official
 * `stripe` package (23.1) is the oracle for what a genuine header is and for
 * which inputs it refuses.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import { inspect } from "node:util"
import Stripe from "stripe"
import { Webhook, WebhookError } from "../src/index.js"
import * as Signature from "../src/internal/signature.js"
import { makeEvent, paymentIntent, paymentIntentPayload, SENTINEL } from "./fixtures.js"

const T = 1_700_000_000
const stripe = new Stripe("sk_test_unused")
const officialHeader = (payload: string, secret: string, timestamp = T) =>
  stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp })

/** The typed reason of a failure, "ok", or "defect"/"thrown" for what must never happen. */
const outcome = (run: () => Effect.Effect<unknown, unknown>): Effect.Effect<string> =>
  Effect.suspend(() => {
    let effect: Effect.Effect<unknown, unknown>
    try {
      effect = run()
    } catch {
      return Effect.succeed("thrown")
    }
    return Effect.map(Effect.exit(effect), (exit) => {
      if (Exit.isSuccess(exit)) return "ok"
      const failure = Cause.failureOption(exit.cause)
      if (failure._tag === "None") return "defect"
      const error: unknown = failure.value
      return error instanceof WebhookError.WebhookSignatureError || error instanceof WebhookError.WebhookPayloadError
        ? error.reason
        : "untyped"
    })
  })

/** Widens a value to what an untyped caller (an Express `req.body`) passes. */
const untyped = <A>(u: unknown): A => u as A

describe("payload and header types", () => {
  it.effect("a string, Buffer or Uint8Array header with a genuine signature verifies, as with stripe-node", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader(paymentIntentPayload, SENTINEL)
      for (const asGiven of [header, Buffer.from(header), new TextEncoder().encode(header)]) {
        expect(yield* outcome(() => Webhook.constructEvent(paymentIntentPayload, asGiven, SENTINEL))).toBe("ok")
        // The official SDK accepts the same inputs (at the same time).
        expect(
          stripe.webhooks.constructEvent(paymentIntentPayload, untyped(asGiven), SENTINEL, 300, undefined, T * 1000).id
        )
          .toBe("evt_1NG8Du2eZvKYlo2CUI79vXWy")
      }
      const bytes = Buffer.from(paymentIntentPayload)
      expect(yield* outcome(() => Webhook.constructEvent(bytes, Buffer.from(header), SENTINEL))).toBe("ok")
      expect(yield* outcome(() => Webhook.constructEvent(new Uint8Array(bytes), header, SENTINEL))).toBe("ok")
    }))

  it.effect("a parsed body, a Date, null, a number or an array is refused with WebhookPayloadError", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader(paymentIntentPayload, SENTINEL)
      for (const payload of [JSON.parse(paymentIntentPayload), {}, new Date(), null, undefined, 42, [1], true]) {
        expect(yield* outcome(() => Webhook.constructEvent(untyped(payload), header, SENTINEL)), String(payload))
          .toBe("InvalidPayload")
      }
    }))

  it.effect("a header of any other type is InvalidHeader", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader(paymentIntentPayload, SENTINEL)
      for (const bad of [[header], { header }, 42, new Date()]) {
        expect(yield* outcome(() => Webhook.constructEvent(paymentIntentPayload, untyped(bad), SENTINEL)))
          .toBe("InvalidHeader")
      }
    }))

  it.effect("an empty payload is refused even with a matching header (stripe-node refuses it too)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader("", SENTINEL)
      expect(yield* outcome(() => Webhook.constructEvent("", header, SENTINEL))).toBe("EmptyPayload")
      expect(yield* outcome(() => Webhook.constructEvent(new Uint8Array(0), header, SENTINEL))).toBe("EmptyPayload")
      expect(yield* outcome(() => Webhook.verifyHeader("", header, SENTINEL))).toBe("EmptyPayload")
      expect(() => stripe.webhooks.constructEvent("", header, SENTINEL, 300, undefined, T * 1000)).toThrow()
    }))
})

describe("options", () => {
  it.effect("a negative, NaN, infinite or unparsable tolerance is refused, never read as no check", () =>
    Effect.gen(function*() {
      // A stale signature: only a disabled check would accept it.
      yield* TestClock.setTime((T + 3600) * 1000)
      const header = officialHeader(paymentIntentPayload, SENTINEL)
      for (
        const tolerance of [
          -1,
          Number.NaN,
          Infinity,
          -Infinity,
          "-1 seconds",
          " -5 minutes",
          [-1, 0],
          "soon",
          "Infinity",
          {},
          -1n
        ]
      ) {
        expect(
          yield* outcome(() =>
            Webhook.constructEvent(paymentIntentPayload, header, SENTINEL, { tolerance: untyped(tolerance) })
          ),
          String(tolerance)
        ).toBe("InvalidTolerance")
        expect(
          yield* outcome(() =>
            Webhook.verifyHeader(paymentIntentPayload, header, SENTINEL, { tolerance: untyped(tolerance) })
          )
        )
          .toBe("InvalidTolerance")
      }
      // Zero still turns the check off, as in stripe-node; a valid tolerance still applies.
      expect(yield* outcome(() => Webhook.constructEvent(paymentIntentPayload, header, SENTINEL, { tolerance: 0 })))
        .toBe("ok")
      expect(
        yield* outcome(() => Webhook.constructEvent(paymentIntentPayload, header, SENTINEL, { tolerance: "1 hour" }))
      )
        .toBe("ok")
      expect(
        yield* outcome(() =>
          Webhook.constructEvent(paymentIntentPayload, header, SENTINEL, { tolerance: "59 minutes" })
        )
      )
        .toBe("TimestampOutsideTolerance")
    }))

  it.effect("an empty secret never accepts a signature made with it (stripe-node refuses a blank secret)", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader(paymentIntentPayload, "")
      for (const bad of ["", "   ", Redacted.make(""), [], ["", SENTINEL], [SENTINEL, Redacted.make(" ")], 42, null]) {
        expect(yield* outcome(() => Webhook.constructEvent(paymentIntentPayload, header, untyped(bad))), inspect(bad))
          .toBe("InvalidSecret")
      }
      expect(() => stripe.webhooks.constructEvent(paymentIntentPayload, header, "", 300, undefined, T * 1000)).toThrow()
    }))
})

describe("never throws", () => {
  it.effect("any value for any argument ends in success or a typed failure", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = officialHeader(paymentIntentPayload, SENTINEL)
      const anyArg = fc.oneof(
        fc.anything(),
        fc.constant(paymentIntentPayload),
        fc.constant(header),
        fc.constant(SENTINEL)
      )
      const samples = fc.sample(
        fc.tuple(anyArg, anyArg, anyArg, fc.oneof(fc.anything(), fc.record({ tolerance: fc.anything() }))),
        3000
      )
      const results = new Set<string>()
      for (const [payload, given, secret, options] of samples) {
        const result = yield* outcome(() =>
          Webhook.constructEvent(untyped(payload), untyped(given), untyped(secret), untyped(options))
        )
        results.add(result)
        expect(["thrown", "defect", "untyped"]).not.toContain(result)
      }
      expect(results.size).toBeGreaterThan(3)
    }))
})

describe("secrets in a verified event", () => {
  it.effect("a client_secret in data.object is Redacted: not printed, still readable, still decodable", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const clientSecret = "pi_123_secret_WEBHOOKSENTINEL"
      const payload = JSON.stringify(
        makeEvent("payment_intent.succeeded", { ...paymentIntent, client_secret: clientSecret }, {
          data: {
            object: { ...paymentIntent, client_secret: clientSecret },
            previous_attributes: { client_secret: clientSecret }
          }
        })
      )
      const header = officialHeader(payload, SENTINEL)
      const event = yield* Webhook.constructEvent(payload, header, SENTINEL)
      for (const text of [JSON.stringify(event), inspect(event, { depth: 20 }), String(event)]) {
        expect(text).not.toContain("WEBHOOKSENTINEL")
      }
      const secret: unknown = Reflect.get(event.data.object, "client_secret")
      expect(Redacted.isRedacted(secret) ? Redacted.value(secret) : undefined).toBe(clientSecret)
      // A secret deeper in the object (an expanded one) is found too.
      const nested = JSON.stringify(
        makeEvent("checkout.session.completed", {
          id: "cs_1",
          object: "checkout.session",
          payment_intent: { ...paymentIntent, client_secret: clientSecret },
          description: "a \"secret\" word in a value is no key"
        })
      )
      // A partial object: checked as the envelope only (it is not a whole checkout session of the pinned version).
      const deep = yield* Webhook.constructEvent(nested, officialHeader(nested, SENTINEL), SENTINEL, {
        decodeObject: false
      })
      expect(inspect(deep, { depth: 20 })).not.toContain("WEBHOOKSENTINEL")
      const decoded = yield* Webhook.constructEvent(payload, header, SENTINEL, { decodeObject: true })
      const typed: unknown = Reflect.get(decoded.data.object, "client_secret")
      expect(Redacted.isRedacted(typed) ? Redacted.value(typed) : undefined).toBe(clientSecret)
    }))
})

describe("Web Crypto verification (runtimes without node:crypto)", () => {
  it("agrees with Node's crypto on genuine and forged headers", async () => {
    const header = officialHeader(paymentIntentPayload, SENTINEL)
    const forged = header.replace(/v1=./, "v1=0")
    for (
      const [payload, given, expected] of [
        [paymentIntentPayload, header, undefined],
        [new TextEncoder().encode(paymentIntentPayload), header, undefined],
        [paymentIntentPayload, forged, "NoMatchingSignature"],
        [paymentIntentPayload + " ", header, "NoMatchingSignature"]
      ] as const
    ) {
      expect(await Signature.verifySubtle(payload, given, [SENTINEL], 300, T * 1000)).toBe(expected)
    }
    expect(await Signature.computeSignatureSubtle(String(T), paymentIntentPayload, SENTINEL)).toBe(
      header.slice(header.indexOf("v1=") + 3)
    )
  })
})
