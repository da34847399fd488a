import * as HttpClientError from "@effect/platform/HttpClientError"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as StripeClient from "../src/StripeClient.js"
import type { StripeError } from "../src/StripeError.js"
import type { Call, Handler } from "./utils.js"
import { clientLayer, json, SENTINEL, stripeError } from "./utils.js"

const Customer = Schema.Struct({
  id: Schema.String,
  object: Schema.Literal("customer"),
  email: Schema.NullOr(Schema.String)
})

const customer = { id: "cus_123", object: "customer", email: "a@b.co", extra_field: { new: true } }

const createCustomer = (options?: StripeClient.RequestOptions) =>
  StripeClient.request({
    method: "POST",
    path: "/v1/customers",
    pathTemplate: "/v1/customers",
    params: { email: "a@b.co", metadata: { plan: "pro" } },
    options,
    schema: Customer,
    spanName: "stripe.customers.create"
  })

const retrieveCustomer = (options?: StripeClient.RequestOptions) =>
  StripeClient.request({
    method: "GET",
    path: "/v1/customers/cus_123",
    pathTemplate: "/v1/customers/{customer}",
    options,
    schema: Customer,
    spanName: "stripe.customers.retrieve"
  })

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isFailure(exit)) {
    const error = exit.cause._tag === "Fail" ? exit.cause.error : undefined
    if (error !== undefined) return error
  }
  throw new Error(`expected a failure, got ${String(exit)}`)
}

/** Runs `effect` in a fiber while moving the TestClock forward: no real sleeping. */
const withClock = <A, E, R>(effect: Effect.Effect<A, E, R>, advance: Duration.DurationInput = "10 minutes") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(advance)
    return yield* Fiber.await(fiber)
  })

