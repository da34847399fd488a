/**
 * Billing periods: a start plus a price's recurring interval.
 *
 * @internal
 */
import type { Value } from "../json.js"
import { isObj } from "../json.js"

/** `start` (Unix seconds) plus `times` intervals of a price's `recurring`. @internal */
export const addInterval = (start: number, recurring: Value | undefined, times = 1): number => {
  const r = isObj(recurring) ? recurring : {}
  const interval = typeof r.interval === "string" ? r.interval : "month"
  const count = (typeof r.interval_count === "number" && r.interval_count > 0 ? r.interval_count : 1) * times
  const d = new Date(start * 1000)
  switch (interval) {
    case "day":
      d.setUTCDate(d.getUTCDate() + count)
      break
    case "week":
      d.setUTCDate(d.getUTCDate() + 7 * count)
      break
    case "year":
      d.setUTCFullYear(d.getUTCFullYear() + count)
      break
    default:
      d.setUTCMonth(d.getUTCMonth() + count)
  }
  return Math.floor(d.getTime() / 1000)
}
