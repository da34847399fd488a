/**
 * The Stripe Explorer walkthrough: every cell of the LatticeStripe notebook,
 * section by section, as one Effect program.
 *
 * Default target: the embedded emulator, started in-process on a loopback
 * port. Point it elsewhere with STRIPE_BASE_URL (stripe-mock from
 * docker-compose, or https://api.stripe.com) and STRIPE_API_KEY.
 *
 *   pnpm explorer
 *   STRIPE_BASE_URL=http://localhost:12111 pnpm explorer
 */
import { Batch } from "@lattice-stripe/batch"
import { ApiVersion, StripeClient, StripeError, StripeHttpClient } from "@lattice-stripe/core"
import {
  AccountLinks,
  Accounts,
  Balance,
  Billing,
  BillingPortal,
  Customers,
  Invoices,
  PaymentIntents,
  Prices,
  Products,
  Refunds,
  SetupIntents,
  Subscriptions,
  SubscriptionScheduleBuilder,
  SubscriptionSchedules,
  Transfers
} from "@lattice-stripe/resources"
import { EmulatorServer } from "@lattice-stripe/testing"
import { Webhook, WebhookVerifier } from "@lattice-stripe/webhook"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { table, tree } from "./src/render.js"

interface Target {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly emulated: boolean
  readonly close: () => Promise<void>
}

const startTarget = async (): Promise<Target> => {
  const baseUrl = process.env.STRIPE_BASE_URL
  if (baseUrl !== undefined && baseUrl !== "") {
    return {
      baseUrl,
      apiKey: Redacted.make(process.env.STRIPE_API_KEY ?? "sk_test_123"),
      emulated: false,
      close: () => Promise.resolve()
    }
  }
  const server = await EmulatorServer.start({ port: 0 })
  return { baseUrl: server.url, apiKey: Redacted.make("sk_test_123"), emulated: true, close: server.close }
}

const heading = (title: string) => Console.log(`\n━━ ${title} ${"━".repeat(Math.max(0, 70 - title.length))}`)

const errorLine = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

/** What answers: the embedded emulator, Stripe's stateless stripe-mock, or Stripe. */
type Kind = "emulator" | "stripe-mock" | "stripe"

interface SectionResult {
  readonly section: string
  readonly ok: boolean
  readonly line: string
}

