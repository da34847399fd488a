/**
 * Which Stripe the integration suite talks to.
 *
 * Default: the embedded emulator on a loopback port (a real socket, so the
 * wire protocol is exercised). With STRIPE_BASE_URL set: that server
 * (stripe-mock from docker-compose, or https://api.stripe.com with
 * STRIPE_API_KEY).
 */
import { StripeClient, StripeHttpClient } from "@lattice-stripe/core"
import { EmulatorServer } from "@lattice-stripe/testing"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

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
