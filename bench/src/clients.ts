/**
 * The contenders of the HTTP benchmarks, each configured equivalently:
 * keep-alive connections, the same retry budget (2, this SDK's default;
 * never exercised since the server does not fail), the default 80 s timeout,
 * the same API version (the one the target speaks, see `sdk.ts`).
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { StripeClient, type StripeError, StripeHttpClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import Stripe from "stripe"
import { Pool } from "undici"
import type { Resources } from "./sdk.js"

/** The three measured calls. */
export type Workload = "customers.create" | "customers.retrieve" | "paymentIntents.list"

/** @internal */
export const workloads: ReadonlyArray<Workload> = ["customers.create", "customers.retrieve", "paymentIntents.list"]

/** What every contender is told about the target. */
export interface Target {
  readonly url: string
  readonly apiKey: string
  /** A customer id to retrieve. */
  readonly customerId: string
  /** This SDK's calls, and the `Stripe-Version` every contender sends. */
  readonly resources: Resources
}

/** One call, as a promise, or as an effect for the Effect-native runner. */
export type Contender =
  | {
    readonly kind: "promise"
    readonly name: string
    readonly call: (workload: Workload) => () => Promise<unknown>
    readonly close: () => Promise<void>
  }
  | {
    readonly kind: "effect"
    readonly name: string
    readonly call: (workload: Workload) => Effect.Effect<unknown, unknown, StripeClient.StripeClient>
    readonly runtime: ManagedRuntime.ManagedRuntime<StripeClient.StripeClient, unknown>
    readonly close: () => Promise<void>
  }

const MAX_RETRIES = 2
const createParams = { email: "bench@example.com", name: "Bench Customer", description: "created by pnpm bench" }

/** The transports this SDK can run on. */
export type Transport = "lean" | "undici" | "node" | "fetch"

const transportLayer = (
  transport: Transport
):
  | Layer.Layer<HttpClient.HttpClient | StripeHttpClient.Transport, StripeError.StripeConfigError>
  | Layer.Layer<HttpClient.HttpClient> =>
{
  switch (transport) {
    case "lean":
      return StripeHttpClient.layer
    case "undici":
      return NodeHttpClient.layerUndici
    case "node":
      return NodeHttpClient.layer
    case "fetch":
      return FetchHttpClient.layer
  }
}

const sdkLayer = (target: Target, transport: Transport) =>
  StripeClient.layer({
    apiKey: Redacted.make(target.apiKey),
    baseUrl: target.url,
    maxRetries: MAX_RETRIES,
    apiVersion: target.resources.apiVersion
  }).pipe(Layer.provide(transportLayer(transport)), Layer.orDie)

const sdkCall =
  (target: Target) => (workload: Workload): Effect.Effect<unknown, unknown, StripeClient.StripeClient> => {
    switch (workload) {
      case "customers.create":
        return target.resources.createCustomer(createParams)
      case "customers.retrieve":
        return target.resources.retrieveCustomer(target.customerId)
      case "paymentIntents.list":
        return target.resources.listPaymentIntents({ limit: 10 })
    }
  }

/** This SDK inside one Effect program. */
export const effectNative = async (target: Target, transport: Transport = "lean"): Promise<Contender> => {
  const runtime = ManagedRuntime.make(sdkLayer(target, transport))
  await runtime.runPromise(Effect.void)
  return {
    kind: "effect",
    name: transport === "lean" ? "lattice (Effect)" : `lattice (Effect, ${transport})`,
    runtime,
    call: sdkCall(target),
    close: () => runtime.dispose()
  }
}

/** This SDK as a promise-based app calls it: one `runPromise` per call. */
export const promiseStyle = async (target: Target, transport: Transport = "lean"): Promise<Contender> => {
  const runtime = ManagedRuntime.make(sdkLayer(target, transport))
  await runtime.runPromise(Effect.void)
  const call = sdkCall(target)
  return {
    kind: "promise",
    name: transport === "lean" ? "lattice (runPromise)" : `lattice (runPromise, ${transport})`,
    call: (workload) => {
      const effect = call(workload)
      return () => runtime.runPromise(effect)
    },
    close: () => runtime.dispose()
  }
}

/** The official `stripe` package, same retries, its default keep-alive agent. */
export const official = async (target: Target): Promise<Contender> => {
  const url = new URL(target.url)
  const stripe = new Stripe(target.apiKey, {
    host: url.hostname,
    port: Number(url.port),
    protocol: url.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: MAX_RETRIES,
    // Boundary: the pinned version string predates the package's typed `LatestApiVersion`.
    apiVersion: target.resources.apiVersion as Stripe.LatestApiVersion,
    // Telemetry on, its default, as this SDK's: both send X-Stripe-Client-Telemetry.
    telemetry: true
  })
  return {
    kind: "promise",
    name: "stripe (official)",
    call: (workload) => {
      switch (workload) {
        case "customers.create":
          return () => stripe.customers.create(createParams)
        case "customers.retrieve":
          return () => stripe.customers.retrieve(target.customerId)
        case "paymentIntents.list":
          return () => stripe.paymentIntents.list({ limit: 10 })
      }
    },
    close: () => Promise.resolve()
  }
}

/** A contender called as a promise. */
type PromiseContender = Extract<Contender, { readonly kind: "promise" }>

