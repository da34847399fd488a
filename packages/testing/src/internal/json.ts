/**
 * JSON values as the emulator stores and receives them.
 *
 * @internal
 */

/** @internal */
export type Json = null | boolean | number | string | Array<Json> | Obj

/** @internal */
export interface Obj {
  [key: string]: Json
}

/** Any input value: decoded form params, JSON bodies, stored objects. @internal */
export type Value = null | boolean | number | string | ReadonlyArray<Value> | { readonly [key: string]: Value }

/** @internal */
export const isObj = (u: unknown): u is Obj => typeof u === "object" && u !== null && !Array.isArray(u)

/** @internal */
export const clone = <A extends Json>(value: A): A => structuredClone(value)

/** @internal */
export const toJson = (value: Value | undefined): Json => {
  if (value === undefined) return null
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
    return value
  }
  if (Array.isArray(value)) return value.map((v: Value) => toJson(v))
  const out: Obj = {}
  for (const [k, v] of Object.entries(value)) out[k] = toJson(v)
  return out
}

/** A canonical string of a value (sorted keys), for fingerprints. @internal */
export const stableStringify = (value: Value | undefined): string => {
  if (value === undefined) return "null"
  if (Array.isArray(value)) return `[${value.map((v: Value) => stableStringify(v)).join(",")}]`
  if (isObj(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/** A list object. @internal */
export const emptyList = (url = ""): Obj => ({ object: "list", data: [], has_more: false, url })

/** The `data` array of a list object, or `[]`. @internal */
export const listData = (list: Json | undefined): Array<Json> =>
  isObj(list) && Array.isArray(list.data) ? list.data : []
