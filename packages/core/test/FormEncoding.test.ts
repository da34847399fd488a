import { describe, expect, it } from "@effect/vitest"
import * as Redacted from "effect/Redacted"
import * as fc from "fast-check"
import * as FormEncoding from "../src/FormEncoding.js"
import { StripeValidationError } from "../src/StripeError.js"

/**
 * An independent parser for the property test: pairs come from
 * `URLSearchParams`, keys are split with a regular expression on the raw
 * (still escaped) key, and the tree is built from `Map`s, turning nodes whose
 * keys are all indices into arrays at the end.
 */
type Node = Map<string, Node | string>

const independentParse = (body: string): unknown => {
  const root: Node = new Map()
  for (const raw of body.split("&").filter((p) => p !== "")) {
    const rawKey = raw.slice(0, raw.indexOf("="))
    const value = new URLSearchParams(raw).values().next().value ?? ""
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey)
    if (match === null) throw new Error(`unparseable key ${rawKey}`)
    const segments = [match[1], ...Array.from(match[2].matchAll(/\[([^\]]*)\]/g), (m) => m[1])].map((s) =>
      new URLSearchParams(`k=${s}`).get("k") ?? s
    )
    let node = root
    for (const segment of segments.slice(0, -1)) {
      const next = node.get(segment)
      if (next instanceof Map) node = next
      else {
        const created: Node = new Map()
        node.set(segment, created)
        node = created
      }
    }
    node.set(segments[segments.length - 1], value)
  }
  const toPlain = (node: Node | string): unknown => {
    if (typeof node === "string") return node
    const keys = [...node.keys()]
    if (keys.length > 0 && keys.every((k, i) => k === String(i))) return keys.map((k) => toPlain(node.get(k)!))
    return Object.fromEntries(keys.map((k) => [k, toPlain(node.get(k)!)]))
  }
  return toPlain(root)
}

/** What the encoder promises to send for a value, as the leaf strings a parser sees. */
const normalize = (u: unknown): unknown => {
  if (u === null) return ""
  if (typeof u === "string") return u
  if (typeof u === "boolean") return String(u)
  if (typeof u === "number") return u // compared numerically below
  if (Array.isArray(u)) return u.map(normalize)
  if (typeof u === "object") return Object.fromEntries(Object.entries(u).map(([k, v]) => [k, normalize(v)]))
  throw new Error("unexpected")
}

const sameParams = (expected: unknown, actual: unknown): boolean => {
  if (typeof expected === "number") {
    // A plain decimal, never an exponent, that reads back as the same number.
    return typeof actual === "string" && /^-?\d+(\.\d+)?$/.test(actual) && Number(actual) === expected
  }
  if (typeof expected === "string") return actual === expected
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length &&
      expected.every((e, i) => sameParams(e, actual[i]))
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false
    const keys = Object.keys(expected)
    return keys.length === Object.keys(actual).length &&
      keys.every((k) => sameParams(Reflect.get(expected, k), Reflect.get(actual, k)))
  }
  return false
}

// Keys Stripe could send: anything but an index-looking key (arrays and objects share syntax),
// the empty key (that is `[]`, append), brackets, and `__proto__` (tested on its own).
const key = fc.string({ minLength: 1, maxLength: 8, unit: "grapheme" }).filter((k) =>
  !/^\d+$/.test(k) && !/[[\]]/.test(k) && k !== "__proto__"
)
const leaf = fc.oneof(
  fc.string({ maxLength: 12, unit: "grapheme" }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.constant(null)
)
const { params } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("object"), tie("array")),
  object: fc.dictionary(key, tie("value"), { minKeys: 1, maxKeys: 4 }),
  array: fc.array(tie("value"), { minLength: 1, maxLength: 4 }),
  params: fc.dictionary(key, tie("value"), { maxKeys: 5 })
}))