describe("request pipeline: headers and encoding", () => {
  it.effect("sends every header on a v1 POST and form-encodes the body", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer), {
        stripeAccount: "acct_default",
        appInfo: { name: "MyApp", version: "1.2.3", url: "https://example.com" }
      })
      const result = yield* createCustomer().pipe(Effect.provide(layer))
      expect(result).toEqual({ id: "cus_123", object: "customer", email: "a@b.co" })
      expect(calls).toHaveLength(1)
      const [call] = calls
      expect(call.method).toBe("POST")
      expect(call.url.toString()).toBe("https://api.stripe.com/v1/customers")
      expect(call.body).toBe("email=a%40b.co&metadata[plan]=pro")
      expect(call.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(call.headers["authorization"]).toBe(`Bearer ${SENTINEL}`)
      expect(call.headers["stripe-version"]).toBe("2026-10-28.endive")
      expect(call.headers["stripe-account"]).toBe("acct_default")
      expect(call.headers["idempotency-key"]).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
      )
      expect(call.headers["user-agent"]).toBe("LatticeStripe/0.1.0 MyApp/1.2.3 (https://example.com)")
      const clientUa = JSON.parse(call.headers["x-stripe-client-user-agent"])
      expect(clientUa).toMatchObject({
        bindings_version: "0.1.0",
        lang: "node",
        lang_version: process.version,
        publisher: "lattice-stripe",
        httplib: "@effect/platform",
        application: { name: "MyApp", version: "1.2.3", url: "https://example.com" }
      })
    }))

  it.effect("generates a new idempotency key per logical call", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer))
      yield* Effect.zip(createCustomer(), createCustomer()).pipe(Effect.provide(layer))
      expect(calls[0].headers["idempotency-key"]).not.toBe(calls[1].headers["idempotency-key"])
    }))

  it.effect("per-call options override the client configuration", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer), { stripeAccount: "acct_default" })
      yield* createCustomer({
        idempotencyKey: "my-key",
        stripeAccount: "acct_call",
        stripeVersion: "2025-01-01",
        apiKey: Redacted.make("sk_test_other"),
        headers: { "Stripe-Beta": "x=1" }
      }).pipe(Effect.provide(layer))
      const [call] = calls
      expect(call.headers["idempotency-key"]).toBe("my-key")
      expect(call.headers["stripe-account"]).toBe("acct_call")
      expect(call.headers["stripe-version"]).toBe("2025-01-01")
      expect(call.headers["authorization"]).toBe("Bearer sk_test_other")
      expect(call.headers["stripe-beta"]).toBe("x=1")
      expect(call.body).toBe("email=a%40b.co&metadata[plan]=pro")
    }))

  it.effect("GET puts params and expand in the query string, without idempotency key or body", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json({ object: "list", data: [], has_more: false, url: "/v1/x" }))
      yield* StripeClient.request({
        method: "GET",
        path: "/v1/customers",
        params: { limit: 3, created: { gte: new Date(1_700_000_000_000) }, expand: ["data.default_source"] },
        schema: Schema.Unknown
      }).pipe(Effect.provide(layer))
      const [call] = calls
      expect(call.method).toBe("GET")
      expect(call.url.search).toBe("?limit=3&created[gte]=1700000000&expand[0]=data.default_source")
      expect(call.headers["idempotency-key"]).toBeUndefined()
      expect(call.headers["content-type"]).toBeUndefined()
      expect(call.body).toBe("")
    }))

  it.effect("DELETE carries an idempotency key and query params", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json({ id: "cus_123", object: "customer", deleted: true }))
      yield* StripeClient.request({
        method: "DELETE",
        path: "/v1/customers/cus_123",
        params: { force: true },
        schema: Schema.Unknown
      }).pipe(Effect.provide(layer))
      expect(calls[0].method).toBe("DELETE")
      expect(calls[0].url.search).toBe("?force=true")
      expect(calls[0].headers["idempotency-key"]).toBeDefined()
    }))

  it.effect("v2 paths send JSON; hosts and bearer credentials are honoured", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json({ object: "v2.billing.meter_event_session" }), {
        meterEventsBaseUrl: "http://127.0.0.1:9999/",
        filesBaseUrl: "http://127.0.0.1:9998"
      })
      yield* StripeClient.request({
        method: "POST",
        path: "/v2/billing/meter_event_stream",
        host: "meterEvents",
        bearer: Redacted.make("ek_session_token"),
        params: { events: [{ event_name: "api_call", payload: { value: "1" } }], big: 10n },
        schema: Schema.Unknown
      }).pipe(Effect.provide(layer))
      yield* StripeClient.request({
        method: "GET",
        path: "/v1/files/file_1/contents",
        host: "files",
        schema: Schema.Unknown
      })
        .pipe(Effect.provide(layer))
      const [stream, file] = calls
      expect(stream.url.toString()).toBe("http://127.0.0.1:9999/v2/billing/meter_event_stream")
      expect(stream.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(stream.body)).toEqual({
        events: [{ event_name: "api_call", payload: { value: "1" } }],
        big: "10"
      })
      expect(stream.headers["authorization"]).toBe("Bearer ek_session_token")
      expect(stream.headers["idempotency-key"]).toBeDefined()
      expect(file.url.toString()).toBe("http://127.0.0.1:9998/v1/files/file_1/contents")
      expect(file.headers["authorization"]).toBe(`Bearer ${SENTINEL}`)
    }))

  it.effect("multipart bodies are sent as encoded multipart bytes to the files host, with an idempotency key", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json({ id: "file_1", object: "file" }))
      const form = new FormData()
      form.append("purpose", "dispute_evidence")
      form.append("file", new Blob(["%PDF"], { type: "application/pdf" }), "evidence.pdf")
      yield* StripeClient.request({
        method: "POST",
        path: "/v1/files",
        host: "files",
        multipart: form,
        schema: Schema.Struct({ id: Schema.String })
      }).pipe(Effect.provide(layer))
      const [call] = calls
      expect(call.url.toString()).toBe("https://files.stripe.com/v1/files")
      const body = call.request.body
      expect(body._tag).toBe("Uint8Array")
      if (body._tag === "Uint8Array") {
        const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(body.contentType)?.[1]
        expect(boundary).toBeDefined()
        const text = new TextDecoder().decode(body.body)
        expect(text).toContain(
          `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence`
        )
        expect(text).toContain("filename=\"evidence.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF")
      }
      expect(call.headers["idempotency-key"]).toBeDefined()
    }))

  it.effect("params that cannot be encoded fail locally with StripeValidationError", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer))
      const exit = yield* StripeClient.request({
        method: "POST",
        path: "/v1/customers",
        params: { balance: Number.NaN },
        schema: Customer
      }).pipe(Effect.provide(layer), Effect.exit)
      expect(failure(exit)).toMatchObject({ _tag: "StripeValidationError", param: "balance" })
      expect(calls).toHaveLength(0)
    }))

  it.effect("executeBytes returns the raw body", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() => new Response(new Uint8Array([37, 80, 68, 70]), { status: 200 }))
      const bytes = yield* Effect.flatMap(
        StripeClient.StripeClient,
        (client) => client.executeBytes({ method: "GET", path: "/v1/quotes/qt_1/pdf", host: "files" })
      ).pipe(Effect.provide(layer))
      expect(Array.from(bytes.value)).toEqual([37, 80, 68, 70])
    }))
})

