/**
 * Which Stripe the integration suite talks to.
 *
 * Default: the embedded emulator on a loopback port (a real socket, so the
 * wire protocol is exercised). With STRIPE_BASE_URL set: that server
 * (stripe-mock from docker-compose, or https://api.stripe.com with
 * STRIPE_API_KEY).
 */
import { StripeClient, type StripeError, StripeHttpClient } from "@lattice-stripe/core"
import { EmulatorServer } from "@lattice-stripe/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Fs from "node:fs"
import { expect } from "vitest"

const externalBaseUrl = process.env.STRIPE_BASE_URL ?? ""

/** True when the suite runs against the embedded emulator. */
export const isEmulator = externalBaseUrl === ""

/**
 * Stateful assertions (retrieve returns what was created, status
 * transitions) hold on the emulator and on real Stripe, not on stateless
 * stripe-mock.
 */
export const isStateful = isEmulator || externalBaseUrl.includes("api.stripe.com") ||
  process.env.STRIPE_STATEFUL === "1"

/** Printed when stateful assertions are skipped. */
export const statelessReason =
  `target ${externalBaseUrl} is stateless (stripe-mock): stateful assertions need the emulator or a real test key ` +
  `(set STRIPE_STATEFUL=1 to force them)`

/**
 * Whether the target serves the reference API version (stripe-mock:
 * 2024-04-10) rather than the shipped one. The reference lane runs the suite
 * there with the SDK generated for that version.
 */
export const isReferenceVersion = !isEmulator && !externalBaseUrl.includes("api.stripe.com")

/** A name for the target, for test titles and logs. */
export const targetName = isEmulator ? "embedded emulator" : externalBaseUrl

/** The `StripeClient` for the target, on the layer the README recommends (`StripeHttpClient.layer`), over a real socket. */
export const StripeTest: Layer.Layer<StripeClient.StripeClient> = (
  isEmulator
    ? Layer.unwrapScoped(
      Effect.map(
        EmulatorServer.scoped({ port: 0 }),
        (server) =>
          StripeClient.layer({
            apiKey: Redacted.make("sk_test_123"),
            baseUrl: server.url,
            filesBaseUrl: server.url,
            meterEventsBaseUrl: server.url
          })
      )
    )
    : StripeClient.layer({
      apiKey: Redacted.make(process.env.STRIPE_API_KEY ?? "sk_test_123"),
      baseUrl: externalBaseUrl,
      // stripe-mock serves every host on one port; real Stripe keeps its own hosts.
      ...(externalBaseUrl.includes("api.stripe.com") ? {} : {
        filesBaseUrl: externalBaseUrl,
        meterEventsBaseUrl: externalBaseUrl
      })
    })
).pipe(Layer.provide(StripeHttpClient.layer), Layer.orDie)

/**
 * Runs assertions that need a stateful target (what was created comes back,
 * statuses move on). On a stateless target they are skipped, and the skip is
 * printed with its reason and counted: the test command reports how many
 * guards ran and how many were skipped (`LATTICE_GUARD_LOG`).
 */
export const stateful = (what: string, assertions: () => void): void => {
  record(what, isStateful)
  if (isStateful) assertions()
}

/** {@link stateful} for assertions that need more calls. */
export const statefulEffect = <A, E, R>(what: string, assertions: Effect.Effect<A, E, R>): Effect.Effect<void, E, R> =>
  Effect.suspend(() => {
    record(what, isStateful)
    return isStateful ? Effect.asVoid(assertions) : Effect.void
  })

/**
 * For the few flows stripe-mock does not serve at all (the v2 meter event
 * stream): runs `assertions` on the emulator and real Stripe, `otherwise`
 * (what stripe-mock does instead) elsewhere, and counts the guard.
 */
export const unlessStripeMock = <A, E, R, B, E2, R2>(
  what: string,
  assertions: Effect.Effect<A, E, R>,
  otherwise: Effect.Effect<B, E2, R2>
): Effect.Effect<void, E | E2, R | R2> =>
  Effect.suspend((): Effect.Effect<void, E | E2, R | R2> => {
    const runs = isEmulator || externalBaseUrl.includes("api.stripe.com")
    record(what, runs, `target ${externalBaseUrl} is stripe-mock, which has no /v2 endpoints`)
    return runs ? Effect.asVoid(assertions) : Effect.asVoid(otherwise)
  })

/** What a call whose params changed between the two API versions answers: the object's id and type. */
export interface Created {
  readonly id: string
  readonly object: string
}

const Created: Schema.Schema<Created> = Schema.Struct({ id: Schema.String, object: Schema.String })

/**
 * A call whose params changed between the reference API version and the
 * shipped one (a promotion code's `coupon` became `promotion.coupon`, a
 * schedule phase's `iterations` became `duration`): `shipped` through the
 * typed SDK, or on a reference-version target the same endpoint with that
 * version's params (`reference`). The guard is counted like the others.
 */
export const acrossVersions = <E, R>(
  what: string,
  shipped: Effect.Effect<Created, E, R>,
  reference: { readonly path: string; readonly params: Readonly<Record<string, unknown>> }
): Effect.Effect<Created, E | StripeError.StripeError, R | StripeClient.StripeClient> =>
  Effect.suspend((): Effect.Effect<Created, E | StripeError.StripeError, R | StripeClient.StripeClient> => {
    record(what, !isReferenceVersion, `target ${externalBaseUrl} serves API 2024-04-10, whose params differ`)
    return isReferenceVersion
      ? StripeClient.request({ method: "POST", path: reference.path, params: reference.params, schema: Created })
      : shipped
  })

const record = (what: string, ran: boolean, reason = statelessReason) => {
  const test = expect.getState().currentTestName ?? "(outside a test)"
  const log = process.env.LATTICE_GUARD_LOG
  if (log !== undefined && log !== "") {
    // The test command prints every skip (and the totals) from this log at the end.
    Fs.appendFileSync(log, `${JSON.stringify({ target: targetName, test, what, ran, reason: ran ? "" : reason })}\n`)
  } else if (!ran) {
    console.log(`[guard] skipped on ${targetName}: ${test} > ${what} (${reason})`)
  }
}
