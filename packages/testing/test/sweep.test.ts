/**
 * The per-operation sweep against the emulator, on the shipped API version:
 * every operation of the shipped SDK (found through its public barrel)
 * called through the SDK, after the emulator has the parents the call needs
 * (made by ordinary Stripe calls of the same version, with minimal params
 * from the `stripe@23.1.0` declarations), once plain and once with `expand[]`
 * of every expandable field. Every answer must decode with the SDK's
 * schemas; the only refusals are the listed ones, each where Stripe refuses
 * the same call too.
 */
import { describe, expect, it } from "@effect/vitest"
import { ApiVersion } from "@lattice-stripe/core"
import { Emulator } from "@lattice-stripe/testing"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { newWorld, prepare } from "../../../test/src/differential.js"
import { modelExpandPaths, modelOperation, shippedCatalog } from "../../../test/src/modelParams.js"
import { report } from "../../../test/src/report.js"
import { label, sdkOperations } from "../../../test/src/sdk.js"
import type { SweepResult } from "../../../test/src/sweep.js"
import { describeSummary, summarize } from "../../../test/src/sweep.js"
import { emulatorSend } from "../../../test/src/wire.js"

const dashboard = (what: string) =>
  `${what}; no API call makes one, so there is none to act on and Stripe answers 404 (or refuses the create) too.`
const noFinancialAccount = dashboard(
  "A v2 money-management financial account is opened by Stripe when an account is onboarded to money management " +
    "(this API version has no call that opens one): without it there are no adjustments, received credits, " +
    "transactions or transaction entries, and no financial address to credit"
)

/** Calls Stripe refuses as the emulator does, by `METHOD /path/template`, with the reason. */
const expectedRefusals: Readonly<Record<string, string>> = {
  "POST /v1/apps/installs": dashboard("An install names a Stripe App (`app`, an id of an app made in the Dashboard)"),
  "GET /v1/apps/installs/{id}": dashboard("Apps are installed through an app made in the Dashboard"),
  "POST /v1/apps/installs/{id}": dashboard("Apps are installed through an app made in the Dashboard"),
  "POST /v1/apps/installs/{id}/uninstall": dashboard("Apps are installed through an app made in the Dashboard"),
  "DELETE /v1/customers/{customer}/discount":
    "Since 2025-03-31.basil a customer takes no `coupon` or `promotion_code`: no call of this version gives a " +
    "customer a discount, so there is none to delete (Stripe answers 404).",
  ...Object.fromEntries(
    [
      "POST /v1/financial_connections/accounts/{account}/disconnect",
      "GET /v1/financial_connections/accounts/{account}/owners",
      "POST /v1/financial_connections/accounts/{account}/refresh",
      "GET /v1/financial_connections/accounts/{account}",
      "POST /v1/financial_connections/accounts/{account}/subscribe",
      "POST /v1/financial_connections/accounts/{account}/unsubscribe",
      "GET /v1/financial_connections/transactions/{transaction}"
    ].map((
      k
    ) => [
      k,
      dashboard(
        "A Financial Connections account exists once a customer links one in Stripe's hosted authentication flow"
      )
    ])
  ),
  "GET /v1/identity/verification_reports/{report}": dashboard(
    "A verification report is made when a person completes verification in Stripe's hosted Identity flow"
  ),
  ...Object.fromEntries(
    [
      "POST /v1/invoice_rendering_templates/{id}/archive",
      "GET /v1/invoice_rendering_templates/{id}",
      "POST /v1/invoice_rendering_templates/{id}/unarchive"
    ].map((k) => [k, dashboard("Invoice rendering templates are made in the Dashboard's invoice template editor")])
  ),
  "GET /v1/issuing/tokens/{token}": dashboard("An Issuing token is made when a cardholder adds a card to a wallet"),
  "POST /v1/issuing/tokens/{token}": dashboard("An Issuing token is made when a cardholder adds a card to a wallet"),
  "GET /v1/mandates/{mandate}":
    "A mandate comes from confirming a debit payment method (SEPA, ACSS, BACS, US bank account) with mandate " +
    "data; the emulator's payment methods are cards, so there is none to retrieve (404, as Stripe answers).",
  "POST /v1/payment_intents/{intent}/apply_customer_balance":
    "Needs a PaymentIntent for the `customer_balance` payment method; Stripe refuses it for a card intent (400).",
  "POST /v1/payment_intents/{intent}/verify_microdeposits":
    "Needs a us_bank_account PaymentIntent awaiting microdeposits; Stripe refuses it for a card intent (400).",
  "GET /v1/radar/early_fraud_warnings/{early_fraud_warning}": dashboard(
    "An early fraud warning comes from a card network's fraud report, days after a charge"
  ),
  "POST /v1/refunds/{refund}/cancel":
    "Stripe cancels only refunds in `requires_action`; a card refund succeeds at once, so Stripe refuses (400).",
  "GET /v1/reviews/{review}": dashboard("Radar opens a review when a rule set in the Dashboard holds a payment"),
  "POST /v1/reviews/{review}/approve": dashboard(
    "Radar opens a review when a rule set in the Dashboard holds a payment"
  ),
  "POST /v1/setup_intents/{intent}/verify_microdeposits":
    "Needs a us_bank_account SetupIntent awaiting microdeposits; Stripe refuses it for a card setup (400).",
  "GET /v1/sigma/scheduled_query_runs/{scheduled_query_run}": dashboard("Sigma queries are scheduled in the Dashboard"),
  "POST /v1/subscriptions/{subscription}/resume":
    "Only a paused subscription resumes (one pauses when a trial ends without a payment method, with time " +
    "passing); Stripe refuses to resume an active one (400).",
  "POST /v2/billing/meter_event_stream":
    "The stream takes only a meter event session's token as its bearer, never the API key the bare operation " +
    "sends: Stripe answers 401. `Billing.MeterEventStream` opens the session and sends the events.",
  ...Object.fromEntries(
    [
      "GET /v2/money_management/adjustments/{id}",
      "GET /v2/money_management/financial_accounts/{id}",
      "POST /v2/money_management/financial_accounts/{id}",
      "GET /v2/money_management/received_credits/{id}",
      "POST /v2/money_management/test_helpers/financial_addresses/{id}/credit",
      "GET /v2/money_management/transaction_entries/{id}",
      "POST /v2/money_management/transactions/{id}/refresh_regulatory_receipt",
      "GET /v2/money_management/transactions/{id}",
      "POST /v2/money_management/transactions/{id}"
    ].map((k) => [k, noFinancialAccount])
  )
}

