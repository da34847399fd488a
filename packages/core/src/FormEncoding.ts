/**
 * Stripe's `application/x-www-form-urlencoded` dialect, both ways.
 *
 * `encode` is what the request pipeline sends for v1 bodies and query
 * strings; `decode` parses such a body back into nested objects (for an
 * emulator, a test double, or logging tools).
 *
 * Rules of `encode`:
 * - nested objects use brackets: `{ metadata: { a: "1" } }` → `metadata[a]=1`;
 * - arrays are indexed: `{ items: [{ price: "p" }] }` → `items[0][price]=p`;
 * - `""` and `null` unset a field: both encode as `field=`;
 * - `undefined`, empty arrays and empty objects are omitted (to clear a list, pass `""`);
 * - booleans are `true` / `false`, `Date` is Unix seconds, `bigint` its decimal digits,
 *   numbers never use scientific notation (`1e21` → `1000000000000000000000`);
 * - a `Redacted` value is sent as its content (it is only hidden from logs);
 * - the order is deterministic: object keys in their own order, arrays by index.
 *
 * Key segments and values are percent-encoded, the structural brackets are kept
 * literal (`items[0][price]`), as Stripe's own SDKs send them.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import { StripeValidationError } from "./StripeError.js"

/**
 * Encodes params by Stripe's rules.
 *
 * Throws a `StripeValidationError` (naming the param) for values that have no
 * form encoding: `NaN`, infinities, invalid dates, functions, symbols, or a
 * top level that is not an object.
 *
 * @example
 * ```ts
 * import { FormEncoding } from "@lattice-stripe/core"
 *
 * FormEncoding.encode({ items: [{ price: "price_1", quantity: 2 }], metadata: { plan: "" } })
 * // "items[0][price]=price_1&items[0][quantity]=2&metadata[plan]="
 * ```
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = (params: unknown): string => {
  const out: Array<string> = []
  if (params === undefined || params === null) return ""
  if (!isPlainRecord(params)) {
    throw new StripeValidationError({ message: "Params must be an object" })
  }
  for (const key in params) {
    append(out, encodeURIComponent(key), key, params[key])
  }
  return out.join("&")
}

/**
 * The `[key, value]` pairs `encode` would send, unescaped, in order.
 *
 * @since 0.1.0
 * @category encoding
 */
export const entries = (params: unknown): Array<readonly [string, string]> =>
  encode(params).split("&").filter((part) => part !== "").map((part) => {
    const eq = part.indexOf("=")
    return [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))] as const
  })

const isPlainRecord = (u: unknown): u is Record<string, unknown> => {
  if (typeof u !== "object" || u === null || Array.isArray(u)) return false
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null
}

const append = (out: Array<string>, key: string, param: string, value: unknown): void => {
  switch (typeof value) {
    case "undefined":
      return
    case "string":
      out.push(key + "=" + encodeURIComponent(value))
      return
    case "number":
      if (!Number.isFinite(value)) {
        throw new StripeValidationError({ message: `Param ${param} is not a finite number`, param })
      }
      out.push(key + "=" + formatNumber(value))
      return
    case "boolean":
      out.push(key + (value ? "=true" : "=false"))
      return
    case "bigint":
      out.push(key + "=" + value.toString())
      return
    case "object": {
      if (value === null) {
        out.push(key + "=")
        return
      }
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          append(out, key + "[" + i + "]", param + "[" + i + "]", value[i])
        }
        return
      }
      if (value instanceof Date) {
        const millis = value.getTime()
        if (Number.isNaN(millis)) {
          throw new StripeValidationError({ message: `Param ${param} is an invalid Date`, param })
        }
        out.push(key + "=" + Math.floor(millis / 1000))
        return
      }
      if (Redacted.isRedacted(value)) {
        append(out, key, param, Redacted.value(value))
        return
      }
      if (isPlainRecord(value)) {
        for (const k in value) {
          append(out, key + "[" + encodeURIComponent(k) + "]", param + "[" + k + "]", value[k])
        }
        return
      }
      throw new StripeValidationError({ message: `Param ${param} is not a plain object`, param })
    }
    default:
      throw new StripeValidationError({ message: `Param ${param} has no form encoding (${typeof value})`, param })
  }
}

/**
 * Formats a finite number in plain decimal notation (no exponent), exactly:
 * the digits are those of the shortest round-trip representation.
 *
 * @since 0.1.0
 * @category encoding
 */
