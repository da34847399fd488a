/**
 * `pnpm smoke`: the consumer smoke test (part of `pnpm check`).
 *
 * Builds and packs every package (`pnpm pack`), lints the tarballs with
 * publint and @arethetypeswrong/cli, installs them with npm in a fresh
 * project in a temporary folder outside the workspace (with `effect` and
 * `@effect/platform` at the ranges the packages state and the README
 * documents), then, as a user would:
 *
 * - runs `run.mjs` (ESM, on `StripeHttpClient.layer`) and `run.cjs`
 *   (CommonJS, on `FetchHttpClient.layer`) with plain `node`: the emulator
 *   from the compiled testing package, create -> confirm -> listAll -> a
 *   caught `StripeCardError` -> `Batch.run` -> a signed webhook through
 *   `Webhook.constructEvent`;
 * - starts the `lattice-stripe-mock` bin and calls it;
 * - type-checks consumer files with `tsc --noEmit`, strict, `skipLibCheck:
 *   false`, `noUncheckedIndexedAccess` and `noPropertyAccessFromIndexSignature`,
 *   under `moduleResolution` NodeNext (an ESM and a CommonJS file) and
 *   Bundler, each with and without `exactOptionalPropertyTypes`;
 * - removes `undici` (an optional peer) and checks that the consumer still
 *   type-checks and runs, and that building `StripeHttpClient.layer` fails
 *   with a typed error rather than a defect;
 * - checks the tarballs' contents (no tests, no tsconfig, only `dist/`,
 *   `src/` and docs) and that each package declares exactly the packages its
 *   compiled code imports.
 *
 * Prints every check with what it found; exits 1 if any failed, except the
 * checks listed in `pending.json` (known to fail until another branch lands:
 * printed as `xfail` with the reason; one that passes fails the run until
 * its entry is removed). Nothing is
 * cached between runs: the temporary folder is removed at the end
 * (`--keep` keeps it).
 */
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { publint } from "publint"
import { formatMessage } from "publint/utils"
import * as Ts from "typescript"
import { packages } from "../build/build.js"
import type { Project, Run } from "./project.js"
import { installedVersion, mapLimit, npmEnv, peerRange, prepare, root, run, tscBin } from "./project.js"

const started = performance.now()
const keep = process.argv.includes("--keep")
const fixtures = Path.join(root, "scripts", "smoke", "fixtures")
const parallel = Math.max(1, Math.min(2, Os.availableParallelism()))

interface Check {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
  readonly millis: number
}

const checks: Array<Check> = []

/**
 * Checks known to fail until another branch lands, with the reason
 * (`pending.json`). A pending check still runs: its failure is printed as
 * `xfail` with the reason and does not fail the run, and once it passes the
 * run fails until its entry is removed, so an entry cannot outlive the fix.
 */
const pending: Record<string, string> = (() => {
  const json: unknown = JSON.parse(Fs.readFileSync(Path.join(root, "scripts", "smoke", "pending.json"), "utf8"))
  if (typeof json !== "object" || json === null) throw new Error("scripts/smoke/pending.json: not an object")
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, String(v)]))
})()
const expectedFailures: Array<string> = []

const report = (check: Check) => {
  const reason = pending[check.name]
  const seconds = `(${(check.millis / 1000).toFixed(1)} s)`
  if (reason !== undefined && !check.ok) {
    expectedFailures.push(check.name)
    process.stdout.write(`[smoke] xfail ${check.name}: pending: ${reason}\n  ${check.detail} ${seconds}\n`)
    checks.push({ ...check, ok: true })
    return
  }
  const final = reason !== undefined
    ? { ...check, ok: false, detail: `passes now: remove it from scripts/smoke/pending.json (${check.detail})` }
    : check
  checks.push(final)
  process.stdout.write(`[smoke] ${final.ok ? "ok  " : "FAIL"} ${final.name}: ${final.detail} ${seconds}\n`)
}

const check = async (name: string, f: () => Promise<string>): Promise<void> => {
  const t = performance.now()
  try {
    report({ name, ok: true, detail: await f(), millis: performance.now() - t })
  } catch (e) {
    report({ name, ok: false, detail: e instanceof Error ? e.message : String(e), millis: performance.now() - t })
  }
}

const output = (r: Run): string => `${r.stdout}${r.stderr}`.trim()

const tail = (text: string, lines = 25): string => {
  const all = text.split("\n")
  return (all.length > lines ? [`... ${all.length - lines} lines before`, ...all.slice(-lines)] : all).join("\n")
}

/** Runs a script of the consumer project with plain `node`; its last line of output is the detail. */
const node = async (project: Project, args: ReadonlyArray<string>): Promise<string> => {
  const r = await run(process.execPath, args, { cwd: project.dir, env: npmEnv(), timeoutMillis: 60_000 })
  if (r.code !== 0) throw new Error(`node ${args.join(" ")} exited ${r.code}:\n${tail(output(r))}`)
  return r.stdout.trim().split("\n").pop() ?? ""
}

