/**
 * The core of webhook signature verification: plain functions over strings
 * and bytes, so that the hot path (one HMAC, one parse) costs no fiber and no
 * allocation beyond what the crypto needs; the public Effect API wraps it.
 *
 * Two HMAC engines: Node's `crypto` (synchronous, taken with
 * `process.getBuiltinModule`, never imported, so this module loads where
 * only Web APIs exist) and Web Crypto's `crypto.subtle` (asynchronous) where
 * Node's is absent (Workers, Deno, browsers).
 */

/** @internal */
export type Failure =
  | "MissingHeader"
  | "InvalidHeader"
  | "NoMatchingSignature"
  | "TimestampOutsideTolerance"

const SIGNATURE_HEX_LENGTH = 64
// 15 digits stay below Number.MAX_SAFE_INTEGER; Stripe sends 10.
const MAX_TIMESTAMP_DIGITS = 15

/** The part of a Node `Hmac` used here. @internal */
export interface NodeHmac {
  update(data: string | Uint8Array, encoding?: string): NodeHmac
  digest(encoding: "hex"): string
}

/** A prepared HMAC key: Node's `KeyObject`, opaque here. @internal */
export interface NodeKey {
  readonly type: string
}

/** The part of `node:crypto` used here. @internal */
export interface NodeCrypto {
  createHmac(algorithm: "sha256", key: string | NodeKey): NodeHmac
  createSecretKey(key: string, encoding: "utf8"): NodeKey
  /** One-shot hashing (Node 20.12 and later); absent on older runtimes. */
  hash?: NodeHash | undefined
}

/** `crypto.hash`, one call into C++ per digest. @internal */
export interface NodeHash {
  (algorithm: "sha256", data: string | Uint8Array, outputEncoding: "hex" | "latin1"): string
  (algorithm: "sha256", data: string | Uint8Array, outputEncoding: "buffer"): Uint8Array
}

/**
 * A Node `Buffer`, for the part used here: writing strings into it in place
 * with the per-encoding methods (`latin1Write`, `utf8Write`). `Buffer#write`
 * dispatches to these through an encoding lookup that measured 6% of a
 * verification; they are not in Node's documentation, so they are detected
 * at run time and anything without them takes the plain-array path.
 *
 * @internal
 */
export interface NodeBytes extends Uint8Array {
  latin1Write(text: string, offset: number): number
  utf8Write(text: string, offset: number): number
}

const isNodeBytes = (u: Uint8Array): u is NodeBytes =>
  typeof Reflect.get(u, "latin1Write") === "function" && typeof Reflect.get(u, "utf8Write") === "function"

// A Node builtin module by name, through `process.getBuiltinModule` (never an import, so this module
// loads where only Web APIs exist); `undefined` where there is none. May throw.
const builtin = (name: string): unknown => {
  const proc: unknown = Reflect.get(globalThis, "process")
  const get: unknown = typeof proc === "object" && proc !== null ? Reflect.get(proc, "getBuiltinModule") : undefined
  return typeof get === "function" ? Reflect.apply(get, proc, [name]) : undefined
}

// A Node `Buffer` of `size` bytes where `node:buffer` exists, else a plain `Uint8Array`.
const allocBytes = (size: number): Uint8Array => {
  try {
    const module = builtin("node:buffer")
    const buffer: unknown = typeof module === "object" && module !== null ? Reflect.get(module, "Buffer") : undefined
    const alloc: unknown = typeof buffer === "function" ? Reflect.get(buffer, "alloc") : undefined
    const bytes: unknown = typeof alloc === "function" ? Reflect.apply(alloc, buffer, [size]) : undefined
    if (bytes instanceof Uint8Array) return bytes
  } catch {
    // fall through: a plain array works, one copy slower
  }
  return new Uint8Array(size)
}

/**
 * An HMAC-SHA256 key prepared for two one-shot hashes (RFC 2104:
 * `H((K ^ opad) || H((K ^ ipad) || m))`), which costs less than a
 * `createHmac` object, its `update` and its `digest` per verification.
 * Only for keys of at most 64 ASCII bytes (every Stripe signing secret):
 * then `K ^ ipad` is ASCII as well and can lead the message as a string,
 * UTF-8 encoded with it in one call.
 *
 * @internal
 */
