/**
 * Which of the source package's request call sites the SDK covers: a call
 * site is covered by a generated operation with the same HTTP method, host
 * and path (its params named either way), or, for a URL computed at runtime,
 * by a hand-written function ({@link handWritten}).
 *
 * @since 0.2.0
 */
import type { Model, RequestCallSite } from "../model.js"

/**
 * Call sites with a computed URL and the hand-written function that sends
 * the same request: `where` (`<file> <Class>.<method>`) → the function.
 *
 * @since 0.2.0
 */
export const handWritten: Readonly<Record<string, string>> = {
  // `GET <related_object.url>` with the event's `Stripe-Context` and `Stripe-Request-Trigger: event=<id>`.
  "Events.js EventResource.addFetchRelatedObjectIfNeeded":
    "EventNotification.fetchRelatedObject (@lattice-stripe/webhook)"
}

/**
 * @since 0.2.0
 */
export interface Coverage {
  readonly calls: number
  readonly covered: number
  readonly byHandWritten: number
  /** Call sites no operation or hand-written function covers. */
  readonly uncovered: ReadonlyArray<RequestCallSite>
}

const shape = (path: string): string => path.replace(/\{[^}]+\}/g, "{}")

/**
 * The coverage of the model's request call sites (`undefined` for a source
 * without them: the OpenAPI spec).
 *
 * @since 0.2.0
 */
export const coverage = (model: Model): Coverage | undefined => {
  const sites = model.requestCalls
  if (sites === undefined) return undefined
  const routes = new Set(model.operations.map((op) => `${op.httpMethod} ${op.host} ${shape(op.path)}`))
  let byHandWritten = 0
  const uncovered: Array<RequestCallSite> = []
  for (const site of sites) {
    if (site.path === undefined) {
      if (handWritten[site.where] !== undefined) byHandWritten++
      else uncovered.push(site)
    } else if (!routes.has(`${site.httpMethod} ${site.host} ${shape(site.path)}`)) {
      uncovered.push(site)
    }
  }
  return { calls: sites.length, covered: sites.length - uncovered.length, byHandWritten, uncovered }
}

/**
 * The line the codegen prints: `650 operations; covers 652/652 request calls of stripe@23.1.0`.
 *
 * @since 0.2.0
 */
export const describeCoverage = (model: Model, operations: number): string => {
  const c = coverage(model)
  const head = `${operations} operations`
  if (c === undefined) return head
  const missing = c.uncovered.length === 0
    ? ""
    : ` (not covered: ${c.uncovered.map((s) => `${s.httpMethod} ${s.path ?? "<computed>"} in ${s.where}`).join(", ")})`
  return `${head}; covers ${c.covered}/${c.calls} request calls of ${model.source}${missing}`
}
