// The test command's test lanes, in one run, closing with a plain
// "Tests: N passed, N failed" line (covering every lane) that CI reads.
//
// - main lane: vitest projects `unit` and `integration` (the suite in test/
//   against the embedded emulator);
// - reference lane: Stripe's stripe-mock on a free loopback port, then vitest
//   projects `integration` (the same suite, STRIPE_BASE_URL=stripe-mock) and
//   `reference` (the per-operation sweep and the differential test). It runs
//   when STRIPE_MOCK_URL is set (that server is used, and left running) or when
//   `../shared/stripe-mock/start` exists beside the repository (or beside the
//   main worktree of this git checkout); otherwise it prints why it was skipped.
//   The stripe-mock it starts is stopped at the end, whatever happens. The lane
//   runs the SDK generated for stripe-mock's API version (2024-04-10), written
//   by the codegen (`--source reference --out <dir>`) and aliased as
//   `@lattice-stripe/resources` (LATTICE_RESOURCES_DIR, see vitest.config.ts).
//
// Extra arguments are passed to vitest in every lane.
import { execFileSync, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { generateReferenceSdk, referenceSdk } from "./reference-sdk.mjs"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const work = mkdtempSync(join(tmpdir(), "lattice-stripe-tests-"))
const extra = process.argv.slice(2)
const started = [] // { pid, port } of the stripe-mock this run started
let running // the vitest child of the current lane

const stopStripeMock = () => {
  for (const server of started.splice(0)) {
    try {
      process.kill(server.pid, "SIGTERM")
      console.log(`[reference lane] stopped stripe-mock (pid ${server.pid}, port ${server.port})`)
    } catch {
      // already gone
    }
  }
}
process.on("exit", stopStripeMock)
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    running?.kill("SIGTERM")
    stopStripeMock()
    rmSync(work, { recursive: true, force: true })
    process.exit(130)
  })
}

/** Runs vitest once; returns its counts (a crash before reporting counts as one failure). */
const vitest = async (lane, projects, env) => {
  const out = join(work, `${lane}.json`)
  const status = await new Promise((resolveStatus) => {
    running = spawn(
      process.execPath,
      [
        join(root, "node_modules/vitest/vitest.mjs"),
        "run",
        ...projects.flatMap((p) => ["--project", p]),
        "--passWithNoTests",
        "--reporter=default",
        "--reporter=json",
        `--outputFile.json=${out}`,
        ...extra
      ],
      { cwd: root, stdio: "inherit", env: { ...process.env, ...env } }
    )
    running.once("error", () => resolveStatus(1))
    running.once("exit", (code) => resolveStatus(code ?? 1))
  })
  running = undefined
  try {
    const r = JSON.parse(readFileSync(out, "utf8"))
    const failed = r.numFailedTests + (status !== 0 && r.numFailedTests === 0 ? 1 : 0)
    return { passed: r.numPassedTests, failed, skipped: r.numPendingTests + r.numTodoTests, status }
  } catch {
    return { passed: 0, failed: 1, skipped: 0, status }
  }
}

const freePort = () =>
  new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })

/** Where `../shared/stripe-mock/start` is: beside this checkout, or beside its main worktree. */
const findStartScript = () => {
  const candidates = [resolve(root, "../shared/stripe-mock/start")]
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"]
    }).trim()
    candidates.push(resolve(dirname(common), "../shared/stripe-mock/start"))
  } catch {
    // not a git checkout: only the first place counts
  }
  return { found: candidates.find((c) => existsSync(c)), looked: [...new Set(candidates)] }
}

const startStripeMock = async (script) => {
  let lastError = ""
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const run = spawnSync(script, [String(port)], { encoding: "utf8", env: { ...process.env, TMPDIR: work } })
    const pidFile = join(work, `stripe-mock.${port}.pid`)
    if (existsSync(pidFile)) started.push({ pid: Number(readFileSync(pidFile, "utf8").trim()), port })
    const url = run.stdout.trim().split("\n").pop() ?? ""
    if (run.status === 0 && url.startsWith("http://")) return url
    const log = join(work, `stripe-mock.${port}.log`)
    lastError = `${run.stderr.trim()} (exit ${run.status})${existsSync(log) ? `\n${readFileSync(log, "utf8").slice(-2000)}` : ""}`
    stopStripeMock()
  }
  throw new Error(`could not start stripe-mock with ${script}: ${lastError}`)
}