export interface PadKey {
  readonly _tag: "PadKey"
  readonly hash: NodeHash
  /** `K ^ 0x36...` as a 64-character ASCII string. */
  readonly inner: string
  /**
   * `K ^ 0x5c...` in bytes 0-63; bytes 64-95 take the inner digest (synchronously, so sharing it is
   * safe).
   */
  readonly outer: Uint8Array
  /** `outer` itself where it is a Node `Buffer`, so the digest can be written in as latin1. */
  readonly outerBytes: NodeBytes | undefined
}

/** A key as {@link computeSignature} takes it. @internal */
export type HmacKey = string | NodeKey | PadKey

const BLOCK_BYTES = 64

/**
 * Prepares `secret` for repeated verification: a {@link PadKey} where
 * `crypto.hash` exists and the secret is short ASCII, otherwise Node's
 * `KeyObject`.
 *
 * @internal
 */
export const prepareKey = (crypto: NodeCrypto, secret: string): PadKey | NodeKey => {
  const hash = crypto.hash
  if (typeof hash === "function" && secret.length <= BLOCK_BYTES) {
    let inner = ""
    const outer = allocBytes(BLOCK_BYTES + 32)
    let ascii = true
    for (let i = 0; i < BLOCK_BYTES; i++) {
      const byte = i < secret.length ? secret.charCodeAt(i) : 0
      if (byte > 127) {
        ascii = false
        break
      }
      inner += String.fromCharCode(byte ^ 0x36)
      outer[i] = byte ^ 0x5c
    }
    if (ascii) return { _tag: "PadKey", hash, inner, outer, outerBytes: isNodeBytes(outer) ? outer : undefined }
  }
  return crypto.createSecretKey(secret, "utf8")
}

const isPadKey = (key: HmacKey): key is PadKey => typeof key === "object" && "_tag" in key && key._tag === "PadKey"

let nodeCryptoModule: NodeCrypto | null | undefined

const isNodeCrypto = (u: unknown): u is NodeCrypto =>
  typeof u === "object" && u !== null && typeof Reflect.get(u, "createHmac") === "function" &&
  typeof Reflect.get(u, "createSecretKey") === "function"

/**
 * Node's `crypto`, when this runtime has it (`null` otherwise), found with
 * `process.getBuiltinModule` on first use.
 *
 * @internal
 */
export const nodeCrypto = (): NodeCrypto | null => {
  if (nodeCryptoModule === undefined) {
    nodeCryptoModule = null
    try {
      const module = builtin("node:crypto")
      if (isNodeCrypto(module)) nodeCryptoModule = module
    } catch {
      nodeCryptoModule = null
    }
  }
  return nodeCryptoModule
}

/** @internal */
export const computeSignature = (
  crypto: NodeCrypto,
  timestampText: string,
  payload: string | Uint8Array,
  secret: HmacKey
): string => {
  if (typeof secret === "object" && isPadKey(secret)) return padSignature(secret, timestampText, payload)
  const hmac = crypto.createHmac("sha256", secret)
  if (typeof payload === "string") {
    // One update of one string: each `update` crosses into C++ and re-encodes,
    // and measured on a 2 KB body a single call is the fastest option.
    hmac.update(`${timestampText}.${payload}`, "utf8")
  } else {
    // Bytes are hashed as they are (no decode/re-encode round trip, which
    // would alter invalid UTF-8).
    hmac.update(`${timestampText}.`, "latin1")
    hmac.update(payload)
  }
  // Hex straight from C++ is cheaper than a digest to bytes, and it is what the header carries.
  return hmac.digest("hex")
}

// The inner message, written into one reused buffer: no 2 KB string per webhook for the collector (a
// concatenation is flattened into a new string when it is hashed). Used synchronously only, so sharing
// it is safe; bodies above the limit take the concatenation instead of keeping a large buffer alive.
let scratch: NodeBytes | undefined
const SCRATCH_LIMIT = 1 << 20

