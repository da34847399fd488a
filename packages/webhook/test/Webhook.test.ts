import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as fc from "fast-check"
import { createHmac } from "node:crypto"
import { inspect } from "node:util"
import Stripe from "stripe"
import { Webhook } from "../src/index.js"
import * as Signature from "../src/internal/signature.js"
import { exitReason, makeEvent, paymentIntent, paymentIntentPayload, secret, SENTINEL } from "./fixtures.js"

const T = 1_700_000_000

const hmacHex = (key: string, content: string | Uint8Array): string =>
  createHmac("sha256", key).update(content).digest("hex")

// Runs in the calling fiber, so that TestClock time applies.
const reason = <A, E>(effect: Effect.Effect<A, E>): Effect.Effect<string> => Effect.map(Effect.exit(effect), exitReason)

// Runs on the real clock: only for checks that do not depend on time.
const reasonOf = <A, E>(effect: Effect.Effect<A, E>): string => exitReason(Effect.runSyncExit(effect))

describe("Webhook.generateTestSignature", () => {
  it("produces Stripe's exact header format", () => {
    const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
    expect(header).toBe(`t=${T},v1=${hmacHex(SENTINEL, `${T}.${paymentIntentPayload}`)}`)
  })

  it("matches the official stripe package's test header", () => {
    const stripe = new Stripe("sk_test_123")
    const official = stripe.webhooks.generateTestHeaderString({
      payload: paymentIntentPayload,
      secret: SENTINEL,
      timestamp: T
    })
    expect(Webhook.generateTestSignature(paymentIntentPayload, SENTINEL, { timestamp: T })).toBe(official)
  })

  it("accepts a Date timestamp and byte payloads", () => {
    const bytes = new TextEncoder().encode(paymentIntentPayload)
    expect(Webhook.generateTestSignature(bytes, secret, { timestamp: new Date(T * 1000) })).toBe(
      Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
    )
  })

  it.effect("round-trips through constructEvent at the current Clock time", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = yield* Webhook.testSignature(paymentIntentPayload, secret)
      expect(header.startsWith(`t=${T},v1=`)).toBe(true)
      const event = yield* Webhook.constructEvent(paymentIntentPayload, header, secret)
      expect(event.id).toBe("evt_1NG8Du2eZvKYlo2CUI79vXWy")
      expect(event.type).toBe("payment_intent.succeeded")
      // Decoded: the client secret is `Redacted`, every other field as sent.
      const { client_secret: _secret, ...rest } = paymentIntent
      expect(event.data.object).toMatchObject(rest)
    }))
})

