/**
 * `pnpm build`: compiles every workspace package that has a
 * `tsconfig.build.json` into its `dist/` folder, the folder that `pnpm pack`
 * and `pnpm publish` pack (`publishConfig.directory`), laid out the way
 * Effect's own 3.x packages ship (its build-utils `pack-v2`): TypeScript for
 * ESM and declarations, a mechanical ESM to CommonJS conversion for
 * `require`, a generated `package.json` whose `exports` name every public
 * module.
 *
 * `packages/<name>/dist/` (the published root) holds:
 *
 * - `dist/esm/**`: `tsc -b` over every package's `tsconfig.build.json`
 *   (project references, incremental through `.tsbuildinfo`): ESM JavaScript
 *   with source maps, `.d.ts` with declaration maps. Comments are kept, so
 *   the `/*#__PURE__*\/` annotations of generated code reach the output
 *   verbatim. The build does not type-check (`noCheck`; the output is the
 *   same): `pnpm typecheck` checks the same sources under the same options,
 *   and the consumer smoke test checks the emitted declarations.
 * - `dist/cjs/**`: each ESM file converted to CommonJS by esbuild (no
 *   bundling; `import()` becomes `require`, so CommonJS code never loads the
 *   ESM copy of a package), its source map chained back to `src/`; the
 *   declarations copied beside it, so that `require` resolves to
 *   declarations in a CommonJS scope (no "masquerading" types).
 * - `dist/esm/package.json` (`"type": "module"`) and `dist/cjs/package.json`
 *   (`"type": "commonjs"`), both `"sideEffects": false`, since bundlers read
 *   the nearest `package.json`.
 * - `src/**`: a copy of the sources, which the maps point at.
 * - `package.json` (see `manifest.ts`), `README.md`, `CHANGELOG.md`, and the
 *   repository's `LICENSE` (the manifests say MIT; the text must ship with it).
 *
 * In the repository the emitted files therefore sit in
 * `packages/<name>/dist/dist/{esm,cjs}`; in the tarball they are
 * `dist/esm` and `dist/cjs`. The manifests' own `exports` name those
 * compiled files too, so no manifest points a consumer at TypeScript; the
 * workspace itself reads the sources through tsconfig `paths` (tsc, tsx) and
 * vitest aliases, never `dist/`, and `publishConfig.linkDirectory: false`
 * keeps pnpm from linking the publish folder into `node_modules`.
 *
 * Incremental: `tsc -b` skips packages whose inputs did not change, the
 * conversion and the copies skip files whose output is newer than their
 * input, and outputs whose source was deleted are removed. A `dist/` made by
 * another version of this script, of TypeScript, of esbuild or of
 * `tsconfig.base.json` (`dist/.build-stamp`) is rebuilt from scratch, and so
 * is everything with `--clean`.
 *
 * The build verifies what it promises and fails loudly otherwise: every
 * source has its eight outputs, every `/*#__PURE__*\/` annotation of a source
 * reaches both formats, and each package's project references match its
 * workspace dependencies.
 */
import * as Esbuild from "esbuild"
import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Manifest from "./manifest.js"

/** The repository root. */
export const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../..")
const require = createRequire(import.meta.url)