describe("ambient options", () => {
  it.effect("per-call wins over ambient, ambient over client config; nesting merges", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer), { stripeAccount: "acct_config" })
      const program = Effect.gen(function*() {
        yield* retrieveCustomer()
        yield* retrieveCustomer({ stripeAccount: "acct_call" })
        yield* retrieveCustomer().pipe(StripeClient.withRequestOptions({ headers: { "x-inner": "1" } }))
      })
      yield* program.pipe(
        StripeClient.withStripeAccount("acct_ambient"),
        StripeClient.withStripeVersion("2023-10-16"),
        StripeClient.withRequestOptions({ headers: { "x-outer": "1" } }),
        Effect.provide(layer)
      )
      yield* retrieveCustomer().pipe(Effect.provide(layer))
      expect(calls.map((c) => c.headers["stripe-account"])).toEqual([
        "acct_ambient",
        "acct_call",
        "acct_ambient",
        "acct_config"
      ])
      expect(calls.map((c) => c.headers["stripe-version"])).toEqual([
        "2023-10-16",
        "2023-10-16",
        "2023-10-16",
        "2026-10-28.endive"
      ])
      expect(calls[2].headers["x-inner"]).toBe("1")
      expect(calls[2].headers["x-outer"]).toBe("1")
      expect(calls[3].headers["x-outer"]).toBeUndefined()
    }))

  it.effect("ambient maxRetries applies", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(stripeError("api_error"), 500))
      yield* withClock(
        retrieveCustomer().pipe(StripeClient.withRequestOptions({ maxRetries: 0 }), Effect.provide(layer))
      )
      expect(calls).toHaveLength(1)
    }))
})

describe("response metadata", () => {
  it.effect("requestWithResponse and withResponse expose request id, status, headers, key, replay, attempts", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() =>
        json(customer, 200, { "request-id": "req_abc", "idempotent-replayed": "true", "Stripe-Should-Retry": "false" })
      )
      const response = yield* StripeClient.requestWithResponse({
        method: "POST",
        path: "/v1/customers",
        options: { idempotencyKey: "k1" },
        schema: Customer
      }).pipe(Effect.provide(layer))
      expect(response.meta).toEqual({
        requestId: "req_abc",
        status: 200,
        headers: expect.objectContaining({ "request-id": "req_abc", "content-type": "application/json" }),
        idempotencyKey: "k1",
        replayed: true,
        attempts: 1
      })
      expect(response.value.id).toBe("cus_123")

      const [value, meta] = yield* StripeClient.withResponse(createCustomer()).pipe(Effect.provide(layer))
      expect(value.id).toBe("cus_123")
      expect(meta.requestId).toBe("req_abc")
      expect(meta.headers["stripe-should-retry"]).toBe("false")

      // Nested: both the inner and the outer collector see the call.
      const [[, inner], outer] = yield* StripeClient.withResponse(StripeClient.withResponse(retrieveCustomer())).pipe(
        Effect.provide(layer)
      )
      expect(inner.idempotencyKey).toBeUndefined()
      expect(outer).toBe(inner)
    }))

  it.effect("withResponse dies when the effect made no Stripe call", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(StripeClient.withResponse(Effect.succeed(1)))
      expect(Exit.isFailure(exit) && exit.cause._tag === "Die").toBe(true)
    }))
})

