/**
 * Test support: a tracer that records every span (and the exit it ended
 * with), and a logger that records every line with its annotations and
 * cause, rendered as a user's logger would render them.
 */
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Tracer from "effect/Tracer"
import { inspect } from "node:util"

export interface Recorded {
  readonly spans: Array<Tracer.Span>
  readonly tracer: Tracer.Tracer
}

/** A tracer (not Effect's built-in one) wrapping native spans, so every span is kept. */
export const recordingTracer = (): Recorded => {
  const spans: Array<Tracer.Span> = []
  const native = Effect.runSync(Effect.tracer)
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      spans.push(span)
      return span
    },
    context: native.context
  })
  return { spans, tracer }
}

/** The exit a span ended with. */
export const exitOf = (span: Tracer.Span): Exit.Exit<unknown, unknown> | undefined =>
  span.status._tag === "Ended" ? span.status.exit : undefined

/** Everything a span shows: name, attributes, events, its exit, inspected deeply. */
export const renderSpan = (span: Tracer.Span): string =>
  [
    span.name,
    inspect(Object.fromEntries(span.attributes), { depth: 20 }),
    inspect(exitOf(span), { depth: 20, showHidden: true }),
    JSON.stringify(exitOf(span)) ?? ""
  ].join("\n")

export interface RecordedLogs {
  readonly lines: Array<string>
  readonly layer: Layer.Layer<never>
}

/** A logger keeping each line's message, annotations and pretty cause. */
export const recordingLogger = (): RecordedLogs => {
  const lines: Array<string> = []
  const logger = Logger.make(({ annotations, cause, logLevel, message }) => {
    lines.push(
      `${logLevel.label} ${inspect(message, { depth: 10 })} ${inspect(annotations, { depth: 10 })} ${
        Cause.pretty(cause)
      }`
    )
  })
  return { lines, layer: Logger.add(logger) }
}
