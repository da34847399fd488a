/**
 * An immutable, pipeable builder of `SubscriptionSchedules.create` params.
 *
 * Every setter returns a new builder and works data-first
 * (`customer(builder, "cus_123")`) or data-last in `pipe`. {@link build}
 * checks the combinations Stripe would reject (or silently misread) and
 * fails with `StripeValidationError` naming the param, before any request.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { SubscriptionScheduleBuilder as B, SubscriptionSchedules } from "@lattice-stripe/resources"
 *
 * const params = B.make().pipe(
 *   B.customer("cus_123"),
 *   B.startDate("now"),
 *   B.endBehavior("release"),
 *   B.addPhase(B.Phase.make().pipe(B.Phase.items([{ price: "price_basic", quantity: 1 }]), B.Phase.duration({ interval: "month", interval_count: 3 }))),
 *   B.build
 * )
 * const schedule = Effect.flatMap(params, (p) => SubscriptionSchedules.create(p))
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
import type { SubscriptionScheduleCreateParams } from "../generated/Schemas.js"

/**
 * The params {@link build} produces (no `expand`: add it by spreading).
 *
 * @since 0.1.0
 * @category models
 */
export type Params = SubscriptionScheduleCreateParams<[]>

/**
 * One phase of the params.
 *
 * @since 0.1.0
 * @category models
 */
export type PhaseParams = NonNullable<Params["phases"]>[number]

/**
 * One subscription item of a phase: `{ price, quantity }` or `{ price_data, quantity }`.
 *
 * @since 0.1.0
 * @category models
 */
export type PhaseItem = PhaseParams["items"][number]

/**
 * One one-off invoice item added at the start of a phase.
 *
 * @since 0.1.0
 * @category models
 */
export type InvoiceItem = NonNullable<PhaseParams["add_invoice_items"]>[number]

/**
 * The schedule's default settings, applied to phases that do not override them.
 *
 * @since 0.1.0
 * @category models
 */
export type DefaultSettings = NonNullable<Params["default_settings"]>

/**
 * A phase timestamp: a `Date` or Unix seconds (a `Date` is sent as Unix seconds).
 *
 * @since 0.1.0
 * @category models
 */
export type Timestamp = number | Date

const toSeconds = (t: Timestamp): number => (typeof t === "number" ? t : Math.floor(t.getTime() / 1000))

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@lattice-stripe/resources/SubscriptionScheduleBuilder")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * @since 0.1.0
 * @category type ids
 */
export const PhaseTypeId: unique symbol = Symbol.for("@lattice-stripe/resources/SubscriptionScheduleBuilder/Phase")

/**
 * @since 0.1.0
 * @category type ids
 */
export type PhaseTypeId = typeof PhaseTypeId

/**
 * A schedule being built. Immutable: setters return a new builder.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubscriptionScheduleBuilder extends Pipeable, Inspectable.Inspectable {
  readonly [TypeId]: TypeId
  /** Everything but the phases, as set so far. */
  readonly params: Readonly<Partial<Omit<Params, "phases">>>
  readonly phases: ReadonlyArray<PhaseBuilder>
}

/**
 * A phase being built. `items` is required by {@link build}.
 *
 * @since 0.1.0
 * @category models
 */
export interface PhaseBuilder extends Pipeable, Inspectable.Inspectable {
  readonly [PhaseTypeId]: PhaseTypeId
  readonly params: Readonly<Partial<PhaseParams>>
}

