import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient, StripeError } from "@lattice-stripe/core"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as HashMap from "effect/HashMap"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import { inspect } from "node:util"
import * as MeterEventStream from "../src/MeterEventStream.js"

interface Call {
  readonly method: string
  readonly path: string
  readonly host: string
  readonly bearer: string | undefined
  readonly params: unknown
}

const tokenPrefix = "ek_test_SECRET"

/**
 * A fake StripeClient service: records every request and answers like Stripe's
 * v2 endpoints, decoding the reply with the request's schema as the pipeline does.
 */
const makeFake = (handlers: {
  readonly session?: (n: number, now: number) => Effect.Effect<unknown, StripeError.StripeError>
  readonly stream?: (token: string, call: Call) => Effect.Effect<unknown, StripeError.StripeError>
} = {}) => {
  const calls: Array<Call> = []
  let sessions = 0
  const defaultSession = (n: number, now: number) =>
    Effect.succeed({
      id: `mes_${n}`,
      object: "v2.billing.meter_event_session",
      authentication_token: `${tokenPrefix}_${n}`,
      created: new Date(now).toISOString(),
      expires_at: new Date(now + 15 * 60_000).toISOString(),
      livemode: false
    })
  const service: StripeClient.Service = {
    config: {
      apiKey: Redacted.make("sk_test_fake"),
      baseUrl: "http://127.0.0.1:1",
      filesBaseUrl: "http://127.0.0.1:2",
      meterEventsBaseUrl: "http://127.0.0.1:3",
      connectBaseUrl: "http://127.0.0.1:4",
      apiVersion: "2024-04-10",
      maxRetries: 0,
      timeout: Duration.seconds(80),
      maxResponseBytes: 32 * 1024 * 1024,
      telemetry: false,
      compileDecoders: true,
      stripeAccount: undefined,
      appInfo: undefined,
      retrySchedule: undefined
    },
    execute: <A, I>(request: StripeClient.Request<A, I>) =>
      Effect.gen(function*() {
        const call: Call = {
          method: request.method,
          path: request.path,
          host: request.host ?? "api",
          bearer: request.bearer === undefined ? undefined : Redacted.value(request.bearer),
          params: request.params
        }
        calls.push(call)
        const now = yield* Clock.currentTimeMillis
        let body: unknown
        if (request.path === "/v2/billing/meter_event_session") {
          yield* Effect.sleep("50 millis")
          sessions++
          body = yield* (handlers.session ?? defaultSession)(sessions, now)
        } else {
          yield* Effect.sleep("5 millis")
          body = yield* (handlers.stream ?? (() => Effect.succeed({})))(call.bearer ?? "", call)
        }
        const value = yield* Schema.decodeUnknown(request.schema)(body).pipe(
          Effect.mapError((e) =>
            new StripeError.StripeDecodeError({ message: e.message, status: 200, body: JSON.stringify(body) })
          )
        )
        return {
          value,
          meta: {
            requestId: "req_1",
            status: 200,
            headers: {},
            idempotencyKey: undefined,
            replayed: false,
            attempts: 1
          }
        }
      }),
    executeBytes: () => Effect.die("unused")
  }
  return {
    calls,
    streamCalls: () => calls.filter((c) => c.path === "/v2/billing/meter_event_stream"),
    sessionCalls: () => calls.filter((c) => c.path === "/v2/billing/meter_event_session"),
    layer: Layer.succeed(StripeClient.StripeClient, service)
  }
}

const expiredReply = (requestId = "req_expired") =>
  Effect.fail(
    new StripeError.StripeAuthenticationError({
      message: "The meter event session has expired.",
      type: "invalid_request_error",
      code: MeterEventStream.sessionExpiredCode,
      status: 401,
      requestId
    })
  )

const events = (n: number, from = 0): Array<MeterEventStream.MeterEvent> =>
  Array.from({ length: n }, (_, i) => ({
    event_name: "api_requests",
    payload: { stripe_customer_id: "cus_123", value: String(from + i) }
  }))

/** Runs an effect in a fiber while the TestClock moves, so fake latencies elapse. */
const withClock = <A, E, R>(effect: Effect.Effect<A, E, R>, advance: Duration.DurationInput = "10 seconds") =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(advance)
    return yield* Fiber.join(fiber)
  })

