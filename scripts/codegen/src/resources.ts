/**
 * The covered resources and the few places where a path does not name its
 * method by the general rules in `naming.ts`.
 */

export interface ResourceConfig {
  /** Generated module file name (`Customers`, `CheckoutSessions`). */
  readonly module: string
  /** Namespace the barrel nests it in (`Checkout`), if any. */
  readonly namespace?: string
  /** Name inside the namespace or barrel (`Sessions`, `Customers`). */
  readonly name: string
  /** Singular prefix of params type names (`Customer`, `CheckoutSession`). */
  readonly singular: string
  /** Path prefix; every path under it (segment-wise) belongs to the resource. */
  readonly prefix: string
  /** Span segment: `stripe.<span>.<method>`. */
  readonly span: string
}

const r = (
  name: string,
  singular: string,
  prefix: string,
  namespace?: string
): ResourceConfig => ({
  module: (namespace ?? "") + name,
  name,
  singular: (namespace ?? "") + singular,
  prefix,
  span: prefix.slice("/v1/".length).replace(/\//g, "."),
  ...(namespace === undefined ? {} : { namespace })
})

export const resources: ReadonlyArray<ResourceConfig> = [
  r("Customers", "Customer", "/v1/customers"),
  r("PaymentIntents", "PaymentIntent", "/v1/payment_intents"),
  r("SetupIntents", "SetupIntent", "/v1/setup_intents"),
  r("PaymentMethods", "PaymentMethod", "/v1/payment_methods"),
  r("Refunds", "Refund", "/v1/refunds"),
  r("Charges", "Charge", "/v1/charges"),
  r("Sessions", "Session", "/v1/checkout/sessions", "Checkout"),
  r("Mandates", "Mandate", "/v1/mandates"),
  r("SetupAttempts", "SetupAttempt", "/v1/setup_attempts"),
  r("Disputes", "Dispute", "/v1/disputes"),
  r("Files", "File", "/v1/files"),
  r("FileLinks", "FileLink", "/v1/file_links"),
  r("Products", "Product", "/v1/products"),
  r("Prices", "Price", "/v1/prices"),
  r("Coupons", "Coupon", "/v1/coupons"),
  r("PromotionCodes", "PromotionCode", "/v1/promotion_codes"),
  r("Invoices", "Invoice", "/v1/invoices"),
  r("InvoiceItems", "InvoiceItem", "/v1/invoiceitems"),
  r("CreditNotes", "CreditNote", "/v1/credit_notes"),
  r("Quotes", "Quote", "/v1/quotes"),
  r("Subscriptions", "Subscription", "/v1/subscriptions"),
  r("SubscriptionItems", "SubscriptionItem", "/v1/subscription_items"),
  r("SubscriptionSchedules", "SubscriptionSchedule", "/v1/subscription_schedules"),
  r("Sessions", "Session", "/v1/billing_portal/sessions", "BillingPortal"),
  r("Configurations", "Configuration", "/v1/billing_portal/configurations", "BillingPortal"),
  r("Meters", "Meter", "/v1/billing/meters", "Billing"),
  r("MeterEvents", "MeterEvent", "/v1/billing/meter_events", "Billing"),
  r("MeterEventAdjustments", "MeterEventAdjustment", "/v1/billing/meter_event_adjustments", "Billing"),
  r("TaxRates", "TaxRate", "/v1/tax_rates"),
  r("TaxIds", "TaxId", "/v1/tax_ids"),
  r("Calculations", "Calculation", "/v1/tax/calculations", "Tax"),
  r("Transactions", "Transaction", "/v1/tax/transactions", "Tax"),
  r("Features", "Feature", "/v1/entitlements/features", "Entitlements"),
  r("ActiveEntitlements", "ActiveEntitlement", "/v1/entitlements/active_entitlements", "Entitlements"),
  r("TestClocks", "TestClock", "/v1/test_helpers/test_clocks", "TestHelpers"),
  r("Accounts", "Account", "/v1/accounts"),
  r("AccountLinks", "AccountLink", "/v1/account_links"),
  r("Transfers", "Transfer", "/v1/transfers"),
  r("Payouts", "Payout", "/v1/payouts"),
  r("Balance", "Balance", "/v1/balance"),
  r("BalanceTransactions", "BalanceTransaction", "/v1/balance_transactions"),
  r("ApplicationFees", "ApplicationFee", "/v1/application_fees"),
  r("Events", "Event", "/v1/events"),
  r("WebhookEndpoints", "WebhookEndpoint", "/v1/webhook_endpoints")
]

/**
 * Paths left out: deprecated aliases whose method names would collide with
 * the current endpoints (`people` duplicates `persons`, `balance/history`
 * duplicates `/v1/balance_transactions`).
 */
export const excludedPaths: ReadonlyArray<RegExp> = [
  /^\/v1\/accounts\/\{account\}\/people/,
  /^\/v1\/balance\/history/
]

/** `"<METHOD> <path>"` → method name, where the general rules do not fit. */
export const methodOverrides: Readonly<Record<string, string>> = {
  "DELETE /v1/subscriptions/{subscription_exposed_id}": "cancel",
  "POST /v1/customers/{customer}/funding_instructions": "createFundingInstructions",
  "POST /v1/accounts/{account}/login_links": "createLoginLink",
  "POST /v1/subscription_items/{subscription_item}/usage_records": "createUsageRecord",
  "GET /v1/quotes/{quote}/pdf": "pdf",
  "GET /v1/invoices/upcoming": "upcoming",
  "GET /v1/credit_notes/preview": "preview",
  "GET /v1/customers/{customer}/discount": "retrieveDiscount",
  "GET /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": "retrieveSubscriptionDiscount",
  "DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount": "deleteSubscriptionDiscount"
}

/** Operations served by the files host (`files.stripe.com`). */
export const filesHost: ReadonlyArray<string> = ["POST /v1/files", "GET /v1/quotes/{quote}/pdf"]

/** Local validation run before the request is sent (see `internal/guards.ts`). */
export const guards: Readonly<Record<string, string>> = {
  "POST /v1/billing/meter_events": "meterEventCreate",
  "POST /v1/billing/meters": "meterCreate"
}

/** Segment words whose method-name forms are irregular: [plural, singular]. */
export const segmentNames: Readonly<Record<string, readonly [string, string]>> = {
  lines: ["LineItems", "LineItem"],
  capabilities: ["Capabilities", "Capability"],
  line_items: ["LineItems", "LineItem"],
  entries: ["Entries", "Entry"],
  summaries: ["Summaries", "Summary"],
  event_summaries: ["EventSummaries", "EventSummary"],
  usage_record_summaries: ["UsageRecordSummaries", "UsageRecordSummary"],
  cash_balance_transactions: ["CashBalanceTransactions", "CashBalanceTransaction"]
}

/**
 * Secrets decoded as `Redacted<string>` so they never reach logs or
 * `toString`/`toJSON`/inspection: schema name → top-level string fields
 * (`*` for every schema).
 */
export const redactedFields: Readonly<Record<string, ReadonlyArray<string>>> = {
  "*": ["client_secret"],
  "account_link": ["url"],
  "apps.secret": ["payload"],
  "billing_portal.session": ["url"],
  "ephemeral_key": ["secret"],
  "login_link": ["url"],
  "terminal.connection_token": ["secret"],
  "webhook_endpoint": ["secret"]
}
