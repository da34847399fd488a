/**
 * `pnpm bench`: compiles the packages and the suite to JavaScript, then runs
 * the suite (`runner.ts`) on plain `node`, passing the flags through.
 */
import { spawn } from "node:child_process"
import * as Path from "node:path"
import { build } from "./build.js"

const started = performance.now()
const out = await build()
process.stderr.write(`[bench] compiled to ${out} in ${(performance.now() - started).toFixed(0)} ms\n`)
const child = spawn(process.execPath, [Path.join(out, "runner.js"), ...process.argv.slice(2)], { stdio: "inherit" })
child.on("exit", (code) => {
  process.exitCode = code ?? 1
})