const bodyOf = (call: Call): typeof StreamBodySchema.Type => Schema.decodeUnknownSync(StreamBodySchema)(call.params)
const StreamBodySchema = Schema.Struct({
  events: Schema.Array(Schema.Struct({
    event_name: Schema.String,
    payload: Schema.Record({ key: Schema.String, value: Schema.String }),
    identifier: Schema.String,
    timestamp: Schema.optional(Schema.String)
  }))
})

describe("MeterEventStream.createSession", () => {
  it.effect("creates a session on the API host and keeps its token redacted", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const session = yield* withClock(MeterEventStream.createSession()).pipe(Effect.provide(fake.layer))
      expect(fake.calls).toEqual([{
        method: "POST",
        path: "/v2/billing/meter_event_session",
        host: "api",
        bearer: undefined,
        params: {}
      }])
      expect(session.id).toBe("mes_1")
      expect(Redacted.value(session.authentication_token)).toBe(`${tokenPrefix}_1`)
      expect(DateTime.toEpochMillis(session.expires_at) - DateTime.toEpochMillis(session.created)).toBe(15 * 60_000)
      for (const shown of [String(session), JSON.stringify(session), inspect(session, { depth: 10 })]) {
        expect(shown).not.toContain(tokenPrefix)
      }
    }))

  it.effect("accepts Unix seconds for created and expires_at", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        session: () =>
          Effect.succeed({
            id: "mes_num",
            object: "v2.billing.meter_event_session",
            authentication_token: "ek_test_x",
            created: 1_700_000_000,
            expires_at: 1_700_000_900,
            livemode: true
          })
      })
      const session = yield* withClock(MeterEventStream.createSession()).pipe(Effect.provide(fake.layer))
      expect(DateTime.formatIso(session.expires_at)).toBe("2023-11-14T22:28:20.000Z")
      expect(session.livemode).toBe(true)
    }))

  it.effect("scrubs the token from a decode error of the session response", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        session: () => Effect.succeed({ id: "mes_bad", authentication_token: `${tokenPrefix}_leak`, livemode: "no" })
      })
      const error = yield* withClock(Effect.flip(MeterEventStream.createSession())).pipe(Effect.provide(fake.layer))
      expect(error._tag).toBe("StripeDecodeError")
      expect(error._tag === "StripeDecodeError" && error.body).toContain("<redacted>")
      for (const shown of [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), error.message]) {
        expect(shown).not.toContain(tokenPrefix)
      }
    }))
})