/**
 * A setter usable data-first (`f(builder, value)`) or data-last (`pipe(builder, f(value))`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Setter<S, V> {
  (value: V): (self: S) => S
  (self: S, value: V): S
}

const BaseProto = {
  pipe() {
    // eslint-disable-next-line prefer-rest-params -- `pipeArguments` is written for `arguments`, as in effect itself
    return pipeArguments(this, arguments)
  },
  toString(this: Inspectable.Inspectable) {
    return Inspectable.format(this.toJSON())
  },
  [Inspectable.NodeInspectSymbol](this: Inspectable.Inspectable) {
    return this.toJSON()
  }
}

const ScheduleProto = {
  ...BaseProto,
  [TypeId]: TypeId,
  toJSON(this: SubscriptionScheduleBuilder) {
    return {
      _id: "SubscriptionScheduleBuilder",
      params: this.params,
      phases: this.phases.map((p) => p.params)
    }
  }
}

const PhaseProto = {
  ...BaseProto,
  [PhaseTypeId]: PhaseTypeId,
  toJSON(this: PhaseBuilder) {
    return { _id: "SubscriptionScheduleBuilder.Phase", params: this.params }
  }
}

// `Object.create` is typed `any`; the prototype carries exactly the interface's remaining members.
const makeSchedule = (
  params: SubscriptionScheduleBuilder["params"],
  phases: ReadonlyArray<PhaseBuilder>
): SubscriptionScheduleBuilder => Object.assign(Object.create(ScheduleProto), { params, phases })

const makePhase = (params: PhaseBuilder["params"]): PhaseBuilder => Object.assign(Object.create(PhaseProto), { params })

const setter = <S, V>(f: (self: S, value: V) => S): Setter<S, V> => dual(2, f)

const scheduleSetter = <K extends keyof SubscriptionScheduleBuilder["params"], V>(
  key: K,
  f: (value: V) => SubscriptionScheduleBuilder["params"][K]
): Setter<SubscriptionScheduleBuilder, V> =>
  setter((self: SubscriptionScheduleBuilder, value: V) =>
    makeSchedule({ ...self.params, [key]: f(value) }, self.phases)
  )

const phaseSetter = <K extends keyof PhaseParams, V>(
  key: K,
  f: (value: V) => PhaseParams[K]
): Setter<PhaseBuilder, V> => setter((self: PhaseBuilder, value: V) => makePhase({ ...self.params, [key]: f(value) }))

const id = <A>(a: A): A => a

/**
 * @since 0.1.0
 * @category guards
 */
export const isSubscriptionScheduleBuilder = (u: unknown): u is SubscriptionScheduleBuilder =>
  Predicate.hasProperty(u, TypeId)

/**
 * An empty builder.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (): SubscriptionScheduleBuilder => makeSchedule({}, [])

/**
 * The customer the schedule is for. Excludes {@link fromSubscription}.
 *
 * @since 0.1.0
 * @category setters
 */
export const customer: Setter<SubscriptionScheduleBuilder, string> = scheduleSetter("customer", id<string>)

/**
 * Migrates an existing subscription to a schedule (`from_subscription`).
 * Stripe then takes phases, start date and end behavior from the
 * subscription, so none of those (nor `customer`) may be set.
 *
 * @since 0.1.0
 * @category setters
 */
export const fromSubscription: Setter<SubscriptionScheduleBuilder, string> = scheduleSetter(
  "from_subscription",
  id<string>
)

/**
 * When the first phase starts: `"now"`, a `Date` or Unix seconds.
 *
 * @since 0.1.0
 * @category setters
 */
export const startDate: Setter<SubscriptionScheduleBuilder, "now" | Timestamp> = scheduleSetter(
  "start_date",
  (value: "now" | Timestamp) => (value === "now" ? value : toSeconds(value))
)

/**
 * What happens after the last phase: `release` keeps the subscription
 * running on its own, `cancel` cancels it.
 *
 * @since 0.1.0
 * @category setters
 */
export const endBehavior: Setter<SubscriptionScheduleBuilder, "release" | "cancel" | "none" | "renew"> = scheduleSetter(
  "end_behavior",
  id<"release" | "cancel" | "none" | "renew">
)

/**
 * Metadata of the schedule; merged with what was set before.
 *
 * @since 0.1.0
 * @category setters
 */
