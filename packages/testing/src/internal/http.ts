/**
 * The wire side of a request: headers, authentication, body parsing (form,
 * multipart, JSON) and responses in Stripe's shape.
 *
 * @internal
 */
import { ApiFailure, invalidRequest } from "./errors.js"
import { decodeForm } from "./form.js"
import type { Json, Obj, Value } from "./json.js"
import { isObj } from "./json.js"
import type { Params } from "./params.js"

/** @internal */
export interface RawRequest {
  readonly method: string
  /** Path and query, e.g. `/v1/customers?limit=3` (an absolute URL works too). */
  readonly url: string
  readonly headers?: Readonly<Record<string, string | ReadonlyArray<string> | undefined>> | undefined
  readonly body?: string | Uint8Array | undefined
}

/** @internal */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

/** A header by lower-case name. @internal */
export const headerValue = (headers: RawRequest["headers"], name: string): string | undefined => {
  if (headers === undefined) return undefined
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue
    const v = headers[key]
    if (v === undefined) return undefined
    return typeof v === "string" ? v : v.join(", ")
  }
  return undefined
}

/** The API key of a request, or a 401 as Stripe sends it. @internal */
export const authenticate = (authorization: string | undefined): string => {
  let key: string | undefined
  if (authorization !== undefined) {
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization)
    const basic = /^Basic\s+(.+)$/i.exec(authorization)
    if (bearer !== null) key = bearer[1].trim()
    else if (basic !== null) key = Buffer.from(basic[1], "base64").toString("utf8").split(":")[0]
  }
  if (key === undefined || key === "") {
    throw new ApiFailure(401, {
      type: "authentication_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."
    })
  }
  if (!key.startsWith("sk_test_") && !key.startsWith("rk_test_")) {
    // Never echo the key: it may be a live secret sent here by mistake.
    throw new ApiFailure(401, {
      type: "authentication_error",
      code: "api_key_invalid",
      message: "Invalid API Key provided. The emulator only accepts test mode keys (sk_test_...)."
    })
  }
  return key
}

const textDecoder = new TextDecoder()

/** Query and body params of a request. @internal */
export const parseParams = async (
  method: string,
  url: URL,
  body: string | Uint8Array | undefined,
  contentType: string,
  isV2: boolean
): Promise<Params> => {
  const query = url.search.length > 1 ? decodeForm(url.search.slice(1)) : {}
  if (method !== "POST" && !(isV2 && method === "DELETE")) return { ...query }
  if (body === undefined || body.length === 0) return { ...query }
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(typeof body === "string" ? body : new Uint8Array(body), {
      headers: { "content-type": contentType }
    }).formData()
    const out: Record<string, Value> = {}
    const fields: Array<string> = []
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") fields.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
      else out[key] = { filename: value.name, size: value.size, type: value.type }
    }
    return { ...query, ...decodeForm(fields.join("&")), ...out }
  }
  const text = typeof body === "string" ? body : textDecoder.decode(body)
  if (isV2 || contentType.includes("json")) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (isObj(parsed)) return { ...query, ...parsed }
    } catch {
      // fall through to the error below
    }
    throw invalidRequest("The request body is not a valid JSON object.")
  }
  return { ...query, ...decodeForm(text) }
}

/** A JSON response with Stripe's headers. @internal */
export const jsonResponse = (
  status: number,
  body: Json,
  requestId: string,
  apiVersion: string,
  extra: Readonly<Record<string, string>> = {}
): RawResponse => ({
  status,
  headers: {
    "content-type": "application/json",
    "request-id": requestId,
    "stripe-version": apiVersion,
    "access-control-allow-origin": "*",
    ...extra
  },
  body: JSON.stringify(body, null, 2)
})

/** An error response: `{ error }` with a request log URL, as Stripe sends it. @internal */
export const failureResponse = (failure: ApiFailure, requestId: string, apiVersion: string): RawResponse => {
  if (failure.oauth) return jsonResponse(failure.status, { ...failure.error }, requestId, apiVersion, failure.headers)
  const error: Obj = { ...failure.error }
  if (error.request_log_url === undefined && error.type !== undefined) {
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`
  }
  return jsonResponse(failure.status, { error }, requestId, apiVersion, failure.headers)
}