describe("MeterEventStream.sendEvents", () => {
  it.effect("splits 250 events into 3 concurrent requests with the session token on the meter events host", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const input = events(250)
      const withId = { ...input[7], identifier: "my-id-7" }
      input[7] = withId
      const when = new Date("2024-05-01T12:00:00Z")
      input[8] = { ...input[8], timestamp: when }
      input[9] = { ...input[9], timestamp: 1_714_564_800 }
      yield* withClock(Effect.gen(function*() {
        const session = yield* MeterEventStream.createSession()
        yield* MeterEventStream.sendEvents(session, input)
      })).pipe(Effect.provide(fake.layer))

      const requests = fake.streamCalls()
      expect(requests).toHaveLength(3)
      expect(requests.every((c) => c.host === "meterEvents" && c.bearer === `${tokenPrefix}_1`)).toBe(true)
      const bodies = requests.map(bodyOf)
      expect(bodies.map((b) => b.events.length)).toEqual([100, 100, 50])
      const sent = bodies.flatMap((b) => b.events)
      expect(sent.map((e) => e.payload.value)).toEqual(input.map((e) => e.payload.value))
      expect(new Set(sent.map((e) => e.identifier)).size).toBe(250)
      // A 96-bit random prefix for the process, then a counter: short, as it is sent with every event.
      expect(sent[0].identifier).toMatch(/^[A-Za-z0-9_-]{16}-[0-9a-z]+$/)
      expect(new Set(sent.filter((_, i) => i !== 7).map((e) => e.identifier.slice(0, 16))).size).toBe(1)
      expect(sent[7].identifier).toBe("my-id-7")
      expect(sent[8].timestamp).toBe("2024-05-01T12:00:00.000Z")
      expect(sent[9].timestamp).toBe("2024-05-01T12:00:00.000Z")
      expect(sent[10].timestamp).toBeUndefined()
    }))

  it.effect("never has more than `concurrency` requests in flight, and sends every event of a large batch once", () =>
    Effect.gen(function*() {
      let inFlight = 0
      let peak = 0
      const fake = makeFake({
        stream: () =>
          Effect.sync(() => {
            inFlight++
            peak = Math.max(peak, inFlight)
          }).pipe(Effect.zipRight(Effect.sleep("1 millis")), Effect.ensuring(Effect.sync(() => inFlight--)))
      })
      const input = events(2_050)
      yield* withClock(
        Effect.gen(function*() {
          const session = yield* MeterEventStream.createSession()
          yield* MeterEventStream.sendEvents(session, input, { concurrency: 4 })
        }),
        "1 minute"
      ).pipe(Effect.provide(fake.layer))
      const bodies = fake.streamCalls().map(bodyOf)
      expect(bodies).toHaveLength(21)
      expect(peak).toBe(4)
      const sent = bodies.flatMap((b) => b.events).map((e) => Number(e.payload.value)).sort((a, b) => a - b)
      expect(sent).toEqual(input.map((_, i) => i))
    }))

  it.effect("rejects a concurrency that is not a positive integer, without a request", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const session = yield* withClock(MeterEventStream.createSession()).pipe(Effect.provide(fake.layer))
      for (const concurrency of [0, -1, 1.5, Number.NaN]) {
        const error = yield* Effect.flip(MeterEventStream.sendEvents(session, events(150), { concurrency })).pipe(
          Effect.provide(fake.layer)
        )
        expect(error._tag).toBe("StripeValidationError")
        expect(error._tag === "StripeValidationError" && error.param).toBe("concurrency")
      }
      expect(fake.streamCalls()).toHaveLength(0)
    }))

  it.effect("one failing request stops the others of the batch and fails the send", () =>
    Effect.gen(function*() {
      let calls = 0
      const fake = makeFake({
        stream: () =>
          Effect.suspend(() =>
            ++calls === 3
              ? Effect.fail(new StripeError.StripeApiError({ message: "boom", status: 500, requestId: "req_500" }))
              : Effect.succeed({})
          )
      })
      const error = yield* withClock(
        Effect.gen(function*() {
          const session = yield* MeterEventStream.createSession()
          return yield* Effect.flip(MeterEventStream.sendEvents(session, events(5_000), { concurrency: 2 }))
        }),
        "1 minute"
      ).pipe(Effect.provide(fake.layer))
      expect(error._tag).toBe("StripeApiError")
      expect(fake.streamCalls().length).toBeLessThan(50)
    }))

  it.effect("sends the chunks concurrently", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const session = yield* withClock(MeterEventStream.createSession()).pipe(Effect.provide(fake.layer))
      const fiber = yield* Effect.fork(
        MeterEventStream.sendEvents(session, events(1000)).pipe(Effect.provide(fake.layer))
      )
      // One fake latency (5 ms) is enough for all 10 requests when they run at once.
      yield* TestClock.adjust("5 millis")
      expect(fake.streamCalls()).toHaveLength(10)
      yield* Fiber.join(fiber)
    }))

  it.effect("rejects an empty list and an event without a name before any request", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const session = yield* withClock(MeterEventStream.createSession()).pipe(Effect.provide(fake.layer))
      const empty = yield* Effect.flip(MeterEventStream.sendEvents(session, [])).pipe(Effect.provide(fake.layer))
      expect(empty).toBeInstanceOf(StripeError.StripeValidationError)
      expect(empty._tag === "StripeValidationError" && empty.param).toBe("events")
      const unnamed = yield* Effect.flip(
        MeterEventStream.sendEvents(session, [...events(2), { event_name: "", payload: {} }])
      ).pipe(Effect.provide(fake.layer))
      expect(unnamed._tag === "StripeValidationError" && unnamed.param).toBe("events[2][event_name]")
      expect(fake.streamCalls()).toHaveLength(0)
    }))

  it.effect("detects an expired session from the Clock without sending a request", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      const session = yield* withClock(MeterEventStream.createSession(), "1 second").pipe(Effect.provide(fake.layer))
      yield* TestClock.adjust("14 minutes")
      yield* withClock(MeterEventStream.sendEvents(session, events(1))).pipe(Effect.provide(fake.layer))
      expect(fake.streamCalls()).toHaveLength(1)
      yield* TestClock.adjust("1 minute")
      const error = yield* Effect.flip(MeterEventStream.sendEvents(session, events(1))).pipe(
        Effect.provide(fake.layer)
      )
      expect(error).toBeInstanceOf(MeterEventStream.MeterEventSessionExpired)
      expect(error._tag === "MeterEventSessionExpired" && error.detectedBy).toBe("clock")
      expect(error._tag === "MeterEventSessionExpired" && error.sessionId).toBe("mes_1")
      expect(fake.streamCalls()).toHaveLength(1)
    }))

  it.effect("maps a 401 billing_meter_event_session_expired reply to MeterEventSessionExpired", () =>
    Effect.gen(function*() {
      const fake = makeFake({ stream: () => expiredReply("req_abc") })
      const error = yield* withClock(Effect.gen(function*() {
        const session = yield* MeterEventStream.createSession()
        return yield* Effect.flip(MeterEventStream.sendEvents(session, events(3)))
      })).pipe(Effect.provide(fake.layer))
      expect(error._tag).toBe("MeterEventSessionExpired")
      if (error._tag === "MeterEventSessionExpired") {
        expect(error.detectedBy).toBe("server")
        expect(error.requestId).toBe("req_abc")
        expect(error.sessionId).toBe("mes_1")
        expect(error.message).toContain("mes_1")
      }
    }))

  it.effect("keeps other authentication errors as they are", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        stream: () =>
          Effect.fail(new StripeError.StripeAuthenticationError({ message: "Invalid token", code: "unauthorized" }))
      })
      const error = yield* withClock(Effect.gen(function*() {
        const session = yield* MeterEventStream.createSession()
        return yield* Effect.flip(MeterEventStream.sendEvents(session, events(3)))
      })).pipe(Effect.provide(fake.layer))
      expect(error._tag).toBe("StripeAuthenticationError")
    }))
})

