/**
 * The benchmark suite, run compiled by `main.ts`: HTTP workloads, listAll
 * memory, import cost, webhook verification and the meter event stream.
 * Prints the tables, writes `bench/results/latest.json` and `bench/RESULTS.md`.
 *
 * Flags: `--only=http,listall,imports,webhook,meter,encoding,consumer-tsc` (default all),
 * `--quick` (shorter slices, for a smoke run; writes no RESULTS.md),
 * `--clients=Effect,raw` `--workloads=customers.create` `--concurrency=16`
 * `--rounds=6` (narrow the HTTP section, e.g. to A/B two clients within one
 * run, or to profile one client with `node --cpu-prof`),
 * `--render` (rewrite RESULTS.md from the last JSON).
 */
import { fork } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Clients from "./clients.js"
import type { CellResult } from "./http.js"
import { measureCell } from "./http.js"
import type { ImportSample, LazyCheck, Scenario } from "./imports.js"
import { runChild, scenarios } from "./imports.js"
import * as Isolated from "./isolated.js"
import type { ListAllResult } from "./listall.js"
import * as Report from "./report.js"
import * as Sdk from "./sdk.js"
import { startServer } from "./server.js"
import { resolveTarget } from "./target.js"

const here = Path.dirname(fileURLToPath(import.meta.url))
/** The repository root: the compiled runner lives in `node_modules/.cache/lattice-stripe-bench/bench`. */
const root = Path.resolve(here, "../../../..")

const flag = (name: string): string | undefined => {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (arg === undefined) return undefined
  return arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : ""
}