const connectionFailure = (code: string | undefined) => (call: Call) => {
  const inner = Object.assign(new Error(`connect ${code ?? "weird"} 127.0.0.1:1`), code ? { code } : {})
  return Effect.fail(
    new HttpClientError.RequestError({
      request: call.request,
      reason: "Transport",
      cause: Object.assign(new TypeError("fetch failed"), { cause: inner })
    })
  )
}

describe("retries", () => {
  it.effect("one idempotency key across 3 attempts", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer((_, i) =>
        i < 2 ? json(stripeError("api_error"), 500, { "request-id": `req_${i}` }) : json(customer)
      )
      const exit = yield* withClock(StripeClient.withResponse(createCustomer()).pipe(Effect.provide(layer)))
      expect(Exit.isSuccess(exit)).toBe(true)
      if (Exit.isSuccess(exit)) expect(exit.value[1].attempts).toBe(3)
      expect(calls).toHaveLength(3)
      const keys = new Set(calls.map((c) => c.headers["idempotency-key"]))
      expect(keys.size).toBe(1)
      expect([...keys][0]).toBeDefined()
    }))

  const cases: ReadonlyArray<readonly [string, Handler, boolean]> = [
    ["409 conflict", () => json(stripeError("invalid_request_error", { code: "lock_timeout" }), 409), true],
    ["429 rate limit", () => json(stripeError("invalid_request_error", { code: "rate_limit" }), 429), true],
    ["500", () => json(stripeError("api_error"), 500), true],
    ["502 (HTML)", () => new Response("<html>bad gateway</html>", { status: 502 }), true],
    ["503", () => json(stripeError("api_error"), 503), true],
    ["400", () => json(stripeError("invalid_request_error"), 400), false],
    ["401", () => json(stripeError("invalid_request_error"), 401), false],
    ["402", () => json(stripeError("card_error"), 402), false],
    ["403", () => json(stripeError("invalid_request_error"), 403), false],
    ["404", () => json(stripeError("invalid_request_error"), 404), false],
    [
      "400 with Stripe-Should-Retry: true",
      () => json(stripeError("invalid_request_error"), 400, { "stripe-should-retry": "true" }),
      true
    ],
    [
      "500 with Stripe-Should-Retry: false",
      () => json(stripeError("api_error"), 500, { "stripe-should-retry": "false" }),
      false
    ],
    [
      "409 with Stripe-Should-Retry: false",
      () => json(stripeError("invalid_request_error"), 409, { "stripe-should-retry": "false" }),
      false
    ],
    ["connection refused", connectionFailure("ECONNREFUSED"), true],
    ["connection reset", connectionFailure("ECONNRESET"), true],
    ["2xx that does not decode", () => json({ id: 42 }), false],
    ["2xx that is not JSON", () => new Response("<html>ok</html>", { status: 200 }), false]
  ]
  for (const [name, handler, retried] of cases) {
    it.effect(`${name}: ${retried ? "retried up to maxRetries" : "not retried"}`, () =>
      Effect.gen(function*() {
        const { calls, layer } = clientLayer(handler)
        const exit = yield* withClock(createCustomer().pipe(Effect.provide(layer)))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(calls).toHaveLength(retried ? 3 : 1)
      }))
  }

  it.effect("per-call maxRetries overrides the client default", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(stripeError("api_error"), 500), { maxRetries: 1 })
      yield* withClock(createCustomer({ maxRetries: 4 }).pipe(Effect.provide(layer)))
      expect(calls).toHaveLength(5)
      calls.length = 0
      yield* withClock(createCustomer().pipe(Effect.provide(layer)))
      expect(calls).toHaveLength(2)
      calls.length = 0
      yield* withClock(createCustomer({ maxRetries: 0 }).pipe(Effect.provide(layer)))
      expect(calls).toHaveLength(1)
    }))

  it.effect("backs off exponentially from 500 ms to 5 s, jittered to half or all of it", () =>
    Effect.gen(function*() {
      // Random 0 gives the shortest waits (half), a value just below 1 the longest.
      const table: ReadonlyArray<readonly [number, ReadonlyArray<number>]> = [
        [0, [250, 500, 1000, 2000, 2500]],
        [0.999999, [500, 1000, 2000, 4000, 5000]]
      ]
      for (const [random, waits] of table) {
        const { calls, layer } = clientLayer(() => json(stripeError("api_error"), 500), { maxRetries: 5 })
        const fiber = yield* Effect.fork(
          createCustomer().pipe(Effect.provide(layer), Effect.withRandom(Random.fixed([random])))
        )
        for (const [i, wait] of waits.entries()) {
          yield* TestClock.adjust(wait - 1)
          expect(calls).toHaveLength(i + 1)
          yield* TestClock.adjust(1)
          expect(calls).toHaveLength(i + 2)
        }
        const exit = yield* Fiber.await(fiber)
        expect(failure(exit)._tag).toBe("StripeApiError")
      }
    }))

  it.effect("honours Retry-After, capped at 60 seconds", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(
        (_, i) => json(stripeError("rate_limit_error"), 429, { "retry-after": i === 0 ? "30" : "3600" }),
        { maxRetries: 2 }
      )
      const fiber = yield* Effect.fork(createCustomer().pipe(Effect.provide(layer)))
      yield* TestClock.adjust("29 seconds")
      expect(calls).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect(calls).toHaveLength(2)
      yield* TestClock.adjust("59 seconds")
      expect(calls).toHaveLength(2)
      yield* TestClock.adjust("1 second")
      expect(calls).toHaveLength(3)
      const error = failure(yield* Fiber.await(fiber))
      expect(error).toMatchObject({ _tag: "StripeRateLimitError", retryAfter: 3600, status: 429 })
    }))

  it.effect("a replaced retry schedule decides the delays, bounded by maxRetries", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(stripeError("api_error"), 500), {
        retrySchedule: Schedule.spaced("7 seconds"),
        maxRetries: 2
      })
      const fiber = yield* Effect.fork(createCustomer().pipe(Effect.provide(layer)))
      yield* TestClock.adjust("6 seconds")
      expect(calls).toHaveLength(1)
      yield* TestClock.adjust("1 second")
      expect(calls).toHaveLength(2)
      yield* TestClock.adjust("1 minute")
      expect(calls).toHaveLength(3)
      yield* Fiber.await(fiber)

      const stopped = clientLayer(() => json(stripeError("api_error"), 500), { retrySchedule: Schedule.recurs(0) })
      yield* withClock(createCustomer().pipe(Effect.provide(stopped.layer)))
      expect(stopped.calls).toHaveLength(1)
    }))
})