const tagOf = (u: unknown): string => {
  if (typeof u !== "object" || u === null || !("_tag" in u)) return "error"
  return typeof u._tag === "string" ? u._tag : "error"
}

const run = (mode: "plain" | "expand") =>
  Effect.forEach(sdkOperations, (op, i) =>
    Effect.gen(function*() {
      const emulator = Emulator.make({ seed: 1000 + i, now: () => 1_700_000_000_000 })
      const world = newWorld(emulatorSend(emulator, ApiVersion.API_VERSION), 1000 + i, shippedCatalog)
      const prepared = yield* Effect.promise(() => prepare(op, world))
      const model = modelOperation(op.method, op.path)
      const expand = mode === "plain" || model === undefined ? [] : modelExpandPaths(model)
      const params = expand.length === 0 ? prepared.request.params : { ...prepared.request.params, expand }
      const exit = yield* op.call(prepared.args, params, { maxRetries: 0 }).pipe(
        Effect.provide(Emulator.layerClient({ emulator })),
        Effect.exit
      )
      const base = { label: label(op), method: op.method, path: op.template, expand }
      if (Exit.isSuccess(exit)) return { ...base, outcome: "decoded", detail: "" } satisfies SweepResult
      const failure = Cause.failureOption(exit.cause)
      const error = failure._tag === "Some" ? failure.value : undefined
      const detail = error instanceof Error ? `${tagOf(error)}: ${error.message}` : Cause.pretty(exit.cause)
      const setup = prepared.setupError === undefined ? "" : ` (setup: ${prepared.setupError})`
      return {
        ...base,
        outcome: tagOf(error) === "StripeDecodeError" ? "decode_failure" : "rejected",
        detail: `${detail}${setup}`
      } satisfies SweepResult
    }), { concurrency: 8 })

const check = (mode: "plain" | "expand") =>
  Effect.gen(function*() {
    const summary = summarize(yield* run(mode))
    const v2 = summary.results.filter((r) => r.path.startsWith("/v2/"))
    report(
      `[sweep] emulator (${ApiVersion.API_VERSION}), ${
        mode === "plain" ? "minimal params" : "expand[] of every expandable field"
      }: ${describeSummary(summary)}; v2: ${v2.length} operations, ${
        v2.filter((r) => r.outcome === "decoded").length
      } decoded`
    )
    const refused = summary.results.filter((r) => r.outcome === "rejected")
    if (mode === "plain") {
      for (const r of refused) {
        report(
          `  refused as Stripe does: ${r.label} (${r.method} ${r.path}): ${
            expectedRefusals[`${r.method} ${r.path}`] ?? "(unlisted)"
          }`
        )
      }
    }
    expect(summary.results.filter((r) => r.outcome === "decode_failure").map((r) => `${r.label}: ${r.detail}`))
      .toEqual([])
    expect(
      refused.filter((r) => expectedRefusals[`${r.method} ${r.path}`] === undefined).map((r) =>
        `${r.label}: ${r.detail}`
      )
    ).toEqual([])
    // Stale entries fail too: a listed call that now succeeds must leave the list.
    expect(Object.keys(expectedRefusals).filter((k) => !refused.some((r) => `${r.method} ${r.path}` === k)))
      .toEqual([])
    expect(summary.decoded).toBe(summary.operations - Object.keys(expectedRefusals).length)
    if (mode === "expand") expect(summary.expandPaths).toBeGreaterThan(300)
  })

describe("the shipped SDK against the emulator, every operation", () => {
  it.effect("every answer decodes; the only refusals are Stripe's own", () => check("plain"), 300_000)
  it.effect("with expand[] of every expandable field, every answer decodes", () => check("expand"), 300_000)
})
