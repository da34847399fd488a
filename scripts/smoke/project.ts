/**
 * What the consumer smoke test and the consumer-tsc benchmark share: build
 * the packages, pack them with `pnpm pack`, and install the tarballs with npm
 * in a fresh project in a temporary folder outside the workspace.
 */
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { build, type BuildPackage, readJson, root } from "../build/build.js"

export { root }

/** The outcome of a child process. */
export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly millis: number
}

/** Runs a command to completion (never rejects on a non-zero exit). */
export const run = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: NodeJS.ProcessEnv; readonly timeoutMillis?: number }
): Promise<Run> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8")
    })
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${options.timeoutMillis} ms]`
      child.kill("SIGKILL")
    }, options.timeoutMillis ?? 300_000)
    child.on("error", (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr, millis: performance.now() - started })
    })
  })

/** `pnpm` as this process was started by it, or the pinned one through npx. */
export const pnpmCommand = (): { readonly command: string; readonly args: ReadonlyArray<string> } => {
  const execPath = process.env.npm_execpath
  if (process.env.npm_config_user_agent?.startsWith("pnpm/") !== true || execPath === undefined) {
    return { command: "npx", args: ["-y", "pnpm@12.4.2"] }
  }
  // pnpm 12 is a native executable; earlier versions are a script for node.
  return /\.[cm]?js$/.test(execPath) ? { command: process.execPath, args: [execPath] } : { command: execPath, args: [] }
}

/** A packed package. */
export interface Tarball {
  readonly pkg: BuildPackage
  readonly file: string
}

/** Runs `f` over `items`, at most `limit` at a time, keeping the order. */
export const mapLimit = async <A, B>(
  items: ReadonlyArray<A>,
  limit: number,
  f: (a: A) => Promise<B>
): Promise<Array<B>> => {
  const results: Array<B> = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await f(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** `pnpm pack` of every built package into `dir`. */
export const pack = async (pkgs: ReadonlyArray<BuildPackage>, dir: string): Promise<Array<Tarball>> => {
  const pnpm = pnpmCommand()
  Fs.mkdirSync(dir, { recursive: true })
  return mapLimit(pkgs, 2, async (pkg) => {
    const result = await run(pnpm.command, [...pnpm.args, "pack", "--pack-destination", dir], { cwd: pkg.dir })
    if (result.code !== 0) throw new Error(`pnpm pack of ${pkg.name} failed:\n${result.stdout}${result.stderr}`)
    const version = String(pkg.manifest.version)
    const file = Path.join(dir, `${pkg.name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`)
    if (!Fs.existsSync(file)) throw new Error(`pnpm pack of ${pkg.name} wrote no ${file}:\n${result.stdout}`)
    return { pkg, file }
  })
}

/** The peer ranges the packages state (and the README documents): what consumers install. */
export const peerRange = (pkgs: ReadonlyArray<BuildPackage>, name: string): string => {
  for (const pkg of pkgs) {
    const peers = pkg.manifest.peerDependencies
    if (typeof peers === "object" && peers !== null && name in peers) {
      const range: unknown = Reflect.get(peers, name)
      if (typeof range === "string") return range
    }
  }
  throw new Error(`no package states a peer range for ${name}`)
}

/** npm settings a user's environment may need (registry, cache, certificates, proxies). */
const keptNpmSettings = new Set([
  "npm_config_registry",
  "npm_config_cache",
  "npm_config_userconfig",
  "npm_config_globalconfig",
  "npm_config_cafile",
  "npm_config_ca",
  "npm_config_strict_ssl",
  "npm_config_proxy",
  "npm_config_https_proxy",
  "npm_config_noproxy"
])

/**
 * The environment for commands run in the consumer project: without what
 * pnpm or npm set for the script that runs the smoke test (lifecycle,
 * package and prefix variables), so that the project behaves like one a user
 * created by hand.
 */
export const npmEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([key]) => {
      const lower = key.toLowerCase()
      return !(lower.startsWith("npm_") || lower.startsWith("pnpm_")) || keptNpmSettings.has(lower)
    })
  )

/** A consumer project with the tarballs installed. */
export interface Project {
  readonly dir: string
  readonly tarballs: ReadonlyArray<Tarball>
  readonly packages: ReadonlyArray<BuildPackage>
  /** The npm specs installed besides the tarballs. */
  readonly installed: ReadonlyArray<string>
  readonly timings: Readonly<Record<"build" | "pack" | "install", number>>
  readonly remove: () => void
}

/**
 * Builds, packs, and installs the tarballs with npm in a new folder under the
 * system's temporary directory, with `effect` and `@effect/platform` at the
 * stated peer ranges, `@types/node` 20 and `extra` (npm specs).
 */
export const prepare = async (options: { readonly extra?: ReadonlyArray<string> } = {}): Promise<Project> => {
  const t0 = performance.now()
  const pkgs = await build()
  const t1 = performance.now()
  const dir = Fs.mkdtempSync(Path.join(Fs.realpathSync(Os.tmpdir()), "lattice-stripe-consumer-"))
  const remove = () => Fs.rmSync(dir, { recursive: true, force: true })
  try {
    if (Path.relative(root, dir).split(Path.sep)[0] !== "..") throw new Error(`${dir} is inside the workspace`)
    const tarballs = await pack(pkgs, Path.join(dir, "tarballs"))
    const t2 = performance.now()
    const app = Path.join(dir, "app")
    Fs.mkdirSync(app)
    Fs.writeFileSync(
      Path.join(app, "package.json"),
      JSON.stringify({ name: "lattice-stripe-consumer", private: true, type: "module" }, null, 2)
    )
    const installed = [
      `effect@${peerRange(pkgs, "effect")}`,
      `@effect/platform@${peerRange(pkgs, "@effect/platform")}`,
      "@types/node@^20",
      ...(options.extra ?? [])
    ]
    const npm = await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs.map((t) => t.file), ...installed],
      { cwd: app, env: npmEnv() }
    )
    if (npm.code !== 0) throw new Error(`npm install failed:\n${npm.stdout}${npm.stderr}`)
    const t3 = performance.now()
    return {
      dir: app,
      tarballs,
      packages: pkgs,
      installed,
      timings: { build: t1 - t0, pack: t2 - t1, install: t3 - t2 },
      remove
    }
  } catch (e) {
    remove()
    throw e
  }
}

/** The version npm installed of `name` in the project. */
export const installedVersion = (project: Project, name: string): string => {
  const file = Path.join(project.dir, "node_modules", name, "package.json")
  return Fs.existsSync(file) ? String(readJson(file).version) : "(absent)"
}

/** The workspace's TypeScript compiler (the same for every run). */
export const tscBin = Path.join(root, "node_modules", "typescript", "bin", "tsc")
