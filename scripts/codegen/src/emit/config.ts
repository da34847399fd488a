/**
 * What the emitters add to the model: secrets, local guards, argument names.
 * Keyed by what the model carries (an object's `object` value, an
 * operation's method and path), so that every source gets the same treatment.
 *
 * @since 0.2.0
 */

/**
 * Free-form data that may hold any Stripe object, of any API version: decoded
 * as an open record whose secret fields (core's `Redaction` rule) become
 * `Redacted` values (`Internal.SecretData`, `Redaction.secretsWrapped`).
 * `types`: named types (model names) that are such data as a whole; `fields`:
 * fields of a named type that are, added as optional fields when the source
 * does not declare them (a v2 event's `data`, declared only per event type).
 *
 * @since 0.2.0
 */
export const secretData: {
  readonly types: ReadonlySet<string>
  readonly fields: Readonly<Record<string, ReadonlyArray<string>>>
} = {
  types: new Set(["Event.Data.Object", "Event.Data.PreviousAttributes"]),
  fields: { "V2.Core.Event": ["changes", "data"] }
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