describe("Webhook.constructEvent", () => {
  it.effect("verifies a header built independently with node:crypto (fixed vector)", () =>
    Effect.gen(function*() {
      const key = "whsec_test_secret_for_notebook"
      const body = JSON.stringify(
        makeEvent("customer.created", { id: "cus_1", object: "customer" }, { created: 1_614_556_800 })
      )
      const header = `t=1614556828,v1=${hmacHex(key, `1614556828.${body}`)}`
      yield* TestClock.setTime(1_614_556_900_000)
      const event = yield* Webhook.constructEvent(body, header, key, { decodeObject: false })
      expect(event.type).toBe("customer.created")
      expect(event.created).toBe(1_614_556_800)
    }))

  it.effect("verifies a known constant signature", () =>
    Effect.gen(function*() {
      // HMAC-SHA256 of "1700000000.{}" under "whsec_abc", computed with
      // `printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec_abc`.
      const expected = "bad9ac117e973d721c232d46744158d75e3f1b44e36771e13d01b9e6a580bc72"
      expect(Webhook.generateTestSignature("{}", "whsec_abc", { timestamp: T })).toBe(`t=${T},v1=${expected}`)
      yield* TestClock.setTime(T * 1000)
      const verified = yield* Effect.either(Webhook.verifyHeader("{}", `t=${T},v1=${expected}`, "whsec_abc"))
      expect(Either.isRight(verified)).toBe(true)
    }))

  it.effect("accepts bytes, including a Buffer view with an offset", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      const backing = Buffer.from(`xxxx${paymentIntentPayload}yyyy`)
      const view = backing.subarray(4, backing.length - 4)
      const fromBuffer = yield* Webhook.constructEvent(view, header, secret)
      const plain = new Uint8Array(new TextEncoder().encode(paymentIntentPayload))
      const fromBytes = yield* Webhook.constructEvent(plain, header, secret)
      expect(fromBuffer.id).toBe(fromBytes.id)
      expect(fromBuffer.data.object.object).toBe("payment_intent")
    }))

  it.effect("rejects a missing or empty header", () =>
    Effect.gen(function*() {
      for (const header of [undefined, null, ""]) {
        const error = yield* Effect.flip(
          Webhook.constructEvent(paymentIntentPayload, header, secret, { decodeObject: false })
        )
        expect(error._tag).toBe("WebhookSignatureError")
        expect(error.reason).toBe("MissingHeader")
      }
    }))

  it.effect("rejects malformed headers as InvalidHeader", () =>
    Effect.gen(function*() {
      const sig = hmacHex(SENTINEL, `${T}.${paymentIntentPayload}`)
      const headers = [
        `v1=${sig}`, // no timestamp
        `t=${T}`, // no v1
        `t=${T},v0=${sig}`, // only an ignored scheme
        `t=,v1=${sig}`,
        `t=12a,v1=${sig}`,
        `t=-1,v1=${sig}`,
        `t=${T},t=${T},v1=${sig}`, // repeated timestamp
        `t=1234567890123456,v1=${sig}`, // beyond a safe integer's digits
        "garbage",
        ",,,,"
      ]
      yield* TestClock.setTime(T * 1000)
      for (const header of headers) {
        expect([header, yield* reason(Webhook.constructEvent(paymentIntentPayload, header, secret))]).toEqual([
          header,
          "InvalidHeader"
        ])
      }
    }))

  it.effect("ignores v0 and unknown schemes next to a valid v1, and tries every v1", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const sig = hmacHex(SENTINEL, `${T}.${paymentIntentPayload}`)
      const bogus = "0".repeat(64)
      const header = `t=${T},v0=${bogus},v1=${bogus},x=y,noequals,v1=${sig},v9=zz`
      const event = yield* Webhook.constructEvent(paymentIntentPayload, header, secret)
      expect(event.type).toBe("payment_intent.succeeded")
    }))

  it.effect("rejects upper-case hex and truncated signatures", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const sig = hmacHex(SENTINEL, `${T}.${paymentIntentPayload}`)
      for (const bad of [sig.toUpperCase(), sig.slice(0, 62), `${sig}00`]) {
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, `t=${T},v1=${bad}`, secret))).toBe(
          "NoMatchingSignature"
        )
      }
    }))

  it.effect("rejects the wrong secret and a re-serialized body", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T * 1000)
      const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
      expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, header, "whsec_other"))).toBe(
        "NoMatchingSignature"
      )
      const reserialized = JSON.stringify(JSON.parse(paymentIntentPayload), null, 2)
      expect(yield* reason(Webhook.constructEvent(reserialized, header, secret))).toBe("NoMatchingSignature")
    }))

  describe("tolerance", () => {
    const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
    const at = (millis: number, tolerance?: Parameters<typeof Webhook.constructEvent>[3]) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(millis)
        return yield* reason(Webhook.constructEvent(paymentIntentPayload, header, secret, tolerance))
      })

    it.effect("accepts exactly 300 s in the past and rejects 301 s (default)", () =>
      Effect.gen(function*() {
        expect(yield* at((T + 300) * 1000)).toBe("ok")
        expect(yield* at((T + 300) * 1000 + 999)).toBe("ok")
        expect(yield* at((T + 301) * 1000)).toBe("TimestampOutsideTolerance")
        expect(yield* at((T + 86_400) * 1000)).toBe("TimestampOutsideTolerance")
      }))

    it.effect("accepts exactly 300 s in the future and rejects 301 s", () =>
      Effect.gen(function*() {
        expect(yield* at((T - 300) * 1000)).toBe("ok")
        expect(yield* at((T - 301) * 1000)).toBe("TimestampOutsideTolerance")
        expect(yield* at((T - 301) * 1000 + 999)).toBe("TimestampOutsideTolerance")
      }))

    it.effect("follows a custom tolerance both ways", () =>
      Effect.gen(function*() {
        expect(yield* at((T + 10) * 1000, { tolerance: "10 seconds" })).toBe("ok")
        expect(yield* at((T + 11) * 1000, { tolerance: "10 seconds" })).toBe("TimestampOutsideTolerance")
        expect(yield* at((T - 10) * 1000, { tolerance: "10 seconds" })).toBe("ok")
        expect(yield* at((T - 11) * 1000, { tolerance: "10 seconds" })).toBe("TimestampOutsideTolerance")
      }))

    it.effect("zero disables the time check", () =>
      Effect.gen(function*() {
        expect(yield* at(0, { tolerance: 0 })).toBe("ok")
        expect(yield* at((T + 10 * 365 * 86_400) * 1000, { tolerance: 0 })).toBe("ok")
      }))

    it.effect("checks the signature before the time", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime((T + 10_000) * 1000)
        expect(yield* reason(Webhook.constructEvent(`${paymentIntentPayload} `, header, secret))).toBe(
          "NoMatchingSignature"
        )
      }))
  })

  describe("rotation", () => {
    const oldSecret = Redacted.make("whsec_old_secret")
    const newSecret = "whsec_new_secret"

    it.effect("accepts a signature made with either of two secrets", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T * 1000)
        const byOld = Webhook.generateTestSignature(paymentIntentPayload, oldSecret, { timestamp: T })
        const byNew = Webhook.generateTestSignature(paymentIntentPayload, newSecret, { timestamp: T })
        const both = [oldSecret, newSecret]
        expect((yield* Webhook.constructEvent(paymentIntentPayload, byOld, both)).id).toBeDefined()
        expect((yield* Webhook.constructEvent(paymentIntentPayload, byNew, both)).id).toBeDefined()
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, byNew, [oldSecret]))).toBe(
          "NoMatchingSignature"
        )
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, byOld, [newSecret]))).toBe(
          "NoMatchingSignature"
        )
        // No secret at all is a configuration error, never "nothing matched".
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, byOld, []))).toBe("InvalidSecret")
      }))

    it.effect("accepts a header carrying one v1 per secret (Stripe during a roll)", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T * 1000)
        const header = `t=${T},v1=${hmacHex("whsec_old_secret", `${T}.${paymentIntentPayload}`)},v1=${
          hmacHex(newSecret, `${T}.${paymentIntentPayload}`)
        }`
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, header, newSecret))).toBe("ok")
        expect(yield* reason(Webhook.constructEvent(paymentIntentPayload, header, oldSecret))).toBe("ok")
      }))
  })

  describe("payload", () => {
    const signed = (body: string) =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T * 1000)
        const header = Webhook.generateTestSignature(body, secret, { timestamp: T })
        return yield* Effect.flip(Webhook.constructEvent(body, header, secret, { decodeObject: false }))
      })

    it.effect("fails with InvalidJson for a signed non-JSON body", () =>
      Effect.gen(function*() {
        const error = yield* signed("not json")
        expect(error._tag).toBe("WebhookPayloadError")
        expect(error.reason).toBe("InvalidJson")
      }))

    it.effect("fails with NotAnEvent for JSON that is not an event envelope", () =>
      Effect.gen(function*() {
        const cases: Array<[unknown, string]> = [
          [[1, 2], "JSON object"],
          [{ id: "evt_1", object: "event", type: "x" }, "created"],
          [{ ...makeEvent("x", { id: "a", object: "customer" }), object: "customer" }, "object"],
          [{ ...makeEvent("x", { id: "a", object: "customer" }), data: {} }, "data.object"],
          [{ ...makeEvent("x", { id: "a" }) }, "data.object"],
          [{ ...makeEvent("x", { id: "a", object: "customer" }), request: "req_1" }, "request"],
          [{ ...makeEvent("x", { id: "a", object: "customer" }), livemode: "no" }, "livemode"]
        ]
        for (const [body, field] of cases) {
          const error = yield* signed(JSON.stringify(body))
          expect(error.reason).toBe("NotAnEvent")
          expect(error.message).toContain(field)
        }
      }))

    it.effect("accepts optional envelope fields being absent or null, and keeps unknown fields", () =>
      Effect.gen(function*() {
        const body = makeEvent("customer.updated", { id: "cus_1", object: "customer" }, {
          request: null,
          api_version: null,
          account: "acct_1",
          brand_new_field: 1
        })
        Reflect.deleteProperty(body, "api_version")
        const text = JSON.stringify({
          ...body,
          data: { object: { id: "cus_1", object: "customer" }, previous_attributes: { name: "x" } }
        })
        yield* TestClock.setTime(T * 1000)
        const header = Webhook.generateTestSignature(text, secret, { timestamp: T })
        const event = yield* Webhook.constructEvent(text, header, secret, { decodeObject: false })
        expect(event.account).toBe("acct_1")
        expect(event.data.previous_attributes).toEqual({ name: "x" })
        expect(Reflect.get(event, "brand_new_field")).toBe(1)
      }))

    it.effect("decodes data.object through the registry (the default)", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T * 1000)
        const header = Webhook.generateTestSignature(paymentIntentPayload, secret, { timestamp: T })
        const event = yield* Webhook.constructEvent(paymentIntentPayload, header, secret, { decodeObject: true })
        expect(event.data.object).toMatchObject({ id: "pi_123", object: "payment_intent", amount: 2000 })
        const { status: _omitted, ...broken } = paymentIntent
        const body = JSON.stringify(makeEvent("payment_intent.succeeded", broken))
        const brokenHeader = Webhook.generateTestSignature(body, secret, { timestamp: T })
        expect(yield* reason(Webhook.constructEvent(body, brokenHeader, secret, { decodeObject: true }))).toBe(
          "WebhookObjectError"
        )
        expect(yield* reason(Webhook.constructEvent(body, brokenHeader, secret))).toBe("WebhookObjectError")
        // Without decoding, the envelope alone is checked.
        expect(yield* reason(Webhook.constructEvent(body, brokenHeader, secret, { decodeObject: false }))).toBe("ok")
      }))

    it.effect("verifyHeader checks the signature without parsing the body", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T * 1000)
        const header = Webhook.generateTestSignature("not json", secret, { timestamp: T })
        yield* Webhook.verifyHeader("not json", header, secret)
        const error = yield* Effect.flip(Webhook.verifyHeader("not json!", header, secret))
        expect(error.reason).toBe("NoMatchingSignature")
      }))
  })

  it.effect("never exposes the secret or the expected signature in errors", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime((T + 1000) * 1000)
      const expected = hmacHex(SENTINEL, `${T}.${paymentIntentPayload}`)
      const stale = `t=${T},v1=${expected}`
      const errors: Array<unknown> = []
      const collect = <A, E>(effect: Effect.Effect<A, E>) =>
        Effect.flip(effect).pipe(Effect.tap((e) => Effect.sync(() => errors.push(e))))
      yield* collect(Webhook.constructEvent(paymentIntentPayload, undefined, secret))
      yield* collect(Webhook.constructEvent(paymentIntentPayload, "t=x", secret))
      yield* collect(Webhook.constructEvent(`${paymentIntentPayload}x`, stale, [secret, SENTINEL]))
      yield* collect(Webhook.constructEvent(paymentIntentPayload, stale, secret))
      yield* TestClock.setTime(T * 1000)
      yield* collect(Webhook.constructEvent("nope", `t=${T},v1=${hmacHex(SENTINEL, `${T}.nope`)}`, SENTINEL))
      expect(errors).toHaveLength(5)
      for (const error of errors) {
        const renderings = [
          String(error),
          JSON.stringify(error),
          inspect(error, { depth: 10 }),
          Cause.pretty(Cause.fail(error)),
          error instanceof Error ? `${error.message}\n${error.stack}` : ""
        ]
        for (const text of renderings) {
          expect(text).not.toContain(SENTINEL)
          expect(text).not.toContain(expected)
        }
      }
    }))
})

