/**
 * Re-fetching from the API what a webhook announced.
 *
 * A webhook's `data.object` is a snapshot taken when the event happened, and
 * events can arrive late or out of order; handlers that act on current state
 * retrieve the event or its object again.
 *
 * @since 0.1.0
 */
import * as Redaction from "@lattice-stripe/core/Redaction"
import * as StripeClient from "@lattice-stripe/core/StripeClient"
import * as StripeError from "@lattice-stripe/core/StripeError"
import * as Effect from "effect/Effect"
import * as Registry from "./internal/registry.js"
import * as WebhookEvent from "./WebhookEvent.js"
import { describeParseError } from "./WebhookEvent.js"

/**
 * Retrieves an event by id (`GET /v1/events/{id}`), e.g. to confirm a webhook
 * you did not verify yourself.
 *
 * @example
 * ```ts
 * import { WebhookFetch } from "@lattice-stripe/webhook"
 *
 * const event = WebhookFetch.retrieveEvent("evt_123")
 * ```
 *
 * @since 0.1.0
 * @category fetching
 */
export const retrieveEvent = (
  id: string,
  options?: StripeClient.RequestOptions
): Effect.Effect<WebhookEvent.Event, StripeError.StripeError, StripeClient.StripeClient> =>
  StripeClient.request({
    method: "GET",
    path: `/v1/events/${StripeClient.pathSegment(id)}`,
    pathTemplate: "/v1/events/{id}",
    options,
    schema: WebhookEvent.Event,
    spanName: "stripe.events.retrieve"
  })

// Objects whose retrieve path is not `/v1/<object with "." as "/">s/{id}`.
const singletons: Readonly<Record<string, string>> = {
  balance: "/v1/balance",
  "tax.settings": "/v1/tax/settings"
}

const irregular: Readonly<Record<string, string>> = {
  scheduled_query_run: "/v1/sigma/scheduled_query_runs",
  "entitlements.active_entitlement_summary": "",
  application: "",
  "billing_portal.session": "",
  discount: "",
  source_mandate_notification: "",
  source_transaction: ""
}

const encode = StripeClient.pathSegment

const stringField = (object: WebhookEvent.StripeObject, field: string): string | undefined => {
  const value: unknown = Reflect.get(object, field)
  return typeof value === "string" ? value : undefined
}

/**
 * Where `GET` retrieves `object` fresh, or a reason it cannot be.
 *
 * @internal
 */
export const retrievePath = (
  object: WebhookEvent.StripeObject
): { readonly path: string; readonly template: string } | string => {
  const name = object.object
  const singleton = Object.hasOwn(singletons, name) ? singletons[name] : undefined
  if (singleton !== undefined) return { path: singleton, template: singleton }
  const customer = stringField(object, "customer")
  if (name === "cash_balance") {
    if (customer === undefined) return "the cash balance has no customer"
    return { path: `/v1/customers/${encode(customer)}/cash_balance`, template: "/v1/customers/{customer}/cash_balance" }
  }
  const id = stringField(object, "id")
  if (id === undefined) return `the ${name} object has no id`
  const account = stringField(object, "account")
  switch (name) {
    case "customer_cash_balance_transaction":
      if (customer === undefined) return "the cash balance transaction has no customer"
      return {
        path: `/v1/customers/${encode(customer)}/cash_balance_transactions/${encode(id)}`,
        template: "/v1/customers/{customer}/cash_balance_transactions/{id}"
      }
    case "tax_id":
      if (customer !== undefined) {
        return {
          path: `/v1/customers/${encode(customer)}/tax_ids/${encode(id)}`,
          template: "/v1/customers/{customer}/tax_ids/{id}"
        }
      }
      return { path: `/v1/tax_ids/${encode(id)}`, template: "/v1/tax_ids/{id}" }
    case "person":
      if (account === undefined) return "the person has no account"
      return {
        path: `/v1/accounts/${encode(account)}/persons/${encode(id)}`,
        template: "/v1/accounts/{account}/persons/{id}"
      }
    case "capability":
      if (account === undefined) return "the capability has no account"
      return {
        path: `/v1/accounts/${encode(account)}/capabilities/${encode(id)}`,
        template: "/v1/accounts/{account}/capabilities/{id}"
      }
    case "fee_refund": {
      const fee = stringField(object, "fee")
      if (fee === undefined) return "the fee refund has no fee"
      return {
        path: `/v1/application_fees/${encode(fee)}/refunds/${encode(id)}`,
        template: "/v1/application_fees/{fee}/refunds/{id}"
      }
    }
    case "card":
    case "bank_account":
      if (customer !== undefined) {
        return {
          path: `/v1/customers/${encode(customer)}/sources/${encode(id)}`,
          template: "/v1/customers/{customer}/sources/{id}"
        }
      }
      if (account !== undefined) {
        return {
          path: `/v1/accounts/${encode(account)}/external_accounts/${encode(id)}`,
          template: "/v1/accounts/{account}/external_accounts/{id}"
        }
      }
      return `the ${name} belongs to no customer or account`
  }
  const base = Object.hasOwn(irregular, name) ? irregular[name] : `/v1/${name.replaceAll(".", "/")}s`
  if (base === "") return `${name} objects cannot be retrieved on their own`
  return { path: `${base}/${encode(id)}`, template: `${base}/{id}` }
}

