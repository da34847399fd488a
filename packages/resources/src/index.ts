/**
 * @since 0.1.0
 */
export * as AccountLinks from "./AccountLinks.js"
/**
 * @since 0.1.0
 */
export * as Accounts from "./Accounts.js"
/**
 * @since 0.1.0
 */
export * as ApplicationFees from "./ApplicationFees.js"
/**
 * @since 0.1.0
 */
export * as Balance from "./Balance.js"
/**
 * @since 0.1.0
 */
export * as BalanceTransactions from "./BalanceTransactions.js"
/**
 * @since 0.1.0
 */
export * as Billing from "./Billing.js"
/**
 * @since 0.1.0
 */
export * as BillingPortal from "./BillingPortal.js"
/**
 * @since 0.1.0
 */
export * as Charges from "./Charges.js"
/**
 * @since 0.1.0
 */
export * as Checkout from "./Checkout.js"
/**
 * @since 0.1.0
 */
export * as Coupons from "./Coupons.js"
/**
 * @since 0.1.0
 */
export * as CreditNotes from "./CreditNotes.js"
/**
 * @since 0.1.0
 */
export * as Customers from "./Customers.js"
/**
 * @since 0.1.0
 */
export * as Disputes from "./Disputes.js"
/**
 * @since 0.1.0
 */
export * as Entitlements from "./Entitlements.js"
/**
 * @since 0.1.0
 */
export * as Events from "./Events.js"
/**
 * @since 0.1.0
 */
export * as FileLinks from "./FileLinks.js"
/**
 * @since 0.1.0
 */
export * as Files from "./Files.js"
/**
 * @since 0.1.0
 */
export * as InvoiceItems from "./InvoiceItems.js"
/**
 * @since 0.1.0
 */
export * as Invoices from "./Invoices.js"
/**
 * @since 0.1.0
 */
export * as Mandates from "./Mandates.js"
/**
 * @since 0.1.0
 */
export * as ObjectRegistry from "./ObjectRegistry.js"
/**
 * @since 0.1.0
 */
export * as PaymentIntents from "./PaymentIntents.js"
/**
 * @since 0.1.0
 */
export * as PaymentMethods from "./PaymentMethods.js"
/**
 * @since 0.1.0
 */
export * as Payouts from "./Payouts.js"
/**
 * Builders of BillingPortal `flow_data` (`BillingPortal.Sessions.create`).
 *
 * @since 0.1.0
 */
export * as PortalFlowBuilder from "./builders/PortalFlow.js"
/**
 * @since 0.1.0
 */
export * as Prices from "./Prices.js"
/**
 * @since 0.1.0
 */
export * as Products from "./Products.js"
/**
 * @since 0.1.0
 */
export * as PromotionCodes from "./PromotionCodes.js"
/**
 * @since 0.1.0
 */
export * as Quotes from "./Quotes.js"
/**
 * @since 0.1.0
 */
export * as Refunds from "./Refunds.js"
/**
 * @since 0.1.0
 */
export * as Schemas from "./Schemas.js"
/**
 * @since 0.1.0
 */
export * as SetupAttempts from "./SetupAttempts.js"
/**
 * @since 0.1.0
 */
export * as SetupIntents from "./SetupIntents.js"
/**
 * @since 0.1.0
 */
export * as SubscriptionItems from "./SubscriptionItems.js"
/**
 * An immutable, pipeable builder of `SubscriptionSchedules.create` params.
 *
 * @since 0.1.0
 */
export * as SubscriptionScheduleBuilder from "./builders/SubscriptionSchedule.js"
/**
 * @since 0.1.0
 */
export * as SubscriptionSchedules from "./SubscriptionSchedules.js"
/**
 * @since 0.1.0
 */
export * as Subscriptions from "./Subscriptions.js"
/**
 * @since 0.1.0
 */
export * as Tax from "./Tax.js"
/**
 * @since 0.1.0
 */
export * as TaxIds from "./TaxIds.js"
/**
 * @since 0.1.0
 */
export * as TaxRates from "./TaxRates.js"
/**
 * @since 0.1.0
 */
export * as TestHelpers from "./TestHelpers.js"
/**
 * @since 0.1.0
 */
export * as Transfers from "./Transfers.js"
/**
 * @since 0.1.0
 */
export * as WebhookEndpoints from "./WebhookEndpoints.js"
