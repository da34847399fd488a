/**
 * The codegen entry point.
 *
 * - `pnpm codegen` (`tsx scripts/codegen/src/main.ts`): writes the shipped
 *   SDK (`packages/resources/src/generated/`), the API versions
 *   (`packages/core/src/generated/apiVersion.ts`), and prints the counts.
 * - `pnpm codegen:check` (`--check`): regenerates in memory and fails
 *   listing the stale files.
 * - `--source reference --out <dir>`: writes a complete copy of the resources
 *   package (its hand-written sources and `package.json`) into `<dir>`, with
 *   the SDK generated for the reference version (stripe-mock's, 2024-04-10)
 *   as its `src/generated/`. Put `<dir>` inside the repository so that it
 *   resolves `effect` and `@lattice-stripe/core` from the workspace, and alias
 *   `@lattice-stripe/resources` to `<dir>/src/index.ts`. Its response types
 *   are reconciled with the OpenAPI spec of the same version
 *   (`emit/reconcile.ts`): stripe-mock answers from the spec.
 * - `--source openapi`: the SDK generated from the OpenAPI spec (2024-04-10),
 *   to compare with the reference SDK.
 *
 * @since 0.2.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import { apiVersionFile } from "./emit/apiVersion.js"
import { coverage, describeCoverage } from "./emit/coverage.js"
import { emitSdk } from "./emit/index.js"
import { reconcileWithSpec } from "./emit/reconcile.js"
import { apiVersions, loadModel, type SourceName, sourceNames } from "./emit/sources.js"
import { HEADER } from "./emit/text.js"

const root = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "../../..")
const resourcesDir = Path.join(root, "packages/resources")
const generatedDir = Path.join(resourcesDir, "src/generated")
const apiVersionPath = Path.join(root, "packages/core/src/generated/apiVersion.ts")

const listFiles = (dir: string, base = ""): Array<string> =>
  Fs.existsSync(dir)
    ? Fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? listFiles(Path.join(dir, e.name), base + e.name + "/") : [base + e.name]
    )
    : []

const argValue = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i === -1 ? undefined : process.argv[i + 1]
}

const isSource = (s: string): s is SourceName => (sourceNames as ReadonlyArray<string>).includes(s)

/** Files under `dir` that differ from `files` (or are missing, or are extra). */
const staleFiles = (dir: string, files: ReadonlyMap<string, string>): Array<string> => {
  const stale: Array<string> = []
  const existing = new Set(listFiles(dir))
  for (const [file, content] of files) {
    const target = Path.join(dir, file)
    if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== content) stale.push(file)
    existing.delete(file)
  }
  return [...stale, ...[...existing].map((f) => `${f} (not generated)`)]
}

/** Writes `files` under `dir` (only those that changed) and removes the others. */
const writeFiles = (dir: string, files: ReadonlyMap<string, string>): void => {
  const existing = new Set(listFiles(dir))
  for (const [file, content] of files) {
    const target = Path.join(dir, file)
    Fs.mkdirSync(Path.dirname(target), { recursive: true })
    if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== content) Fs.writeFileSync(target, content)
    existing.delete(file)
  }
  for (const file of existing) Fs.rmSync(Path.join(dir, file))
  // Drop directories left empty.
  const prune = (d: string): void => {
    for (const e of Fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) prune(Path.join(d, e.name))
    if (d !== dir && Fs.readdirSync(d).length === 0) Fs.rmdirSync(d)
  }
  prune(dir)
}

const isGenerated = (file: string): boolean => {
  if (!Fs.existsSync(file)) return false
  return Fs.readFileSync(file, "utf8").startsWith(HEADER)
}

/**
 * The top-level entries to write into `src/` (a hand-written module of the
 * same name wins) and the generated ones that are no longer emitted.
 */
const entryChanges = (src: string, entries: ReadonlyMap<string, string>) => {
  const write = new Map<string, string>()
  for (const [file, content] of entries) {
    const target = Path.join(src, file)
    if (!Fs.existsSync(target) || isGenerated(target)) write.set(file, content)
  }
  const remove = Fs.readdirSync(src).filter((f) =>
    f.endsWith(".ts") && !entries.has(f) && isGenerated(Path.join(src, f))
  )
  return { write, remove }
}

const staleEntries = (src: string, entries: ReadonlyMap<string, string>): Array<string> => {
  const { remove, write } = entryChanges(src, entries)
  return [
    ...[...write].filter(([f, c]) =>
      !Fs.existsSync(Path.join(src, f)) || Fs.readFileSync(Path.join(src, f), "utf8") !== c
    )
      .map(([f]) => f),
    ...remove.map((f) => `${f} (not generated)`)
  ]
}

