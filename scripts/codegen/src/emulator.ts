/**
 * Writes the embedded emulator's data tables from the codegen models:
 * `packages/testing/src/generated/spec.ts` for the shipped API version (what
 * the engine imports) and `spec-<reference version>.ts` for the reference
 * version (stripe-mock's), with identical exports. See `emit/emulator.ts` for
 * the format.
 *
 * Run: `tsx scripts/codegen/src/emulator.ts` (write) or `--check` (exit 1 when
 * the committed output is stale). Deterministic: nothing depends on time or
 * environment.
 *
 * @since 0.2.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import { emulatorFile, emulatorTables } from "./emit/emulator.js"
import { loadModel } from "./emit/sources.js"

const root = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "../../..")
const outDir = Path.join(root, "packages/testing/src/generated")

const main = (): void => {
  const check = process.argv.includes("--check")
  const spec = loadModel("openapi")
  const shipped = loadModel("shipped")
  const outputs: Array<readonly [string, string, string]> = []
  const shippedTables = emulatorTables(shipped, spec)
  outputs.push([
    "spec.ts",
    emulatorFile(shippedTables, shipped.source),
    `${shippedTables.operations.length} operations, ${Object.keys(shippedTables.schemas).length} types`
  ])
  const referenceTables = emulatorTables(spec)
  outputs.push([
    `spec-${spec.apiVersion}.ts`,
    emulatorFile(referenceTables, spec.source),
    `${referenceTables.operations.length} operations, ${Object.keys(referenceTables.schemas).length} types`
  ])
  const stale = outputs.filter(([file, text]) => {
    const target = Path.join(outDir, file)
    return !Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== text
  })
  if (check) {
    if (stale.length > 0) {
      console.error(
        `Emulator tables are stale; run \`pnpm codegen\`:\n${
          stale.map(([f]) => `  packages/testing/src/generated/${f}`).join("\n")
        }`
      )
      process.exit(1)
    }
    console.log(`emulator tables up to date: ${outputs.map(([f, , n]) => `${f} (${n})`).join(", ")}`)
    return
  }
  Fs.mkdirSync(outDir, { recursive: true })
  for (const [file, text] of stale) Fs.writeFileSync(Path.join(outDir, file), text)
  console.log(`emulator tables: ${outputs.map(([f, , n]) => `${f} (${n})`).join(", ")}`)
}

main()
