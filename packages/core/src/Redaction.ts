/**
 * The SDK's one redaction rule: which values are secrets, and how they are
 * hidden wherever the SDK renders or records a request or a response (error
 * messages and bodies, `raw` error objects, Debug logs, span attributes and
 * exits, `toJSON`, `inspect`, `Cause.pretty`).
 *
 * Secrets are:
 * - API keys (`sk_…`, `rk_…`, `pk_…`), ephemeral keys (`ek_…`), webhook
 *   signing secrets (`whsec_…`) and `Bearer`/`Basic` credentials in text;
 * - client secrets (`pi_…_secret_…`, `seti_…_secret_…`), and any field named
 *   `client_secret`, `secret`, `signing_secret` (a v2 event destination's),
 *   `session_token`, `authentication_token` (the v2 meter event session
 *   token), `api_key`, `secret_key`, `password` or `private_key_file_password`
 *   (a Terminal configuration's Wi-Fi credentials), `access_token` or
 *   `refresh_token` (Connect OAuth);
 * - the `url` of billing portal sessions, account links (v1 and v2) and login
 *   links (each grants access without a key), and those URLs in free text;
 *   an Apps secret's `payload`.
 *
 * The generated resource schemas decode exactly these fields as `Redacted`
 * (the codegen reads {@link isSecretField}): one rule for what the SDK
 * renders and for what it hands to the caller.
 *
 * Rendering replaces a secret with `<redacted>`; data handed to the caller
 * (a webhook event's object) keeps it as a `Redacted` value instead, see
 * {@link wrapSecrets}.
 *
 * @example
 * ```ts
 * import { Redaction } from "@lattice-stripe/core"
 *
 * Redaction.redactText("Invalid API Key provided: sk_test_123abc")
 * // "Invalid API Key provided: sk_test_<redacted>"
 * Redaction.redactJson({ object: "billing_portal.session", url: "https://billing.stripe.com/p/session/x" })
 * // { object: "billing_portal.session", url: "<redacted>" }
 * ```
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/**
 * What a secret is replaced with when rendered.
 *
 * @since 0.1.0
 * @category constants
 */
export const REDACTED = "<redacted>"

/**
 * Field names whose values are secret in any object.
 *
 * @since 0.1.0
 * @category rules
 */
export const secretKeys: ReadonlySet<string> = new Set([
  "client_secret",
  "secret",
  "signing_secret",
  "session_token",
  "authentication_token",
  "api_key",
  "secret_key",
  "password",
  "private_key_file_password",
  "access_token",
  "refresh_token"
])

/**
 * Objects (by their `object` field) whose `url` is a credential.
 *
 * @since 0.1.0
 * @category rules
 */
export const secretUrlObjects: ReadonlySet<string> = new Set([
  "billing_portal.session",
  "account_link",
  "login_link",
  "v2.core.account_link"
])

/**
 * Objects (by their `object` field) with fields that are credentials beyond
 * {@link secretKeys}: the `url` of each of {@link secretUrlObjects}, an Apps
 * secret's `payload`.
 *
 * @since 0.2.0
 * @category rules
 */
export const secretObjectFields: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ...Array.from(secretUrlObjects, (object) => [object, new Set(["url"])] as const),
  ["apps.secret", new Set(["payload"])]
])

/**
 * Whether the field `key` of an object whose `object` field is `objectType` holds a secret.
 *
 * @example
 * ```ts
 * import { Redaction } from "@lattice-stripe/core"
 *
 * Redaction.isSecretField("client_secret", "payment_intent") // true
 * Redaction.isSecretField("url", "account_link") // true
 * Redaction.isSecretField("url", "checkout.session") // false
 * ```
 *
 * @since 0.1.0
 * @category rules
 */
export const isSecretField = (key: string, objectType: unknown): boolean =>
  secretKeys.has(key) || (typeof objectType === "string" && secretObjectFields.get(objectType)?.has(key) === true)

const KEY_NAMES = Array.from(secretKeys).join("|")

