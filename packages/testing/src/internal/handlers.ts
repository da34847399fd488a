/**
 * Every lifecycle the emulator knows, by `METHOD /path/template`, from the
 * domain modules: payments, billing, Connect, customers, tax, the platform
 * tools, v2 money management.
 * Operations without one here get the generic CRUD of `crud.ts`.
 *
 * @internal
 */
import * as Catalog from "./billing/catalog.js"
import * as Credits from "./billing/credits.js"
import * as Entitlements from "./billing/entitlements.js"
import * as Invoices from "./billing/invoices.js"
import * as MeterEventStream from "./billing/meterEventStream.js"
import * as Meters from "./billing/meters.js"
import * as Portal from "./billing/portal.js"
import * as Quotes from "./billing/quotes.js"
import * as Schedules from "./billing/schedules.js"
import * as Subscriptions from "./billing/subscriptions.js"
import * as Accounts from "./connect/accounts.js"
import * as OAuth from "./connect/oauth.js"
import * as Payouts from "./connect/payouts.js"
import * as Transfers from "./connect/transfers.js"
import * as Customers from "./customers.js"
import type { Handler, V2Handler } from "./engine.js"
import * as MoneyManagement from "./moneyManagement.js"
import * as Balance from "./payments/balance.js"
import * as Charges from "./payments/charges.js"
import * as Checkout from "./payments/checkout.js"
import * as PaymentIntents from "./payments/paymentIntents.js"
import * as PaymentMethods from "./payments/paymentMethods.js"
import * as Records from "./payments/records.js"
import * as SetupIntents from "./payments/setupIntents.js"
import * as Sources from "./payments/sources.js"
import * as Tokens from "./payments/tokens.js"
import * as Platform from "./platform.js"
import * as Tax from "./tax.js"

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  ...Balance.handlers,
  ...Charges.handlers,
  ...Checkout.handlers,
  ...PaymentIntents.handlers,
  ...PaymentMethods.handlers,
  ...Records.handlers,
  ...Tokens.handlers,
  ...SetupIntents.handlers,
  ...Sources.handlers,
  ...Catalog.handlers,
  ...Credits.handlers,
  ...Entitlements.handlers,
  ...Invoices.handlers,
  ...Meters.handlers,
  ...Portal.handlers,
  ...Quotes.handlers,
  ...Schedules.handlers,
  ...Subscriptions.handlers,
  ...Accounts.handlers,
  ...OAuth.handlers,
  ...Payouts.handlers,
  ...Transfers.handlers,
  ...Customers.handlers,
  ...MoneyManagement.handlers,
  ...Platform.handlers,
  ...Tax.handlers
}

/** @internal */
export const v2Handlers: Readonly<Record<string, V2Handler>> = MeterEventStream.v2Handlers