const program = (target: Target, results: Array<SectionResult>) =>
  Effect.gen(function*() {
    // Each section runs on its own: a failure is reported and counted, and
    // the walkthrough goes on with what it has, like re-running notebook cells.
    const section = <A, E, R>(name: string, body: Effect.Effect<A, E, R>, summary: (a: A) => string) =>
      Effect.gen(function*() {
        yield* heading(name)
        const exit = yield* Effect.exit(body)
        if (Exit.isSuccess(exit)) {
          const line = summary(exit.value)
          results.push({ section: name, ok: true, line })
          yield* Console.log(`✔ ${name}: ${line}`)
          return exit.value
        }
        const line = Cause.isFailType(exit.cause) ? errorLine(exit.cause.error) : Cause.pretty(exit.cause)
        results.push({ section: name, ok: false, line })
        yield* Console.log(`✘ ${name}: ${line}`)
        return yield* Effect.failCause(exit.cause)
      })

    const client = yield* StripeClient.StripeClient
    // Which server answers decides what the values below mean: stripe-mock says so in a header.
    const kind = yield* section(
      "Setup",
      Effect.gen(function*() {
        const [, meta] = yield* StripeClient.withResponse(Balance.retrieve())
        const mock = meta.headers["stripe-mock-version"]
        const found: Kind = target.emulated ? "emulator" : mock !== undefined ? "stripe-mock" : "stripe"
        const config = client.config
        yield* Console.log(tree({
          baseUrl: config.baseUrl,
          apiVersion: config.apiVersion,
          apiKey: config.apiKey,
          maxRetries: config.maxRetries
        }))
        yield* Console.log(
          found === "emulator" ?
            "Target: the embedded emulator (stateful: what you create is stored and comes back)" :
            found === "stripe-mock" ?
            `Target: stripe-mock ${mock} — stateless: it checks each request against Stripe's spec and answers ` +
            "with Stripe's example objects (fixtures), echoing some params; nothing is stored, so values read " +
            "back, and statuses after confirm or cancel, are the fixture's, not the result of these calls" :
            "Target: Stripe (test mode)"
        )
        return found
      }),
      (found) => `client for ${client.config.baseUrl}, Stripe-Version ${client.config.apiVersion}, target: ${found}`
    )
    // Appended to values a stateless stripe-mock cannot have computed.
    const fixture = kind === "stripe-mock" ? " (stripe-mock fixture, not the result of this call)" : ""

    // ── Payments ────────────────────────────────────────────────────────────
    const customer = yield* section(
      "Payments · Customer",
      Customers.create({ email: "explorer@example.com", name: "SDK Explorer" }),
      (c) => `Created customer: ${c.id}`
    )

    const intent = yield* section(
      "Payments · PaymentIntent create, retrieve, list",
      Effect.gen(function*() {
        const intent = yield* PaymentIntents.create({ amount: 2000, currency: "usd", customer: customer.id })
        yield* Console.log(`Created PaymentIntent: ${intent.id} — status: ${intent.status}`)
        const retrieved = yield* PaymentIntents.retrieve(intent.id)
        yield* Console.log(`Retrieved ${retrieved.id}${fixture}:`)
        yield* Console.log(tree(retrieved, { depth: 1 }))
        const page = yield* PaymentIntents.list({ limit: 5 })
        yield* Console.log(
          table(`Recent PaymentIntents${fixture}`, page.data, ["id", "amount", "currency", "status", "customer"])
        )
        return intent
      }),
      (pi) => `PaymentIntent ${pi.id} created, retrieved and listed`
    )

    const confirmed = yield* section(
      "Payments · PaymentIntent confirm",
      PaymentIntents.confirm(intent.id, { payment_method: "pm_card_visa" }),
      (pi) => `Confirmed: ${pi.id} — status: ${pi.status}${fixture}`
    )

    yield* section(
      "Payments · Error handling",
      Effect.gen(function*() {
        // The notebook's cell: a PaymentIntent without a customer, printing either outcome. Stripe
        // accepts it (`customer` is optional), so this cell prints a created intent, not an error.
        const outcome = yield* PaymentIntents.create({ amount: 2000, currency: "usd" }).pipe(
          Effect.map((pi) => `Created: ${pi.id}`),
          Effect.catchAll((err) => Effect.succeed(`Error: ${err.message} (${err._tag})`))
        )
        yield* Console.log(
          `The notebook's cell, a PaymentIntent without a customer (optional, so accepted): ${outcome}`
        )
        // A request Stripe rejects (no `amount`), handled by its tag: the error is a typed value.
        return yield* PaymentIntents.create({ currency: "usd" } as PaymentIntents.CreateParams).pipe(
          Effect.as("unexpectedly accepted"),
          Effect.catchTag(
            "StripeInvalidRequestError",
            (err) =>
              Effect.succeed(
                `Without amount: StripeInvalidRequestError caught: param=${
                  err.param ?? "(not set by this server)"
                }, ${err.message}`
              )
          )
        )
      }),
      (line) => line
    )

    const setupIntent = yield* section(
      "Payments · SetupIntent",
      Effect.gen(function*() {
        const si = yield* SetupIntents.create({ customer: customer.id, usage: "off_session" })
        yield* Console.log(`Created SetupIntent: ${si.id} — status: ${si.status}`)
        const retrieved = yield* SetupIntents.retrieve(si.id)
        yield* Console.log(`Retrieved ${retrieved.id}${fixture}:`)
        yield* Console.log(tree(retrieved, { depth: 1 }))
        return retrieved
      }),
      (si) => `SetupIntent ${si.id} retrieved, usage: ${si.usage}${fixture}`
    )
    void setupIntent

    yield* section(
      "Payments · Refund",
      Refunds.create({ payment_intent: confirmed.id }).pipe(Effect.tap((r) => Console.log(tree(r, { depth: 1 })))),
      (r) => `Refund ${r.id} — status: ${r.status}, amount ${r.amount}${fixture}`
    )

    // ── Billing ─────────────────────────────────────────────────────────────
    const { price, product } = yield* section(
      "Billing · Product & Price",
      Effect.gen(function*() {
        const product = yield* Products.create({ name: "Explorer Pro Plan" })
        const price = yield* Prices.create({
          product: product.id,
          currency: "usd",
          unit_amount: 2000,
          recurring: { interval: "month" }
        })
        return { product, price }
      }),
      ({ price, product }) => `Product: ${product.id}, Price: ${price.id}`
    )
    void product

    const sub = yield* section(
      "Billing · Subscription create, list, cancel",
      Effect.gen(function*() {
        const sub = yield* Subscriptions.create({ customer: customer.id, items: [{ price: price.id }] })
        yield* Console.log(`Subscription: ${sub.id} — status: ${sub.status}`)
        const page = yield* Subscriptions.list({ customer: customer.id })
        yield* Console.log(
          table(`Subscriptions of ${customer.id}${fixture}`, page.data, [
            "id",
            "status",
            "customer",
            "currency",
            "created"
          ])
        )
        const cancelled = yield* Subscriptions.cancel(sub.id)
        yield* Console.log(`Cancelled: ${cancelled.id} — status: ${cancelled.status}${fixture}`)
        return sub
      }),
      (s) => `Subscription ${s.id} created, listed and cancelled`
    )

    yield* section(
      "Billing · Subscription Schedule (builder)",
      Effect.gen(function*() {
        const params = yield* SubscriptionScheduleBuilder.make().pipe(
          SubscriptionScheduleBuilder.customer(customer.id),
          SubscriptionScheduleBuilder.startDate("now"),
          SubscriptionScheduleBuilder.endBehavior("release"),
          SubscriptionScheduleBuilder.addPhase(
            SubscriptionScheduleBuilder.Phase.make().pipe(
              SubscriptionScheduleBuilder.Phase.items([{ price: price.id, quantity: 1 }]),
              // An explicit end (three months on) reads the same in every API version.
              SubscriptionScheduleBuilder.Phase.endDate(new Date(Date.now() + 90 * 86_400_000))
            )
          ),
          SubscriptionScheduleBuilder.build
        )
        const schedule = yield* SubscriptionSchedules.create(params)
        yield* Console.log(`Created ${schedule.id}${fixture}:`)
        yield* Console.log(tree(schedule, { depth: 2 }))
        return schedule
      }),
      (s) => `Schedule ${s.id} — status: ${s.status}, ${s.phases.length} phase(s)${fixture}`
    )

    yield* section(
      "Billing · Meter",
      Billing.Meters.create({
        display_name: "API Calls",
        event_name: "api_call",
        default_aggregation: { formula: "sum" },
        customer_mapping: { event_payload_key: "stripe_customer_id", type: "by_id" },
        value_settings: { event_payload_key: "value" }
      }),
      (m) => `Meter: ${m.id} — event_name: ${m.event_name}`
    )

    yield* section(
      "Billing · MeterEvent",
      Billing.MeterEvents.create({
        event_name: "api_call",
        payload: { stripe_customer_id: customer.id, value: "1" },
        identifier: `notebook_${Date.now()}_${Math.floor(Math.random() * 1e9)}`
      }).pipe(Effect.tap((e) => Console.log(`Accepted${fixture}:\n${tree(e)}`))),
      (e) => `MeterEvent accepted for ${e.event_name} (identifier ${e.identifier})`
    )

    yield* section(
      "Billing · MeterEventStream (v2)",
      Effect.gen(function*() {
        const session = yield* Billing.MeterEventStream.createSession()
        yield* Console.log(`Session ${session.id} expires at: ${DateTime.formatIso(session.expires_at)}`)
        yield* Console.log(tree(session))
        const events = [{ event_name: "api_call", payload: { stripe_customer_id: customer.id, value: "1" } }]
        return yield* Billing.MeterEventStream.sendEvents(session, events).pipe(
          Effect.as("Events sent successfully"),
          Effect.catchTag("MeterEventSessionExpired", () => Effect.succeed("Session expired — create a new one"))
        )
      }).pipe(
        // stripe-mock has no /v2 endpoints (the notebook expects an error there): it answers 404.
        Effect.catchIf(
          (e) => kind === "stripe-mock" && StripeError.isStripeError(e),
          (e) => Effect.succeed(`stripe-mock has no /v2 endpoints, as the notebook warns: ${e.message}`)
        )
      ),
      (line) => line
    )

    yield* section(
      "Billing · Portal Session",
      BillingPortal.Sessions.create({ customer: customer.id, return_url: "https://example.com/account" }).pipe(
        Effect.tap((s) => Console.log(tree(s)))
      ),
      (s) => `Portal session ${s.id} (url masked)`
    )

    // ── Connect ─────────────────────────────────────────────────────────────
    const account = yield* section(
      "Connect · Account",
      Effect.gen(function*() {
        const account = yield* Accounts.create({ type: "express", email: "merchant@example.com" })
        yield* Console.log(`Account: ${account.id} — type: ${account.type}`)
        const retrieved = yield* Accounts.retrieve(account.id)
        yield* Console.log(`Retrieved ${retrieved.id}${fixture}:`)
        yield* Console.log(tree(retrieved, { depth: 1 }))
        return account
      }),
      (a) => `Account ${a.id} created and retrieved`
    )

    yield* section(
      "Connect · AccountLink",
      AccountLinks.create({
        account: account.id,
        type: "account_onboarding",
        refresh_url: "https://example.com/reauth",
        return_url: "https://example.com/return"
      }).pipe(Effect.tap((l) => Console.log(tree(l)))),
      (l) => `AccountLink expires at ${l.expires_at}${fixture} (url masked)`
    )

    yield* section(
      "Connect · Transfer",
      Transfers.create({ amount: 1000, currency: "usd", destination: account.id }),
      (t) => `Transfer: ${t.id} — amount: ${t.amount}`
    )

    // ── Webhooks ────────────────────────────────────────────────────────────
    yield* section(
      "Webhooks · signature, verification, dispatch",
      Effect.gen(function*() {
        // The raw JSON of the confirmed intent, through the pipeline's escape
        // hatch (no decoding), stands in for what Stripe would put in data.object.
        const rawIntent = yield* StripeClient.request({
          method: "GET",
          path: `/v1/payment_intents/${confirmed.id}`,
          schema: Schema.Unknown
        })
        const rawBody = JSON.stringify({
          id: "evt_test_001",
          object: "event",
          type: "payment_intent.succeeded",
          created: 1_700_000_000,
          livemode: false,
          pending_webhooks: 1,
          // The version the object was rendered with: the one the SDK sent.
          api_version: ApiVersion.API_VERSION,
          request: { id: null, idempotency_key: null },
          data: { object: rawIntent }
        })
        const secret = Redacted.make("whsec_test_secret_for_notebook")
        const sigHeader = Webhook.generateTestSignature(rawBody, secret)
        const event = yield* Webhook.constructEvent(rawBody, sigHeader, secret)
        yield* Console.log(`Valid event: ${event.id} — type: ${event.type}`)
        const tampered = yield* Webhook.constructEvent(rawBody.replace("001", "002"), sigHeader, secret).pipe(
          Effect.as("accepted"),
          Effect.catchTag("WebhookSignatureError", (e) => Effect.succeed(e.reason))
        )
        yield* Console.log(`Tampered payload rejected: ${tampered}`)
        // An endpoint's verifier, built once: the secret checked and the HMAC key prepared up front.
        const verifier = yield* WebhookVerifier.make({ secret })
        const again = yield* verifier.constructEvent(rawBody, sigHeader, { decodeObject: false })
        yield* Console.log(`WebhookVerifier (one per endpoint) verified ${again.id} too`)
        const handled = yield* Webhook.dispatch(event, {
          "payment_intent.succeeded": (pi) => Effect.succeed(`Payment ${pi.id} succeeded — fulfill the order`),
          "customer.subscription.deleted": (s) => Effect.succeed(`Subscription ${s.id} cancelled — revoke access`),
          "invoice.payment_failed": (inv) => Effect.succeed(`Invoice ${inv.id} payment failed — trigger dunning`)
        }, (other) => Effect.succeed(`Unhandled event type: ${other.type}`))
        yield* Console.log(handled)
        return { event, tampered }
      }),
      ({ event, tampered }) => `verified ${event.type}; tampered → ${tampered}`
    )

    // ── v1.2 highlights ─────────────────────────────────────────────────────
    yield* section(
      "Batch.run — concurrent fan-out",
      Effect.gen(function*() {
        const results = yield* Batch.run([
          Customers.retrieve(customer.id),
          Subscriptions.list({ customer: customer.id }),
          Invoices.list({ customer: customer.id }),
          Customers.retrieve("cus_does_not_exist")
        ])
        const labels = [
          "Customer",
          "Subscriptions",
          "Invoices",
          `Missing customer${kind === "stripe-mock" ? " (stripe-mock answers any id)" : ""}`
        ]
        const lines = results.map((r, i) =>
          `${labels[i]}: ${Batch.isSuccess(r) ? "ok" : `error — ${Batch.describe(r)}`}`
        )
        for (const line of lines) yield* Console.log(line)
        return results
      }),
      (results) => {
        const ok = results.filter(Batch.isSuccess).length
        return `${ok}/${results.length} ok${
          ok < results.length ? `, ${results.length - ok} failed without stopping the others` : ""
        }`
      }
    )

    yield* section(
      "Expand deserialization",
      Effect.gen(function*() {
        const plain = yield* Subscriptions.retrieve(sub.id)
        yield* Console.log(`customer (no expand): ${JSON.stringify(plain.customer)} — a ${typeof plain.customer} id`)
        const expanded = yield* Subscriptions.retrieve(sub.id, { expand: ["customer"] })
        // Typed `Customer | DeletedCustomer` by the expand, without narrowing: the notebook prints the struct name.
        const expandedCustomer = expanded.customer
        const what = "deleted" in expandedCustomer ? "a deleted Customer stub" : "a Customer object"
        yield* Console.log(
          `customer (expanded): ${what} (object: "${expandedCustomer.object}", id ${expandedCustomer.id}), decoded ` +
            "with the SDK's Customer schema"
        )
        yield* Console.log(tree(expanded, { depth: 1 }))
        return what
      }),
      (what) => `expand: ["customer"] decoded ${what}`
    )
  })

