/**
 * Compiles the workspace packages and the benchmark sources to plain ESM
 * JavaScript, so that the benchmarks run what users run
 * (compiled JavaScript), not TypeScript through tsx's loader (whose
 * `keepNames` transform wraps every closure this SDK creates per call, and
 * whose loader adds to import time).
 *
 * Layout, under `node_modules/.cache/lattice-stripe-bench` (out of reach of
 * lint, tests and git): `node_modules/@lattice-stripe/<pkg>/src/*.js` with a
 * `package.json` mirroring the package's exports, and `bench/*.js`. The bench
 * package's dependencies (`stripe` 23.1.0, `undici`, `effect`) are linked
 * into that `node_modules`; other bare imports (`@effect/platform-node`)
 * resolve from the repository's `node_modules` above.
 */
import * as Fs from "node:fs"
import { createRequire } from "node:module"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

/** The part of esbuild's API used here (esbuild ships with tsx; its types are not resolvable from here). */
interface EsbuildOptions {
  readonly entryPoints: ReadonlyArray<string>
  readonly outdir: string
  readonly outbase: string
  readonly format: "esm"
  readonly platform: "node"
  readonly target: string
  readonly bundle: false
  readonly logLevel: "warning"
}
interface Esbuild {
  readonly build: (options: EsbuildOptions) => Promise<unknown>
}

const isEsbuild = (u: unknown): u is Esbuild =>
  typeof u === "object" && u !== null && "build" in u && typeof u.build === "function"

/** The repository root. */
export const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../..")
/** Where the compiled tree goes. */
export const buildDir = Path.join(root, "node_modules", ".cache", "lattice-stripe-bench")

const packages = ["core", "resources", "testing", "webhook", "batch"] as const

const tsFiles = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => Path.join(dir, f))

const loadEsbuild = (): Esbuild => {
  // esbuild is tsx's dependency: resolve it from tsx's own folder.
  const tsxRequire = createRequire(Fs.realpathSync(createRequire(import.meta.url).resolve("tsx/package.json")))
  const esbuild: unknown = tsxRequire("esbuild")
  if (!isEsbuild(esbuild)) throw new Error("esbuild (a dependency of tsx) could not be loaded")
  return esbuild
}

/**
 * The bench package's own dependencies (`stripe` 23.1.0, `undici`, `effect`)
 * linked beside the compiled packages: without the links, bare imports from
 * the compiled tree would resolve from the repository's `node_modules`, whose
 * `stripe` is the root's devDependency (19.x), not the version the bench pins.
 */
const linkBenchDependencies = () => {
  const manifest: { readonly dependencies?: Readonly<Record<string, string>> } = JSON.parse(
    Fs.readFileSync(Path.join(root, "bench", "package.json"), "utf8")
  )
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (name.startsWith("@lattice-stripe/")) continue
    const target = Fs.realpathSync(Path.join(root, "bench", "node_modules", name))
    const link = Path.join(buildDir, "node_modules", name)
    Fs.mkdirSync(Path.dirname(link), { recursive: true })
    Fs.symlinkSync(target, link, "dir")
  }
}

/** Compiles everything; returns the path of the compiled benchmark folder. */
export const build = async (): Promise<string> => {
  const esbuild = loadEsbuild()
  Fs.rmSync(buildDir, { recursive: true, force: true })
  for (const pkg of packages) {
    const src = Path.join(root, "packages", pkg)
    const out = Path.join(buildDir, "node_modules", "@lattice-stripe", pkg)
    await esbuild.build({
      entryPoints: tsFiles(Path.join(src, "src")),
      outdir: out,
      outbase: src,
      format: "esm",
      platform: "node",
      target: "node20",
      bundle: false,
      logLevel: "warning"
    })
    const manifest: { readonly name: string; readonly dependencies?: unknown } = JSON.parse(
      Fs.readFileSync(Path.join(src, "package.json"), "utf8")
    )
    Fs.writeFileSync(
      Path.join(out, "package.json"),
      JSON.stringify(
        {
          name: manifest.name,
          type: "module",
          sideEffects: false,
          exports: { ".": "./src/index.js", "./*": "./src/*.js", "./internal/*": null }
        },
        null,
        2
      )
    )
  }
  const benchOut = Path.join(buildDir, "bench")
  await esbuild.build({
    // Iteration helpers (`probe-*`, `_*`) are not part of the suite.
    entryPoints: tsFiles(Path.join(root, "bench", "src")).filter((f) => !/\/(probe-|_)[^/]*$/.test(f)),
    outdir: benchOut,
    outbase: Path.join(root, "bench", "src"),
    format: "esm",
    platform: "node",
    target: "node20",
    bundle: false,
    logLevel: "warning"
  })
  Fs.writeFileSync(Path.join(buildDir, "package.json"), JSON.stringify({ type: "module", private: true }))
  linkBenchDependencies()
  return benchOut
}