export const formatNumber = (n: number): string => {
  const s = String(n)
  const e = s.indexOf("e")
  if (e === -1) return s
  const negative = s[0] === "-"
  const mantissa = s.slice(negative ? 1 : 0, e)
  const exponent = Number(s.slice(e + 1))
  const dot = mantissa.indexOf(".")
  const digits = dot === -1 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1)
  const point = (dot === -1 ? mantissa.length : dot) + exponent
  let body: string
  if (point <= 0) {
    body = "0." + "0".repeat(-point) + digits
  } else if (point >= digits.length) {
    body = digits + "0".repeat(point - digits.length)
  } else {
    body = digits.slice(0, point) + "." + digits.slice(point)
  }
  return negative ? "-" + body : body
}

const safeDecode = (s: string): string => {
  const plain = s.includes("+") ? s.replace(/\+/g, " ") : s
  if (!plain.includes("%")) return plain
  try {
    return decodeURIComponent(plain)
  } catch {
    // A malformed escape is kept verbatim rather than failing the whole body.
    return plain
  }
}

/**
 * Parses a Stripe-style form body (or query string) into nested objects:
 * `items[0][price]=x&expand[]=a` → `{ items: [{ price: "x" }], expand: ["a"] }`.
 *
 * Every leaf is a string (`field=` gives `""`). A numeric segment or `[]`
 * creates an array when the container does not exist yet. A leading `?` is
 * ignored; `+` is a space.
 *
 * @example
 * ```ts
 * import { FormEncoding } from "@lattice-stripe/core"
 *
 * FormEncoding.decode("items[0][price]=price_1&metadata[plan]=")
 * // { items: [{ price: "price_1" }], metadata: { plan: "" } }
 * ```
 *
 * @since 0.1.0
 * @category decoding
 */
export const decode = (body: string): Record<string, unknown> => {
  const root: Record<string, unknown> = {}
  const input = body.startsWith("?") ? body.slice(1) : body
  if (input === "") return root
  for (const part of input.split("&")) {
    if (part === "") continue
    const eq = part.indexOf("=")
    const rawKey = eq === -1 ? part : part.slice(0, eq)
    const value = eq === -1 ? "" : safeDecode(part.slice(eq + 1))
    // Structure comes from the literal brackets, so an escaped bracket inside a key
    // (`metadata[a%5Bb%5D]`) stays data. Fully escaped keys (`items%5B0%5D`) have none:
    // those are unescaped first.
    const path = rawKey.includes("[") ? parseKey(rawKey).map(safeDecode) : parseKey(safeDecode(rawKey))
    assign(root, path, value)
  }
  return root
}

const parseKey = (key: string): Array<string> => {
  const open = key.indexOf("[")
  if (open <= 0 || !key.endsWith("]")) return [key]
  const segments = [key.slice(0, open)]
  let i = open
  while (i < key.length) {
    if (key[i] !== "[") return [key]
    const close = key.indexOf("]", i)
    if (close === -1) return [key]
    segments.push(key.slice(i + 1, close))
    i = close + 1
  }
  return segments
}

const isIndex = (segment: string): boolean => /^(0|[1-9]\d*)$/.test(segment)

type Container = Record<string, unknown> | Array<unknown>

const setIn = (container: Container, segment: string, value: unknown): void => {
  if (Array.isArray(container)) {
    if (segment === "") container.push(value)
    else if (isIndex(segment)) container[Number(segment)] = value
    return
  }
  if (segment === "__proto__") {
    // A key named `__proto__` must become data, never the object's prototype.
    Object.defineProperty(container, segment, { value, enumerable: true, writable: true, configurable: true })
    return
  }
  container[segment] = value
}

const getIn = (container: Container, segment: string): unknown => {
  if (Array.isArray(container)) return isIndex(segment) ? container[Number(segment)] : undefined
  return Object.prototype.hasOwnProperty.call(container, segment) ? container[segment] : undefined
}

const isContainer = (u: unknown): u is Container => typeof u === "object" && u !== null

const assign = (root: Record<string, unknown>, path: ReadonlyArray<string>, value: string): void => {
  let current: Container = root
  for (let i = 0; i < path.length - 1; i++) {
    const segment = path[i]
    const nextSegment = path[i + 1]
    // `[]` on an array appends a fresh element rather than reusing one.
    const existing: unknown = Array.isArray(current) && segment === "" ? undefined : getIn(current, segment)
    if (isContainer(existing)) {
      current = existing
      continue
    }
    const created: Container = nextSegment === "" || isIndex(nextSegment) ? [] : {}
    setIn(current, segment, created)
    if (Array.isArray(current) && !isIndex(segment) && segment !== "") return
    current = created
  }
  setIn(current, path[path.length - 1], value)
}