const readLines = (file) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => l !== "") : [])

const summaries = []
const lane = (name, counts) => {
  summaries.push({ name, ...counts })
  return counts
}

// ------------------------------------------------------------------ main lane
const mainGuards = join(work, "guards-main.jsonl")
writeFileSync(mainGuards, "")
lane("main (unit + integration against the emulator)", await vitest("main", ["unit", "integration"], {
  LATTICE_GUARD_LOG: mainGuards,
  STRIPE_BASE_URL: ""
}))

// ------------------------------------------------------------------ reference lane
const refGuards = join(work, "guards-reference.jsonl")
const refReport = join(work, "report-reference.txt")
writeFileSync(refGuards, "")
writeFileSync(refReport, "")
let referenceNote = ""
const given = process.env.STRIPE_MOCK_URL ?? ""
const start = findStartScript()
let url = ""
if (given !== "") {
  url = given
  referenceNote = `against STRIPE_MOCK_URL=${given}`
} else if (start.found !== undefined) {
  try {
    url = await startStripeMock(start.found)
    referenceNote = `against stripe-mock started at ${url} (${start.found})`
  } catch (e) {
    referenceNote = `failed: ${e instanceof Error ? e.message : String(e)}`
    lane("reference (stripe-mock)", { passed: 0, failed: 1, skipped: 0 })
  }
} else {
  referenceNote = `skipped: no STRIPE_MOCK_URL, and no stripe-mock start script at ${start.looked.join(" or ")}`
}
// The SDK for stripe-mock's API version (see scripts/reference-sdk.mjs).
if (url !== "") {
  console.log(`\n[reference lane] the integration suite, the sweep and the differential test ${referenceNote}\n`)
  try {
    generateReferenceSdk()
    lane("reference (integration + sweep + differential against stripe-mock)", await vitest("reference", ["integration", "reference"], {
      STRIPE_BASE_URL: url,
      STRIPE_MOCK_URL: url,
      LATTICE_GUARD_LOG: refGuards,
      LATTICE_REPORT: refReport,
      LATTICE_RESOURCES_DIR: referenceSdk
    }))
  } finally {
    stopStripeMock()
  }
}

// ------------------------------------------------------------------ summary
const guardSummary = (file) => {
  const entries = readLines(file).map((l) => JSON.parse(l))
  const skipped = entries.filter((e) => !e.ran)
  return { ran: entries.length - skipped.length, skipped }
}

console.log(`\n━━ Test lanes ${"━".repeat(60)}`)
for (const s of summaries) {
  console.log(`${s.failed === 0 ? "✔" : "✘"} ${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped > 0 ? `, ${s.skipped} skipped` : ""}`)
}
console.log(`${url === "" ? "-" : "✔"} reference lane ${referenceNote}`)
const main = guardSummary(mainGuards)
console.log(`Stateful guards on the emulator: ${main.ran} ran, ${main.skipped.length} skipped`)
if (url !== "") {
  const ref = guardSummary(refGuards)
  console.log(`Stateful guards on stripe-mock: ${ref.ran} ran, ${ref.skipped.length} skipped, by reason:`)
  const byReason = new Map()
  for (const g of ref.skipped) byReason.set(g.reason, [...(byReason.get(g.reason) ?? []), g])
  for (const [reason, guards] of byReason) {
    console.log(`  ${guards.length} skipped because ${reason}:`)
    for (const g of guards) console.log(`    - ${g.test.replace(/^.* against [^ >]+ > /, "")} > ${g.what}`)
  }
  for (const line of readLines(refReport)) console.log(line)
}
const passed = summaries.reduce((n, s) => n + s.passed, 0)
const failed = summaries.reduce((n, s) => n + s.failed, 0)
const skipped = summaries.reduce((n, s) => n + s.skipped, 0)
stopStripeMock()
rmSync(work, { recursive: true, force: true })
console.log(`\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(failed === 0 && summaries.every((s) => s.status === undefined || s.status === 0) ? 0 : 1)