describe("MeterEventStream.MeterEventStream (managed)", () => {
  const run = <A, E>(
    fake: ReturnType<typeof makeFake>,
    body: (stream: MeterEventStream.Service) => Effect.Effect<A, E>,
    options?: MeterEventStream.Options
  ) =>
    Effect.gen(function*() {
      const stream = yield* MeterEventStream.MeterEventStream
      return yield* body(stream)
    }).pipe(Effect.provide(MeterEventStream.layer(options).pipe(Layer.provide(fake.layer))))

  it.effect("50 concurrent senders share exactly one session creation", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      yield* withClock(run(fake, (stream) =>
        Effect.forEach(
          Array.from({ length: 50 }, (_, i) => i),
          (i) => stream.send(events(2, i * 2)),
          { concurrency: "unbounded", discard: true }
        )))
      expect(fake.sessionCalls()).toHaveLength(1)
      expect(fake.streamCalls()).toHaveLength(50)
    }))

  it.effect("50 concurrent senders rejected as expired cause exactly one renewal and resend the same events", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        stream: (token) => (token === `${tokenPrefix}_1` ? expiredReply() : Effect.succeed({}))
      })
      yield* withClock(run(fake, (stream) =>
        Effect.gen(function*() {
          yield* stream.session
          yield* Effect.forEach(
            Array.from({ length: 50 }, (_, i) => i),
            (i) => stream.send(events(1, i)),
            { concurrency: "unbounded", discard: true }
          )
        })))
      expect(fake.sessionCalls()).toHaveLength(2)
      const requests = fake.streamCalls()
      expect(requests).toHaveLength(100)
      const first = requests.filter((c) => c.bearer === `${tokenPrefix}_1`).flatMap((c) => bodyOf(c).events)
      const second = requests.filter((c) => c.bearer === `${tokenPrefix}_2`).flatMap((c) => bodyOf(c).events)
      expect(first).toHaveLength(50)
      const ids = (xs: ReadonlyArray<{ readonly identifier: string }>) => xs.map((e) => e.identifier).sort()
      expect(ids(second)).toEqual(ids(first))
    }))

  it.effect("renews the session before it expires, within the renewal margin", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        stream: (token, call) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) =>
            token === `${tokenPrefix}_1` && now >= 15 * 60_000 ? expiredReply() : Effect.succeed(call))
      })
      yield* run(fake, (stream) =>
        Effect.gen(function*() {
          yield* withClock(stream.send(events(1)), "1 second")
          yield* TestClock.adjust("12 minutes")
          yield* withClock(stream.send(events(1)), "1 second")
          expect(fake.sessionCalls()).toHaveLength(1)
          // 13 min 2 s: inside the 2-minute margin of the 15-minute session.
          yield* TestClock.adjust("1 minute")
          yield* withClock(stream.send(events(1)), "1 second")
        }), { renewalMargin: "2 minutes" })
      expect(fake.sessionCalls()).toHaveLength(2)
      expect(
        fake.streamCalls().map((c) =>
          c.bearer
        )
      ).toEqual([
        `${tokenPrefix}_1`,
        `${tokenPrefix}_1`,
        `${tokenPrefix}_2`
      ])
    }))

  it.effect("renews in the background while in use, and lets an idle session lapse", () =>
    Effect.gen(function*() {
      const fake = makeFake()
      yield* run(fake, (stream) =>
        Effect.gen(function*() {
          yield* withClock(stream.send(events(1)), "1 second")
          // The default 60 s margin: at 14 min the session is renewed without any send.
          yield* TestClock.adjust("838 seconds")
          expect(fake.sessionCalls()).toHaveLength(1)
          yield* TestClock.adjust("2 seconds")
          expect(fake.sessionCalls()).toHaveLength(2)
          expect(fake.streamCalls()).toHaveLength(1)
          // Unused since, the second session is not renewed in the background.
          yield* TestClock.adjust("30 minutes")
          expect(fake.sessionCalls()).toHaveLength(2)
          yield* withClock(stream.send(events(1)), "1 second")
        }))
      expect(fake.sessionCalls()).toHaveLength(3)
      expect(fake.streamCalls().map((c) => c.bearer)).toEqual([`${tokenPrefix}_1`, `${tokenPrefix}_3`])
    }))

  it.effect("surfaces expiry only when the renewed session is rejected too", () =>
    Effect.gen(function*() {
      const fake = makeFake({ stream: () => expiredReply() })
      const error = yield* withClock(run(fake, (stream) => Effect.flip(stream.send(events(5)))))
      expect(error._tag).toBe("MeterEventSessionExpired")
      expect(error._tag === "MeterEventSessionExpired" && error.sessionId).toBe("mes_2")
      expect(fake.sessionCalls()).toHaveLength(2)
      expect(fake.streamCalls()).toHaveLength(2)
    }))

  it.effect("surfaces the renewal's own error when renewal fails", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        session: (n, now) =>
          n === 1
            ? Effect.succeed({
              id: "mes_1",
              object: "v2.billing.meter_event_session",
              authentication_token: `${tokenPrefix}_1`,
              created: new Date(now).toISOString(),
              expires_at: new Date(now + 15 * 60_000).toISOString(),
              livemode: false
            })
            : Effect.fail(new StripeError.StripePermissionError({ message: "Key revoked", status: 403 })),
        stream: () => expiredReply()
      })
      const error = yield* withClock(run(fake, (stream) => Effect.flip(stream.send(events(1)))))
      expect(error._tag).toBe("StripePermissionError")
      expect(fake.streamCalls()).toHaveLength(1)
    }))

  it.effect("50 concurrent senders share one failed renewal instead of retrying it each", () =>
    Effect.gen(function*() {
      const fake = makeFake({
        session: () =>
          Effect.fail(new StripeError.StripeAuthenticationError({ message: "Invalid API key", status: 401 }))
      })
      const errors = yield* withClock(run(fake, (stream) =>
        Effect.gen(function*() {
          const concurrent = yield* Effect.forEach(
            Array.from({ length: 50 }, (_, i) => i),
            (i) => Effect.flip(stream.send(events(1, i))),
            { concurrency: "unbounded" }
          )
          expect(fake.sessionCalls()).toHaveLength(1)
          // A later send tries again rather than replaying an old failure.
          const later = yield* Effect.flip(stream.send(events(1)))
          return [...concurrent, later]
        })))
      expect(errors.every((e) => e._tag === "StripeAuthenticationError")).toBe(true)
      expect(fake.sessionCalls()).toHaveLength(2)
      expect(fake.streamCalls()).toHaveLength(0)
    }))

  it.effect("never shows the session token in logs or errors", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ annotations, cause, message }) => {
        lines.push(inspect({ message, annotations: HashMap.toEntries(annotations), cause: Cause.pretty(cause) }, {
          depth: 10
        }))
      })
      const fake = makeFake({ stream: () => expiredReply() })
      const exit = yield* withClock(run(fake, (stream) =>
        Effect.gen(function*() {
          const session = yield* stream.session
          yield* Effect.logInfo("using session", session)
          yield* Effect.annotateLogs(Effect.logDebug("annotated"), { session })
          return yield* stream.send(events(1))
        }))).pipe(
          Effect.tapErrorCause((cause) => Effect.logError("send failed", cause)),
          Effect.exit,
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
      expect(Exit.isFailure(exit)).toBe(true)
      // The token was really in use, so its absence below means it was hidden.
      expect(fake.streamCalls().map((c) => c.bearer)).toEqual([`${tokenPrefix}_1`, `${tokenPrefix}_2`])
      expect(lines.length).toBeGreaterThanOrEqual(4)
      expect(lines.join("\n")).toContain("mes_1")
      for (const line of lines) expect(line).not.toContain(tokenPrefix)
      const error = Either.getOrThrow(
        Either.flip(Exit.isFailure(exit) ? Cause.failureOrCause(exit.cause) : Either.left(undefined))
      )
      for (
        const shown of [
          String(error),
          JSON.stringify(error),
          inspect(error, { depth: 10 }),
          Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty)
        ]
      ) {
        expect(shown).not.toContain(tokenPrefix)
      }
    }))
})