// ---------------------------------------------------------------------------
// publint and attw on the tarballs

const lintTarball = async (file: string): Promise<string> => {
  const data = Fs.readFileSync(file)
  const tarball = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
  const { messages, pkg } = await publint({ pack: { tarball }, level: "suggestion", strict: true })
  if (messages.length > 0) {
    throw new Error(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`).join("\n"))
  }
  return "0 errors, 0 warnings, 0 suggestions (strict)"
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const attw = async (file: string): Promise<string> => {
  const bin = Path.join(root, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js")
  const r = await run(process.execPath, [bin, file, "--format", "json"], { cwd: root, timeoutMillis: 120_000 })
  let parsed: unknown
  try {
    parsed = JSON.parse(r.stdout)
  } catch {
    throw new Error(`attw printed no JSON (exit ${r.code}):\n${tail(output(r))}`)
  }
  const analysis = isRecord(parsed) ? parsed.analysis : undefined
  const problems = isRecord(analysis) ? analysis.problems : undefined
  const entrypoints = isRecord(analysis) && isRecord(analysis.entrypoints) ? Object.keys(analysis.entrypoints) : []
  if (!Array.isArray(problems)) throw new Error(`attw: unexpected output:\n${tail(r.stdout)}`)
  if (problems.length > 0 || r.code !== 0) {
    throw new Error(`attw found ${problems.length} problems:\n${tail(JSON.stringify(problems, null, 2), 40)}`)
  }
  return `${entrypoints.length} entry points x node10, node16 (CJS), node16 (ESM), bundler: no problems`
}

// ---------------------------------------------------------------------------
// What the tarballs hold

const walk = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((f) => f.split(Path.sep).join("/"))
    .filter((f) => Fs.statSync(Path.join(dir, f)).isFile())

const allowedFile = (file: string): boolean =>
  file === "package.json" || file === "README.md" || file === "CHANGELOG.md" || file === "LICENSE" ||
  /^dist\/(esm|cjs)\/(package\.json|.+\.(js|js\.map|d\.ts|d\.ts\.map))$/.test(file) ||
  /^src\/.+\.ts$/.test(file)

const builtins = new Set(["node:crypto", "node:http", "node:net", "node:util", "node:buffer", "node:stream"])

/** Bare specifiers of compiled code (imports, `import()`, `require`, `import("x")` types; comments skipped). */
const specifiers = (code: string): Array<string> =>
  Ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName).filter((s) => !s.startsWith("."))

const packageOf = (specifier: string): string =>
  specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]

const contents = (project: Project): string => {
  const problems: Array<string> = []
  let files = 0
  let mapCount = 0
  const summary: Array<string> = []
  for (const { pkg } of project.tarballs) {
    const dir = Path.join(project.dir, "node_modules", pkg.name)
    const all = walk(dir)
    files += all.length
    for (const f of all.filter((f) => !allowedFile(f))) problems.push(`${pkg.name}: unexpected file ${f}`)
    if (!all.includes("LICENSE")) problems.push(`${pkg.name}: no LICENSE (the manifest says MIT)`)
    for (const f of all.filter((f) => /\.test\.|(^|\/)test\/|tsconfig|\.tsbuildinfo$/.test(f))) {
      problems.push(`${pkg.name}: ${f} should not ship`)
    }
    const manifest: unknown = JSON.parse(Fs.readFileSync(Path.join(dir, "package.json"), "utf8"))
    if (!isRecord(manifest)) throw new Error(`${pkg.name}: bad package.json`)
    for (const field of ["dependencies", "peerDependencies"]) {
      const deps = manifest[field]
      for (const [name, range] of Object.entries(isRecord(deps) ? deps : {})) {
        if (typeof range === "string" && range.startsWith("workspace:")) {
          problems.push(`${pkg.name}: ${field}.${name} is ${range}`)
        }
      }
    }
    let maps = 0
    for (const f of all.filter((f) => f.endsWith(".map"))) {
      const map: unknown = JSON.parse(Fs.readFileSync(Path.join(dir, f), "utf8"))
      const sources = isRecord(map) && Array.isArray(map.sources) ? map.sources : []
      for (const s of sources) {
        const target = Path.resolve(Path.dirname(Path.join(dir, f)), String(s))
        if (!target.startsWith(dir + Path.sep) || !Fs.existsSync(target)) {
          problems.push(`${pkg.name}: ${f} points at ${String(s)}, not a file of the package`)
        }
      }
      if (sources.length === 0) problems.push(`${pkg.name}: ${f} has no sources`)
      maps++
    }
    mapCount += maps
    const declared = new Set([
      ...Object.keys(isRecord(manifest.dependencies) ? manifest.dependencies : {}),
      ...Object.keys(isRecord(manifest.peerDependencies) ? manifest.peerDependencies : {})
    ])
    const imported = new Set<string>()
    for (const f of all.filter((f) => /^dist\/(esm|cjs)\/.+\.(js|d\.ts)$/.test(f))) {
      for (const s of specifiers(Fs.readFileSync(Path.join(dir, f), "utf8"))) {
        if (s.startsWith("node:")) {
          if (!builtins.has(s)) problems.push(`${pkg.name}: ${f} imports ${s} (not in the known builtins)`)
        } else if (packageOf(s) !== pkg.name) imported.add(packageOf(s))
      }
    }
    for (const name of imported) if (!declared.has(name)) problems.push(`${pkg.name}: imports ${name}, not declared`)
    // An optional peer may be loaded by a dynamic import whose specifier is kept from bundlers
    // (core's undici): it counts when its name is a string literal of the compiled code.
    const optional = isRecord(manifest.peerDependenciesMeta) ? manifest.peerDependenciesMeta : {}
    const compiled = all.filter((f) => /^dist\/(esm|cjs)\/.+\.js$/.test(f))
      .map((f) => Fs.readFileSync(Path.join(dir, f), "utf8"))
    const named = (name: string) => compiled.some((code) => code.includes(`"${name}"`) || code.includes(`'${name}'`))
    for (const name of declared) {
      const isOptional = isRecord(optional[name]) && optional[name].optional === true
      if (!imported.has(name) && !(isOptional && named(name))) {
        problems.push(`${pkg.name}: declares ${name}, never imports it`)
      }
    }
    summary.push(`${pkg.name.replace("@lattice-stripe/", "")} -> ${[...imported].sort().join(", ") || "(nothing)"}`)
  }
  if (problems.length > 0) throw new Error(problems.join("\n"))
  return `${files} files, all under dist/esm, dist/cjs, src or docs; ${mapCount} source and declaration maps, ` +
    `each pointing at a shipped src/ file; no workspace: ranges; imports = declared ` +
    `dependencies + peers: ${summary.join("; ")}`
}

// ---------------------------------------------------------------------------
// The bin

const bin = (project: Project): Promise<string> =>
  new Promise((resolve, reject) => {
    const file = Path.join(project.dir, "node_modules", ".bin", "lattice-stripe-mock")
    const child = spawn(file, ["--port", "0"], { cwd: project.dir, env: npmEnv(), stdio: ["ignore", "pipe", "pipe"] })
    let out = ""
    const fail = (e: unknown) => {
      child.kill("SIGKILL")
      reject(e)
    }
    const timer = setTimeout(() => fail(new Error(`no "listening" line within 20 s: ${out}`)), 20_000)
    child.stderr.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
    })
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1]
      if (url === undefined) return
      clearTimeout(timer)
      const call = async () => {
        const response = await fetch(`${url}/v1/customers`, {
          method: "POST",
          headers: { authorization: "Bearer sk_test_bin", "content-type": "application/x-www-form-urlencoded" },
          body: "email=bin%40example.com"
        })
        const body: unknown = await response.json()
        const id = isRecord(body) && typeof body.id === "string" ? body.id : ""
        if (response.status !== 200 || !id.startsWith("cus_")) {
          throw new Error(`POST /v1/customers answered ${response.status} ${JSON.stringify(body)}`)
        }
        child.kill("SIGTERM")
        const target = Path.relative(project.dir, Fs.realpathSync(file))
        resolve(`${target} (shebang, plain node) listening on ${url}; POST /v1/customers -> ${id}`)
      }
      call().catch(fail)
    })
    child.on("error", fail)
  })

// ---------------------------------------------------------------------------
// tsc in the consumer project

interface TscConfig {
  readonly name: string
  readonly resolution: "NodeNext" | "Bundler"
  readonly exact: boolean
  readonly files: ReadonlyArray<string>
}

const tsconfig = (c: TscConfig) => ({
  compilerOptions: {
    target: "ES2022",
    // @effect/platform's declarations use DOM types (Storage, Transferable): its users have DOM in lib.
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    module: c.resolution === "NodeNext" ? "NodeNext" : "ESNext",
    moduleResolution: c.resolution,
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    exactOptionalPropertyTypes: c.exact,
    noUncheckedIndexedAccess: true,
    noPropertyAccessFromIndexSignature: true,
    types: ["node"]
  },
  files: c.files
})

const tsc = async (project: Project, c: TscConfig): Promise<string> => {
  const file = `tsconfig.${c.name}.json`
  Fs.writeFileSync(Path.join(project.dir, file), JSON.stringify(tsconfig(c), null, 2))
  const r = await run(process.execPath, [tscBin, "-p", file, "--listFiles"], {
    cwd: project.dir,
    timeoutMillis: 180_000
  })
  const lines = output(r).split("\n")
  const errors = lines.filter((l) => /error TS\d+/.test(l))
  const listed = lines.filter((l) => l.startsWith("/"))
  const sdk = listed.filter((l) => l.includes("/node_modules/@lattice-stripe/")).length
  if (r.code !== 0 || errors.length > 0) throw new Error(`${errors.length} errors:\n${tail(errors.join("\n"), 30)}`)
  if (sdk === 0) throw new Error("no SDK declaration file was checked")
  return `0 errors in ${c.files.join(", ")} and ${listed.length} declaration files (${sdk} of the SDK), ` +
    `${c.resolution}, exactOptionalPropertyTypes ${c.exact}`
}

const consumerFiles = ["consumer.ts", "consumer-wide.ts"]
const configs: ReadonlyArray<TscConfig> = [
  { name: "nodenext-exact", resolution: "NodeNext", exact: true, files: [...consumerFiles, "consumer-cjs.cts"] },
  { name: "nodenext-loose", resolution: "NodeNext", exact: false, files: [...consumerFiles, "consumer-cjs.cts"] },
  { name: "bundler-exact", resolution: "Bundler", exact: true, files: consumerFiles },
  { name: "bundler-loose", resolution: "Bundler", exact: false, files: consumerFiles }
]

// ---------------------------------------------------------------------------

const main = async () => {
  const ranges = packages()
  const undici = `undici@${peerRange(ranges, "undici")}`
  process.stdout.write(`[smoke] build, pack, npm install (${Os.tmpdir()})\n`)
  const project = await prepare({ extra: [undici] })
  const versions = ["effect", "@effect/platform", "undici"].map((n) => `${n} ${installedVersion(project, n)}`)
  report({
    name: "install",
    ok: true,
    detail:
      `pnpm build ${(project.timings.build / 1000).toFixed(1)} s, pnpm pack ${project.tarballs.length} packages ` +
      `${(project.timings.pack / 1000).toFixed(1)} s (${
        project.tarballs.map((t) => `${Path.basename(t.file)} ${(Fs.statSync(t.file).size / 1024).toFixed(0)} KB`)
          .join(", ")
      }), npm install ${project.installed.join(" ")}: ${versions.join(", ")}`,
    millis: project.timings.build + project.timings.pack + project.timings.install
  })
  try {
    for (const f of Fs.readdirSync(fixtures)) {
      Fs.copyFileSync(Path.join(fixtures, f), Path.join(project.dir, f))
    }
    await mapLimit(project.tarballs, parallel, async (t) => {
      await check(`publint ${t.pkg.name}`, () => lintTarball(t.file))
      await check(`attw ${t.pkg.name}`, () => attw(t.file))
    })
    await check("tarball contents and dependencies", async () => contents(project))
    await check("node run.mjs (ESM)", () => node(project, ["run.mjs"]))
    await check("node run.cjs (CommonJS)", () => node(project, ["run.cjs"]))
    await check("bin lattice-stripe-mock", () => bin(project))
    await mapLimit(configs, parallel, (c) => check(`tsc ${c.name}`, () => tsc(project, c)))

    Fs.rmSync(Path.join(project.dir, "node_modules", "undici"), { recursive: true, force: true })
    await mapLimit(
      [
        () => check("no undici: tsc nodenext-exact", () => tsc(project, { ...configs[0], name: "no-undici" })),
        () => check("no undici: node run.cjs (FetchHttpClient)", () => node(project, ["run.cjs"])),
        () => check("no undici: StripeHttpClient.layer", () => node(project, ["no-undici.mjs"]))
      ],
      parallel,
      (f) => f()
    )
  } finally {
    if (keep) process.stdout.write(`[smoke] kept ${project.dir}\n`)
    else project.remove()
  }
  for (const name of Object.keys(pending)) {
    if (!checks.some((c) => c.name === name)) {
      report({ name: `pending.json entry "${name}"`, ok: false, detail: "names no check of this run", millis: 0 })
    }
  }
  const failed = checks.filter((c) => !c.ok)
  const seconds = ((performance.now() - started) / 1000).toFixed(0)
  if (failed.length > 0) {
    process.stdout.write(`[smoke] FAILED ${failed.length} of ${checks.length} checks in ${seconds} s:\n`)
    for (const c of failed) process.stdout.write(`[smoke]   ${c.name}\n`)
    process.exit(1)
  }
  const xfail = expectedFailures.length === 0 ? "" : ` (${expectedFailures.length} of them pending, see above)`
  process.stdout.write(`[smoke] passed ${checks.length} checks${xfail} in ${seconds} s\n`)
}

main().catch((e: unknown) => {
  process.stdout.write(`[smoke] FAILED: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`)
  process.exit(1)
})
