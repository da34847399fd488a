/**
 * One redaction rule everywhere: every error class on every transport, with
 * sentinel secrets in the credentials and in what the server answers (API
 * keys echoed, client secrets, portal, account-link and login-link URLs,
 * meter session tokens, webhook secrets), a Debug logger and a recording
 * tracer. Every rendering of every error, log line and span (attributes and
 * exits) is searched for the sentinel: 0 occurrences.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type * as Http from "node:http"
import { inspect } from "node:util"
import * as Redaction from "../src/Redaction.js"
import * as StripeClient from "../src/StripeClient.js"
import { isStripeError } from "../src/StripeError.js"
import { loopback, sendJson, stripeOn, transports } from "./support/loopback.js"
import { recordingLogger, recordingTracer, renderSpan } from "./support/tracing.js"

const S = "SENTINEL7f3a"
const KEY = `sk_test_${S}KEY`
const CALL_KEY = `rk_live_${S}RK`
const TOKEN = `${S}TOKEN`
const CLIENT_SECRET = `pi_123_secret_${S}`
const PORTAL = `https://billing.stripe.com/p/session/test_${S}`
const ACCOUNT_LINK = `https://connect.stripe.com/setup/e/acct_1/${S}`
const LOGIN_LINK = `https://connect.stripe.com/express/acct_1/${S}`
const WHSEC = `whsec_${S}`

type Answer = (res: Http.ServerResponse) => void

const html = (status: number, text: string): Answer => (res) => {
  res.writeHead(status, { "content-type": "text/html" })
  res.end(text)
}

/** Each answer yields a different error class; every one carries sentinels. */
const answers: ReadonlyArray<readonly [string, Answer]> = [
  ["card (402)", (res) =>
    sendJson(res, 402, {
      error: {
        type: "card_error",
        message: `Declined for ${CLIENT_SECRET}`,
        payment_intent: { id: "pi_123", object: "payment_intent", client_secret: CLIENT_SECRET }
      }
    })],
  [
    "invalid request (400)",
    (res) =>
      sendJson(res, 400, { error: { type: "invalid_request_error", message: `Invalid API Key provided: ${KEY}` } })
  ],
  [
    "authentication (401)",
    (res) => sendJson(res, 401, { error: { type: "authentication_error", message: `Bearer ${KEY} is not valid` } })
  ],
  ["permission (403)", (res) =>
    sendJson(res, 403, {
      error: { type: "permission_error", message: "no", setup_intent: { client_secret: `seti_1_secret_${S}` } }
    })],
  [
    "rate limit (429), secrets in headers",
    (res) =>
      sendJson(res, 429, { error: { type: "rate_limit_error", message: "slow down" } }, {
        "x-echo": `Bearer ${KEY}`,
        "set-cookie": `session=${S}`
      })
  ],
  [
    "idempotency (400)",
    (res) =>
      sendJson(res, 400, { error: { type: "idempotency_error", message: `Keys differ for endpoint secret ${WHSEC}` } })
  ],
  ["api (500), HTML", html(500, `<html>Gateway for Bearer ${KEY} at ${PORTAL}</html>`)],
  ["api (502), truncated JSON of a portal session", (res) => {
    const body = JSON.stringify({ id: "bps_1", url: `http://127.0.0.1/portal/${S}`, object: "billing_portal.session" })
    res.writeHead(502, { "content-type": "application/json" })
    res.end(body + " ".repeat(4000) + "x".repeat(10))
  }],
  ["connection (reset)", (res) => res.socket?.destroy()],
  [
    "decode: a portal session",
    (res) => sendJson(res, 200, { id: 1, object: "billing_portal.session", url: PORTAL, return_url: null })
  ],
  [
    "decode: an emulator's portal session (URL on another host)",
    (res) => sendJson(res, 200, { url: `http://127.0.0.1:1/p/${S}`, object: "billing_portal.session", id: 1 })
  ],
  ["decode: an account link", (res) => sendJson(res, 200, { object: "account_link", url: ACCOUNT_LINK, created: "x" })],
  ["decode: a login link", (res) => sendJson(res, 200, { object: "login_link", url: LOGIN_LINK, created: "x" })],
  [
    "decode: a meter event session",
    (res) => sendJson(res, 200, { object: "v2.billing.meter_event_session", authentication_token: TOKEN, id: 5 })
  ],
  ["decode: a webhook endpoint", (res) => sendJson(res, 200, { object: "webhook_endpoint", secret: WHSEC, id: 7 })],
  ["decode: not JSON", html(200, `not json: ${KEY} ${CLIENT_SECRET} ${LOGIN_LINK}`)],
  ["decode: too large", (res) => {
    res.writeHead(200, { "content-type": "application/json" })
    res.end(JSON.stringify({ client_secret: CLIENT_SECRET, pad: "x".repeat(200_000) }))
  }]
]

