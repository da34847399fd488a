/**
 * Response schemas load their type modules on the first call. Concurrent
 * first calls of resources whose types import each other in cycles must all
 * complete: under vitest's module runner, two dynamic imports entering one
 * cycle at once deadlocked before the imports were queued.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import {
  Accounts,
  Charges,
  Checkout,
  Customers,
  Invoices,
  Issuing,
  PaymentIntents,
  Subscriptions
} from "../src/index.js"
import { mockStripe } from "./support.js"

describe("lazy response schemas", () => {
  it.effect("concurrent first calls of eight resources all decode", () =>
    Effect.gen(function*() {
      const { layer, recorded } = mockStripe((request) => ({
        json: { object: "list", data: [], has_more: false, url: request.url.pathname }
      }))
      const pages = yield* Effect.all([
        Customers.list(),
        Invoices.list(),
        Subscriptions.list(),
        PaymentIntents.list(),
        Charges.list(),
        Accounts.list(),
        Issuing.Cards.list(),
        Checkout.Sessions.list()
      ], { concurrency: "unbounded" }).pipe(Effect.provide(layer), Effect.timeout("20 seconds"))
      expect(pages.map((p) => p.object)).toEqual(Array.from({ length: 8 }, () => "list"))
      expect(recorded).toHaveLength(8)
    }), 30_000)
})
