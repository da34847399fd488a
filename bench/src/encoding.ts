/**
 * What `Accept-Encoding` costs the generic path: this SDK on
 * `FetchHttpClient.layer` (which asks for gzip unless told otherwise) and on
 * `NodeHttpClient.layerUndici`, against a loopback server in a child process
 * that compresses when the client accepts it, as a gzip-capable server does.
 *
 * The SDK sends `accept-encoding: identity`; the `gzip, deflate` rows set
 * that header per call, which is what fetch sent before. A compressed body
 * has no trustworthy length, so the SDK reads it chunk by chunk through the
 * platform's `Stream` to enforce `maxResponseBytes`.
 *
 * Run standalone, compiled: `node node_modules/.cache/lattice-stripe-bench/bench/encoding.js`
 * (after `pnpm bench` or its build step). Prints client CPU per call.
 */
import { NodeHttpClient } from "@effect/platform-node"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { StripeClient } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { fork } from "node:child_process"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"
import { gzipSync } from "node:zlib"
import * as Sdk from "./sdk.js"

const SERVER_FLAG = "--encoding-server"

const customer = JSON.stringify({
  id: "cus_bench",
  object: "customer",
  address: null,
  balance: 0,
  created: 1_700_000_000,
  currency: null,
  default_source: null,
  delinquent: false,
  description: "created by pnpm bench",
  discount: null,
  email: "bench@example.com",
  invoice_prefix: "BENCH",
  invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
  livemode: false,
  metadata: {},
  name: "Bench Customer",
  next_invoice_sequence: 1,
  phone: null,
  preferred_locales: [],
  shipping: null,
  tax_exempt: "none",
  test_clock: null
})

const serve = () => {
  const zipped = gzipSync(customer)
  const server = Http.createServer((req, res) => {
    req.resume()
    req.on("end", () => {
      const gzip = /gzip/.test(req.headers["accept-encoding"] ?? "")
      res.writeHead(200, {
        "content-type": "application/json",
        "request-id": "req_bench",
        "content-length": String(gzip ? zipped.length : Buffer.byteLength(customer)),
        ...(gzip ? { "content-encoding": "gzip" } : {})
      })
      res.end(gzip ? zipped : customer)
    })
  })
  server.listen(0, "127.0.0.1", () => {
    // node:net boundary: a TCP listen always yields AddressInfo.
    process.send?.((server.address() as AddressInfo).port)
  })
  process.once("disconnect", () => process.exit(0))
}

/** One row: a transport and the encoding the SDK asks for. */
export interface Row {
  readonly name: string
  readonly cpuMicrosPerCall: number
}

export const run = async (calls = 4_000): Promise<ReadonlyArray<Row>> => {
  const file = fileURLToPath(import.meta.url)
  const child = fork(file, [SERVER_FLAG], { execArgv: file.endsWith(".ts") ? ["--import", "tsx"] : [] })
  try {
    const port = await new Promise<unknown>((resolve) => child.once("message", resolve))
    const resources = await Sdk.reference()
    const cases = [
      ["FetchHttpClient.layer, accept-encoding: identity (the SDK's)", FetchHttpClient.layer, false],
      ["FetchHttpClient.layer, accept-encoding: gzip, deflate (fetch's own)", FetchHttpClient.layer, true],
      ["NodeHttpClient.layerUndici, accept-encoding: identity (the SDK's)", NodeHttpClient.layerUndici, false]
    ] as const
    const rows: Array<Row> = []
    for (const [name, transport, gzip] of cases) {
      const runtime = ManagedRuntime.make(
        StripeClient.layer({
          apiKey: Redacted.make("sk_test_bench"),
          baseUrl: `http://127.0.0.1:${String(port)}`,
          apiVersion: resources.apiVersion,
          maxRetries: 0
        }).pipe(Layer.provide(transport), Layer.orDie)
      )
      const call = resources.retrieveCustomer("cus_bench")
      const effect = gzip
        ? StripeClient.withRequestOptions(call, { headers: { "accept-encoding": "gzip, deflate" } })
        : call
      const loop = (n: number) => runtime.runPromise(Effect.repeatN(effect, n - 1))
      await loop(500)
      const cpu = process.cpuUsage()
      await loop(calls)
      const used = process.cpuUsage(cpu)
      rows.push({ name, cpuMicrosPerCall: (used.user + used.system) / calls })
      await runtime.dispose()
    }
    return rows
  } finally {
    child.disconnect()
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href

if (isMain && process.argv.includes(SERVER_FLAG)) {
  serve()
} else if (isMain) {
  run().then(
    (rows) => {
      for (const row of rows) {
        console.log(`${row.name.padEnd(70)} ${row.cpuMicrosPerCall.toFixed(0)} µs client CPU/call`)
      }
    },
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
