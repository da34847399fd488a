/**
 * Runs where only `fetch` and Web Crypto exist (Cloudflare Workers, Deno,
 * Bun, browsers): core, resources and webhook verification on
 * `FetchHttpClient.layer`, bundled by esbuild for `--platform=neutral`, with
 * no `node:` import left, then run in a `node:vm` context that exposes only
 * `fetch`, `crypto` (`subtle`, `getRandomValues`, `randomUUID`) and the Web
 * globals: it creates a customer against the emulator (started outside the
 * vm, on a loopback port) and verifies a webhook signed by the official
 * `stripe` package.
 */
import { describe, expect, it } from "@effect/vitest"
import { EmulatorServer } from "@lattice-stripe/testing"
import * as esbuild from "esbuild"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Vm from "node:vm"
import Stripe from "stripe"

const here = Path.dirname(fileURLToPath(import.meta.url))
const packages = Path.join(here, "../..")

// The program, as a Worker would hold it: public entry points only.
const entry = `
import { FetchHttpClient } from "@effect/platform"
import { StripeClient } from "@lattice-stripe/core"
import { Customers } from "@lattice-stripe/resources"
import { Webhook, WebhookVerifier } from "@lattice-stripe/webhook"
import { Effect, Layer, Redacted } from "effect"

export const run = (baseUrl, payload, header, secret) =>
  Effect.runPromise(Effect.gen(function* () {
    const customer = yield* Customers.create({ email: "worker@example.com", name: "Worker" })
    const event = yield* Webhook.constructEvent(payload, header, Redacted.make(secret))
    const rejected = yield* Effect.flip(Webhook.constructEvent(payload + " ", header, Redacted.make(secret)))
    const objectEmail = event.type === "customer.created" ? event.data.object.email : undefined
    // The verifier service takes the Web Crypto path here (no node:crypto): asynchronous, same verdicts.
    const verifier = yield* WebhookVerifier.make({ secret: Redacted.make(secret) })
    const verified = yield* verifier.constructEvent(payload, header, { decodeObject: false })
    const verifierRejected = yield* Effect.flip(verifier.verifyHeader(payload + " ", header))
    return {
      id: customer.id, email: customer.email, eventId: event.id, type: event.type, objectEmail, rejected: rejected.reason,
      verifiedId: verified.id, verifierRejected: verifierRejected.reason
    }
  }).pipe(
    Effect.provide(
      StripeClient.layer({ apiKey: Redacted.make("sk_test_worker"), baseUrl }).pipe(Layer.provide(FetchHttpClient.layer))
    )
  ))
`

const bundle = async (): Promise<string> => {
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "lattice-neutral-"))
  const file = Path.join(dir, "entry.js")
  Fs.writeFileSync(file, entry)
  try {
    const result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: "neutral",
      format: "iife",
      globalName: "Program",
      target: "es2022",
      // The workspace packages from their sources (whatever their `exports` point at), the rest
      // (effect, @effect/platform) from node_modules as a bundler finds them.
      nodePaths: [Path.join(packages, "core/node_modules"), Path.join(packages, "../node_modules")],
      plugins: [{
        name: "workspace-sources",
        setup(build) {
          build.onResolve({ filter: /^@lattice-stripe\/(core|resources|webhook)(\/.*)?$/ }, (args) => {
            const [, name, sub] = /^@lattice-stripe\/([^/]+)(?:\/(.*))?$/.exec(args.path) ?? []
            return { path: Path.join(packages, name, "src", `${sub ?? "index"}.ts`) }
          })
        }
      }],
      logLevel: "error"
    })
    return result.outputFiles[0].text
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }
}

describe("a runtime with only fetch and Web Crypto", () => {
  it(
    "bundles for --platform=neutral with no node: import, and runs in a vm: a customer created, a webhook verified and its object decoded",
    async () => {
      const code = await bundle()
      expect(code).not.toMatch(/(?:from|import|require)\s*\(?\s*["']node:/)
      expect(code).not.toMatch(/require\(["'](?:fs|http|https|net|crypto|os|path|stream|zlib|buffer|util)["']\)/)

      const server = await EmulatorServer.start({ port: 0 })
      try {
        const secret = "whsec_worker_test"
        // A customer as the emulator sends it (the shipped API version), so the event's object decodes.
        const created = await fetch(`${server.url}/v1/customers`, {
          method: "POST",
          headers: { authorization: "Bearer sk_test_worker", "content-type": "application/x-www-form-urlencoded" },
          body: "email=event%40example.com"
        })
        const object: unknown = await created.json()
        const payload = JSON.stringify({
          id: "evt_worker",
          object: "event",
          type: "customer.created",
          created: Math.floor(Date.now() / 1000),
          livemode: false,
          pending_webhooks: 1,
          data: { object }
        })
        const header = new Stripe("sk_test_unused").webhooks.generateTestHeaderString({ payload, secret })

        // Only Web APIs: no process, Buffer, require, setImmediate or node: modules.
        const sandbox: Record<string, unknown> = {
          fetch,
          crypto: {
            subtle: crypto.subtle,
            getRandomValues: crypto.getRandomValues.bind(crypto),
            randomUUID: crypto.randomUUID.bind(crypto)
          },
          Request,
          Response,
          Headers,
          FormData,
          Blob,
          File,
          URL,
          URLSearchParams,
          TextEncoder,
          TextDecoder,
          AbortController,
          AbortSignal,
          ReadableStream,
          WritableStream,
          TransformStream,
          Event,
          EventTarget,
          DOMException,
          structuredClone,
          atob,
          btoa,
          queueMicrotask,
          setTimeout,
          clearTimeout,
          setInterval,
          clearInterval,
          performance,
          console
        }
        const context = Vm.createContext(sandbox)
        Vm.runInContext(code, context, { filename: "worker-bundle.js" })
        expect(Vm.runInContext("typeof process + typeof Buffer + typeof require", context)).toBe(
          "undefinedundefinedundefined"
        )
        const program: unknown = Vm.runInContext("Program", context)
        const run: unknown = typeof program === "object" && program !== null ? Reflect.get(program, "run") : undefined
        if (typeof run !== "function") throw new Error("the bundle has no run export")
        const result: unknown = await run(server.url, payload, header, secret)
        expect(result).toMatchObject({
          email: "worker@example.com",
          eventId: "evt_worker",
          type: "customer.created",
          objectEmail: "event@example.com",
          rejected: "NoMatchingSignature",
          verifiedId: "evt_worker",
          verifierRejected: "NoMatchingSignature"
        })
        expect(String(Reflect.get(Object(result), "id"))).toMatch(/^cus_/)
      } finally {
        await server.close()
      }
    },
    60_000
  )
})