describe("properties", () => {
  const payloadArb = fc
    .record({ id: fc.string(), amount: fc.integer(), note: fc.string({ unit: "binary" }) })
    .map((o) => new TextEncoder().encode(JSON.stringify(makeEvent("charge.succeeded", { ...o, object: "charge" }))))
  const timestampArb = fc.integer({ min: 1_000_000_000, max: 9_999_999_999 })

  const rejects = (payload: Uint8Array, header: string) =>
    reasonOf(Webhook.constructEvent(payload, header, secret, { tolerance: 0, decodeObject: false }))

  it("flipping any bit of any payload byte is rejected", () => {
    fc.assert(
      fc.property(payloadArb, timestampArb, fc.nat(), fc.integer({ min: 0, max: 7 }), (payload, t, index, bit) => {
        const header = Webhook.generateTestSignature(payload, secret, { timestamp: t })
        expect(rejects(payload, header)).toBe("ok")
        const tampered = Uint8Array.from(payload)
        tampered[index % tampered.length] ^= 1 << bit
        expect(rejects(tampered, header)).toBe("NoMatchingSignature")
      }),
      { numRuns: 1000 }
    )
  })

  const flipChar = (text: string, index: number, bit: number): string => {
    const code = text.charCodeAt(index) ^ (1 << bit)
    return text.slice(0, index) + String.fromCharCode(code) + text.slice(index + 1)
  }

  it("flipping any bit of the timestamp is rejected", () => {
    fc.assert(
      fc.property(payloadArb, timestampArb, fc.nat(), fc.integer({ min: 0, max: 15 }), (payload, t, index, bit) => {
        const header = Webhook.generateTestSignature(payload, secret, { timestamp: t })
        const digits = String(t).length
        const tampered = flipChar(header, 2 + (index % digits), bit)
        expect(["InvalidHeader", "NoMatchingSignature"]).toContain(rejects(payload, tampered))
      }),
      { numRuns: 2000 }
    )
  })

  it("flipping any bit of the signature is rejected", () => {
    fc.assert(
      fc.property(payloadArb, timestampArb, fc.nat(), fc.integer({ min: 0, max: 15 }), (payload, t, index, bit) => {
        const header = Webhook.generateTestSignature(payload, secret, { timestamp: t })
        const start = header.indexOf("v1=") + 3
        const tampered = flipChar(header, start + (index % 64), bit)
        expect(rejects(payload, tampered)).toBe("NoMatchingSignature")
      }),
      { numRuns: 2000 }
    )
  })

  it("flipping any bit anywhere in the header is rejected", () => {
    fc.assert(
      fc.property(payloadArb, timestampArb, fc.nat(), fc.integer({ min: 0, max: 15 }), (payload, t, index, bit) => {
        const header = Webhook.generateTestSignature(payload, secret, { timestamp: t })
        const tampered = flipChar(header, index % header.length, bit)
        expect(["InvalidHeader", "NoMatchingSignature"]).toContain(rejects(payload, tampered))
      }),
      { numRuns: 2000 }
    )
  })

  // Random strings, plus strings built from header-like pieces so the parser's
  // deeper branches (digits, hex, separators) are exercised too.
  const headerArb = fc.oneof(
    fc.string({ unit: "binary", maxLength: 200 }),
    fc.array(
      fc.oneof(
        fc.constantFrom("t=", "v1=", "v0=", ",", "=", "t", "v1", " ", ""),
        fc.stringMatching(/^[0-9]{0,16}$/),
        fc.stringMatching(/^[0-9a-fA-F]{60,66}$/),
        fc.string({ maxLength: 8 })
      ),
      { maxLength: 12 }
    ).map((parts) => parts.join(""))
  )
  const reasons = ["MissingHeader", "InvalidHeader", "NoMatchingSignature", "TimestampOutsideTolerance"]

  it("100,000 random header strings never throw (synchronous core)", () => {
    const payload = new TextEncoder().encode(paymentIntentPayload)
    fc.assert(
      fc.property(headerArb, (header) => {
        const crypto = Signature.nodeCrypto()
        if (crypto === null) throw new Error("Node's crypto is missing")
        const result = Signature.verify(crypto, payload, header, [SENTINEL], 300, T * 1000)
        expect(reasons).toContain(result)
      }),
      { numRuns: 100_000 }
    )
  })

  it("random header strings only ever fail with typed errors (Effect API)", () => {
    fc.assert(
      fc.property(headerArb, (header) => {
        const exit = Effect.runSyncExit(Webhook.constructEvent(paymentIntentPayload, header, secret))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) {
          const failure = Cause.failureOption(exit.cause)
          expect(failure._tag).toBe("Some")
          if (failure._tag === "Some") expect(failure.value._tag).toBe("WebhookSignatureError")
        }
      }),
      { numRuns: 5_000 }
    )
  })
})

