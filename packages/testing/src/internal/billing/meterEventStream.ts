/**
 * The v2 meter event stream: sessions (`POST /v2/billing/meter_event_session`,
 * a short-lived bearer token) and high-throughput event batches
 * (`POST /v2/billing/meter_event_stream`, authenticated by that token). Events
 * are deduplicated by `identifier`, as Stripe does: a repeated identifier is
 * accepted and not counted again.
 *
 * @internal
 */
import type { Engine, V2Handler } from "../engine.js"
import { ApiFailure, invalidRequest } from "../errors.js"
import type { Obj, Value } from "../json.js"
import { isObj, toJson } from "../json.js"

/** @internal */
export interface MeterSession {
  readonly id: string
  readonly token: string
  readonly createdAt: number
  readonly expiresAt: number
}

interface StreamState {
  readonly sessions: Map<string, MeterSession>
  readonly events: Array<Obj>
  readonly identifiers: Set<string>
}

const isState = (u: unknown): u is StreamState =>
  typeof u === "object" && u !== null && "sessions" in u && u.sessions instanceof Map && "events" in u &&
  Array.isArray(u.events) && "identifiers" in u && u.identifiers instanceof Set

const stateOf = (engine: Engine): StreamState =>
  engine.stateOf(
    "meterEventStream",
    (): StreamState => ({ sessions: new Map(), events: [], identifiers: new Set() }),
    isState
  )

/** Events received on the stream, oldest first. @internal */
export const streamEvents = (engine: Engine): ReadonlyArray<Obj> => stateOf(engine).events

const createSession: V2Handler = (engine) => {
  const now = engine.nowMillis()
  const session: MeterSession = {
    id: engine.ids.prefixed("mes", 24),
    token: engine.ids.prefixed("mest", 32),
    createdAt: now,
    expiresAt: now + engine.options.meterSessionLifetimeMillis
  }
  stateOf(engine).sessions.set(session.token, session)
  return {
    id: session.id,
    object: "v2.billing.meter_event_session",
    authentication_token: session.token,
    created: new Date(session.createdAt).toISOString(),
    expires_at: new Date(session.expiresAt).toISOString(),
    livemode: false
  }
}

const sendEvents: V2Handler = (engine, params, authorization) => {
  const state = stateOf(engine)
  const token = authorization === undefined ? undefined : /^Bearer\s+(.+)$/i.exec(authorization)?.[1]?.trim()
  const session = token === undefined ? undefined : state.sessions.get(token)
  if (session === undefined) {
    throw new ApiFailure(401, {
      type: "invalid_request_error",
      code: "invalid_authentication_token",
      message: "The meter event session token is missing or invalid. Create a session first."
    })
  }
  if (engine.nowMillis() >= session.expiresAt) {
    throw new ApiFailure(401, {
      type: "invalid_request_error",
      code: "billing_meter_event_session_expired",
      message: "The meter event session has expired. Create a new session."
    })
  }
  const events = params.events
  if (!Array.isArray(events) || events.length === 0) {
    throw invalidRequest("`events` must be a non-empty array.", "events", "parameter_missing")
  }
  if (events.length > 100) {
    throw invalidRequest("A request may contain at most 100 events.", "events", "parameter_invalid")
  }
  events.forEach((e: Value, i: number) => {
    if (!isObj(e) || typeof e.event_name !== "string" || e.event_name === "") {
      throw invalidRequest(`Missing required param: events[${i}].event_name.`, `events[${i}].event_name`)
    }
    if (!isObj(e.payload)) {
      throw invalidRequest(`Missing required param: events[${i}].payload.`, `events[${i}].payload`)
    }
  })
  for (const e of events) {
    const json = toJson(e)
    if (!isObj(json) || !isObj(e)) continue
    const identifier = typeof e.identifier === "string" ? e.identifier : engine.ids.prefixed("mev", 20)
    // Stripe deduplicates by identifier: a repeat is accepted, and not counted twice.
    if (state.identifiers.has(identifier)) continue
    state.identifiers.add(identifier)
    state.events.push({
      ...json,
      identifier,
      timestamp: typeof e.timestamp === "string" ? e.timestamp : new Date(engine.nowMillis()).toISOString()
    })
  }
  return {}
}

/** @internal */
export const v2Handlers: Readonly<Record<string, V2Handler>> = {
  "POST /v2/billing/meter_event_session": createSession,
  "POST /v2/billing/meter_event_stream": sendEvents
}
