/**
 * Which fields Stripe puts in an object by default, beyond what the field
 * codes say. The rule (`Shapes.template`): required fields are always sent;
 * optional nullable fields are sent as `null`; `metadata` is always sent;
 * other optional fields are conditional (Stripe sends them when they apply: a
 * refund's `failure_reason`, a setup intent's `attach_to_self`) and are left
 * out. The tables below are the exceptions, checked by the differential test
 * against Stripe's stripe-mock fixtures (`test/differential.reference.test.ts`).
 * Field names are stable across API versions, so the tables apply to every
 * version the emulator carries.
 *
 * @internal
 */

/**
 * Optional fields Stripe sends by default, with the default of their code.
 *
 * @internal
 */
export const sent: Readonly<Record<string, ReadonlyArray<string>>> = {
  account: [
    "capabilities",
    "charges_enabled",
    "controller",
    "country",
    "created",
    "default_currency",
    "details_submitted",
    "external_accounts",
    "future_requirements",
    "payouts_enabled",
    "requirements",
    "tos_acceptance",
    "type"
  ],
  balance: ["connect_reserved"],
  "climate.order": ["beneficiary"],
  capability: ["future_requirements", "requirements"],
  "checkout.session": ["phone_number_collection"],
  credit_note_line_item: ["invoice_line_item"],
  customer: ["balance", "invoice_settings", "next_invoice_sequence"],
  dispute: ["payment_method_details"],
  invoice: ["auto_advance", "id"],
  line_item: ["invoice_item", "tax_amounts", "tax_rates"],
  payment_flows_amount_details: ["tip"],
  payment_intent: ["amount_capturable", "amount_details", "amount_received"],
  // The payment methods of a US account, available or not.
  payment_method_configuration: [
    "acss_debit",
    "affirm",
    "afterpay_clearpay",
    "alipay",
    "apple_pay",
    "bancontact",
    "blik",
    "card",
    "cartes_bancaires",
    "cashapp",
    "customer_balance",
    "eps",
    "giropay",
    "google_pay",
    "ideal",
    "klarna",
    "link",
    "p24",
    "sepa_debit",
    "sofort",
    "us_bank_account",
    "wechat_pay"
  ],
  person: [
    "additional_tos_acceptances",
    "dob",
    "id_number_provided",
    "relationship",
    "ssn_last_4_provided",
    "verification"
  ],
  quote: ["default_tax_rates"],
  refund: ["destination_details"],
  subscription_item: ["quantity"],
  transfer: ["destination_payment", "source_type"],
  "treasury.financial_account": ["active_features", "pending_features", "restricted_features"],
  "treasury.received_debit": ["initiating_payment_method_details"]
}

/**
 * Objects Stripe sends with every optional field: a financial account's
 * features, every feature.
 *
 * @internal
 */
export const sentAll: ReadonlyArray<string> = ["treasury.financial_account_features"]

/**
 * Optional nullable fields Stripe leaves out unless they apply or are
 * expanded (includable fields such as `customer.cash_balance`).
 *
 * @internal
 */
export const omitted: Readonly<Record<string, ReadonlyArray<string>>> = {
  bank_account: ["account", "available_payout_methods", "default_for_currency", "future_requirements", "requirements"],
  card: ["account", "available_payout_methods", "currency", "default_for_currency", "status"],
  customer: ["cash_balance"],
  "issuing.authorization": ["treasury"],
  "issuing.card": ["financial_account", "personalization_design"],
  "issuing.dispute": ["treasury"],
  "issuing.physical_bundle": ["features"],
  "issuing.transaction": ["treasury"],
  plan: ["meter"],
  "treasury.financial_account": ["platform_restrictions"],
  person: [
    "address_kana",
    "address_kanji",
    "email",
    "first_name_kana",
    "first_name_kanji",
    "gender",
    "last_name_kana",
    "last_name_kanji",
    "maiden_name",
    "nationality",
    "phone"
  ]
}

/**
 * Includable fields: left out of every response unless `expand[]` names them.
 * Stored objects keep them (so an expand can show them); the response drops
 * them when they were not asked for.
 *
 * @internal
 */
export const includable: Readonly<Record<string, ReadonlyArray<string>>> = {
  "checkout.session": ["line_items"],
  coupon: ["applies_to", "currency_options"],
  customer: ["cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax", "tax_ids"],
  price: ["currency_options", "tiers"],
  quote: ["line_items"],
  "tax.calculation": ["line_items"],
  "tax.transaction": ["line_items"]
}