describe("MeterEventStream through the real StripeClient pipeline", () => {
  interface Seen {
    readonly url: string
    readonly authorization: string | undefined
    readonly contentType: string | undefined
    readonly body: unknown
  }

  const makeHttp = (reply: (seen: Seen) => Response) => {
    const seen: Array<Seen> = []
    const client = HttpClient.make((request, url) =>
      Effect.sync(() => {
        const raw = request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
        const entry: Seen = {
          url: url.toString(),
          authorization: request.headers["authorization"],
          contentType: request.body._tag === "Uint8Array" ? request.body.contentType : undefined,
          body: raw === "" ? undefined : JSON.parse(raw)
        }
        seen.push(entry)
        return HttpClientResponse.fromWeb(request, reply(entry))
      })
    )
    const layer = StripeClient.layer({
      apiKey: Redacted.make("sk_test_pipeline"),
      baseUrl: "http://127.0.0.1:12111",
      meterEventsBaseUrl: "http://127.0.0.1:12112",
      maxRetries: 0
    }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, client)))
    return { seen, layer }
  }

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", "request-id": "req_9" }
    })

  const sessionReply = (n: number) =>
    json(200, {
      id: `mes_${n}`,
      object: "v2.billing.meter_event_session",
      authentication_token: `${tokenPrefix}_${n}`,
      created: "1970-01-01T00:00:00.000Z",
      expires_at: "1970-01-01T00:15:00.000Z",
      livemode: false
    })

  it.effect("routes the session to baseUrl and the stream to meterEventsBaseUrl with the token as Bearer", () =>
    Effect.gen(function*() {
      let sessions = 0
      const http = makeHttp((seen) =>
        seen.url.endsWith("/meter_event_session") ? sessionReply(++sessions) : new Response("{}", { status: 200 })
      )
      yield* Effect.gen(function*() {
        const session = yield* MeterEventStream.createSession()
        yield* MeterEventStream.sendEvents(session, events(150))
      }).pipe(Effect.provide(http.layer))
      expect(http.seen.map((s) => s.url)).toEqual([
        "http://127.0.0.1:12111/v2/billing/meter_event_session",
        "http://127.0.0.1:12112/v2/billing/meter_event_stream",
        "http://127.0.0.1:12112/v2/billing/meter_event_stream"
      ])
      expect(http.seen[0].authorization).toBe("Bearer sk_test_pipeline")
      expect(http.seen.slice(1).map((s) => s.authorization)).toEqual([
        `Bearer ${tokenPrefix}_1`,
        `Bearer ${tokenPrefix}_1`
      ])
      expect(http.seen[1].contentType).toBe("application/json")
      const sizes = http.seen.slice(1).map((s) => Schema.decodeUnknownSync(StreamBodySchema)(s.body).events.length)
      expect(sizes.sort()).toEqual([100, 50].sort())
    }))

  it.effect("maps Stripe's 401 expiry reply and renews once in the managed stream, without logging the token", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const logger = Logger.make(({ annotations, message }) => {
        lines.push(inspect({ message, annotations: HashMap.toEntries(annotations) }, { depth: 10 }))
      })
      let sessions = 0
      const http = makeHttp((seen) => {
        if (seen.url.endsWith("/meter_event_session")) return sessionReply(++sessions)
        return seen.authorization === `Bearer ${tokenPrefix}_1`
          ? json(401, {
            error: {
              type: "invalid_request_error",
              code: MeterEventStream.sessionExpiredCode,
              message: "The meter event session has expired."
            }
          })
          : new Response("{}", { status: 200 })
      })
      const direct = yield* Effect.gen(function*() {
        const session = yield* MeterEventStream.createSession()
        return yield* Effect.flip(MeterEventStream.sendEvents(session, events(1)))
      }).pipe(Effect.provide(http.layer))
      expect(direct._tag).toBe("MeterEventSessionExpired")
      expect(direct._tag === "MeterEventSessionExpired" && direct.requestId).toBe("req_9")

      sessions = 0
      yield* Effect.gen(function*() {
        const stream = yield* MeterEventStream.MeterEventStream
        yield* stream.send(events(3))
      }).pipe(
        Effect.provide(MeterEventStream.layer().pipe(Layer.provide(http.layer))),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      expect(sessions).toBe(2)
      expect(lines.some((l) => l.includes("meter_event_stream"))).toBe(true)
      for (const line of lines) expect(line).not.toContain(tokenPrefix)
    }))
})

