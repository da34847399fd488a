/**
 * The synchronous core of webhook signature verification.
 *
 * Everything here is plain functions over strings and bytes so that the hot
 * path (one HMAC, one parse) costs no fiber and no allocation beyond what the
 * crypto needs; the public Effect API wraps it once.
 */
import { createHmac, timingSafeEqual } from "node:crypto"

/** @internal */
export type Failure = "MissingHeader" | "InvalidHeader" | "NoMatchingSignature" | "TimestampOutsideTolerance"

/** @internal */
export interface ParsedHeader {
  /** The `t=` value exactly as sent: the signed content is `<t>.<payload>`. */
  readonly timestampText: string
  readonly timestamp: number
  /** Decoded `v1=` signatures; malformed ones are dropped because they can never match. */
  readonly signatures: Array<Buffer>
  /** How many `v1=` entries the header had, well-formed or not. */
  readonly v1Count: number
}

const SIGNATURE_BYTES = 32
// 15 digits stay below Number.MAX_SAFE_INTEGER; Stripe sends 10.
const MAX_TIMESTAMP_DIGITS = 15

const hexValue = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48 // 0-9
  if (code >= 97 && code <= 102) return code - 87 // a-f
  // Upper case is rejected on purpose: Stripe sends lower case, and accepting
  // both would make two different headers carry the same signature.
  return -1
}

const decodeSignature = (header: string, start: number, end: number): Buffer | undefined => {
  if (end - start !== SIGNATURE_BYTES * 2) return undefined
  const out = Buffer.allocUnsafe(SIGNATURE_BYTES)
  for (let i = 0; i < SIGNATURE_BYTES; i++) {
    const hi = hexValue(header.charCodeAt(start + 2 * i))
    const lo = hexValue(header.charCodeAt(start + 2 * i + 1))
    if (hi < 0 || lo < 0) return undefined
    out[i] = (hi << 4) | lo
  }
  return out
}

/**
 * Parses `t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]` in one linear scan (no
 * regular expressions, so no backtracking on hostile input). Unknown schemes
 * and items without `=` are ignored; a missing, duplicated or non-numeric `t`
 * makes the header invalid.
 *
 * @internal
 */
export const parseHeader = (header: string): ParsedHeader | undefined => {
  const length = header.length
  let timestampText: string | undefined
  const signatures: Array<Buffer> = []
  let v1Count = 0
  let start = 0
  while (start <= length) {
    let end = header.indexOf(",", start)
    if (end === -1) end = length
    const eq = header.indexOf("=", start)
    if (eq !== -1 && eq < end) {
      const keyLength = eq - start
      if (keyLength === 1 && header.charCodeAt(start) === 116 /* t */) {
        if (timestampText !== undefined) return undefined
        const digits = end - eq - 1
        if (digits === 0 || digits > MAX_TIMESTAMP_DIGITS) return undefined
        for (let i = eq + 1; i < end; i++) {
          const code = header.charCodeAt(i)
          if (code < 48 || code > 57) return undefined
        }
        timestampText = header.slice(eq + 1, end)
      } else if (
        keyLength === 2 && header.charCodeAt(start) === 118 /* v */ && header.charCodeAt(start + 1) === 49 /* 1 */
      ) {
        v1Count++
        const signature = decodeSignature(header, eq + 1, end)
        if (signature !== undefined) signatures.push(signature)
      }
    }
    start = end + 1
  }
  if (timestampText === undefined || v1Count === 0) return undefined
  return { timestampText, timestamp: Number(timestampText), signatures, v1Count }
}

/** @internal */
export const computeSignature = (timestampText: string, payload: string | Uint8Array, secret: string): Buffer => {
  // Two updates instead of one concatenated string: the payload is hashed
  // as-is (bytes stay bytes, no re-encoding of a 2 KB body).
  const hmac = createHmac("sha256", secret)
  hmac.update(timestampText, "latin1")
  hmac.update(".", "latin1")
  if (typeof payload === "string") {
    hmac.update(payload, "utf8")
  } else {
    hmac.update(payload)
  }
  return hmac.digest()
}

/**
 * Verifies a `Stripe-Signature` header. Returns `undefined` when it is
 * genuine and fresh, otherwise the reason. Never throws on any header string.
 *
 * `toleranceSeconds <= 0` disables the time check.
 *
 * @internal
 */
export const verify = (
  payload: string | Uint8Array,
  header: string | null | undefined,
  secrets: ReadonlyArray<string>,
  toleranceSeconds: number,
  nowMillis: number
): Failure | undefined => {
  if (header === null || header === undefined || header.length === 0) return "MissingHeader"
  const parsed = parseHeader(header)
  if (parsed === undefined) return "InvalidHeader"
  let matched = false
  if (parsed.signatures.length > 0) {
    for (let s = 0; s < secrets.length && !matched; s++) {
      const expected = computeSignature(parsed.timestampText, payload, secrets[s])
      for (let i = 0; i < parsed.signatures.length; i++) {
        // Both sides are exactly 32 bytes here, as timingSafeEqual requires.
        if (timingSafeEqual(expected, parsed.signatures[i])) {
          matched = true
          break
        }
      }
    }
  }
  if (!matched) return "NoMatchingSignature"
  if (toleranceSeconds > 0) {
    const age = Math.floor(nowMillis / 1000) - parsed.timestamp
    if (age > toleranceSeconds || -age > toleranceSeconds) return "TimestampOutsideTolerance"
  }
  return undefined
}

/**
 * Builds a header in Stripe's exact format: `t=<unix>,v1=<hex>`.
 *
 * @internal
 */
export const sign = (payload: string | Uint8Array, secret: string, timestamp: number): string => {
  const t = String(Math.floor(timestamp))
  return `t=${t},v1=${computeSignature(t, payload, secret).toString("hex")}`
}