// Each pattern is linear (no nested quantifiers), so hostile text cannot make redaction slow.
const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  // `"client_secret":"…"`, closing quote optional: a truncated prefix may end inside the value.
  [new RegExp(`"(${KEY_NAMES})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, "g"), `"$1"$2"${REDACTED}"`],
  [/\b(sk|rk|pk|ek)_(test|live)_[A-Za-z0-9_]+/g, `$1_$2_${REDACTED}`],
  [/\b([a-z]+_[A-Za-z0-9]+)_secret_[A-Za-z0-9_]+/g, `$1_secret_${REDACTED}`],
  [/\bwhsec_[A-Za-z0-9+/=_]+/g, `whsec_${REDACTED}`],
  [/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [
    /https?:\/\/(?:billing\.stripe\.com\/p\/(?:session|login)|connect\.stripe\.com\/(?:setup|express|d\/setup))\/[^\s"'<>\\]*/g,
    REDACTED
  ]
]

// For each secret-bearing object: a marker of its JSON (`"object":"account_link"`) and its secret fields.
const SECRET_OBJECT_TEXT: ReadonlyArray<readonly [RegExp, ReadonlyArray<readonly [RegExp, string]>]> = Array.from(
  secretObjectFields,
  ([object, fields]) =>
    [
      new RegExp(`"object"\\s*:\\s*"${object.replace(/\./g, "\\.")}"`),
      Array.from(fields, (field) => [new RegExp(`"${field}"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"?`, "g"), field] as const)
    ] as const
)

/**
 * Hides secrets in free text: error messages, raw bodies, parse messages.
 * When the text is (part of) the JSON of an object with secret fields of its
 * own (see {@link secretObjectFields}), every such field in it is hidden too.
 *
 * @example
 * ```ts
 * import { Redaction } from "@lattice-stripe/core"
 *
 * Redaction.redactText(`{"client_secret":"pi_1_secret_abc"}`) // `{"client_secret":"<redacted>"}`
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactText = (text: string, context: string = text): string => {
  let out = text
  for (const [pattern, replacement] of TEXT_PATTERNS) out = out.replace(pattern, replacement)
  for (const [marker, fields] of SECRET_OBJECT_TEXT) {
    if (!marker.test(context)) continue
    for (const [pattern, field] of fields) out = out.replace(pattern, `"${field}"$1"${REDACTED}"`)
  }
  return out
}

/**
 * How much of a body an error keeps: 2,048 bytes.
 *
 * @since 0.1.0
 * @category constants
 */
export const BODY_PREFIX_BYTES = 2048

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * The first `maxBytes` bytes of a text (cut on a character boundary).
 *
 * @since 0.1.0
 * @category redaction
 */
export const prefix = (text: string, maxBytes: number = BODY_PREFIX_BYTES): string => {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short texts need no encoding.
  if (text.length * 3 <= maxBytes) return text
  const head = text.length > maxBytes ? text.slice(0, maxBytes) : text
  const bytes = encoder.encode(head)
  if (bytes.length <= maxBytes) return head
  // `fatal: false` drops the partial character at the cut.
  return decoder.decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD$/, "")
}

/**
 * What an error keeps of a response body: its first {@link BODY_PREFIX_BYTES}
 * bytes, redacted (secret-bearing objects are recognised in the whole text,
 * so a secret URL before the object's `object` field is still hidden).
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactBody = (text: string, maxBytes: number = BODY_PREFIX_BYTES): string =>
  redactText(prefix(text, maxBytes), text)

const MAX_DEPTH = 32
const MAX_STRING = 4096
const MAX_ENTRIES = 256

/**
 * A bounded, redacted copy of a JSON value, for rendering: secret fields
 * become `<redacted>`, strings go through {@link redactText}, `Redacted`
 * values are hidden; strings are cut at 4,096 characters, objects and arrays
 * at 256 entries, nesting at 32 levels.
 *
 * @since 0.1.0
 * @category redaction
 */
export const redactJson = (u: unknown): unknown => copy(u, 0)

const copy = (u: unknown, depth: number): unknown => {
  if (typeof u === "string") return redactText(u.length > MAX_STRING ? u.slice(0, MAX_STRING) + "…" : u)
  if (typeof u !== "object" || u === null) return u
  if (Redacted.isRedacted(u)) return REDACTED
  if (depth >= MAX_DEPTH) return "<nested too deep>"
  if (Array.isArray(u)) {
    const out: Array<unknown> = []
    for (let i = 0; i < u.length && i < MAX_ENTRIES; i++) out.push(copy(u[i], depth + 1))
    return out
  }
  const out: Record<string, unknown> = {}
  const objectType = Reflect.get(u, "object")
  let count = 0
  for (const key of Object.keys(u)) {
    if (count++ >= MAX_ENTRIES) break
    const value: unknown = Reflect.get(u, key)
    const copied = isSecretField(key, objectType) && value !== null && value !== undefined
      ? REDACTED
      : copy(value, depth + 1)
    // A `__proto__` key from JSON is data: defined, never assigned (assigning would set the prototype).
    Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true })
  }
  return out
}