const Customer = Schema.Struct({ id: Schema.String, object: Schema.String })

const outputs = (u: unknown): Array<string> => [
  String(u),
  JSON.stringify(u) ?? "",
  inspect(u, { depth: 30, showHidden: true }),
  Inspectable.format(u),
  u instanceof Error ? u.message + (u.stack ?? "") : ""
]

for (const transport of transports) {
  describe(`redaction on ${transport.name}`, () => {
    it.scoped("every error, log line and span: 0 occurrences of the sentinel", () =>
      Effect.gen(function*() {
        const server = yield* loopback
        const logs = recordingLogger()
        const { spans, tracer } = recordingTracer()
        const layer = stripeOn(transport, server.url, { apiKey: Redacted.make(KEY), maxResponseBytes: 100_000 })
        const rendered: Array<string> = []
        const tags: Array<string> = []
        const calls: ReadonlyArray<StripeClient.Request<typeof Customer.Type, typeof Customer.Encoded>> = [
          { method: "POST", path: "/v1/customers", params: { name: "x" }, schema: Customer },
          {
            method: "GET",
            path: "/v1/customers/cus_1",
            options: { apiKey: Redacted.make(CALL_KEY) },
            schema: Customer,
            spanName: "stripe.customers.retrieve"
          },
          {
            method: "POST",
            path: "/v2/billing/meter_event_stream",
            host: "meterEvents",
            bearer: Redacted.make(TOKEN),
            params: { events: [] },
            schema: Customer
          }
        ]
        const program = Effect.gen(function*() {
          for (const [, answer] of answers) {
            server.reply((_, res) => answer(res))
            for (const call of calls) {
              const exit = yield* Effect.exit(StripeClient.request(call))
              if (Exit.isSuccess(exit)) throw new Error("expected a failure")
              const error = Cause.squash(exit.cause)
              expect(isStripeError(error)).toBe(true)
              tags.push(Reflect.get(Object(error), "_tag"))
              rendered.push(...outputs(error), Cause.pretty(exit.cause), ...outputs(exit))
            }
          }
          // A validation failure carrying the key in the bad value.
          const invalid = yield* Effect.exit(
            StripeClient.request({ ...calls[0], options: { apiKey: Redacted.make(`${KEY}\r\n`) } })
          )
          rendered.push(...outputs(invalid), Exit.isFailure(invalid) ? Cause.pretty(invalid.cause) : "")
          // Successes whose values hold secrets: their spans must not.
          server.reply((_, res) =>
            sendJson(res, 200, { id: "mes_1", object: "v2.billing.meter_event_session", authentication_token: TOKEN })
          )
          const session = yield* StripeClient.request({
            method: "POST",
            path: "/v2/billing/meter_event_session",
            params: {},
            schema: Schema.Struct({ id: Schema.String, authentication_token: Schema.String }),
            spanName: "stripe.v2.billing.meter_event_session.create"
          })
          expect(session.authentication_token).toBe(TOKEN)
          const client = yield* StripeClient.StripeClient
          rendered.push(...outputs(client), ...outputs(client.config))
        }).pipe(
          Effect.provide(layer),
          Effect.withTracer(tracer),
          Effect.provide(Layer.merge(Logger.replace(Logger.defaultLogger, Logger.none), logs.layer)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
        yield* program

        expect(new Set(tags)).toEqual(
          new Set([
            "StripeCardError",
            "StripeInvalidRequestError",
            "StripeAuthenticationError",
            "StripePermissionError",
            "StripeRateLimitError",
            "StripeIdempotencyError",
            "StripeApiError",
            "StripeConnectionError",
            "StripeDecodeError"
          ])
        )
        // The sentinels did reach the wire where they belong.
        expect(server.seen.some((s) => s.headers.authorization === `Bearer ${KEY}`)).toBe(true)
        expect(server.seen.some((s) => s.headers.authorization === `Bearer ${CALL_KEY}`)).toBe(true)
        expect(server.seen.some((s) => s.headers.authorization === `Bearer ${TOKEN}`)).toBe(true)
        expect(logs.lines.length).toBeGreaterThan(answers.length)
        // One span per sent call (a validation failure is raised before the span starts).
        expect(spans.length).toBe(answers.length * calls.length + 1)

        const leaks = [...rendered, ...logs.lines, ...spans.map(renderSpan)].filter((text) => text.includes(S))
        expect(leaks).toEqual([])
      }))
  })
}

describe("Redaction", () => {
  it("hides every kind of secret in text, JSON and bounded prefixes", () => {
    const text = [
      `key ${KEY}`,
      `restricted ${CALL_KEY}`,
      `publishable pk_live_${S}`,
      `ephemeral ek_test_${S}`,
      `client ${CLIENT_SECRET}`,
      `"client_secret": "${S}"`,
      `"authentication_token":"${TOKEN}"`,
      `"secret":"${S}"`,
      `signing ${WHSEC}`,
      `Authorization: Bearer ${S}`,
      `Basic ${S}`,
      PORTAL,
      ACCOUNT_LINK,
      LOGIN_LINK
    ].join("\n")
    expect(Redaction.redactText(text)).not.toContain(S)
    // A prefix cut inside a value still hides what is left of it.
    expect(Redaction.redactBody(`{"client_secret":"${S}${"x".repeat(5000)}"}`, 40)).not.toContain(S)
    expect(
      Redaction.redactJson({
        object: "login_link",
        url: LOGIN_LINK,
        nested: [{ object: "account_link", url: `http://x/${S}` }, { secret: S, session_token: S }],
        redacted: Redacted.make(S)
      })
    ).toStrictEqual({
      object: "login_link",
      url: "<redacted>",
      nested: [{ object: "account_link", url: "<redacted>" }, { secret: "<redacted>", session_token: "<redacted>" }],
      redacted: "<redacted>"
    })
    // Other objects' URLs are not secrets.
    expect(Redaction.redactJson({ object: "checkout.session", url: "https://checkout.stripe.com/c/pay/cs_1" })).toEqual(
      {
        object: "checkout.session",
        url: "https://checkout.stripe.com/c/pay/cs_1"
      }
    )
  })

  it("the fields the rule names, in text and in data: v2 signing secrets, Wi-Fi passwords, v2 account links, Apps secrets", () => {
    const cases: ReadonlyArray<Readonly<Record<string, unknown>>> = [
      { object: "v2.core.event_destination", webhook_endpoint: { signing_secret: S } },
      { object: "terminal.configuration", wifi: { personal_psk: { password: S } } },
      { wifi: { enterprise_eap_tls: { private_key_file_password: S } } },
      { object: "v2.core.account_link", url: `https://connect.stripe.com/v2/onboarding/${S}` },
      { object: "apps.secret", name: "api_token", payload: S }
    ]
    for (const c of cases) {
      expect(JSON.stringify(Redaction.redactJson(c))).not.toContain(S)
      // An error body keeps a redacted prefix of the text.
      expect(Redaction.redactBody(JSON.stringify(c))).not.toContain(S)
      expect(inspect(Redaction.wrapSecrets(structuredClone(c)), { depth: 10 })).not.toContain(S)
    }
    // `url` and `payload` are secrets only on the objects that make them credentials.
    expect(Redaction.isSecretField("payload", "apps.secret")).toBe(true)
    expect(Redaction.isSecretField("payload", "billing.meter_event")).toBe(false)
    expect(Redaction.isSecretField("url", "v2.core.account_link")).toBe(true)
    // User metadata is data typed as strings: rendering hides a key named like a secret, wrapping leaves it.
    const withMetadata = { object: "customer", metadata: { password: S } }
    expect(JSON.stringify(Redaction.redactJson(withMetadata))).not.toContain(S)
    expect(Redaction.wrapSecrets(structuredClone(withMetadata)).metadata.password).toBe(S)
  })

  it("a __proto__ key in rendered JSON stays data", () => {
    const copy = Redaction.redactJson(JSON.parse(`{"__proto__":{"polluted":true},"a":1}`))
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.keys(Object(copy))).toEqual(["__proto__", "a"])
  })

  it("wrapSecrets turns secret fields into Redacted values, deep and in place, without recursion", () => {
    let deep: Record<string, unknown> = { object: "payment_intent", client_secret: CLIENT_SECRET }
    for (let i = 0; i < 100_000; i++) deep = { child: deep }
    Redaction.wrapSecrets(deep)
    let node: unknown = deep
    while (typeof node === "object" && node !== null && "child" in node) node = node.child
    const secret: unknown = Reflect.get(Object(node), "client_secret")
    expect(Redacted.isRedacted(secret) ? Redacted.value(secret) : undefined).toBe(CLIENT_SECRET)
    expect(inspect(node)).not.toContain(S)
  })

  it("secretsWrapped: an event's untyped data decodes with its secrets Redacted, the input untouched", () => {
    const Data = Redaction.secretsWrapped(
      Schema.Struct({ object: Schema.Record({ key: Schema.String, value: Schema.Unknown }) })
    )
    const input = { object: { object: "payment_intent", client_secret: CLIENT_SECRET, nested: [{ secret: WHSEC }] } }
    const data = Schema.decodeUnknownSync(Data)(input)
    expect(inspect(data, { depth: 10 })).not.toContain(S)
    expect(JSON.stringify(data)).not.toContain(S)
    const secret: unknown = data.object.client_secret
    expect(Redacted.isRedacted(secret) ? Redacted.value(secret) : undefined).toBe(CLIENT_SECRET)
    expect(input.object.client_secret).toBe(CLIENT_SECRET)
  })
})