const allSections = ["http", "listall", "imports", "webhook", "meter", "encoding", "consumer-tsc"]
const sections = new Set((flag("only") ?? allSections.join(",")).split(","))
const quick = flag("quick") !== undefined
const apiKey = process.env.STRIPE_API_KEY ?? "sk_test_bench"

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`)

// What the HTTP section measured against (see target.ts).
let targetName = "not measured"
let sdkName = ""

const post = async (url: string, path: string, body: Record<string, string>): Promise<{ readonly id: string }> => {
  const response = await fetch(url + path, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(body)
  })
  const json: unknown = await response.json()
  if (!response.ok || typeof json !== "object" || json === null || !("id" in json) || typeof json.id !== "string") {
    throw new Error(`setup ${path} failed: HTTP ${response.status} ${JSON.stringify(json)}`)
  }
  return { id: json.id }
}

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const runHttp = async (): Promise<Array<CellResult>> => {
  const httpTarget = await resolveTarget(root)
  targetName = httpTarget.name
  const url = httpTarget.url
  log(`HTTP workloads against ${httpTarget.name} at ${url}`)
  try {
    const customer = await post(url, "/v1/customers", { email: "retrieve@example.com", name: "Retrieve Me" })
    for (let i = 0; i < 20; i++) await post(url, "/v1/payment_intents", { amount: "1000", currency: "usd" })
    // stripe-mock serves only 2024-04-10: there the reference SDK is measured (see sdk.ts).
    const resources = httpTarget.stripeMock ? await Sdk.reference() : Sdk.shipped
    sdkName = resources.name
    log(`this SDK as the ${resources.name}, every client sending Stripe-Version ${resources.apiVersion}`)
    // Each client in its own process (see isolated.ts), built there from this setup.
    const all: Array<Isolated.Isolated> = []
    for (const kind of Isolated.kinds) {
      all.push(
        await Isolated.start({ kind, url, apiKey, customerId: customer.id, reference: httpTarget.stripeMock })
      )
    }
    // `--clients=stripe,raw` (substrings of the names) narrows the contenders, e.g. to profile one.
    const only = flag("clients")?.split(",")
    const contenders = only === undefined ? all : all.filter((c) => only.some((o) => c.name.includes(o)))
    const workloads = Clients.workloads.filter((w) => flag("workloads")?.split(",").includes(w) ?? true)
    const concurrencies = (flag("concurrency") ?? "1,16").split(",").map(Number)
    const results: Array<CellResult> = []
    try {
      // Every path once before anything is measured: the optimizing compiler's threads count as this
      // process's CPU, and would otherwise land on the first cells.
      log("warming up every client on every workload")
      for (const workload of workloads) {
        await measureCell(contenders, workload, 16, { warmupMillis: quick ? 100 : 400, sliceMillis: 1, rounds: 0 })
      }
      for (const workload of workloads) {
        for (const concurrency of concurrencies) {
          log(`${workload} at concurrency ${concurrency}`)
          results.push(
            ...await measureCell(contenders, workload, concurrency, {
              warmupMillis: quick ? 150 : 500,
              sliceMillis: quick ? 200 : 300,
              rounds: quick ? 1 : Number(flag("rounds") ?? 6)
            })
          )
        }
      }
    } finally {
      // Every child, measured or not: one left running keeps the runner alive.
      for (const contender of all) await contender.close()
    }
    return results
  } finally {
    await httpTarget.close()
  }
}

const listAllChild = (url: string, expected: number): Promise<ListAllResult> =>
  new Promise((resolve, reject) => {
    const child = fork(Path.join(here, "listall.js"), [url, String(expected)], {
      execArgv: ["--expose-gc"],
      stdio: ["ignore", "pipe", "inherit", "ipc"]
    })
    let out = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
    })
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`listAll child exited with ${code}`))
      resolve(JSON.parse(out.trim().split("\n").pop() ?? ""))
    })
  })

const runListAll = async (): Promise<Report.ListAllReport> => {
  const server = await startServer()
  try {
    log("listAll over 1,000 customers")
    await server.seedCustomers(1_000)
    const small = await listAllChild(server.url, 1_000)
    log("listAll over 10,000 customers")
    await server.seedCustomers(9_000)
    const large = await listAllChild(server.url, 10_000)
    return { small, large }
  } finally {
    await server.close()
  }
}

const runImports = async (): Promise<Report.ImportReport> => {
  const runs = quick ? 3 : 7
  const samples: Partial<Record<Scenario, ImportSample>> = {}
  for (const scenario of Object.keys(scenarios)) {
    log(`import cost: ${scenario}`)
    const all: Array<ImportSample> = []
    for (let i = 0; i < runs; i++) {
      const sample = await runChild([scenario])
      if (!Report.isImportSample(sample)) throw new Error(`bad import sample ${JSON.stringify(sample)}`)
      all.push(sample)
    }
    const key = Object.keys(scenarios).find((k): k is Scenario => k === scenario)
    if (key !== undefined) {
      samples[key] = {
        millis: median(all.map((s) => s.millis)),
        rssMB: median(all.map((s) => s.rssMB)),
        heapMB: median(all.map((s) => s.heapMB)),
        stepMillis: all[0].stepMillis.map((_, i) => median(all.map((s) => s.stepMillis[i])))
      }
    }
  }
  const lazy = await runChild(["lazy-check"])
  if (!Report.isLazyCheck(lazy)) throw new Error(`bad lazy check ${JSON.stringify(lazy)}`)
  return Report.importReport(samples, lazy satisfies LazyCheck)
}

const readJson = (file: string): Report.BenchResult | undefined =>
  Fs.existsSync(file) ? JSON.parse(Fs.readFileSync(file, "utf8")) : undefined

/** `--render`: rewrites `bench/RESULTS.md` from `bench/results/latest.json` without measuring. */
const render = () => {
  const latest = readJson(Path.join(root, "bench", "results", "latest.json"))
  if (latest === undefined) throw new Error("no bench/results/latest.json: run pnpm bench first")
  const before = readJson(Path.join(root, "bench", "results", "before.json"))
  Fs.writeFileSync(Path.join(root, "bench", "RESULTS.md"), Report.markdown(latest, before))
  console.log(Report.render(latest))
}

const main = async () => {
  if (flag("render") !== undefined) return render()
  const started = Date.now()
  const load = Os.loadavg()
  const result: Report.BenchResult = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: Os.cpus().length,
    cpuModel: Os.cpus()[0]?.model ?? "unknown",
    loadAverageAtStart: load,
    loadAverageAtEnd: load,
    quick,
    target: "",
    http: sections.has("http") ? await runHttp() : undefined,
    listAll: sections.has("listall") ? await runListAll() : undefined,
    imports: sections.has("imports") ? await runImports() : undefined,
    webhook: undefined,
    meterStream: undefined,
    seconds: 0
  }
  let webhook: unknown = undefined
  if (sections.has("webhook")) {
    log("webhook verification")
    try {
      const module = await import("./webhook.js")
      webhook = await module.run(quick ? { rounds: 5 } : undefined)
    } catch (error) {
      webhook = { error: String(error) }
    }
  }
  let meterStream: unknown = undefined
  if (sections.has("meter")) {
    log("meter event stream")
    try {
      const module = await import("./meter-stream.js")
      meterStream = await module.run(quick ? { events: 5_000, rounds: 2, warmupRounds: 1 } : undefined)
    } catch (error) {
      meterStream = { error: String(error) }
    }
  }
  let encoding: unknown = undefined
  if (sections.has("encoding")) {
    log("response encoding on the generic path")
    try {
      const module = await import("./encoding.js")
      encoding = await module.run(quick ? 500 : undefined)
    } catch (error) {
      encoding = { error: String(error) }
    }
  }
  let consumerTsc: unknown = undefined
  if (sections.has("consumer-tsc")) {
    log("consumer-tsc")
    try {
      const module = await import("./consumer-tsc.js")
      consumerTsc = await module.run({ root, rounds: quick ? 2 : undefined, log })
    } catch (error) {
      consumerTsc = { error: String(error) }
    }
  }
  const final: Report.BenchResult = {
    ...result,
    target: sdkName === "" ? targetName : `${targetName}, ${sdkName}`,
    webhook,
    meterStream,
    encoding,
    consumerTsc,
    loadAverageAtEnd: Os.loadavg(),
    seconds: (Date.now() - started) / 1000
  }
  const text = Report.render(final)
  console.log(text)
  Fs.mkdirSync(Path.join(root, "bench", "results"), { recursive: true })
  Fs.writeFileSync(Path.join(root, "bench", "results", "latest.json"), JSON.stringify(final, null, 2) + "\n")
  if (allSections.every((s) => sections.has(s)) && !quick) {
    const before = readJson(Path.join(root, "bench", "results", "before.json"))
    Fs.writeFileSync(Path.join(root, "bench", "RESULTS.md"), Report.markdown(final, before))
  }
  log(`done in ${final.seconds.toFixed(0)} s`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
