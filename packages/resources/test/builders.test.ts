import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { StripeClient, StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import { pipe } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as F from "../src/builders/PortalFlow.js"
import * as B from "../src/builders/SubscriptionSchedule.js"
import { SubscriptionSchedules } from "../src/index.js"

const basicPhase = B.Phase.make().pipe(B.Phase.items([{ price: "price_basic", quantity: 1 }]))

const validationError = <A>(effect: Effect.Effect<A, StripeError.StripeValidationError>) =>
  Effect.map(Effect.flip(effect), (e) => {
    expect(e).toBeInstanceOf(StripeError.StripeValidationError)
    return e
  })

describe("SubscriptionScheduleBuilder", () => {
  it.effect("builds snake_case create params", () =>
    Effect.gen(function*() {
      const trialEnd = new Date("2025-01-01T00:00:00Z")
      const params = yield* B.make().pipe(
        B.customer("cus_123"),
        B.startDate("now"),
        B.endBehavior("release"),
        B.metadata({ plan: "pro" }),
        B.metadata({ team: "billing" }),
        B.defaultSettings({ collection_method: "send_invoice", invoice_settings: { days_until_due: 30 } }),
        B.addPhase(
          B.Phase.make().pipe(
            B.Phase.items([{ price: "price_basic", quantity: 1 }]),
            B.Phase.addItem({ price: "price_addon", quantity: 2 }),
            B.Phase.duration({ interval: "month", interval_count: 3 }),
            B.Phase.prorationBehavior("none"),
            B.Phase.trialEnd(trialEnd),
            B.Phase.billingCycleAnchor("phase_start"),
            B.Phase.collectionMethod("charge_automatically"),
            B.Phase.defaultPaymentMethod("pm_123"),
            B.Phase.addInvoiceItems([{ price: "price_setup", quantity: 1 }]),
            B.Phase.discounts([{ coupon: "WELCOME" }]),
            B.Phase.metadata({ phase: "intro" })
          )
        ),
        B.addPhase(B.Phase.make().pipe(B.Phase.items([{ price: "price_pro" }]), B.Phase.endDate(1_767_225_600))),
        B.build
      )
      expect(params).toEqual({
        customer: "cus_123",
        start_date: "now",
        end_behavior: "release",
        metadata: { plan: "pro", team: "billing" },
        default_settings: { collection_method: "send_invoice", invoice_settings: { days_until_due: 30 } },
        phases: [
          {
            items: [{ price: "price_basic", quantity: 1 }, { price: "price_addon", quantity: 2 }],
            duration: { interval: "month", interval_count: 3 },
            proration_behavior: "none",
            // A `Date` is sent as Unix seconds.
            trial_end: Math.floor(trialEnd.getTime() / 1000),
            billing_cycle_anchor: "phase_start",
            collection_method: "charge_automatically",
            default_payment_method: "pm_123",
            add_invoice_items: [{ price: "price_setup", quantity: 1 }],
            discounts: [{ coupon: "WELCOME" }],
            metadata: { phase: "intro" }
          },
          { items: [{ price: "price_pro" }], end_date: 1_767_225_600 }
        ]
      })
    }))

  it("is immutable and works data-first", () => {
    const base = B.make()
    const withCustomer = B.customer(base, "cus_1")
    expect(base.params).toEqual({})
    expect(withCustomer.params).toEqual({ customer: "cus_1" })
    const phase = B.Phase.duration(basicPhase, { interval: "year" })
    expect(basicPhase.params.duration).toBeUndefined()
    expect(phase.params.duration).toEqual({ interval: "year" })
    const one = B.addPhase(withCustomer, phase)
    const two = B.addPhase(one, basicPhase)
    expect(one.phases).toHaveLength(1)
    expect(two.phases).toHaveLength(2)
    expect(String(two)).toContain("SubscriptionScheduleBuilder")
    expect(B.isSubscriptionScheduleBuilder(two)).toBe(true)
    expect(B.Phase.isPhaseBuilder(phase)).toBe(true)
  })

  it.effect("builds a migration from an existing subscription", () =>
    Effect.gen(function*() {
      const params = yield* pipe(B.make(), B.fromSubscription("sub_123"), B.build)
      expect(params).toEqual({ from_subscription: "sub_123" })
    }))

  it.effect("rejects customer together with from_subscription", () =>
    Effect.gen(function*() {
      const e = yield* validationError(
        B.make().pipe(B.customer("cus_1"), B.fromSubscription("sub_1"), B.build)
      )
      expect(e.param).toBe("from_subscription")
    }))

  it.effect("rejects phases, start date, end behavior or default settings with from_subscription", () =>
    Effect.gen(function*() {
      const migration = B.fromSubscription(B.make(), "sub_1")
      expect((yield* validationError(B.build(B.addPhase(migration, basicPhase)))).param).toBe("phases")
      expect((yield* validationError(B.build(B.startDate(migration, "now")))).param).toBe("start_date")
      expect((yield* validationError(B.build(B.endBehavior(migration, "cancel")))).param).toBe("end_behavior")
      expect((yield* validationError(B.build(B.defaultSettings(migration, { description: "x" })))).param).toBe(
        "default_settings"
      )
    }))

  it.effect("rejects a schedule without phases", () =>
    Effect.gen(function*() {
      const e = yield* validationError(B.make().pipe(B.customer("cus_1"), B.startDate("now"), B.build))
      expect(e.param).toBe("phases")
    }))

  it.effect("rejects a schedule without customer or from_subscription", () =>
    Effect.gen(function*() {
      const e = yield* validationError(B.make().pipe(B.addPhase(basicPhase), B.build))
      expect(e.param).toBe("customer")
    }))

  it.effect("rejects a phase without items", () =>
    Effect.gen(function*() {
      const e = yield* validationError(
        B.make().pipe(B.customer("cus_1"), B.addPhase(basicPhase), B.addPhase(B.Phase.make()), B.build)
      )
      expect(e.param).toBe("phases[1][items]")
      const emptyItems = yield* validationError(
        B.make().pipe(B.customer("cus_1"), B.addPhase(B.Phase.items(B.Phase.make(), [])), B.build)
      )
      expect(emptyItems.param).toBe("phases[0][items]")
    }))

  it.effect("rejects a negative or fractional duration", () =>
    Effect.gen(function*() {
      for (const n of [-1, 0, 1.5]) {
        const e = yield* validationError(
          B.make().pipe(
            B.customer("cus_1"),
            B.addPhase(B.Phase.duration(basicPhase, { interval: "month", interval_count: n })),
            B.build
          )
        )
        expect(e.param).toBe("phases[0][duration][interval_count]")
      }
    }))

  it.effect("rejects an item without price, a negative quantity, and a duration with end_date", () =>
    Effect.gen(function*() {
      const build = (phase: B.PhaseBuilder) => B.make().pipe(B.customer("cus_1"), B.addPhase(phase), B.build)
      expect((yield* validationError(build(B.Phase.items(B.Phase.make(), [{ quantity: 1 }])))).param).toBe(
        "phases[0][items][0][price]"
      )
      expect(
        (yield* validationError(build(B.Phase.items(B.Phase.make(), [{ price: "p", quantity: -2 }])))).param
      ).toBe("phases[0][items][0][quantity]")
      expect(
        (yield* validationError(
          build(basicPhase.pipe(B.Phase.duration({ interval: "month" }), B.Phase.endDate(new Date())))
        )).param
      ).toBe("phases[0][end_date]")
    }))

  it.effect("its params go through SubscriptionSchedules.create form-encoded", () =>
    Effect.gen(function*() {
      const bodies: Array<string> = []
      const http = HttpClient.make((request) =>
        Effect.sync(() => {
          bodies.push(request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "")
          return HttpClientResponse.fromWeb(request, new Response("{}", { status: 400 }))
        })
      )
      const layer = StripeClient.layer({ apiKey: Redacted.make("sk_test_builder"), maxRetries: 0 }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, http))
      )
      const params = yield* B.make().pipe(
        B.customer("cus_123"),
        B.startDate("now"),
        B.endBehavior("release"),
        B.addPhase(basicPhase.pipe(B.Phase.duration({ interval: "month", interval_count: 3 }))),
        B.build
      )
      // The fake server answers 400: only the encoded request matters here.
      yield* Effect.flip(SubscriptionSchedules.create(params)).pipe(Effect.provide(layer))
      expect(decodeURIComponent(bodies[0]).split("&").sort()).toEqual([
        "customer=cus_123",
        "end_behavior=release",
        "phases[0][duration][interval]=month",
        "phases[0][duration][interval_count]=3",
        "phases[0][items][0][price]=price_basic",
        "phases[0][items][0][quantity]=1",
        "start_date=now"
      ])
    }))
})