describe("timeouts", () => {
  const stalledBody = () =>
    new Response(new ReadableStream({ start: () => undefined }), {
      status: 200,
      headers: { "content-type": "application/json" }
    })

  it.effect("a stalled body becomes StripeConnectionError(Timeout) after the client timeout", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(stalledBody, { maxRetries: 0 })
      const fiber = yield* Effect.fork(createCustomer().pipe(Effect.provide(layer)))
      yield* TestClock.adjust("79 seconds")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 second")
      const error = failure(yield* Fiber.await(fiber))
      expect(error).toMatchObject({ _tag: "StripeConnectionError", reason: "Timeout", method: "POST" })
      expect(calls).toHaveLength(1)
    }))

  it.effect("a per-call timeout bounds each attempt, and timeouts are retried", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => Effect.never)
      const fiber = yield* Effect.fork(createCustomer({ timeout: "2 seconds" }).pipe(Effect.provide(layer)))
      yield* TestClock.adjust("1 minute")
      const error = failure(yield* Fiber.await(fiber))
      expect(error).toMatchObject({ _tag: "StripeConnectionError", reason: "Timeout" })
      expect(calls).toHaveLength(3)
    }))

  it.effect("an invalid per-call timeout fails locally", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json(customer))
      const exit = yield* createCustomer({ timeout: -1 }).pipe(Effect.provide(layer), Effect.exit)
      expect(failure(exit)).toMatchObject({ _tag: "StripeValidationError", param: "timeout" })
      expect(calls).toHaveLength(0)
    }))
})

