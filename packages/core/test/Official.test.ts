/**
 * The official `stripe` package (23.1) as the oracle, for what both SDKs
 * send (telemetry, the client user agent) and for error mapping: the
 * same response, served by one loopback server, is requested by both SDKs,
 * and the error classes are compared. Where this SDK deliberately differs
 * (a known `error.type` on a status outside the official status table, and
 * Stripe's v2- and OAuth-specific classes, which this SDK does not have)
 * the expectation is written out and says so.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import Stripe from "stripe"
import * as StripeClient from "../src/StripeClient.js"
import type { StripeError } from "../src/StripeError.js"
import type { Loopback } from "./support/loopback.js"
import { API_KEY, failureOf, loopback, stripeOn, transports } from "./support/loopback.js"

interface Case {
  readonly status: number
  readonly body: string
  readonly v2?: boolean
}

const official = (server: Loopback) =>
  new Stripe(API_KEY, {
    host: "127.0.0.1",
    port: server.port,
    protocol: "http",
    maxNetworkRetries: 0,
    telemetry: false
  })

/** The class name the official SDK throws for a case, in this SDK's spelling. */
const officialTag = (server: Loopback, c: Case): Effect.Effect<string> =>
  Effect.promise(async () => {
    try {
      await official(server).rawRequest("POST", c.v2 === true ? "/v2/core/things" : "/v1/customers", {})
      return "no error"
    } catch (error) {
      const name = error instanceof Error ? error.constructor.name : String(error)
      return name === "StripeAPIError" ? "StripeApiError" : name === "RateLimitError" ? "StripeRateLimitError" : name
    }
  })

const ours = (server: Loopback, c: Case) =>
  Effect.map(
    Effect.exit(
      StripeClient.request({
        method: "POST",
        path: c.v2 === true ? "/v2/core/things" : "/v1/customers",
        params: {},
        schema: Schema.Unknown
      }).pipe(Effect.provide(stripeOn(transports[1], server.url)))
    ),
    (exit) => failureOf(exit)
  )

const serve = (server: Loopback, c: Case) =>
  server.reply((_, res) => {
    res.writeHead(c.status, { "content-type": "application/json", "request-id": "req_map" })
    res.end(c.body)
  })

const ourClasses: ReadonlySet<string> = new Set([
  "StripeCardError",
  "StripeInvalidRequestError",
  "StripeAuthenticationError",
  "StripePermissionError",
  "StripeRateLimitError",
  "StripeIdempotencyError",
  "StripeApiError"
])

const TABLE_STATUSES: ReadonlySet<number> = new Set([400, 401, 402, 403, 404, 429])

const BY_TYPE: Readonly<Record<string, StripeError["_tag"]>> = {
  card_error: "StripeCardError",
  invalid_request_error: "StripeInvalidRequestError",
  authentication_error: "StripeAuthenticationError",
  permission_error: "StripePermissionError",
  rate_limit_error: "StripeRateLimitError",
  idempotency_error: "StripeIdempotencyError",
  api_error: "StripeApiError"
}

