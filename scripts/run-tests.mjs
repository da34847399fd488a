// Runs vitest once and closes with a plain "N passed, N failed" line, which CI reads.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const dir = mkdtempSync(join(tmpdir(), "lattice-stripe-vitest-"))
const out = join(dir, "results.json")
const run = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...process.argv.slice(2)],
  { stdio: "inherit" }
)
let summary = "0 passed, 1 failed"
try {
  const r = JSON.parse(readFileSync(out, "utf8"))
  const skipped = r.numPendingTests + r.numTodoTests
  summary = `${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`
} catch {
  // no results file: vitest crashed before reporting; the failing summary stands
}
rmSync(dir, { recursive: true, force: true })
console.log(`\nTests: ${summary}`)
process.exit(run.status ?? 1)