describe("error mapping", () => {
  const errorCases: ReadonlyArray<readonly [string, number, unknown, Record<string, unknown>]> = [
    [
      "StripeCardError",
      402,
      {
        error: {
          type: "card_error",
          code: "card_declined",
          decline_code: "insufficient_funds",
          message: "Your card has insufficient funds.",
          param: "payment_method",
          doc_url: "https://stripe.com/docs/error-codes/card-declined",
          charge: "ch_1",
          payment_intent: { id: "pi_1", client_secret: "pi_1_secret_xyz" }
        }
      },
      {
        code: "card_declined",
        declineCode: "insufficient_funds",
        docUrl: "https://stripe.com/docs/error-codes/card-declined",
        param: "payment_method",
        message: "(card_error) 402 card_declined: Your card has insufficient funds. [request req_123]"
      }
    ],
    [
      "StripeInvalidRequestError",
      400,
      {
        error: {
          type: "invalid_request_error",
          code: "parameter_missing",
          message: "Missing required param: amount.",
          param: "amount",
          doc_url: "https://stripe.com/docs/error-codes/parameter-missing"
        }
      },
      {
        param: "amount",
        message: "(invalid_request_error) 400 parameter_missing: Missing required param: amount. [request req_123]"
      }
    ],
    [
      "StripeInvalidRequestError",
      404,
      {
        error: {
          type: "invalid_request_error",
          code: "resource_missing",
          message: "No such customer: 'cus_nope'",
          param: "id"
        }
      },
      { code: "resource_missing", status: 404 }
    ],
    [
      "StripeIdempotencyError",
      400,
      {
        error: {
          type: "idempotency_error",
          message: "Keys for idempotent requests can only be used with the same parameters they were first used with."
        }
      },
      { type: "idempotency_error" }
    ],
    [
      "StripeAuthenticationError",
      401,
      { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_test_****_abc" } },
      { status: 401 }
    ],
    [
      "StripePermissionError",
      403,
      {
        error: {
          type: "invalid_request_error",
          message: "The provided key 'rk_test_***abc' does not have access to account 'acct_1'."
        }
      },
      { status: 403 }
    ],
    [
      "StripeRateLimitError",
      429,
      { error: { type: "invalid_request_error", code: "rate_limit", message: "Too many requests." } },
      { code: "rate_limit", retryAfter: 2 }
    ],
    [
      "StripeApiError",
      500,
      { error: { type: "api_error", message: "An unknown error occurred." } },
      { type: "api_error" }
    ]
  ]
  for (const [tag, status, body, expected] of errorCases) {
    it.effect(`${tag} from an HTTP ${status} Stripe error body`, () =>
      Effect.gen(function*() {
        const { layer } = clientLayer(
          () => json(body, status, { "request-id": "req_123", "Retry-After": "2", "X-Custom": "Yes" }),
          { maxRetries: 0 }
        )
        const error = failure(yield* createCustomer().pipe(Effect.provide(layer), Effect.exit))
        expect(error._tag).toBe(tag)
        expect(error).toMatchObject({ requestId: "req_123", status, ...expected })
        expect(Reflect.get(error, "headers")).toMatchObject({ "x-custom": "Yes", "request-id": "req_123" })
        expect(Reflect.get(error, "raw")).toBeDefined()
      }))
  }

  it.effect("redacts secrets Stripe echoes in the raw error object", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() => json(errorCases[0][2], 402), { maxRetries: 0 })
      const error = failure(yield* createCustomer().pipe(Effect.provide(layer), Effect.exit))
      expect(JSON.stringify(error)).not.toContain("secret_xyz")
      expect(Reflect.get(error, "raw")).toMatchObject({
        charge: "ch_1",
        payment_intent: { client_secret: "<redacted>" }
      })
    }))

  const nonStripeBodies: ReadonlyArray<readonly [string, () => globalThis.Response, string]> = [
    [
      "an HTML maintenance page",
      () =>
        new Response(`<html><body>${"Down for maintenance. ".repeat(200)}</body></html>`, {
          status: 503,
          headers: { "request-id": "req_html" }
        }),
      "<html><body>Down for maintenance."
    ],
    ["an empty body", () => new Response("", { status: 502 }), ""],
    ["JSON that is not a Stripe error", () => json({ message: "nope" }, 500), "{\"message\":\"nope\"}"]
  ]
  for (const [name, handler, prefix] of nonStripeBodies) {
    it.effect(`${name} becomes StripeApiError keeping the first 2,048 bytes`, () =>
      Effect.gen(function*() {
        const { layer } = clientLayer(handler, { maxRetries: 0 })
        const error = failure(yield* createCustomer().pipe(Effect.provide(layer), Effect.exit))
        expect(error._tag).toBe("StripeApiError")
        if (error._tag !== "StripeApiError") return
        expect(error.body?.startsWith(prefix)).toBe(true)
        expect(new TextEncoder().encode(error.body ?? "").length).toBeLessThanOrEqual(2048)
        expect(error.message).toMatch(/Unexpected HTTP 50\d response from Stripe/)
      }))
  }

  it.effect("a 2xx that fails to decode is a StripeDecodeError keeping request id, status and body", () =>
    Effect.gen(function*() {
      const { calls, layer } = clientLayer(() => json({ id: 42, object: "customer" }, 200, { "request-id": "req_dec" }))
      const error = failure(yield* createCustomer().pipe(Effect.provide(layer), Effect.exit))
      expect(error).toMatchObject({
        _tag: "StripeDecodeError",
        requestId: "req_dec",
        status: 200,
        body: "{\"id\":42,\"object\":\"customer\"}",
        method: "POST",
        path: "/v1/customers"
      })
      expect(error.message).toContain("Could not decode the response to POST /v1/customers")
      expect(calls).toHaveLength(1)
    }))

  const reasons: ReadonlyArray<readonly [string | undefined, string]> = [
    ["ECONNRESET", "Reset"],
    ["ECONNREFUSED", "Refused"],
    ["ENOTFOUND", "Dns"],
    ["EAI_AGAIN", "Dns"],
    [undefined, "Other"]
  ]
  for (const [code, reason] of reasons) {
    it.effect(`a transport failure with ${code ?? "no code"} is StripeConnectionError(${reason})`, () =>
      Effect.gen(function*() {
        const { layer } = clientLayer(connectionFailure(code), { maxRetries: 0 })
        const error = failure(yield* retrieveCustomer().pipe(Effect.provide(layer), Effect.exit))
        expect(error).toMatchObject({
          _tag: "StripeConnectionError",
          reason,
          method: "GET",
          path: "/v1/customers/{customer}"
        })
      }))
  }

  it.effect("the error union is usable with catchTag", () =>
    Effect.gen(function*() {
      const { layer } = clientLayer(() => json(errorCases[0][2], 402), { maxRetries: 0 })
      const decline = yield* createCustomer().pipe(
        Effect.map(() => "ok"),
        Effect.catchTag("StripeCardError", (e) => Effect.succeed(e.declineCode ?? "declined")),
        Effect.provide(layer)
      )
      expect(decline).toBe("insufficient_funds")
      const typed: Effect.Effect<unknown, StripeError, StripeClient.StripeClient> = createCustomer()
      expect(Effect.isEffect(typed)).toBe(true)
    }))
})