describe("error classes, against the official stripe package", () => {
  const statuses = [400, 401, 402, 403, 404, 409, 422, 429, 500, 503]
  const types = [undefined, ...Object.keys(BY_TYPE), "some_new_error_type"]

  it.scoped("v1: status first for the official status table, the same class as stripe-node", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      let compared = 0
      for (const status of statuses) {
        for (const type of types) {
          const c: Case = { status, body: JSON.stringify({ error: { type, message: `m ${status} ${type}` } }) }
          serve(server, c)
          const oracle = yield* officialTag(server, c)
          const mine = yield* ours(server, c)
          if (TABLE_STATUSES.has(status)) {
            expect(mine._tag, `${status} ${type}`).toBe(oracle)
            compared++
          } else {
            // Outside the table the official SDK always says StripeAPIError; this SDK keeps a known type.
            expect(oracle, `${status} ${type}`).toBe("StripeApiError")
            expect(mine._tag, `${status} ${type}`).toBe(
              (type !== undefined ? BY_TYPE[type] : undefined) ?? "StripeApiError"
            )
          }
        }
      }
      expect(compared).toBe(6 * types.length)
    }))

  it.scoped("v1: a 400 with code rate_limit is a rate limit error, as stripe-node says", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const c: Case = {
        status: 400,
        body: JSON.stringify({ error: { type: "invalid_request_error", code: "rate_limit" } })
      }
      serve(server, c)
      expect((yield* ours(server, c))._tag).toBe(yield* officialTag(server, c))
      expect((yield* ours(server, c))._tag).toBe("StripeRateLimitError")
    }))

  it.scoped("v2 bodies: idempotency_error and rate_limit types, the invalid_fields code, else v1 rules", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const cases: ReadonlyArray<Case> = [
        { status: 400, v2: true, body: JSON.stringify({ error: { code: "invalid_fields", message: "x" } }) },
        { status: 409, v2: true, body: JSON.stringify({ error: { type: "idempotency_error", message: "x" } }) },
        { status: 400, v2: true, body: JSON.stringify({ error: { type: "rate_limit", message: "x" } }) },
        { status: 402, v2: true, body: JSON.stringify({ error: { message: "x" } }) },
        { status: 404, v2: true, body: JSON.stringify({ error: { type: "invalid_request_error", message: "x" } }) },
        { status: 500, v2: true, body: JSON.stringify({ error: { message: "x" } }) },
        // A v2 type the official SDK has its own class for: this SDK has none, and maps by status.
        { status: 400, v2: true, body: JSON.stringify({ error: { type: "temporary_session_expired", message: "x" } }) }
      ]
      const expected = [
        "StripeInvalidRequestError",
        "StripeIdempotencyError",
        "StripeRateLimitError",
        "StripeCardError",
        "StripeInvalidRequestError",
        "StripeApiError",
        "StripeInvalidRequestError"
      ]
      const got: Array<string> = []
      for (const c of cases) {
        serve(server, c)
        const mine = yield* ours(server, c)
        const oracle = yield* officialTag(server, c)
        if (ourClasses.has(oracle)) expect(mine._tag, c.body).toBe(oracle)
        else expect(oracle).toBe("TemporarySessionExpiredError")
        got.push(mine._tag)
        if (
          mine._tag !== "StripeValidationError" && mine._tag !== "StripeConnectionError" &&
          mine._tag !== "StripeDecodeError"
        ) {
          expect(mine.message).toContain("x")
        }
      }
      expect(got).toEqual(expected)
    }))

  it.scoped("OAuth's string-shaped error keeps its type and description", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      const c: Case = {
        status: 400,
        body: JSON.stringify({ error: "invalid_grant", error_description: "Authorization code expired: ac_123" })
      }
      serve(server, c)
      // stripe-node has OAuth classes of its own (StripeInvalidGrantError); the status decides here.
      expect(yield* officialTag(server, c)).toBe("StripeInvalidGrantError")
      const mine = yield* ours(server, c)
      expect(mine).toMatchObject({ _tag: "StripeInvalidRequestError", type: "invalid_grant", status: 400 })
      expect(mine.message).toContain("Authorization code expired: ac_123")
    }))

  it.scoped("bodies that are not Stripe errors are API errors on both SDKs", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      for (const c of [{ status: 502, body: "<html>Bad gateway</html>" }, { status: 400, body: "" }]) {
        serve(server, c)
        expect((yield* ours(server, c))._tag).toBe("StripeApiError")
        expect(yield* officialTag(server, c)).toBe("StripeApiError")
      }
      // JSON without an `error` field on a 404: stripe-node resolves it as if it succeeded (it only looks
      // for `error`); a non-2xx status is always a failure here.
      const json: Case = { status: 404, body: JSON.stringify({ message: "not a Stripe error" }) }
      serve(server, json)
      expect(yield* officialTag(server, json)).toBe("no error")
      expect((yield* ours(server, json))._tag).toBe("StripeApiError")
    }))
})

describe("what the official SDK sends", () => {
  it.scoped("X-Stripe-Client-Telemetry and the platform in X-Stripe-Client-User-Agent, as stripe-node sends them", () =>
    Effect.gen(function*() {
      const server = yield* loopback
      server.reply((_, res, i) => {
        res.writeHead(200, { "content-type": "application/json", "request-id": `req_${i}` })
        res.end(JSON.stringify({ id: "cus_1", object: "customer" }))
      })
      const stripe = new Stripe(API_KEY, {
        host: "127.0.0.1",
        port: server.port,
        protocol: "http",
        maxNetworkRetries: 0
      })
      yield* Effect.promise(() => stripe.customers.retrieve("cus_1"))
      yield* Effect.promise(() => stripe.customers.retrieve("cus_1"))
      const call = StripeClient.request({ method: "GET", path: "/v1/customers/cus_1", schema: Schema.Unknown })
      yield* Effect.zip(call, call).pipe(Effect.provide(stripeOn(transports[0], server.url)))
      const [officialFirst, officialSecond, oursFirst, oursSecond] = server.seen
      const shape = (header: unknown) => {
        const json: unknown = JSON.parse(String(header))
        const metrics: unknown = Reflect.get(Object(json), "last_request_metrics")
        return {
          keys: Object.keys(Object(json)),
          metrics: Object.keys(Object(metrics)).sort(),
          id: Reflect.get(Object(metrics), "request_id")
        }
      }
      expect(officialFirst.headers["x-stripe-client-telemetry"]).toBeUndefined()
      expect(oursFirst.headers["x-stripe-client-telemetry"]).toBeUndefined()
      expect(shape(oursSecond.headers["x-stripe-client-telemetry"])).toEqual({
        ...shape(officialSecond.headers["x-stripe-client-telemetry"]),
        id: "req_2"
      })
      expect(shape(officialSecond.headers["x-stripe-client-telemetry"]).id).toBe("req_0")
      const platformOf = (header: unknown): unknown => Reflect.get(Object(JSON.parse(String(header))), "platform")
      expect(platformOf(oursFirst.headers["x-stripe-client-user-agent"])).toBe(
        platformOf(officialFirst.headers["x-stripe-client-user-agent"])
      )
      expect(typeof platformOf(oursFirst.headers["x-stripe-client-user-agent"])).toBe("string")
    }))
})
