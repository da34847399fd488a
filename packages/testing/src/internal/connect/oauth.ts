/**
 * Connect OAuth (`connect.stripe.com`): an authorization code (or a refresh
 * token) exchanged for a connected account's keys, and the account's
 * disconnection. Failures have OAuth's own shape
 * (`{ error: "invalid_grant", error_description }`).
 *
 * @internal
 */
import type { Handler } from "../engine.js"
import { oauthFailure } from "../errors.js"
import { paramString } from "../params.js"

const token: Handler = (engine, ctx) => {
  const grant = paramString(ctx.params, "grant_type")
  const code = paramString(ctx.params, "code")
  const refresh = paramString(ctx.params, "refresh_token")
  if (grant === "authorization_code" && (code === undefined || !code.startsWith("ac_"))) {
    throw oauthFailure("invalid_grant", `Authorization code does not exist: ${code ?? ""}`)
  }
  if (grant === "refresh_token" && (refresh === undefined || !refresh.startsWith("rt_"))) {
    throw oauthFailure("invalid_grant", `Refresh token does not exist: ${refresh ?? ""}`)
  }
  if (grant !== "authorization_code" && grant !== "refresh_token") {
    throw oauthFailure("unsupported_grant_type", `Unsupported grant type: ${grant ?? ""}`)
  }
  const account = engine.create("account", { type: "standard" })
  return {
    access_token: `sk_test_${engine.ids.random(24)}`,
    livemode: false,
    refresh_token: `rt_${engine.ids.random(24)}`,
    scope: paramString(ctx.params, "scope") ?? "read_write",
    stripe_publishable_key: `pk_test_${engine.ids.random(24)}`,
    stripe_user_id: String(account.id),
    token_type: "bearer"
  }
}

const deauthorize: Handler = (engine, ctx) => {
  const client = paramString(ctx.params, "client_id")
  const user = paramString(ctx.params, "stripe_user_id")
  if (client === undefined || !client.startsWith("ca_")) {
    throw oauthFailure("invalid_client", `No such application: '${client ?? ""}'`, 401)
  }
  if (user === undefined || engine.typeOf(user) !== "account") {
    throw oauthFailure("invalid_client", `The application is not connected to the account '${user ?? ""}'`, 401)
  }
  return { stripe_user_id: user }
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /oauth/token": token,
  "POST /oauth/deauthorize": deauthorize
}
