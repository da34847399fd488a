/**
 * `pnpm codegen` writes `packages/resources/src/generated/`;
 * `pnpm codegen:check` regenerates in memory and fails listing stale files.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import { generate } from "./generate.js"
import { loadSpec } from "./spec.js"

const outDir = Path.resolve(
  Path.dirname(Url.fileURLToPath(import.meta.url)),
  "../../../packages/resources/src/generated"
)

const listFiles = (dir: string, base = ""): Array<string> =>
  Fs.existsSync(dir)
    ? Fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? listFiles(Path.join(dir, e.name), base + e.name + "/") : [base + e.name]
    )
    : []

const files = generate(loadSpec())
const check = process.argv.includes("--check")
const existing = new Set(listFiles(outDir))

if (check) {
  const stale: Array<string> = []
  for (const [file, content] of files) {
    const target = Path.join(outDir, file)
    if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== content) stale.push(file)
    existing.delete(file)
  }
  stale.push(...[...existing].map((f) => `${f} (not generated)`))
  if (stale.length > 0) {
    console.error(`Generated code is stale; run \`pnpm codegen\`:\n${stale.map((f) => `  ${f}`).join("\n")}`)
    process.exit(1)
  }
  console.log(`codegen: ${files.size} files up to date`)
} else {
  for (const [file, content] of files) {
    const target = Path.join(outDir, file)
    Fs.mkdirSync(Path.dirname(target), { recursive: true })
    if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== content) Fs.writeFileSync(target, content)
    existing.delete(file)
  }
  for (const file of existing) Fs.rmSync(Path.join(outDir, file))
  console.log(`codegen: wrote ${files.size} files to ${Path.relative(process.cwd(), outDir)}`)
}