export const metadata: Setter<SubscriptionScheduleBuilder, Readonly<Record<string, string>>> = setter(
  (self: SubscriptionScheduleBuilder, value: Readonly<Record<string, string>>) =>
    makeSchedule({
      ...self.params,
      metadata: { ...(Predicate.isRecord(self.params.metadata) ? self.params.metadata : {}), ...value }
    }, self.phases)
)

/**
 * Default settings for every phase (collection method, default payment
 * method, billing cycle anchor, invoice settings...); merged with what was set before.
 *
 * @since 0.1.0
 * @category setters
 */
export const defaultSettings: Setter<SubscriptionScheduleBuilder, DefaultSettings> = setter(
  (self: SubscriptionScheduleBuilder, value: DefaultSettings) =>
    makeSchedule({ ...self.params, default_settings: { ...self.params.default_settings, ...value } }, self.phases)
)

/**
 * Appends a phase.
 *
 * @since 0.1.0
 * @category setters
 */
export const addPhase: Setter<SubscriptionScheduleBuilder, PhaseBuilder> = setter(
  (self: SubscriptionScheduleBuilder, phase: PhaseBuilder) => makeSchedule(self.params, [...self.phases, phase])
)

/**
 * Phase builders: `Phase.make()` then setters, added with {@link addPhase}.
 *
 * @example
 * ```ts
 * import { SubscriptionScheduleBuilder as B } from "@lattice-stripe/resources"
 *
 * const trial = B.Phase.make().pipe(
 *   B.Phase.items([{ price: "price_pro", quantity: 2 }]),
 *   B.Phase.trialEnd(new Date("2025-01-01T00:00:00Z")),
 *   B.Phase.prorationBehavior("none")
 * )
 * ```
 *
 * @since 0.1.0
 * @category phases
 */
export const Phase = {
  /** An empty phase. */
  make: (): PhaseBuilder => makePhase({}),
  /** Replaces the phase's subscription items. */
  items: phaseSetter("items", (items: ReadonlyArray<PhaseItem>) => items),
  /** Appends one subscription item. */
  addItem: setter((self: PhaseBuilder, item: PhaseItem) =>
    makePhase({ ...self.params, items: [...(self.params.items ?? []), item] })
  ),
  /**
   * How long the phase lasts: `interval_count` (default 1) `interval`s.
   * Excludes `endDate`. (API versions before 2025 called this `iterations`.)
   */
  duration: phaseSetter(
    "duration",
    (duration: { readonly interval: "day" | "week" | "month" | "year"; readonly interval_count?: number }) => duration
  ),
  /** When the phase ends. Excludes `duration`. */
  endDate: phaseSetter("end_date", toSeconds),
  /** How prorations are handled when the phase starts. */
  prorationBehavior: phaseSetter(
    "proration_behavior",
    id<"always_invoice" | "create_prorations" | "none">
  ),
  /** When the trial ends. */
  trialEnd: phaseSetter("trial_end", toSeconds),
  /** The whole phase is a trial. */
  trial: phaseSetter("trial", id<boolean>),
  /** `automatic` or `phase_start`. */
  billingCycleAnchor: phaseSetter("billing_cycle_anchor", id<"automatic" | "phase_start">),
  /** `charge_automatically` or `send_invoice`. */
  collectionMethod: phaseSetter("collection_method", id<"charge_automatically" | "send_invoice">),
  /** The payment method charged during the phase. */
  defaultPaymentMethod: phaseSetter("default_payment_method", id<string>),
  /** Replaces the one-off invoice items added at the start of the phase. */
  addInvoiceItems: phaseSetter("add_invoice_items", (items: ReadonlyArray<InvoiceItem>) => items),
  /** Discounts of the phase. */
  discounts: phaseSetter(
    "discounts",
    (
      discounts: ReadonlyArray<
        { readonly coupon?: string; readonly discount?: string; readonly promotion_code?: string }
      >
    ) => discounts
  ),
  /** Three-letter ISO currency of the phase. */
  currency: phaseSetter("currency", id<string>),
  /** Shown on the invoices of the phase. */
  description: phaseSetter("description", id<string>),
  /** Tax rates of the phase's items. */
  defaultTaxRates: phaseSetter("default_tax_rates", (rates: ReadonlyArray<string>) => rates),
  /** Metadata of the subscription while the phase is active; merged with what was set before. */
  metadata: setter((self: PhaseBuilder, value: Readonly<Record<string, string>>) =>
    makePhase({ ...self.params, metadata: { ...self.params.metadata, ...value } })
  ),
  /** Guard. */
  isPhaseBuilder: (u: unknown): u is PhaseBuilder => Predicate.hasProperty(u, PhaseTypeId)
}