describe("MeterEventStream.prepareEvents", () => {
  it.effect("uses identified events as they are, copies the others, keeps the order and never mutates the input", () =>
    Effect.gen(function*() {
      const ready = (i: number): MeterEventStream.MeterEvent => ({
        event_name: "api_requests",
        payload: { value: String(i) },
        identifier: `id-${i}`
      })
      const input: Array<MeterEventStream.MeterEvent> = [
        ready(0),
        ready(1),
        { event_name: "api_requests", payload: { value: "2" } },
        ready(3),
        { event_name: "api_requests", payload: { value: "4" }, identifier: "id-4", timestamp: 1_714_564_800 }
      ]
      const before = JSON.stringify(input)
      const prepared = yield* MeterEventStream.prepareEvents(input)
      expect(JSON.stringify(input)).toBe(before)
      expect(prepared.map((e) => e.payload.value)).toEqual(["0", "1", "2", "3", "4"])
      expect(prepared[0]).toBe(input[0])
      expect(prepared[1]).toBe(input[1])
      expect(prepared[3]).toBe(input[3])
      expect(prepared[2]).not.toBe(input[2])
      expect(typeof prepared[2].identifier).toBe("string")
      expect(prepared[4]).toEqual({
        event_name: "api_requests",
        payload: { value: "4" },
        identifier: "id-4",
        timestamp: "2024-05-01T12:00:00.000Z"
      })

      const allReady = [ready(0), ready(1), ready(2)]
      const same = yield* MeterEventStream.prepareEvents(allReady)
      expect(same).not.toBe(allReady)
      expect(same.every((e, i) => e === allReady[i])).toBe(true)
    }))

  it.effect("names the first invalid event", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(MeterEventStream.prepareEvents([
        { event_name: "api_requests", payload: { value: "1" }, identifier: "a" },
        { event_name: "", payload: { value: "1" }, identifier: "b" }
      ]))
      expect(error.param).toBe("events[1][event_name]")
    }))
})
