/**
 * A loopback-free Stripe: the real `StripeClient` pipeline over a mock
 * `HttpClient` that records every request and answers from a handler.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { loadModel } from "../../../scripts/codegen/src/emit/sources.js"

/** The model the shipped SDK is generated from (`stripe-shipped`), for sample objects. */
export const model = loadModel("shipped")

export interface Recorded {
  readonly method: string
  readonly url: URL
  readonly body: string | undefined
  readonly contentType: string | undefined
  readonly headers: Readonly<Record<string, string>>
}

export interface Reply {
  readonly status?: number
  readonly json?: unknown
  readonly bytes?: Uint8Array
}

const decoder = new TextDecoder()

const record = (request: HttpClientRequest.HttpClientRequest): Recorded => {
  const body = request.body
  return {
    method: request.method,
    url: new URL(request.url),
    body: body._tag === "Uint8Array" ? decoder.decode(body.body) : undefined,
    contentType: body._tag === "Uint8Array" ? body.contentType : undefined,
    headers: request.headers
  }
}

/** A `StripeClient` layer over a mock transport; `recorded` collects every request. */
export const mockStripe = (handler: (request: Recorded) => Reply) => {
  const recorded: Array<Recorded> = []
  const http = HttpClient.make((request) =>
    Effect.sync(() => {
      const r = record(request)
      recorded.push(r)
      const reply = handler(r)
      const body = reply.bytes === undefined ? JSON.stringify(reply.json ?? {}) : new Uint8Array(reply.bytes)
      return HttpClientResponse.fromWeb(
        request,
        new Response(body, {
          status: reply.status ?? 200,
          headers: {
            "content-type": reply.bytes === undefined ? "application/json" : "application/pdf",
            "request-id": "req_test"
          }
        })
      )
    })
  )
  const layer = StripeClient.layer({
    apiKey: Redacted.make("sk_test_resources"),
    baseUrl: "http://api.test",
    filesBaseUrl: "http://files.test",
    meterEventsBaseUrl: "http://meter-events.test",
    maxRetries: 0
  }).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, http)), Layer.orDie)
  return { layer, recorded }
}

/** Form-decodes a body or query string into `[key, value]` pairs. */
export const pairs = (encoded: string): Array<[string, string]> => [...new URLSearchParams(encoded).entries()]
