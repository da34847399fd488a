/**
 * Stripe API failures, thrown inside handlers and turned into responses.
 *
 * @internal
 */
import type { Obj } from "./json.js"

/** @internal */
export class ApiFailure {
  constructor(
    readonly status: number,
    readonly error: Obj,
    readonly headers: Readonly<Record<string, string>> = {},
    /** Connect OAuth's shape: `{ error: "<code>", error_description }` instead of `{ error: { ... } }`. */
    readonly oauth = false
  ) {}
}

/** A Connect OAuth failure (`invalid_grant`, `invalid_request`, ...). @internal */
export const oauthFailure = (code: string, description: string, status = 400): ApiFailure =>
  new ApiFailure(status, { error: code, error_description: description }, {}, true)

/** @internal */
export const invalidRequest = (message: string, param?: string, code?: string, status = 400): ApiFailure =>
  new ApiFailure(status, {
    type: "invalid_request_error",
    message,
    ...(param === undefined ? {} : { param }),
    ...(code === undefined ? {} : { code, doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, "-")}` })
  })

/** @internal */
export const resourceMissing = (what: string, id: string, param = "id"): ApiFailure =>
  invalidRequest(`No such ${what}: '${id}'`, param, "resource_missing", 404)

/** A status transition the object's current state does not allow. @internal */
export const unexpectedState = (type: string, what: string, obj: Obj, action: string): ApiFailure =>
  invalidRequest(
    `You cannot ${action} this ${what} because it has a status of ${String(obj.status)}.`,
    undefined,
    `${type}_unexpected_state`
  )
