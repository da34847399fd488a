/**
 * Immutable, pipeable builders of the `flow_data` param of
 * `BillingPortal.Sessions.create`: deep links into one customer-portal flow
 * (cancel a subscription, update it, confirm an update, update the payment
 * method) and what happens after it completes.
 *
 * Setters that only make sense for one flow type only accept a builder of
 * that type, so `retentionCoupon` on a payment-method flow does not compile.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { BillingPortal, PortalFlowBuilder as F } from "@lattice-stripe/resources"
 *
 * const session = F.subscriptionCancel("sub_123").pipe(
 *   F.retentionCoupon("SAVE20"),
 *   F.redirect("https://example.com/account"),
 *   F.build,
 *   Effect.flatMap((flow_data) => BillingPortal.Sessions.create({ customer: "cus_123", flow_data }))
 * )
 * ```
 *
 * @since 0.1.0
 */
import { StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Inspectable from "effect/Inspectable"
import type { Pipeable } from "effect/Pipeable"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"
import type { BillingPortalSessionCreateParams } from "../generated/Schemas.js"

/**
 * The `flow_data` param.
 *
 * @since 0.1.0
 * @category models
 */
export type FlowData = NonNullable<BillingPortalSessionCreateParams["flow_data"]>

/**
 * @since 0.1.0
 * @category models
 */
export type FlowType = FlowData["type"]

/**
 * @since 0.1.0
 * @category models
 */
export type AfterCompletion = NonNullable<FlowData["after_completion"]>

/**
 * An item of a `subscription_update_confirm` flow: the subscription item `id`
 * and its new `price` and/or `quantity`.
 *
 * @since 0.1.0
 * @category models
 */
export type UpdateConfirmItem = NonNullable<FlowData["subscription_update_confirm"]>["items"][number]

/**
 * @since 0.1.0
 * @category models
 */
export type UpdateConfirmDiscount = NonNullable<
  NonNullable<FlowData["subscription_update_confirm"]>["discounts"]
>[number]

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@lattice-stripe/resources/PortalFlowBuilder")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * A flow being built; `T` is its flow type.
 *
 * @since 0.1.0
 * @category models
 */
export interface PortalFlowBuilder<T extends FlowType = FlowType> extends Pipeable, Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  readonly type: T
  readonly subscription: string | undefined
  readonly afterCompletion: AfterCompletion | undefined
  readonly retentionCoupon: string | undefined
  readonly items: ReadonlyArray<UpdateConfirmItem>
  readonly discounts: ReadonlyArray<UpdateConfirmDiscount> | undefined
}

type Fields<T extends FlowType> = Omit<PortalFlowBuilder<T>, TypeId | keyof Pipeable | keyof Inspectable.Inspectable>

const Proto = {
  [TypeId]: TypeId,
  pipe() {
    // eslint-disable-next-line prefer-rest-params -- `pipeArguments` is written for `arguments`, as in effect itself
    return pipeArguments(this, arguments)
  },
  toJSON(this: PortalFlowBuilder) {
    return {
      _id: "PortalFlowBuilder",
      type: this.type,
      subscription: this.subscription,
      afterCompletion: this.afterCompletion,
      retentionCoupon: this.retentionCoupon,
      items: this.items,
      discounts: this.discounts
    }
  },
  toString(this: Inspectable.Inspectable) {
    return Inspectable.format(this.toJSON())
  },
  [Inspectable.NodeInspectSymbol](this: Inspectable.Inspectable) {
    return this.toJSON()
  }
}

// `Object.create` is typed `any`; the prototype carries exactly the interface's remaining members.
const make = <T extends FlowType>(fields: Fields<T>): PortalFlowBuilder<T> =>
  Object.assign(Object.create(Proto), fields)

const empty = <T extends FlowType>(type: T, subscription: string | undefined): PortalFlowBuilder<T> =>
  make({
    type,
    subscription,
    afterCompletion: undefined,
    retentionCoupon: undefined,
    items: [],
    discounts: undefined
  })

const update = <T extends FlowType>(self: PortalFlowBuilder<T>, fields: Partial<Fields<T>>): PortalFlowBuilder<T> =>
  make({ ...fieldsOf(self), ...fields })

const fieldsOf = <T extends FlowType>(self: PortalFlowBuilder<T>): Fields<T> => ({
  type: self.type,
  subscription: self.subscription,
  afterCompletion: self.afterCompletion,
  retentionCoupon: self.retentionCoupon,
  items: self.items,
  discounts: self.discounts
})

/**
 * @since 0.1.0
 * @category guards
 */