/** The floor: undici's pool with keep-alive, `JSON.parse`, no validation. */
export const raw = async (target: Target): Promise<PromiseContender> => {
  const pool = new Pool(target.url, { connections: 32, pipelining: 1 })
  const headers = {
    authorization: `Bearer ${target.apiKey}`,
    "stripe-version": target.resources.apiVersion
  }
  const send = async (method: "GET" | "POST", path: string, body?: string): Promise<unknown> => {
    const response = await pool.request(
      body === undefined ? { method, path, headers } : {
        method,
        path,
        headers: {
          ...headers,
          "content-type": "application/x-www-form-urlencoded",
          "idempotency-key": crypto.randomUUID()
        },
        body
      }
    )
    const text = await response.body.text()
    const json: unknown = JSON.parse(text)
    if (response.statusCode >= 300) throw new Error(`HTTP ${response.statusCode}: ${text}`)
    return json
  }
  return {
    kind: "promise",
    name: "raw undici",
    call: (workload) => {
      switch (workload) {
        case "customers.create":
          return () => send("POST", "/v1/customers", new URLSearchParams(createParams).toString())
        case "customers.retrieve":
          return () => send("GET", `/v1/customers/${encodeURIComponent(target.customerId)}`)
        case "paymentIntents.list":
          return () => send("GET", "/v1/payment_intents?limit=10")
      }
    },
    close: () => pool.close()
  }
}

/**
 * The generic path's floor: a platform `HttpClient` alone, one `runPromise`
 * per call of one `execute` and `response.json` with the headers this SDK
 * sends (the same names, values of the same size), no SDK code, the platform's span off (as this SDK turns it off). No
 * SDK on that `HttpClient` can be faster than this.
 */
export const platformFloor = async (target: Target, transport: "undici" | "node"): Promise<Contender> => {
  const runtime = ManagedRuntime.make(transportLayer(transport))
  const client = await runtime.runPromise(
    Effect.map(HttpClient.HttpClient, HttpClient.withTracerDisabledWhen(() => true))
  )
  // The header set this SDK sends (its values' shapes and sizes): undici validates and copies every
  // header, so a floor with fewer would be cheaper than any SDK can be.
  const headers = {
    "user-agent": "LatticeStripe/0.1.0",
    "x-stripe-client-user-agent": JSON.stringify({
      bindings_version: "0.1.0",
      lang: "node",
      lang_version: process.version,
      publisher: "lattice-stripe",
      platform: encodeURIComponent(`${process.platform} ${process.arch}`)
    }),
    "x-stripe-client-telemetry": JSON.stringify({
      last_request_metrics: { request_id: "req_0123456789abcdef", request_duration_ms: 2 }
    }),
    "stripe-version": target.resources.apiVersion,
    authorization: `Bearer ${target.apiKey}`
  }
  const send = (request: HttpClientRequest.HttpClientRequest) =>
    runtime.runPromise(Effect.flatMap(client.execute(request), (response) => response.json))
  const body = new URLSearchParams(createParams).toString()
  return {
    kind: "promise",
    name: `platform floor (${transport})`,
    call: (workload) => {
      switch (workload) {
        case "customers.create":
          return () =>
            send(
              HttpClientRequest.post(`${target.url}/v1/customers`, { headers }).pipe(
                HttpClientRequest.setHeader("idempotency-key", crypto.randomUUID()),
                HttpClientRequest.bodyText(body, "application/x-www-form-urlencoded")
              )
            )
        case "customers.retrieve":
          return () =>
            send(HttpClientRequest.get(`${target.url}/v1/customers/${encodeURIComponent(target.customerId)}`, {
              headers
            }))
        case "paymentIntents.list":
          return () => send(HttpClientRequest.get(`${target.url}/v1/payment_intents?limit=10`, { headers }))
      }
    },
    close: () => runtime.dispose()
  }
}

/**
 * The floors of the two styles: raw undici's call as `Effect.promise`, run
 * as one `runtime.runPromise` per call, or looped by fibers as this SDK is in
 * `effectNative`. What Effect itself costs per call, which no Effect SDK can
 * go under.
 */
export const rawFloor = async (target: Target, style: "promise" | "effect"): Promise<Contender> => {
  const inner = await raw(target)
  // The runtime this SDK's contenders run on (its services unused here), so that fibers start alike.
  const runtime = ManagedRuntime.make(sdkLayer(target, "lean"))
  await runtime.runPromise(Effect.void)
  const close = () => runtime.dispose().then(inner.close)
  const effectOf = (workload: Workload) => Effect.promise(inner.call(workload))
  if (style === "effect") return { kind: "effect", name: "raw undici (Effect)", runtime, call: effectOf, close }
  return {
    kind: "promise",
    name: "raw undici (runPromise)",
    call: (workload) => {
      const effect = effectOf(workload)
      return () => runtime.runPromise(effect)
    },
    close
  }
}

/** Every contender by a short name: the runner's eight (`isolated.ts`), plus other transports for profiling. */
export const kinds = [
  "effect",
  "promise",
  "undici",
  "official",
  "raw",
  "undici-effect",
  "fetch",
  "node",
  "platform",
  "platform-node",
  "raw-runpromise",
  "raw-effect"
] as const

/** A contender's short name. */
export type Kind = typeof kinds[number]

/** Builds the contender of `kind`. */
export const make = (kind: Kind, target: Target): Promise<Contender> => {
  switch (kind) {
    case "effect":
      return effectNative(target)
    case "undici-effect":
      return effectNative(target, "undici")
    case "promise":
      return promiseStyle(target)
    case "undici":
      return promiseStyle(target, "undici")
    case "fetch":
      return promiseStyle(target, "fetch")
    case "node":
      return promiseStyle(target, "node")
    case "platform":
      return platformFloor(target, "undici")
    case "platform-node":
      return platformFloor(target, "node")
    case "official":
      return official(target)
    case "raw":
      return raw(target)
    case "raw-runpromise":
      return rawFloor(target, "promise")
    case "raw-effect":
      return rawFloor(target, "effect")
  }
}
