import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as StripeClient from "../src/StripeClient.js"

export interface Call {
  readonly request: HttpClientRequest.HttpClientRequest
  readonly url: URL
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

const decoder = new TextDecoder()

const bodyText = (request: HttpClientRequest.HttpClientRequest): string =>
  request.body._tag === "Uint8Array" ? decoder.decode(request.body.body) : ""

export type Handler = (
  call: Call,
  index: number
) => globalThis.Response | Effect.Effect<globalThis.Response, HttpClientError.HttpClientError>

/** A mock transport: records every request and answers with `handler`. No sockets. */
export const mockHttp = (handler: Handler) => {
  const calls: Array<Call> = []
  const client = HttpClient.make((request, url) => {
    const call: Call = { request, url, method: request.method, headers: request.headers, body: bodyText(request) }
    calls.push(call)
    const answer = handler(call, calls.length - 1)
    const effect = Effect.isEffect(answer) ? answer : Effect.succeed(answer)
    return Effect.map(effect, (response) => HttpClientResponse.fromWeb(request, response))
  })
  return { calls, layer: Layer.succeed(HttpClient.HttpClient, client) }
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): globalThis.Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "request-id": "req_test", ...headers }
  })

export const SENTINEL = "sk_test_SENTINEL_abc"

export const clientLayer = (
  handler: Handler,
  options: Partial<StripeClient.Options> = {}
) => {
  const http = mockHttp(handler)
  const layer = StripeClient.layer({ apiKey: Redacted.make(SENTINEL), ...options }).pipe(Layer.provide(http.layer))
  return { calls: http.calls, layer }
}

export const stripeError = (type: string, extra: Record<string, unknown> = {}) => ({
  error: { type, message: `A ${type} happened.`, ...extra }
})