// Any non-array object read as a record of fields (what JSON gives; other values read the same way).
const isFieldRecord = (u: object): u is Record<string, unknown> => !Array.isArray(u)

// Every field name that is secret in some object, by either rule.
const secretFieldNames: ReadonlySet<string> = new Set([
  ...secretKeys,
  ...Array.from(secretObjectFields.values(), (fields) => Array.from(fields)).flat()
])

/**
 * Turns every secret field of parsed JSON into a `Redacted` value, in place,
 * and returns it: for data the caller receives (a webhook event's object),
 * which then prints as `<redacted>` while `Redacted.value` still reads it.
 * The resource schemas accept such values where they declare a secret.
 *
 * @example
 * ```ts
 * import { Redaction } from "@lattice-stripe/core"
 * import { Redacted } from "effect"
 *
 * const object = Redaction.wrapSecrets({ object: "payment_intent", client_secret: "pi_1_secret_x" })
 * Redacted.value(Reflect.get(object, "client_secret")) // "pi_1_secret_x"
 * ```
 *
 * @since 0.1.0
 * @category redaction
 */
export const wrapSecrets = <A>(u: A): A => {
  // An explicit stack: a deeply nested payload must not overflow the call stack.
  const stack: Array<unknown> = [u]
  let visited = 0
  while (stack.length > 0 && visited++ < 1_000_000) {
    const current = stack.pop()
    if (typeof current !== "object" || current === null) continue
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i]
        if (typeof item === "object" && item !== null) stack.push(item)
      }
      continue
    }
    if (!isFieldRecord(current) || Redacted.isRedacted(current)) continue
    // `for...in` over JSON-shaped objects uses V8's enum cache (no key array per object, unlike
    // `Object.keys`): measured about 0.4 µs less per 2 KB webhook event. Inherited keys are skipped.
    // The value is read as `current[key]`, which V8 serves from that cache too (`Reflect.get` does
    // not: 0.4 against 0.23 µs per object of 24 fields).
    for (const key in current) {
      const value = current[key]
      if (typeof value === "string") {
        // One set lookup rejects almost every field; the object's own rule is read only for a candidate.
        if (
          secretFieldNames.has(key) && isSecretField(key, Reflect.get(current, "object")) &&
          Object.hasOwn(current, key)
        ) {
          Reflect.set(current, key, Redacted.make(value))
        }
      } else if (typeof value === "object" && value !== null && key !== "metadata" && Object.hasOwn(current, key)) {
        // `metadata` is the caller's own key-value data, typed as strings: its keys are not Stripe's fields.
        stack.push(value)
      }
    }
  }
  return u
}

const copyJson = (u: unknown, depth: number): unknown => {
  if (typeof u !== "object" || u === null || Redacted.isRedacted(u) || depth > 64) return u
  if (Array.isArray(u)) return u.map((item) => copyJson(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(u)) {
    Object.defineProperty(out, key, {
      value: copyJson(Reflect.get(u, key), depth + 1),
      enumerable: true,
      writable: true,
      configurable: true
    })
  }
  return out
}

/**
 * A schema whose decoded value is a copy of `schema`'s with every secret
 * field (by {@link isSecretField}) as a `Redacted` value: for untyped parts
 * of responses that may carry objects with secrets, such as an event's
 * `data.object` (`Events.list`, `Events.retrieve`). Encoding gives the value
 * back as it is.
 *
 * @example
 * ```ts
 * import { Redaction } from "@lattice-stripe/core"
 * import { Redacted, Schema } from "effect"
 *
 * const Data = Redaction.secretsWrapped(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
 * const data = Schema.decodeUnknownSync(Data)({ object: "payment_intent", client_secret: "pi_1_secret_x" })
 * Redacted.isRedacted(data.client_secret) // true
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const secretsWrapped = <A, I, R>(schema: Schema.Schema<A, I, R>): Schema.Schema<A, I, R> =>
  Schema.transform(schema, Schema.typeSchema(schema), {
    strict: true,
    // Boundary cast: the copy has the same shape as `a`, with some strings replaced by Redacted values
    // where the declared type is `unknown`-valued (the intended use).
    decode: (a) => wrapSecrets(copyJson(a, 0)) as A,
    encode: (a) => a
  })
