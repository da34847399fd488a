/**
 * The explorer (`examples/explorer.ts`, the runnable walkthrough of the seed
 * notebook) against the configured target: every section, one per cell of
 * the notebook, runs and succeeds, and the labels say what the target is.
 * Against stripe-mock that includes the cells whose values are fixtures.
 */
import { describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { isEmulator, targetName } from "./src/target.js"

const require = createRequire(import.meta.url)
const root = fileURLToPath(new URL("..", import.meta.url))
const resourcesDir = process.env.LATTICE_RESOURCES_DIR ?? ""

const run = () =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [
        require.resolve("tsx/cli"),
        // The reference lane's SDK (LATTICE_RESOURCES_DIR), through tsconfig paths (scripts/run-tests.mjs).
        ...(resourcesDir === "" ? [] : ["--tsconfig", `${resourcesDir}/tsconfig.paths.json`]),
        "examples/explorer.ts"
      ],
      { cwd: root, env: { ...process.env, STRIPE_BASE_URL: process.env.STRIPE_BASE_URL ?? "" }, maxBuffer: 8 << 20 },
      (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), out: stdout + stderr })
    )
  })

// The seed notebook's cells, as the explorer names its sections.
const sections = [
  "Setup",
  "Payments · Customer",
  "Payments · PaymentIntent create, retrieve, list",
  "Payments · PaymentIntent confirm",
  "Payments · Error handling",
  "Payments · SetupIntent",
  "Payments · Refund",
  "Billing · Product & Price",
  "Billing · Subscription create, list, cancel",
  "Billing · Subscription Schedule (builder)",
  "Billing · Meter",
  "Billing · MeterEvent",
  "Billing · MeterEventStream (v2)",
  "Billing · Portal Session",
  "Connect · Account",
  "Connect · AccountLink",
  "Connect · Transfer",
  "Webhooks · signature, verification, dispatch",
  "Batch.run — concurrent fan-out",
  "Expand deserialization"
]

describe(`the explorer against ${targetName}`, () => {
  it("runs every cell of the notebook and labels what it shows", async () => {
    const { code, out } = await run()
    expect(out).toContain(`${sections.length}/${sections.length} sections ok`)
    expect(code).toBe(0)
    for (const name of sections) expect(out).toContain(`✔ ${name}:`)
    expect(out).toMatch(/customer \(expanded\): a Customer object \(object: "customer", id cus_/)
    expect(out).toContain(
      "The notebook's cell, a PaymentIntent without a customer (optional, so accepted): Created: pi_"
    )
    expect(out).not.toMatch(/client_secret: "|authentication_token: "|url: "https:\/\/billing/)
    // What the target is decides the labels: stripe-mock's values after a call are fixtures, and say so.
    const stripeMock = !isEmulator && !targetName.includes("api.stripe.com")
    expect(out).toContain(
      isEmulator ? "Target: the embedded emulator" : stripeMock ? "Target: stripe-mock" : "Target: Stripe"
    )
    expect(out.includes("(stripe-mock fixture, not the result of this call)")).toBe(stripeMock)
    expect(/Confirmed: pi_\S+ — status: succeeded\n/.test(out)).toBe(!stripeMock)
  }, 120_000)
})