const writeMessage = (head: string, payload: string | Uint8Array): Uint8Array | undefined => {
  // UTF-8 needs at most 3 bytes per UTF-16 unit.
  const max = head.length + (typeof payload === "string" ? payload.length * 3 : payload.length)
  if (max > SCRATCH_LIMIT) return undefined
  if (scratch === undefined || scratch.length < max) {
    const bytes = allocBytes(Math.max(max, 8192))
    if (!isNodeBytes(bytes)) return undefined
    scratch = bytes
  }
  scratch.latin1Write(head, 0)
  let length = head.length
  if (typeof payload === "string") {
    length += scratch.utf8Write(payload, length)
  } else {
    scratch.set(payload, length)
    length += payload.length
  }
  return scratch.subarray(0, length)
}

// Two `crypto.hash` calls. Measured on a 2 KB event (Node 20, under load): 2.5 µs, against 2.9 µs
// with a concatenated string and a digest returned as a Buffer, 3.9 µs for `createHmac` with a
// `KeyObject`, 4.2 µs with a string key.
const padSignature = (key: PadKey, timestampText: string, payload: string | Uint8Array): string => {
  // The head is ASCII (the padded key and the timestamp's digits), so it is the same in latin1 and UTF-8.
  // A string payload is hashed as its UTF-8 encoding; bytes as they are (no decode/re-encode round
  // trip, which would alter invalid UTF-8).
  const head = key.inner + timestampText + "."
  const message = writeMessage(head, payload) ??
    (typeof payload === "string" ? head + payload : prefixed(head, payload))
  const outer = key.outerBytes
  if (outer !== undefined) {
    // The inner digest as a latin1 string written into the outer block in place: a digest returned as
    // a Buffer is an off-heap allocation per call.
    outer.latin1Write(key.hash("sha256", message, "latin1"), BLOCK_BYTES)
  } else {
    key.outer.set(key.hash("sha256", message, "buffer"), BLOCK_BYTES)
  }
  return key.hash("sha256", key.outer, "hex")
}

const prefixed = (head: string, payload: Uint8Array): Uint8Array => {
  const message = new Uint8Array(head.length + payload.length)
  for (let i = 0; i < head.length; i++) message[i] = head.charCodeAt(i)
  message.set(payload, head.length)
  return message
}

const encoder = new TextEncoder()
const HEX = "0123456789abcdef"

const toHex = (bytes: Uint8Array): string => {
  let out = ""
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15]
  return out
}

// Web Crypto keys, imported once per secret string (a small map: an endpoint has one or two).
const subtleKeys = new Map<string, Promise<CryptoKey>>()

const subtleKey = (secret: string): Promise<CryptoKey> => {
  let key = subtleKeys.get(secret)
  if (key === undefined) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
    if (subtleKeys.size >= 16) subtleKeys.clear()
    subtleKeys.set(secret, key)
  }
  return key
}

/**
 * The same HMAC with Web Crypto (`crypto.subtle`).
 *
 * @internal
 */
export const computeSignatureSubtle = async (
  timestampText: string,
  payload: string | Uint8Array,
  secret: string
): Promise<string> => {
  const head = encoder.encode(`${timestampText}.`)
  const body = typeof payload === "string" ? encoder.encode(payload) : payload
  const message = new Uint8Array(head.length + body.length)
  message.set(head, 0)
  message.set(body, head.length)
  const signature = await crypto.subtle.sign("HMAC", await subtleKey(secret), message)
  return toHex(new Uint8Array(signature))
}

/**
 * Where the `t=` value and the candidate `v1=` values sit in a header, found
 * in one linear scan (no regular expressions, so no backtracking on hostile
 * input). Unknown schemes (`v0`) and items without `=` are ignored; a
 * missing, repeated or non-numeric `t` makes the header invalid. `v1` values
 * that are not 64 characters long are counted but can never match.
 *
 * @internal
 */
export interface HeaderLayout {
  readonly header: string
  readonly timestampText: string
  readonly timestamp: number
  /** Start offsets of the 64-character `v1=` values. */
  readonly candidates: Array<number>
}