const writeEntries = (src: string, entries: ReadonlyMap<string, string>): void => {
  const { remove, write } = entryChanges(src, entries)
  for (const [file, content] of write) {
    const target = Path.join(src, file)
    if (!Fs.existsSync(target) || Fs.readFileSync(target, "utf8") !== content) Fs.writeFileSync(target, content)
  }
  for (const file of remove) Fs.rmSync(Path.join(src, file))
}

/** Copies the resources package without its `generated/` tree and its tests. */
const copyPackage = (to: string): void => {
  Fs.rmSync(to, { recursive: true, force: true })
  Fs.mkdirSync(to, { recursive: true })
  Fs.copyFileSync(Path.join(resourcesDir, "package.json"), Path.join(to, "package.json"))
  Fs.cpSync(Path.join(resourcesDir, "src"), Path.join(to, "src"), {
    recursive: true,
    filter: (src) => !src.startsWith(generatedDir)
  })
}

const main = async (): Promise<void> => {
  const check = process.argv.includes("--check")
  const sourceArg = argValue("--source") ?? "shipped"
  if (!isSource(sourceArg)) throw new Error(`--source must be one of ${sourceNames.join(", ")}`)
  const out = argValue("--out")
  const started = Date.now()
  const loaded = loadModel(sourceArg)
  // The reference SDK decodes what stripe-mock sends: fields required only where the spec agrees.
  const reconciled = sourceArg === "reference" ? reconcileWithSpec(loaded, loadModel("openapi")) : undefined
  const model = reconciled?.model ?? loaded
  const emitted = emitSdk(model)
  const covered = coverage(model)
  if (covered !== undefined && covered.uncovered.length > 0 && sourceArg === "shipped") {
    throw new Error(`codegen: ${describeCoverage(model, emitted.operations)}`)
  }
  console.log(`codegen: ${describeCoverage(model, emitted.operations)}`)
  const summary =
    `${emitted.operations} operations, ${emitted.resources} resources, ${emitted.types} types, ${emitted.files.size} files (largest ${emitted.largest.file}: ${emitted.largest.lines} lines), ${emitted.events} event types`
  const files = new Map(emitted.files)

  if (out !== undefined) {
    const dir = Path.resolve(out)
    copyPackage(dir)
    writeFiles(Path.join(dir, "src/generated"), files)
    writeEntries(Path.join(dir, "src"), emitted.entries)
    const relaxed = reconciled === undefined
      ? ""
      : ` (reconciled with the OpenAPI spec: ${reconciled.optional} fields optional, ${reconciled.nullable} nullable)`
    console.log(`codegen (${model.source}, API ${model.apiVersion}): wrote ${dir}: ${summary}${relaxed}`)
    return
  }
  if (sourceArg !== "shipped") throw new Error("--source other than shipped needs --out <dir>")

  const versions = await apiVersions()
  const versionText = apiVersionFile(versions.shipped, versions.reference)
  if (check) {
    const stale = [
      ...staleFiles(generatedDir, files).map((f) => `packages/resources/src/generated/${f}`),
      ...staleEntries(Path.join(resourcesDir, "src"), emitted.entries).map((f) => `packages/resources/src/${f}`)
    ]
    if (!Fs.existsSync(apiVersionPath) || Fs.readFileSync(apiVersionPath, "utf8") !== versionText) {
      stale.push("packages/core/src/generated/apiVersion.ts")
    }
    if (stale.length > 0) {
      console.error(`Generated code is stale; run \`pnpm codegen\`:\n${stale.map((f) => `  ${f}`).join("\n")}`)
      process.exit(1)
    }
    console.log(`codegen (${model.source}, API ${model.apiVersion}): up to date: ${summary}`)
    return
  }
  writeFiles(generatedDir, files)
  writeEntries(Path.join(resourcesDir, "src"), emitted.entries)
  Fs.mkdirSync(Path.dirname(apiVersionPath), { recursive: true })
  if (!Fs.existsSync(apiVersionPath) || Fs.readFileSync(apiVersionPath, "utf8") !== versionText) {
    Fs.writeFileSync(apiVersionPath, versionText)
  }
  console.log(
    `codegen (${model.source}, API ${model.apiVersion}): wrote packages/resources/src/generated: ${summary} in ${
      Date.now() - started
    } ms`
  )
}

await main()