describe("HMAC key preparation", () => {
  // Oracle: Node's own `createHmac`, with the secret as a UTF-8 string key.
  const node = Signature.nodeCrypto()

  it("prepared keys sign as createHmac does, for any secret and payload", () => {
    if (node === null) throw new Error("Node's crypto is missing")
    fc.assert(
      fc.property(
        // Short ASCII secrets take the two-hash path; long or non-ASCII ones fall back to a KeyObject.
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 64 }),
          fc.string({ unit: "binary", minLength: 1, maxLength: 100 })
        ),
        fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.uint8Array({ maxLength: 300 })),
        fc.integer({ min: 0, max: 9_999_999_999 }),
        (key, payload, t) => {
          const expected = typeof payload === "string"
            ? createHmac("sha256", key).update(`${t}.${payload}`, "utf8").digest("hex")
            : createHmac("sha256", key).update(`${t}.`, "latin1").update(payload).digest("hex")
          const prepared = Signature.prepareKey(node, key)
          expect(Signature.computeSignature(node, String(t), payload, prepared)).toBe(expected)
          // Twice: the prepared key's shared buffer must not carry state from one call to the next.
          expect(Signature.computeSignature(node, String(t), payload, prepared)).toBe(expected)
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it("signs bodies above the reused buffer's limit, and short ones after them, as createHmac does", () => {
    if (node === null) throw new Error("Node's crypto is missing")
    const prepared = Signature.prepareKey(node, SENTINEL)
    // 400,000 units may need 1.2 MB of UTF-8: above the 1 MiB buffer, so the concatenation is hashed.
    const large = `{"x":"${"é".repeat(200_000)}${"a".repeat(200_000)}"}`
    const bytes = new TextEncoder().encode(large)
    for (const payload of [large, "{}", bytes, new Uint8Array([0xff, 0xfe]), "{}"]) {
      const expected = typeof payload === "string"
        ? hmacHex(SENTINEL, `1.${payload}`)
        : createHmac("sha256", SENTINEL).update("1.", "latin1").update(payload).digest("hex")
      expect(Signature.computeSignature(node, "1", payload, prepared)).toBe(expected)
    }
  })

  it("a 64-byte ASCII secret uses the whole block, a 65-byte one is hashed first", () => {
    if (node === null) throw new Error("Node's crypto is missing")
    for (const key of ["k".repeat(64), "k".repeat(65), "whsec_é"]) {
      const prepared = Signature.prepareKey(node, key)
      expect(Signature.computeSignature(node, "1", paymentIntentPayload, prepared)).toBe(
        hmacHex(key, `1.${paymentIntentPayload}`)
      )
    }
  })
})