describe("PortalFlowBuilder", () => {
  it.effect("subscription_cancel with a retention coupon and a redirect", () =>
    Effect.gen(function*() {
      const flow = yield* F.subscriptionCancel("sub_1").pipe(
        F.retentionCoupon("SAVE20"),
        F.redirect("https://example.com/account"),
        F.build
      )
      expect(flow).toEqual({
        type: "subscription_cancel",
        after_completion: { type: "redirect", redirect: { return_url: "https://example.com/account" } },
        subscription_cancel: {
          subscription: "sub_1",
          retention: { type: "coupon_offer", coupon_offer: { coupon: "SAVE20" } }
        }
      })
    }))

  it.effect("subscription_update with a hosted confirmation", () =>
    Effect.gen(function*() {
      expect(yield* F.subscriptionUpdate("sub_2").pipe(F.hostedConfirmation("Thanks!"), F.build)).toEqual({
        type: "subscription_update",
        after_completion: { type: "hosted_confirmation", hosted_confirmation: { custom_message: "Thanks!" } },
        subscription_update: { subscription: "sub_2" }
      })
      expect(yield* F.subscriptionUpdate("sub_2").pipe(F.hostedConfirmation(), F.build)).toEqual({
        type: "subscription_update",
        after_completion: { type: "hosted_confirmation" },
        subscription_update: { subscription: "sub_2" }
      })
    }))

  it.effect("subscription_update_confirm with items and a discount", () =>
    Effect.gen(function*() {
      const flow = yield* F.subscriptionUpdateConfirm("sub_3", [{ id: "si_1", price: "price_pro" }]).pipe(
        F.addItems([{ id: "si_2", quantity: 3 }]),
        F.discounts([{ coupon: "UPGRADE" }]),
        F.portalHomepage,
        F.build
      )
      expect(flow).toEqual({
        type: "subscription_update_confirm",
        after_completion: { type: "portal_homepage" },
        subscription_update_confirm: {
          subscription: "sub_3",
          items: [{ id: "si_1", price: "price_pro" }, { id: "si_2", quantity: 3 }],
          discounts: [{ coupon: "UPGRADE" }]
        }
      })
    }))

  it.effect("payment_method_update, data-first", () =>
    Effect.gen(function*() {
      const flow = yield* F.build(F.redirect(F.paymentMethodUpdate(), "https://example.com/done"))
      expect(flow).toEqual({
        type: "payment_method_update",
        after_completion: { type: "redirect", redirect: { return_url: "https://example.com/done" } }
      })
    }))

  it.effect("rejects invalid flows naming the param", () =>
    Effect.gen(function*() {
      expect((yield* validationError(F.build(F.subscriptionCancel("")))).param).toBe(
        "flow_data[subscription_cancel][subscription]"
      )
      expect((yield* validationError(F.build(F.redirect(F.subscriptionUpdate("sub_1"), "not a url")))).param).toBe(
        "flow_data[after_completion][redirect][return_url]"
      )
      expect((yield* validationError(F.build(F.subscriptionUpdateConfirm("sub_1")))).param).toBe(
        "flow_data[subscription_update_confirm][items]"
      )
      expect(
        (yield* validationError(F.build(F.subscriptionUpdateConfirm("sub_1", [{ id: "si_1", quantity: -1 }])))).param
      ).toBe("flow_data[subscription_update_confirm][items][0][quantity]")
      expect(
        (yield* validationError(
          F.build(
            F.discounts(F.subscriptionUpdateConfirm("sub_1", [{ id: "si_1" }]), [{ coupon: "A" }, { coupon: "B" }])
          )
        )).param
      ).toBe("flow_data[subscription_update_confirm][discounts]")
    }))

  it("only accepts flow-specific setters on their flow type", () => {
    const cancel = F.subscriptionCancel("sub_1")
    // @ts-expect-error: a retention coupon belongs to subscription_cancel flows only
    F.retentionCoupon(F.paymentMethodUpdate(), "SAVE")
    // @ts-expect-error: items belong to subscription_update_confirm flows only
    F.addItems(cancel, [{ id: "si_1" }])
    expect(F.isPortalFlowBuilder(cancel)).toBe(true)
    expect(cancel.type).toBe("subscription_cancel")
  })
})