export const isPortalFlowBuilder = (u: unknown): u is PortalFlowBuilder => Predicate.hasProperty(u, TypeId)

/**
 * A flow to cancel `subscription`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriptionCancel = (subscription: string): PortalFlowBuilder<"subscription_cancel"> =>
  empty("subscription_cancel", subscription)

/**
 * A flow to let the customer pick a new plan for `subscription`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriptionUpdate = (subscription: string): PortalFlowBuilder<"subscription_update"> =>
  empty("subscription_update", subscription)

/**
 * A flow to confirm a given update of `subscription` (its items, optionally discounts).
 *
 * @since 0.1.0
 * @category constructors
 */
export const subscriptionUpdateConfirm = (
  subscription: string,
  items: ReadonlyArray<UpdateConfirmItem> = []
): PortalFlowBuilder<"subscription_update_confirm"> =>
  update(empty("subscription_update_confirm", subscription), { items })

/**
 * A flow to update the customer's default payment method.
 *
 * @since 0.1.0
 * @category constructors
 */
export const paymentMethodUpdate = (): PortalFlowBuilder<"payment_method_update"> =>
  empty("payment_method_update", undefined)

/**
 * A flow to pause `subscription`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const subscriptionPause = (subscription: string): PortalFlowBuilder<"subscription_pause"> =>
  empty("subscription_pause", subscription)

/**
 * A flow to let the customer update their details (email, address, tax ids).
 *
 * @since 0.2.0
 * @category constructors
 */
export const customerUpdate = (): PortalFlowBuilder<"customer_update"> => empty("customer_update", undefined)

/**
 * Offers a coupon when the customer starts cancelling (`retention.coupon_offer`).
 *
 * @since 0.1.0
 * @category setters
 */
export const retentionCoupon: {
  (coupon: string): (self: PortalFlowBuilder<"subscription_cancel">) => PortalFlowBuilder<"subscription_cancel">
  (self: PortalFlowBuilder<"subscription_cancel">, coupon: string): PortalFlowBuilder<"subscription_cancel">
} = dual(
  2,
  (self: PortalFlowBuilder<"subscription_cancel">, coupon: string) => update(self, { retentionCoupon: coupon })
)

/**
 * Appends items to confirm.
 *
 * @since 0.1.0
 * @category setters
 */
export const addItems: {
  (
    items: ReadonlyArray<UpdateConfirmItem>
  ): (self: PortalFlowBuilder<"subscription_update_confirm">) => PortalFlowBuilder<"subscription_update_confirm">
  (
    self: PortalFlowBuilder<"subscription_update_confirm">,
    items: ReadonlyArray<UpdateConfirmItem>
  ): PortalFlowBuilder<"subscription_update_confirm">
} = dual(
  2,
  (self: PortalFlowBuilder<"subscription_update_confirm">, items: ReadonlyArray<UpdateConfirmItem>) =>
    update(self, { items: [...self.items, ...items] })
)

/**
 * Discounts applied by the confirmed update (at most one).
 *
 * @since 0.1.0
 * @category setters
 */
export const discounts: {
  (
    discounts: ReadonlyArray<UpdateConfirmDiscount>
  ): (self: PortalFlowBuilder<"subscription_update_confirm">) => PortalFlowBuilder<"subscription_update_confirm">
  (
    self: PortalFlowBuilder<"subscription_update_confirm">,
    discounts: ReadonlyArray<UpdateConfirmDiscount>
  ): PortalFlowBuilder<"subscription_update_confirm">
} = dual(
  2,
  (self: PortalFlowBuilder<"subscription_update_confirm">, discounts: ReadonlyArray<UpdateConfirmDiscount>) =>
    update(self, { discounts })
)

/**
 * After completion, redirect the customer to `returnUrl`.
 *
 * @since 0.1.0
 * @category after completion
 */
export const redirect: {
  (returnUrl: string): <T extends FlowType>(self: PortalFlowBuilder<T>) => PortalFlowBuilder<T>
  <T extends FlowType>(self: PortalFlowBuilder<T>, returnUrl: string): PortalFlowBuilder<T>
} = dual(
  2,
  <T extends FlowType>(self: PortalFlowBuilder<T>, returnUrl: string) =>
    update(self, { afterCompletion: { type: "redirect", redirect: { return_url: returnUrl } } })
)

/**
 * After completion, show a confirmation page in the portal, with an optional message.
 *
 * @since 0.1.0
 * @category after completion
 */