const invalid = (message: string, param: string) => new StripeError.StripeValidationError({ message, param })

const validatePhase = (phase: PhaseBuilder, index: number): PhaseParams | StripeError.StripeValidationError => {
  const p = phase.params
  const at = `phases[${index}]`
  const items = p.items
  if (items === undefined || items.length === 0) {
    return invalid(`Phase ${index} has no items: add at least one with Phase.items`, `${at}[items]`)
  }
  for (let j = 0; j < items.length; j++) {
    const item = items[j]
    if (item.price === undefined && item.price_data === undefined) {
      return invalid(`Item ${j} of phase ${index} needs a price or price_data`, `${at}[items][${j}][price]`)
    }
    if (item.quantity !== undefined && (!Number.isInteger(item.quantity) || item.quantity < 0)) {
      return invalid(
        `Item ${j} of phase ${index} has an invalid quantity ${item.quantity}: use a non-negative integer`,
        `${at}[items][${j}][quantity]`
      )
    }
  }
  const count = p.duration?.interval_count
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    return invalid(
      `Phase ${index} has an invalid duration.interval_count ${count}: use a positive integer`,
      `${at}[duration][interval_count]`
    )
  }
  if (p.duration !== undefined && p.end_date !== undefined) {
    return invalid(`Phase ${index} sets both duration and end_date: keep one`, `${at}[end_date]`)
  }
  // Phase params are the builder's fields once `items` is known to be present.
  return { ...p, items }
}

/**
 * Checks the builder and produces the params of `SubscriptionSchedules.create`.
 *
 * Fails with `StripeValidationError` (its `param` names the culprit) when:
 * both `customer` and `from_subscription` are set; neither is; there are no
 * phases (without `from_subscription`) or phases together with
 * `from_subscription`; a phase has no items, an item has no price, a
 * quantity or `duration.interval_count` is negative or fractional, or a phase sets both
 * `duration` and `end_date`.
 *
 * @since 0.1.0
 * @category building
 */
export const build = (self: SubscriptionScheduleBuilder): Effect.Effect<Params, StripeError.StripeValidationError> =>
  Effect.suspend(() => {
    const p = self.params
    if (p.from_subscription !== undefined) {
      if (p.customer !== undefined) {
        return Effect.fail(invalid("Set either customer or from_subscription, not both", "from_subscription"))
      }
      if (self.phases.length > 0) {
        return Effect.fail(invalid("Phases cannot be set with from_subscription: update the schedule after", "phases"))
      }
      for (const key of ["start_date", "end_behavior", "default_settings"] as const) {
        if (p[key] !== undefined) {
          return Effect.fail(invalid(`${key} cannot be set with from_subscription: update the schedule after`, key))
        }
      }
      return Effect.succeed({ ...p })
    }
    if (p.customer === undefined) {
      return Effect.fail(invalid("A schedule needs a customer (or from_subscription)", "customer"))
    }
    if (self.phases.length === 0) {
      return Effect.fail(invalid("A schedule needs at least one phase", "phases"))
    }
    const phases: Array<PhaseParams> = []
    for (let i = 0; i < self.phases.length; i++) {
      const phase = validatePhase(self.phases[i], i)
      if (phase instanceof StripeError.StripeValidationError) return Effect.fail(phase)
      phases.push(phase)
    }
    return Effect.succeed({ ...p, phases })
  })
