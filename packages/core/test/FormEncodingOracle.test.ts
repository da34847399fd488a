/**
 * `FormEncoding.encode` against the official `stripe` package as the oracle:
 * random params (nested objects, indexed arrays of scalars and objects,
 * booleans, integers and decimals, dates, `null` and `""` to unset, Unicode
 * and reserved characters in keys and values) are POSTed by `stripe` to a
 * loopback server, and the body it sent must be what `encode` gives: the
 * same pairs in the same order, and the same bytes up to the percent-escapes
 * on which the two encoders legitimately differ (see `normalize`).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { FormEncoding } from "@lattice-stripe/core"
import * as fc from "fast-check"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import Stripe from "stripe"

let server: Http.Server | undefined
let lastBody = ""
let stripe: Stripe | undefined

beforeAll(async () => {
  server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => {
      lastBody = Buffer.concat(chunks).toString("utf8")
      res.writeHead(200, { "content-type": "application/json" })
      res.end("{}")
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve))
  // boundary: a TCP server's address() is an AddressInfo
  const port = (server.address() as AddressInfo).port
  stripe = new Stripe("sk_test_oracle", { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0 })
})

afterAll(async () => {
  await new Promise<void>((resolve) => server?.close(() => resolve()))
})

/** What the `stripe` package sends as the body of a POST with these params. */
const stripeBody = async (params: Record<string, unknown>): Promise<string> => {
  if (stripe === undefined) throw new Error("the oracle server is not up")
  await stripe.rawRequest("POST", "/v1/oracle", params)
  return lastBody
}

const pairs = (encoded: string) => [...new URLSearchParams(encoded).entries()]

// `stripe` (qs) escapes `!'()*` and turns every `%5B`/`%5D` back into brackets; `encode` keeps
// RFC 3986 sub-delimiters and escapes brackets inside names and values. Same form data either way.
const normalize = (encoded: string) =>
  encoded.replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/%21/g, "!").replace(/%27/g, "'")
    .replace(/%28/g, "(").replace(/%29/g, ")").replace(/%2A/g, "*")

const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.constantFrom("a b", "a&b=c", "100%", "+1", "ü€𝄞", "", "[x]", "line\nbreak", "O'Brien (Jr.)!*")
)
const key = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/),
  fc.constantFrom("with space", "ümlaut", "a&b", "dot.ted")
)
const scalar = fc.oneof(
  text,
  fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
  fc.integer({ min: -99_999, max: 99_999 }).map((n) => n / 100),
  fc.boolean(),
  fc.constant(null),
  fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2100-01-01T00:00:00Z"), noInvalidDate: true })
)
const { value } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 })
  )
}))
const params = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 })

describe("FormEncoding.encode sends what the official stripe package sends", () => {
  it("for documented shapes", async () => {
    const cases: ReadonlyArray<Record<string, unknown>> = [
      { items: [{ price: "price_1", quantity: 2 }], metadata: { plan: "" } },
      { expand: ["customer", "data.latest_charge"], limit: 3 },
      { amount: 2000, currency: "usd", confirm: true, capture_method: "manual" },
      { shipping: { address: { line1: "1 Main St", city: "San Francisco" }, name: "Jenny Rosen" } },
      { description: null, metadata: { "note key": "a b&c=d ü" } },
      { billing_cycle_anchor: new Date("2030-01-01T00:00:00Z"), trial_end: 1_900_000_000 }
    ]
    for (const c of cases) {
      const theirs = await stripeBody(c)
      const ours = FormEncoding.encode(c)
      expect(pairs(ours)).toEqual(pairs(theirs))
      expect(normalize(ours)).toBe(normalize(theirs))
    }
    // The bytes of a documented case, written out: brackets stay literal, spaces are %20.
    expect(FormEncoding.encode({ items: [{ price: "price_1" }], metadata: { "a b": "c&d" } })).toBe(
      await stripeBody({ items: [{ price: "price_1" }], metadata: { "a b": "c&d" } })
    )
  })

  it("for random params", async () => {
    await fc.assert(
      fc.asyncProperty(params, async (p) => {
        const theirs = await stripeBody(p)
        const ours = FormEncoding.encode(p)
        expect(pairs(ours)).toEqual(pairs(theirs))
        expect(normalize(ours)).toBe(normalize(theirs))
      }),
      { numRuns: 300 }
    )
  }, 60_000)
})
