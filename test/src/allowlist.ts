/**
 * The reviewed allow-list of the differential test: operations where the
 * emulator and stripe-mock may answer differently, each for a behaviour
 * Stripe has that stripe-mock does not (it answers any id with a fixture and
 * keeps no state). Keyed by `METHOD /path/template`. The test fails on a
 * difference that is not listed here, and on an entry that no longer differs.
 */
/** An object only Stripe's own flows make: the emulator has none to act on, as a fresh Stripe account has none. */
const onlyStripeMakes = (what: string): string =>
  `${what}; no API call makes one, so the emulator has none to act on and answers 404, as Stripe does for an id ` +
  "it does not have; stripe-mock answers any id with its fixture."

const financialConnections = onlyStripeMakes(
  "A Financial Connections account (and its transactions) exists once a customer links a bank account in " +
    "Stripe's hosted authentication flow"
)

export const allowed: Readonly<Record<string, string>> = {
  "POST /v1/financial_connections/accounts/{account}/disconnect": financialConnections,
  "GET /v1/financial_connections/accounts/{account}/owners": financialConnections,
  "POST /v1/financial_connections/accounts/{account}/refresh": financialConnections,
  "GET /v1/financial_connections/accounts/{account}": financialConnections,
  "POST /v1/financial_connections/accounts/{account}/subscribe": financialConnections,
  "POST /v1/financial_connections/accounts/{account}/unsubscribe": financialConnections,
  "GET /v1/financial_connections/transactions/{transaction}": financialConnections,
  "GET /v1/identity/verification_reports/{report}": onlyStripeMakes(
    "A verification report is made when a person completes verification in Stripe's hosted Identity flow"
  ),
  "GET /v1/issuing/tokens/{token}": onlyStripeMakes(
    "An Issuing token is made when a cardholder adds a card to a wallet"
  ),
  "POST /v1/issuing/tokens/{token}": onlyStripeMakes(
    "An Issuing token is made when a cardholder adds a card to a wallet"
  ),
  "GET /v1/radar/early_fraud_warnings/{early_fraud_warning}": onlyStripeMakes(
    "An early fraud warning comes from a card network's fraud report, days after a charge"
  ),
  "GET /v1/reviews/{review}": onlyStripeMakes("Radar opens a review when a rule set in the Dashboard holds a payment"),
  "POST /v1/reviews/{review}/approve": onlyStripeMakes(
    "Radar opens a review when a rule set in the Dashboard holds a payment"
  ),
  "GET /v1/sigma/scheduled_query_runs/{scheduled_query_run}": onlyStripeMakes(
    "Sigma queries are scheduled in the Dashboard"
  ),
  "GET /v1/invoices/upcoming":
    "Stripe sends an upcoming invoice without `id` (API reference: `id` is \"always present unless the invoice is " +
    "an upcoming invoice\"), as the emulator does; stripe-mock answers with its invoice fixture, which has one.",
  "GET /v1/mandates/{mandate}":
    "A mandate comes from confirming a debit payment method (SEPA, ACSS, BACS, US bank account) with mandate " +
    "data; the emulator's payment methods are cards, so there is none to retrieve (404, as Stripe answers an " +
    "unknown id); stripe-mock answers any id with its fixture.",
  "POST /v1/payment_intents/{intent}/apply_customer_balance":
    "Needs a PaymentIntent for the `customer_balance` payment method and a funded cash balance; Stripe refuses it " +
    "for a card intent (400), as the emulator does; stripe-mock answers its fixture.",
  "POST /v1/payment_intents/{intent}/verify_microdeposits":
    "Needs a us_bank_account PaymentIntent awaiting microdeposits (a state Stripe reaches days after the " +
    "deposits are sent); Stripe refuses it for a card intent (400), as the emulator does; stripe-mock answers " +
    "its fixture.",
  "POST /v1/refunds/{refund}/cancel":
    "Stripe cancels only refunds in `requires_action` (refunds to a customer balance awaiting instructions); a " +
    "card refund succeeds at once, so Stripe and the emulator refuse to cancel it (400); stripe-mock answers its " +
    "fixture.",
  "POST /v1/setup_intents/{intent}/verify_microdeposits":
    "Needs a us_bank_account SetupIntent awaiting microdeposits; Stripe refuses it for a card setup (400), as " +
    "the emulator does; stripe-mock answers its fixture.",
  "POST /v1/subscriptions/{subscription}/resume":
    "Only a paused subscription resumes, and Stripe pauses one when a trial ends without a payment method (time " +
    "passing, with trial_settings[end_behavior][missing_payment_method]=pause); Stripe and the emulator refuse " +
    "to resume an active one (400); stripe-mock answers its fixture.",
  "POST /v1/webhook_endpoints":
    "Stripe returns the endpoint's signing `secret` only in the create response, as the emulator does; " +
    "stripe-mock answers with its fixture of a retrieved endpoint, which has none."
}
