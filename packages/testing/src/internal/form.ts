/**
 * Decodes Stripe's form encoding (`a[b][0][c]=v`, `expand[]=x`) into nested
 * plain values. Every leaf stays a string: the emulator coerces leaves by the
 * schema of the object they land in.
 *
 * @internal
 */

/** @internal */
export type FormValue = string | FormObject | ReadonlyArray<FormValue>

/** @internal */
export interface FormObject {
  readonly [key: string]: FormValue
}

type Mutable = { [key: string]: MutableValue }
type MutableValue = string | Mutable

const keyPath = (key: string): Array<string> => {
  const open = key.indexOf("[")
  if (open <= 0) return [key]
  const out = [key.slice(0, open)]
  const re = /\[([^\]]*)\]/g
  let match: RegExpExecArray | null
  while ((match = re.exec(key.slice(open))) !== null) out.push(match[1])
  return out
}

const isIndex = (segment: string) => segment === "" || /^\d+$/.test(segment)

// Containers reached through `[0]` or `[]` become arrays; metadata keys that
// happen to be numeric are protected by only converting containers whose every
// key was written as an index.
const finish = (value: MutableValue, arrays: WeakSet<object>): FormValue => {
  if (typeof value === "string") return value
  const keys = Object.keys(value)
  if (arrays.has(value)) {
    return keys
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => finish(value[k], arrays))
  }
  const out: Record<string, FormValue> = {}
  for (const k of keys) out[k] = finish(value[k], arrays)
  return out
}

/**
 * Parses `application/x-www-form-urlencoded` (or a query string without `?`).
 *
 * @internal
 */
export const decodeForm = (input: string): FormObject => {
  const root: Mutable = {}
  const arrays = new WeakSet<object>()
  const mixed = new WeakSet<object>()
  const appendCounters = new WeakMap<object, number>()
  if (input.length === 0) return root
  for (const pair of input.split("&")) {
    if (pair.length === 0) continue
    const eq = pair.indexOf("=")
    const rawKey = eq === -1 ? pair : pair.slice(0, eq)
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1)
    const key = decodeURIComponent(rawKey.replace(/\+/g, " "))
    const value = decodeURIComponent(rawValue.replace(/\+/g, " "))
    const path = keyPath(key)
    let node: Mutable = root
    for (let i = 0; i < path.length; i++) {
      let segment = path[i]
      if (i > 0) {
        if (isIndex(segment)) {
          if (!mixed.has(node)) arrays.add(node)
        } else {
          arrays.delete(node)
          mixed.add(node)
        }
        if (segment === "") {
          const n = appendCounters.get(node) ?? Object.keys(node).length
          // `a[]=x&a[]=y` appends; `a[][k]=v` starts a new element each time
          // its first key repeats, which is good enough for Stripe's params.
          segment = String(n)
          if (i === path.length - 1) appendCounters.set(node, n + 1)
        }
      }
      if (i === path.length - 1) {
        node[segment] = value
      } else {
        const next = node[segment]
        if (next === undefined || typeof next === "string") {
          const created: Mutable = {}
          node[segment] = created
          node = created
        } else {
          node = next
        }
      }
    }
  }
  const out: Record<string, FormValue> = {}
  for (const k of Object.keys(root)) out[k] = finish(root[k], arrays)
  return out
}