describe("FormEncoding.encode", () => {
  const table: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
    ["empty params", {}, ""],
    ["a flat string", { email: "a@b.co" }, "email=a%40b.co"],
    ["nested brackets", { metadata: { plan: "pro", tier: "1" } }, "metadata[plan]=pro&metadata[tier]=1"],
    [
      "indexed arrays of objects",
      { items: [{ price: "price_1", quantity: 2 }, { price: "price_2" }] },
      "items[0][price]=price_1&items[0][quantity]=2&items[1][price]=price_2"
    ],
    ["indexed arrays of scalars", { expand: ["customer", "invoice"] }, "expand[0]=customer&expand[1]=invoice"],
    ["\"\" unsets a field", { description: "" }, "description="],
    ["null unsets a field", { description: null, metadata: { old: null } }, "description=&metadata[old]="],
    ["undefined is omitted", { a: undefined, b: "x" }, "b=x"],
    ["empty arrays and objects are omitted", { a: [], b: {}, c: "x" }, "c=x"],
    ["booleans", { capture: true, livemode: false }, "capture=true&livemode=false"],
    ["Date as Unix seconds", { trial_end: new Date("2024-01-01T00:00:00.999Z") }, "trial_end=1704067200"],
    ["bigint", { amount: 12345678901234567890n }, "amount=12345678901234567890"],
    ["integers and decimals", { amount: 2000, rate: 0.1, neg: -12.5 }, "amount=2000&rate=0.1&neg=-12.5"],
    ["no scientific notation, large", { n: 1e21 }, "n=1000000000000000000000"],
    ["no scientific notation, small", { n: 1.5e-7, m: -2e-7 }, "n=0.00000015&m=-0.0000002"],
    ["values are escaped", { name: "a b&c=d/é+" }, "name=a%20b%26c%3Dd%2F%C3%A9%2B"],
    ["key content is escaped, structure is not", { metadata: { "a[b] c": "x" } }, "metadata[a%5Bb%5D%20c]=x"],
    ["arrays of arrays", { a: [["x", "y"], ["z"]] }, "a[0][0]=x&a[0][1]=y&a[1][0]=z"],
    ["Redacted values are sent", { token: Redacted.make("tok_1") }, "token=tok_1"]
  ]
  for (const [name, input, expected] of table) {
    it(name, () => {
      expect(FormEncoding.encode(input)).toBe(expected)
    })
  }

  it("keeps the order of keys deterministic", () => {
    const build = () => ({ b: "1", a: { d: "2", c: "3" }, list: ["x", "y"] })
    expect(FormEncoding.encode(build())).toBe(FormEncoding.encode(build()))
    expect(FormEncoding.encode(build())).toBe("b=1&a[d]=2&a[c]=3&list[0]=x&list[1]=y")
  })

  it("rejects values with no encoding, naming the param", () => {
    const cases: ReadonlyArray<readonly [Record<string, unknown>, string]> = [
      [{ amount: Number.NaN }, "amount"],
      [{ nested: { rate: Infinity } }, "nested[rate]"],
      [{ when: new Date("nope") }, "when"],
      [{ f: () => 1 }, "f"],
      [{ m: new Map() }, "m"]
    ]
    for (const [input, param] of cases) {
      let caught: unknown
      try {
        FormEncoding.encode(input)
      } catch (e) {
        caught = e
      }
      expect(caught).toBeInstanceOf(StripeValidationError)
      expect(caught).toMatchObject({ _tag: "StripeValidationError", param })
    }
    expect(() => FormEncoding.encode([1, 2])).toThrow(StripeValidationError)
  })

  it("formatNumber writes every finite number in plain decimal notation", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const s = FormEncoding.formatNumber(n)
        return /^-?\d+(\.\d+)?$/.test(s) && Number(s) === n
      }),
      { numRuns: 2000 }
    )
  })
})

describe("FormEncoding.decode", () => {
  it("parses brackets into nested objects and arrays", () => {
    expect(FormEncoding.decode("items[0][price]=x&items[0][quantity]=2&items[1][price]=y&metadata[plan]=")).toEqual(
      { items: [{ price: "x", quantity: "2" }, { price: "y" }], metadata: { plan: "" } }
    )
  })

  it("supports `[]` appends, `+` as space, a leading `?` and fully escaped keys", () => {
    expect(FormEncoding.decode("?expand[]=a&expand[]=b&q=a+b")).toEqual({ expand: ["a", "b"], q: "a b" })
    expect(FormEncoding.decode("items%5B0%5D%5Bprice%5D=x")).toEqual({ items: [{ price: "x" }] })
    expect(FormEncoding.decode("lines[][price]=a&lines[][price]=b")).toEqual({
      lines: [{ price: "a" }, { price: "b" }]
    })
  })

  it("keeps escaped brackets inside a key as data", () => {
    expect(FormEncoding.decode("metadata[a%5Bb%5D]=x")).toEqual({ metadata: { "a[b]": "x" } })
  })

  it("never pollutes prototypes", () => {
    const decoded = FormEncoding.decode("__proto__[polluted]=yes&a[__proto__][polluted]=yes")
    expect(Reflect.get({}, "polluted")).toBeUndefined()
    expect(Object.keys(decoded)).toEqual(["__proto__", "a"])
  })

  it("survives malformed escapes", () => {
    expect(FormEncoding.decode("a=%E0%A4%A&b=1")).toEqual({ a: "%E0%A4%A", b: "1" })
  })

  it("property: decode(encode(params)) gives back the params", () => {
    fc.assert(
      fc.property(params, (p) => sameParams(normalize(p), FormEncoding.decode(FormEncoding.encode(p)))),
      { numRuns: 500 }
    )
  })

  it("property: an independent parser reads the same params from encode", () => {
    fc.assert(
      fc.property(params, (p) => {
        const body = FormEncoding.encode(p)
        return sameParams(normalize(p), independentParse(body)) &&
          sameParams(normalize(p), FormEncoding.decode(body))
      }),
      { numRuns: 500 }
    )
  })
})
