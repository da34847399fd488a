/**
 * What the emitters add to the model: secrets, local guards, argument names.
 * Keyed by what the model carries (an object's `object` value, an
 * operation's method and path), so that every source gets the same treatment.
 *
 * @since 0.2.0
 */

/**
 * Secrets decoded as `Redacted<string>` so that they never reach logs,
 * `toString`, `toJSON` or inspection: `object` value → top-level string
 * fields (`*`: every named type).
 *
 * @since 0.2.0
 */
export const redactedFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  "*": ["client_secret"],
  "account_link": ["url"],
  "apps.secret": ["payload"],
  "billing_portal.session": ["url"],
  "ephemeral_key": ["secret"],
  "login_link": ["url"],
  "terminal.connection_token": ["secret"],
  "webhook_endpoint": ["secret"],
  "v2.billing.meter_event_session": ["authentication_token"]
}

/**
 * Local validation run before the request is sent (`internal/guards.ts` of
 * the resources package): `"<METHOD> <path>"` → guard name.
 *
 * @since 0.2.0
 */
export const guards: Readonly<Record<string, string>> = {
  "POST /v1/billing/meter_events": "meterEventCreate",
  "POST /v1/billing/meters": "meterCreate"
}

/**
 * Path parameter names that read badly as argument names.
 *
 * @since 0.2.0
 */
export const argNames: Readonly<Record<string, string>> = {
  subscription_exposed_id: "subscription"
}

/**
 * Resource names whose singular (the params type prefix, as Stripe names
 * them: `CustomerCreateParams`) is not the plural without its `s`.
 *
 * @since 0.2.0
 */
export const singulars: Readonly<Record<string, string>> = {
  Balance: "Balance",
  BalanceSettings: "BalanceSettings",
  Capabilities: "Capability",
  CountrySpecs: "CountrySpec",
  CreditBalanceSummary: "CreditBalanceSummary",
  Entries: "Entry",
  Settings: "Settings",
  Summaries: "Summary",
  EventSummaries: "EventSummary",
  UsageRecordSummaries: "UsageRecordSummary",
  Addresses: "Address",
  FinancialAddresses: "FinancialAddress",
  Taxes: "Tax",
  Status: "Status",
  Statuses: "Status",
  Persons: "Person",
  People: "Person",
  Policies: "Policy",
  Sources: "Source",
  MeterEventStream: "MeterEventStream",
  MeterEventSession: "MeterEventSession",
  PayoutMethodsBankAccountSpec: "PayoutMethodsBankAccountSpec",
  Vault: "Vault"
}
