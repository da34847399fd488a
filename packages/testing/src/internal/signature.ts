/**
 * Stripe's webhook signature: `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<payload>")>`.
 *
 * @internal
 */
import * as Crypto from "node:crypto"

/** @internal */
export const signatureHeader = (payload: string, secret: string, timestamp: number): string => {
  const v1 = Crypto.createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex")
  return `t=${timestamp},v1=${v1}`
}
