/**
 * Raw Stripe requests, the same bytes to any target: the in-memory emulator
 * or an HTTP server (stripe-mock). v1 params are form-encoded by the SDK's
 * `FormEncoding` (itself checked against the official `stripe` package in
 * `packages/core/test/FormEncodingOracle.test.ts`); uploads are multipart;
 * v2 bodies are JSON.
 */
import { FormEncoding } from "@lattice-stripe/core"
import type { Emulator } from "@lattice-stripe/testing"

export interface Reply {
  readonly status: number
  /** The parsed JSON body (or the text, when it is not JSON). */
  readonly body: unknown
}

export interface Request {
  readonly method: string
  readonly path: string
  readonly params: Readonly<Record<string, unknown>>
  readonly multipart?: boolean | undefined
}

export type Send = (request: Request) => Promise<Reply>

interface Encoded {
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: Uint8Array<ArrayBuffer> | string | undefined
}

const multipartBody = async (params: Readonly<Record<string, unknown>>) => {
  const form = new FormData()
  for (const [key, value] of Object.entries(params)) {
    if (key === "file") form.append("file", new Blob([new TextEncoder().encode("reference file")]), "reference.txt")
    else form.append(key, String(value))
  }
  const response = new Response(form)
  return {
    body: new Uint8Array(await response.arrayBuffer()),
    contentType: response.headers.get("content-type") ?? "multipart/form-data"
  }
}

/** The API version the raw requests name unless told otherwise: stripe-mock's. */
export const REFERENCE_VERSION = "2024-04-10"

const encode = async (request: Request, version: string): Promise<Encoded> => {
  const headers: Record<string, string> = { authorization: "Bearer sk_test_123", "stripe-version": version }
  const isV2 = request.path.startsWith("/v2/")
  if (isV2 && request.method !== "GET") {
    // v2 requests are JSON, DELETE included (with an empty body).
    return {
      url: request.path,
      headers: { ...headers, "content-type": "application/json" },
      body: request.method === "POST" ? JSON.stringify(request.params) : undefined
    }
  }
  if (request.method !== "POST") {
    const query = FormEncoding.encode(request.params)
    return { url: query === "" ? request.path : `${request.path}?${query}`, headers, body: undefined }
  }
  if (request.multipart === true) {
    const { body, contentType } = await multipartBody(request.params)
    return { url: request.path, headers: { ...headers, "content-type": contentType }, body }
  }
  return {
    url: request.path,
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: FormEncoding.encode(request.params)
  }
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Requests answered by an in-memory emulator, naming an API version (default stripe-mock's). */
export const emulatorSend =
  (emulator: Emulator.Emulator, version: string = REFERENCE_VERSION): Send => async (request) => {
    const encoded = await encode(request, version)
    const res = await emulator.handle({ method: request.method, ...encoded })
    const text = typeof res.body === "string" ? res.body : new TextDecoder().decode(res.body)
    return { status: res.status, body: parse(text) }
  }

/** Requests sent over HTTP to a base URL. */
export const httpSend = (baseUrl: string, version: string = REFERENCE_VERSION): Send => async (request) => {
  const encoded = await encode(request, version)
  const res = await fetch(`${baseUrl}${encoded.url}`, {
    method: request.method,
    headers: encoded.headers,
    ...(encoded.body === undefined ? {} : { body: encoded.body })
  })
  return { status: res.status, body: parse(await res.text()) }
}

/** A field of a JSON value, read loosely. */
export const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Reflect.get(value, key) : undefined

/** A string field, or `""`. */
export const stringField = (value: unknown, key: string): string => {
  const v = field(value, key)
  return typeof v === "string" ? v : ""
}

/** The first item of a list's `data`. */
export const firstItem = (value: unknown): unknown => {
  const data = field(value, "data")
  return Array.isArray(data) ? data[0] : undefined
}