/**
 * The params of {@link retrieveObject}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetrieveParams {
  /** Fields to expand in the retrieved object, e.g. `["customer"]`. */
  readonly expand?: ReadonlyArray<string> | undefined
}

/**
 * Retrieves the event's `data.object` fresh from the API, by its `object`
 * type and id, decoded through the object registry. `params` are the
 * retrieve params (`expand`). For Connect events the request is made on the
 * event's account unless `options.stripeAccount` says otherwise.
 *
 * Fails with `StripeValidationError` for objects that have no retrieve
 * endpoint of their own (a discount, a cash balance).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { WebhookEvent, WebhookFetch } from "@lattice-stripe/webhook"
 *
 * declare const event: WebhookEvent.Event<"customer.subscription.updated">
 * const current = WebhookFetch.retrieveObject(event, { expand: ["customer"] })
 * ```
 *
 * @since 0.1.0
 * @category fetching
 */
export const retrieveObject = <T extends string>(
  event: WebhookEvent.Event<T>,
  params?: RetrieveParams,
  options?: StripeClient.RequestOptions
): Effect.Effect<WebhookEvent.EventObject<T>, StripeError.StripeError, StripeClient.StripeClient> =>
  Effect.gen(function*() {
    const object = event.data.object
    const target = retrievePath(object)
    if (typeof target === "string") {
      return yield* new StripeError.StripeValidationError({ message: target, param: "data.object" })
    }
    const stripeAccount = options?.stripeAccount ?? event.account
    const response = yield* StripeClient.requestWithResponse({
      method: "GET",
      path: target.path,
      pathTemplate: target.template,
      ...(params?.expand !== undefined && params.expand.length > 0 ? { params: { expand: params.expand } } : {}),
      options: stripeAccount === undefined ? options : { ...options, stripeAccount },
      schema: WebhookEvent.StripeObject,
      spanName: "stripe.webhook.retrieveObject"
    })
    const decoded = yield* Registry.decodeUnknown(response.value).pipe(
      Effect.mapError((error) =>
        new StripeError.StripeDecodeError({
          message: describeParseError(error),
          requestId: response.meta.requestId,
          status: response.meta.status,
          body: Redaction.redactBody(JSON.stringify(Redaction.redactJson(response.value))),
          method: "GET",
          path: target.template,
          idempotencyKey: response.meta.idempotencyKey
        })
      )
    )
    // Boundary: the registry decoded the object by its own `object` field,
    // which for an event of type `T` is the type `EventObjectNames` records.
    return decoded as WebhookEvent.EventObject<T>
  })