export const hostedConfirmation: {
  (customMessage?: string): <T extends FlowType>(self: PortalFlowBuilder<T>) => PortalFlowBuilder<T>
  <T extends FlowType>(self: PortalFlowBuilder<T>, customMessage: string | undefined): PortalFlowBuilder<T>
} = dual(
  (args) => isPortalFlowBuilder(args[0]),
  <T extends FlowType>(self: PortalFlowBuilder<T>, customMessage: string | undefined) =>
    update(self, {
      afterCompletion: {
        type: "hosted_confirmation",
        ...(customMessage === undefined ? {} : { hosted_confirmation: { custom_message: customMessage } })
      }
    })
)

/**
 * After completion, return to the portal's homepage (Stripe's default).
 *
 * @since 0.1.0
 * @category after completion
 */
export const portalHomepage = <T extends FlowType>(self: PortalFlowBuilder<T>): PortalFlowBuilder<T> =>
  update(self, { afterCompletion: { type: "portal_homepage" } })

const invalid = (message: string, param: string) => new StripeError.StripeValidationError({ message, param })

const isHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

const validate = (self: PortalFlowBuilder): StripeError.StripeValidationError | undefined => {
  const sub = self.subscription
  const needsSubscription = self.type !== "payment_method_update" && self.type !== "customer_update"
  if (needsSubscription && (sub === undefined || sub.length === 0)) {
    return invalid(`A ${self.type} flow needs a subscription id`, `flow_data[${self.type}][subscription]`)
  }
  const after = self.afterCompletion
  if (after?.type === "redirect" && (after.redirect === undefined || !isHttpUrl(after.redirect.return_url))) {
    return invalid(
      "The redirect after completion needs an http(s) URL",
      "flow_data[after_completion][redirect][return_url]"
    )
  }
  if (self.type === "subscription_cancel" && self.retentionCoupon !== undefined && self.retentionCoupon.length === 0) {
    return invalid(
      "The retention coupon id is empty",
      "flow_data[subscription_cancel][retention][coupon_offer][coupon]"
    )
  }
  if (self.type === "subscription_update_confirm") {
    if (self.items.length === 0) {
      return invalid(
        "A subscription_update_confirm flow needs at least one item",
        "flow_data[subscription_update_confirm][items]"
      )
    }
    for (let i = 0; i < self.items.length; i++) {
      const item = self.items[i]
      if (item.id.length === 0) {
        return invalid(
          `Item ${i} needs the subscription item id`,
          `flow_data[subscription_update_confirm][items][${i}][id]`
        )
      }
      if (item.quantity !== undefined && (!Number.isInteger(item.quantity) || item.quantity < 0)) {
        return invalid(
          `Item ${i} has an invalid quantity ${item.quantity}`,
          `flow_data[subscription_update_confirm][items][${i}][quantity]`
        )
      }
    }
    if (self.discounts !== undefined && self.discounts.length > 1) {
      return invalid(
        "A subscription_update_confirm flow takes at most one discount",
        "flow_data[subscription_update_confirm][discounts]"
      )
    }
  }
  return undefined
}

const toFlowData = (self: PortalFlowBuilder, subscription: string): FlowData => {
  const after = self.afterCompletion === undefined ? {} : { after_completion: self.afterCompletion }
  switch (self.type) {
    case "subscription_cancel":
      return {
        type: "subscription_cancel",
        ...after,
        subscription_cancel: {
          subscription,
          ...(self.retentionCoupon === undefined
            ? {}
            : { retention: { type: "coupon_offer", coupon_offer: { coupon: self.retentionCoupon } } })
        }
      }
    case "subscription_update":
      return { type: "subscription_update", ...after, subscription_update: { subscription } }
    case "subscription_update_confirm":
      return {
        type: "subscription_update_confirm",
        ...after,
        subscription_update_confirm: {
          subscription,
          items: self.items,
          ...(self.discounts === undefined ? {} : { discounts: self.discounts })
        }
      }
    case "subscription_pause":
      return { type: "subscription_pause", ...after, subscription_pause: { subscription } }
    case "payment_method_update":
      return { type: "payment_method_update", ...after }
    case "customer_update":
      return { type: "customer_update", ...after }
  }
}

/**
 * Checks the flow and produces the `flow_data` param. Fails with
 * `StripeValidationError` naming the param when the subscription id is
 * missing, the redirect URL is not http(s), or an update confirmation has no
 * items, an item without id, a negative quantity or more than one discount.
 *
 * @since 0.1.0
 * @category building
 */
export const build = <T extends FlowType>(
  self: PortalFlowBuilder<T>
): Effect.Effect<FlowData, StripeError.StripeValidationError> =>
  Effect.suspend(() => {
    const error = validate(self)
    return error === undefined ? Effect.succeed(toFlowData(self, self.subscription ?? "")) : Effect.fail(error)
  })