/** A workspace package that ships compiled code. */
export interface BuildPackage {
  readonly name: string
  /** `packages/<name>`. */
  readonly dir: string
  /** `packages/<name>/dist`: what `pnpm pack` packs. */
  readonly publishDir: string
  readonly manifest: Manifest.Json
  readonly dependencies: ReadonlyArray<string>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Reads a JSON object. */
export const readJson = (file: string): Manifest.Json => {
  const json: unknown = JSON.parse(Fs.readFileSync(file, "utf8"))
  if (!isRecord(json)) throw new Error(`${file}: not a JSON object`)
  return json
}

const keysOf = (u: unknown): Array<string> => (isRecord(u) ? Object.keys(u) : [])

/** Every `packages/*` folder with a `tsconfig.build.json`, in name order. */
export const packages = (): Array<BuildPackage> =>
  Fs.readdirSync(Path.join(root, "packages"))
    .map((name) => Path.join(root, "packages", name))
    .filter((dir) => Fs.existsSync(Path.join(dir, "tsconfig.build.json")))
    .map((dir) => {
      const manifest = readJson(Path.join(dir, "package.json"))
      if (typeof manifest.name !== "string") throw new Error(`${dir}/package.json has no name`)
      const publishConfig = isRecord(manifest.publishConfig) ? manifest.publishConfig : {}
      if (publishConfig.directory !== "dist" || publishConfig.linkDirectory !== false) {
        throw new Error(`${manifest.name}: publishConfig must have directory "dist" and linkDirectory false`)
      }
      return {
        name: manifest.name,
        dir,
        publishDir: Path.join(dir, "dist"),
        manifest,
        dependencies: keysOf(manifest.dependencies)
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name))

const log = (message: string) => process.stderr.write(`[build] ${message}\n`)

const walk = (dir: string): Array<string> =>
  Fs.existsSync(dir)
    ? Fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
      .map((f) => f.split(Path.sep).join("/"))
      .filter((f) => Fs.statSync(Path.join(dir, f)).isFile())
    : []

/** The package's modules: its sources relative to `src/`, without `.ts`. */
const modulesOf = (pkg: BuildPackage): Array<string> =>
  walk(Path.join(pkg.dir, "src"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.slice(0, -".ts".length))
    .sort()

/** A file of the compiled output: `format` is `esm` or `cjs`. */
const out = (pkg: BuildPackage, format: "esm" | "cjs", file: string): string =>
  Path.join(pkg.publishDir, "dist", format, file)

/** Longest first, so that `.d.ts.map` is not taken for `.map`. */
const outputSuffixes = [".d.ts.map", ".js.map", ".d.ts", ".js"] as const

/** The module an output belongs to, or `undefined` for a file that is not an output. */
const moduleOfOutput = (file: string): string | undefined => {
  const suffix = outputSuffixes.find((s) => file.endsWith(s))
  return suffix === undefined ? undefined : file.slice(0, -suffix.length)
}

/** Pure annotations, in either spelling (esbuild prints `/* @__PURE__ *\/`). */
export const countPure = (code: string): number => (code.match(/\/\*\s*[#@]__PURE__\s*\*\//g) ?? []).length

const checkReferences = (pkgs: ReadonlyArray<BuildPackage>) => {
  const byName = new Map(pkgs.map((p) => [p.name, p]))
  for (const pkg of pkgs) {
    const config = readJson(Path.join(pkg.dir, "tsconfig.build.json"))
    const refs = (Array.isArray(config.references) ? config.references : [])
      .map((r: unknown) => (isRecord(r) && typeof r.path === "string" ? Path.resolve(pkg.dir, r.path) : ""))
      .map((p) => (p.endsWith(".json") ? Path.dirname(p) : p))
      .sort()
    const expected = pkg.dependencies
      .map((d) => byName.get(d)?.dir)
      .filter((d): d is string => d !== undefined)
      .sort()
    if (JSON.stringify(refs) !== JSON.stringify(expected)) {
      throw new Error(
        `${pkg.name}: tsconfig.build.json references ${JSON.stringify(refs.map((r) => Path.relative(root, r)))} ` +
          `but its workspace dependencies are ${JSON.stringify(expected.map((r) => Path.relative(root, r)))}`
      )
    }
  }
}

const tsc = (pkgs: ReadonlyArray<BuildPackage>, force: boolean) => {
  const tscBin = require.resolve("typescript/bin/tsc")
  const args = ["-b", ...pkgs.map((p) => Path.join(p.dir, "tsconfig.build.json")), ...(force ? ["--force"] : [])]
  const run = spawnSync(process.execPath, [tscBin, ...args], { stdio: "inherit", cwd: root })
  if (run.status !== 0) throw new Error(`tsc -b failed (exit ${run.status ?? run.signal})`)
}

const mtime = (file: string): number => (Fs.existsSync(file) ? Fs.statSync(file).mtimeMs : -1)

/** The ESM file with its external source map inlined, so that esbuild chains it. */
const withInlineMap = (code: string, map: string): string =>
  code.replace(/\/\/# sourceMappingURL=\S+\s*$/, "") +
  `//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString("base64")}\n`

/**
 * Converts one ESM file to CommonJS. Exported for the build's own test.
 *
 * @internal
 */
export const convert = async (
  code: string,
  map: string,
  names: { readonly esm: string; readonly cjs: string; readonly source: string }
): Promise<{ readonly code: string; readonly map: string }> => {
  const result = await Esbuild.transform(withInlineMap(code, map), {
    format: "cjs",
    loader: "js",
    platform: "node",
    target: "es2022",
    sourcemap: "external",
    sourcefile: names.esm,
    supported: { "dynamic-import": false },
    logLevel: "silent"
  })
  for (const warning of result.warnings) log(`${names.esm}: ${warning.text}`)
  const chained: unknown = JSON.parse(result.map)
  if (!isRecord(chained) || typeof chained.mappings !== "string") throw new Error(`${names.esm}: no source map`)
  const shebang = code.startsWith("#!") && !result.code.startsWith("#!") ? code.slice(0, code.indexOf("\n") + 1) : ""
  return {
    code: `${shebang}${result.code}//# sourceMappingURL=${Path.basename(names.cjs)}.map\n`,
    map: JSON.stringify({
      version: 3,
      file: Path.basename(names.cjs),
      sources: [Path.relative(Path.dirname(names.cjs), names.source).split(Path.sep).join("/")],
      names: Array.isArray(chained.names) ? chained.names : [],
      mappings: chained.mappings
    })
  }
}

const toCjs = async (pkg: BuildPackage, module: string): Promise<void> => {
  const esm = out(pkg, "esm", `${module}.js`)
  const cjs = out(pkg, "cjs", `${module}.js`)
  const result = await convert(Fs.readFileSync(esm, "utf8"), Fs.readFileSync(`${esm}.map`, "utf8"), {
    esm,
    cjs,
    source: Path.join(pkg.publishDir, "src", `${module}.ts`)
  })
  Fs.mkdirSync(Path.dirname(cjs), { recursive: true })
  Fs.writeFileSync(`${cjs}.map`, result.map)
  Fs.writeFileSync(cjs, result.code)
}

/**
 * Points a map emitted by tsc at the copy of the source in the published
 * folder: tsc writes the path to `packages/<name>/src`, one level further
 * up than the copy, which is the only source a tarball has.
 */
const repointMap = (pkg: BuildPackage, module: string, map: string): boolean => {
  const json: unknown = JSON.parse(Fs.readFileSync(map, "utf8"))
  if (!isRecord(json)) throw new Error(`${map}: not a source map`)
  const expected = [
    Path.relative(Path.dirname(map), Path.join(pkg.publishDir, "src", `${module}.ts`)).split(Path.sep).join("/")
  ]
  if (JSON.stringify(json.sources) === JSON.stringify(expected)) return false
  Fs.writeFileSync(map, JSON.stringify({ ...json, sources: expected, sourceRoot: undefined }))
  return true
}

const copyIfNewer = (from: string, to: string): boolean => {
  if (mtime(to) >= mtime(from)) return false
  Fs.mkdirSync(Path.dirname(to), { recursive: true })
  Fs.copyFileSync(from, to)
  return true
}

const writeIfChanged = (file: string, text: string) => {
  if (Fs.existsSync(file) && Fs.readFileSync(file, "utf8") === text) return
  Fs.mkdirSync(Path.dirname(file), { recursive: true })
  Fs.writeFileSync(file, text)
}

const json = (value: unknown): string => JSON.stringify(value, null, 2) + "\n"

/** Removes outputs (and source copies) whose source no longer exists. */
const prune = (pkg: BuildPackage, modules: ReadonlySet<string>): number => {
  let removed = 0
  for (const format of ["esm", "cjs"] as const) {
    const dir = out(pkg, format, "")
    for (const file of walk(dir)) {
      const module = moduleOfOutput(file)
      if (module !== undefined && !modules.has(module)) {
        Fs.rmSync(Path.join(dir, file))
        removed++
      }
    }
  }
  const srcCopy = Path.join(pkg.publishDir, "src")
  for (const file of walk(srcCopy)) {
    if (!Fs.existsSync(Path.join(pkg.dir, "src", file))) {
      Fs.rmSync(Path.join(srcCopy, file))
      removed++
    }
  }
  return removed
}

const missingOutputs = (pkg: BuildPackage, modules: ReadonlyArray<string>): Array<string> =>
  modules.flatMap((m) => outputSuffixes.map((s) => out(pkg, "esm", `${m}${s}`)).filter((f) => !Fs.existsSync(f)))

/** What the outputs depend on besides the sources: this build's code and its compilers' versions. */
const buildStamp = (): string => {
  const hash = createHash("sha256")
  for (const file of ["build.ts", "manifest.ts"]) {
    hash.update(Fs.readFileSync(Path.join(root, "scripts", "build", file)))
  }
  hash.update(`typescript ${String(readJson(require.resolve("typescript/package.json")).version)}`)
  hash.update(`esbuild ${Esbuild.version}`)
  hash.update(Fs.readFileSync(Path.join(root, "tsconfig.base.json")))
  return hash.digest("hex") + "\n"
}

/** Builds every package; returns them. */
export const build = async (options: { readonly clean?: boolean } = {}): Promise<Array<BuildPackage>> => {
  const started = performance.now()
  const pkgs = packages()
  checkReferences(pkgs)
  // Outputs made by another version of this build (its code, TypeScript, esbuild) are not reused.
  const stamp = buildStamp()
  for (const pkg of pkgs) {
    const file = Path.join(pkg.publishDir, ".build-stamp")
    const stale = !Fs.existsSync(file) || Fs.readFileSync(file, "utf8") !== stamp
    if (options.clean === true || stale) Fs.rmSync(pkg.publishDir, { recursive: true, force: true })
  }
  const modules = new Map(pkgs.map((p) => [p, modulesOf(p)]))
  const modulesOfPkg = (pkg: BuildPackage): ReadonlyArray<string> => modules.get(pkg) ?? []

  tsc(pkgs, false)
  // A dist folder emptied by hand under an up-to-date .tsbuildinfo: build again from scratch.
  if (pkgs.some((p) => missingOutputs(p, modulesOfPkg(p)).length > 0)) {
    log("outputs missing under an up-to-date .tsbuildinfo: rebuilding with --force")
    tsc(pkgs, true)
  }
  const tscSeconds = (performance.now() - started) / 1000

  let converted = 0
  let removed = 0
  for (const pkg of pkgs) {
    const mods = modulesOfPkg(pkg)
    const missing = missingOutputs(pkg, mods)
    if (missing.length > 0) {
      throw new Error(`tsc emitted no ${missing.slice(0, 5).map((f) => Path.relative(root, f)).join(", ")}`)
    }
    removed += prune(pkg, new Set(mods))
    for (const m of mods) {
      for (const suffix of [".js.map", ".d.ts.map"]) repointMap(pkg, m, out(pkg, "esm", m + suffix))
    }
    const stale = mods.filter((m) => mtime(out(pkg, "cjs", `${m}.js`)) < mtime(out(pkg, "esm", `${m}.js`)))
    await Promise.all(stale.map((m) => toCjs(pkg, m)))
    converted += stale.length
    for (const m of mods) {
      for (const suffix of [".d.ts", ".d.ts.map"]) copyIfNewer(out(pkg, "esm", m + suffix), out(pkg, "cjs", m + suffix))
    }
    writeIfChanged(out(pkg, "esm", "package.json"), json({ type: "module", sideEffects: false }))
    writeIfChanged(out(pkg, "cjs", "package.json"), json({ type: "commonjs", sideEffects: false }))
    for (const file of walk(Path.join(pkg.dir, "src"))) {
      copyIfNewer(Path.join(pkg.dir, "src", file), Path.join(pkg.publishDir, "src", file))
    }
    for (const doc of ["README.md", "CHANGELOG.md"]) {
      const from = Path.join(pkg.dir, doc)
      if (Fs.existsSync(from)) copyIfNewer(from, Path.join(pkg.publishDir, doc))
      else Fs.rmSync(Path.join(pkg.publishDir, doc), { force: true })
    }
    copyIfNewer(Path.join(root, "LICENSE"), Path.join(pkg.publishDir, "LICENSE"))
    const topLevel = mods.filter((m) => !m.includes("/"))
    writeIfChanged(Path.join(pkg.publishDir, "package.json"), json(Manifest.published(pkg.manifest, topLevel)))
  }

  for (const pkg of pkgs) writeIfChanged(Path.join(pkg.publishDir, ".build-stamp"), stamp)

  // What the build promises: the annotations of every source reach both formats.
  let pure = 0
  for (const pkg of pkgs) {
    for (const m of modulesOfPkg(pkg)) {
      const expected = countPure(Fs.readFileSync(Path.join(pkg.dir, "src", `${m}.ts`), "utf8"))
      if (expected === 0) continue
      for (const format of ["esm", "cjs"] as const) {
        const found = countPure(Fs.readFileSync(out(pkg, format, `${m}.js`), "utf8"))
        if (found !== expected) {
          throw new Error(`${pkg.name}: src/${m}.ts has ${expected} pure annotations, dist/${format}/${m}.js ${found}`)
        }
      }
      pure += expected
    }
  }
  const files = pkgs.reduce((n, p) => n + modulesOfPkg(p).length, 0)
  log(
    `${pkgs.length} packages, ${files} modules in ${((performance.now() - started) / 1000).toFixed(1)} s ` +
      `(tsc -b ${tscSeconds.toFixed(1)} s; ${converted} converted to CommonJS; ${removed} stale files removed; ` +
      `${pure} pure annotations, all kept in ESM and CommonJS)`
  )
  return pkgs
}

if (process.argv[1] !== undefined && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  build({ clean: process.argv.includes("--clean") }).catch((e: unknown) => {
    console.error(`[build] FAILED: ${e instanceof Error ? e.message : String(e)}`)
    process.exit(1)
  })
}
