/**
 * Reading decoded request params (form leaves are strings, JSON ones typed).
 *
 * @internal
 */
import type { Value } from "./json.js"
import { isObj } from "./json.js"

/** @internal */
export type Params = { readonly [key: string]: Value }

/** @internal */
export const paramString = (params: Params, key: string): string | undefined => {
  const v = params[key]
  return typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined
}

/** @internal */
export const paramInt = (params: Params, key: string): number | undefined => {
  const v = params[key]
  if (typeof v === "number") return Math.trunc(v)
  if (typeof v !== "string" || v === "") return undefined
  const n = Number.parseInt(v, 10)
  return Number.isNaN(n) ? undefined : n
}

/** @internal */
export const paramBool = (params: Params, key: string): boolean | undefined => {
  const v = params[key]
  return v === true || v === "true" ? true : v === false || v === "false" ? false : undefined
}

/** @internal */
export const paramArray = (params: Params, key: string): ReadonlyArray<Value> => {
  const v = params[key]
  if (Array.isArray(v)) return v
  if (isObj(v)) return Object.values(v)
  return v === undefined || v === "" ? [] : [v]
}

/** @internal */
export const paramObject = (value: Value | undefined): Params => (isObj(value) ? value : {})

/** Params without `expand` (which is not a field of any object). @internal */
export const stripExpand = (params: Params): Record<string, Value> => {
  const out: Record<string, Value> = { ...params }
  delete out.expand
  return out
}

/** The `expand[]` paths of a request. @internal */
export const expandPaths = (params: Params): ReadonlyArray<string> =>
  paramArray(params, "expand").filter((p): p is string => typeof p === "string")
