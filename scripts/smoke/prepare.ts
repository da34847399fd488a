/**
 * `tsx scripts/smoke/prepare.ts [--extra <npm spec>]...`: builds, packs and
 * installs the SDK in a fresh consumer project (see `project.ts`), leaves it
 * in place and prints `{"dir": ..., "remove": ..., "versions": ...}` as the
 * last line of stdout. Used by the consumer-tsc benchmark, which removes
 * `remove` when done.
 */
import * as Path from "node:path"
import { installedVersion, prepare } from "./project.js"

const extra: Array<string> = []
for (let i = 2; i < process.argv.length; i++) {
  const next = process.argv[i + 1]
  if (process.argv[i] === "--extra" && next !== undefined) extra.push(next)
}

/** `stripe@23.1.0` -> `stripe`, `@types/node@^20` -> `@types/node`. */
const nameOf = (spec: string): string => spec.replace(/(.)@.*$/, "$1")

const main = async () => {
  const project = await prepare({ extra })
  const names = ["effect", "@effect/platform", "@lattice-stripe/core", ...extra.map(nameOf)]
  const versions = Object.fromEntries(names.map((n) => [n, installedVersion(project, n)]))
  console.log(JSON.stringify({ dir: project.dir, remove: Path.dirname(project.dir), versions }))
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