/** @internal */
export const parseHeader = (header: string): HeaderLayout | undefined => {
  const length = header.length
  let timestampText: string | undefined
  const candidates: Array<number> = []
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
        if (end - eq - 1 === SIGNATURE_HEX_LENGTH) candidates.push(eq + 1)
      }
    }
    start = end + 1
  }
  if (timestampText === undefined || v1Count === 0) return undefined
  return { header, timestampText, timestamp: Number(timestampText), candidates }
}

/**
 * Whether one of the header's `v1` signatures is `expected` (64 lower-case
 * hex characters), compared in constant time per candidate: every character
 * is looked at, a mismatch anywhere only sets bits.
 *
 * @internal
 */
export const matches = (layout: HeaderLayout, expected: string): boolean => {
  const header = layout.header
  let found = false
  for (const start of layout.candidates) {
    let diff = 0
    for (let i = 0; i < SIGNATURE_HEX_LENGTH; i++) diff |= expected.charCodeAt(i) ^ header.charCodeAt(start + i)
    if (diff === 0) found = true
  }
  return found
}

/**
 * The timestamp check: `toleranceSeconds <= 0` disables it (as stripe-node
 * does with 0; the public API refuses negative values before this).
 *
 * @internal
 */
export const checkTimestamp = (
  layout: HeaderLayout,
  toleranceSeconds: number,
  nowMillis: number
): Failure | undefined => {
  if (toleranceSeconds > 0) {
    const age = Math.floor(nowMillis / 1000) - layout.timestamp
    if (age > toleranceSeconds || -age > toleranceSeconds) return "TimestampOutsideTolerance"
  }
  return undefined
}

/**
 * Verifies a `Stripe-Signature` header synchronously with Node's crypto.
 * Returns `undefined` when it is genuine and fresh, otherwise the reason.
 *
 * @internal
 */
export const verify = (
  crypto: NodeCrypto,
  payload: string | Uint8Array,
  header: string | undefined,
  secrets: ReadonlyArray<HmacKey>,
  toleranceSeconds: number,
  nowMillis: number
): Failure | undefined => {
  if (header === undefined || header.length === 0) return "MissingHeader"
  const layout = parseHeader(header)
  if (layout === undefined) return "InvalidHeader"
  let matched = false
  if (layout.candidates.length > 0) {
    for (let s = 0; s < secrets.length && !matched; s++) {
      matched = matches(layout, computeSignature(crypto, layout.timestampText, payload, secrets[s]))
    }
  }
  if (!matched) return "NoMatchingSignature"
  return checkTimestamp(layout, toleranceSeconds, nowMillis)
}

/**
 * {@link verify} with Web Crypto.
 *
 * @internal
 */
export const verifySubtle = async (
  payload: string | Uint8Array,
  header: string | undefined,
  secrets: ReadonlyArray<string>,
  toleranceSeconds: number,
  nowMillis: number
): Promise<Failure | undefined> => {
  if (header === undefined || header.length === 0) return "MissingHeader"
  const layout = parseHeader(header)
  if (layout === undefined) return "InvalidHeader"
  let matched = false
  if (layout.candidates.length > 0) {
    for (let s = 0; s < secrets.length && !matched; s++) {
      matched = matches(layout, await computeSignatureSubtle(layout.timestampText, payload, secrets[s]))
    }
  }
  if (!matched) return "NoMatchingSignature"
  return checkTimestamp(layout, toleranceSeconds, nowMillis)
}

/**
 * Builds a header in Stripe's exact format: `t=<unix>,v1=<hex>`, with
 * Node's crypto when present, else Web Crypto.
 *
 * @internal
 */
export const sign = (payload: string | Uint8Array, secret: string, timestamp: number): string | Promise<string> => {
  const t = String(Math.floor(timestamp))
  const node = nodeCrypto()
  if (node !== null) return `t=${t},v1=${computeSignature(node, t, payload, secret)}`
  return computeSignatureSubtle(t, payload, secret).then((hex) => `t=${t},v1=${hex}`)
}