const main = async () => {
  const target = await startTarget()
  // A local target (emulator, stripe-mock) serves the files and meter-events hosts on the same port.
  const local = !target.baseUrl.includes("api.stripe.com")
  const StripeLive = StripeClient.layer({
    apiKey: target.apiKey,
    baseUrl: target.baseUrl,
    ...(local ? { filesBaseUrl: target.baseUrl, meterEventsBaseUrl: target.baseUrl } : {})
  }).pipe(
    // The SDK's lean transport over undici's keep-alive pool (any HttpClient layer works).
    Layer.provide(StripeHttpClient.layer)
  )
  const results: Array<SectionResult> = []
  const exit = await Effect.runPromiseExit(program(target, results).pipe(Effect.provide(StripeLive)))
  await target.close()
  console.log(`\n━━ Summary ${"━".repeat(62)}`)
  for (const r of results) console.log(`${r.ok ? "✔" : "✘"} ${r.section}`)
  const failed = results.filter((r) => !r.ok).length
  if (Exit.isFailure(exit) && failed === 0) console.log(`Explorer stopped: ${Cause.pretty(exit.cause)}`)
  // A failed section stops the walkthrough: later cells need its values.
  console.log(
    `\n${results.length - failed}/${results.length} sections ok${Exit.isFailure(exit) ? " (stopped early)" : ""}`
  )
  process.exitCode = Exit.isSuccess(exit) && failed === 0 ? 0 : 1
}

void main()
