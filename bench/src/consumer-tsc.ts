/**
 * The consumer-tsc section: what a user's `tsc` pays for the SDK.
 *
 * The same program (Customers, Subscriptions, a webhook handler) written
 * against this SDK (`scripts/smoke/fixtures/consumer.ts`) and against the
 * official `stripe` 23.1.0 (`consumer-stripe.ts`), type-checked by the same
 * TypeScript in one fresh npm project outside the workspace, where the SDK is
 * installed from the tarballs `pnpm pack` makes (`scripts/smoke/prepare.ts`)
 * and `stripe@23.1.0` from the registry.
 *
 * A third file, `consumer-effect-floor.ts`, imports only what `consumer.ts`
 * imports besides the SDK (`effect` and `@effect/platform` through their root
 * entries): the floor any Effect program pays, so that what the SDK itself
 * adds can be read off.
 *
 * Options: strict, NodeNext, `noEmit`, with `skipLibCheck: true` (what `tsc
 * --init` writes) and `skipLibCheck: false` (every declaration file checked,
 * the smoke test's setting). Each run is a fresh `tsc` process; wall time is
 * measured around it and peak memory is the process's `maxRSS`; `tsc
 * --extendedDiagnostics` adds its check time. The two SDKs alternate within
 * each round (which one goes first alternates too), and each ratio is the
 * median over rounds of the ratio measured in that round, so that load from
 * other processes moves both sides alike.
 */
import { spawn } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"

/** One `tsc` run. */
export interface TscSample {
  readonly wallMillis: number
  readonly maxRssMB: number
  readonly checkMillis: number
  readonly files: number
}

/** One tsc setting, both SDKs. */
export interface Variant {
  readonly name: string
  readonly skipLibCheck: boolean
  /** Set when a run failed (e.g. type errors): the samples are then empty. */
  readonly error?: string | undefined
  readonly lattice: ReadonlyArray<TscSample>
  readonly stripe: ReadonlyArray<TscSample>
  /** `effect` + `@effect/platform` alone. */
  readonly floor: ReadonlyArray<TscSample>
  /** Medians over rounds of lattice / stripe within the round. */
  readonly wallRatio: number
  readonly memoryRatio: number
}

/** The section's result. */
export interface ConsumerTscResult {
  readonly rounds: number
  readonly typescript: string
  readonly versions: Readonly<Record<string, string>>
  readonly variants: ReadonlyArray<Variant>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const median = (xs: ReadonlyArray<number>): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length === 0 ? Number.NaN : sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const collect = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string
): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string; readonly millis: number }> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8")
    })
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString("utf8")
    })
    child.on("error", reject)
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr, millis: performance.now() - started }))
  })

// Runs tsc in this node process and reports its peak RSS (KB) on exit.
const wrapper = [
  "const tsc = process.argv[1]",
  "process.argv = [process.argv[0], tsc, ...process.argv.slice(2)]",
  "process.on('exit', () => process.stderr.write('\\n@@maxrss ' + process.resourceUsage().maxRSS + '\\n'))",
  "require(tsc)"
].join(";")

const tscOnce = async (tsc: string, project: string, config: string): Promise<TscSample> => {
  const r = await collect(process.execPath, ["-e", wrapper, tsc, "-p", config, "--extendedDiagnostics"], project)
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+([\\d.]+)`, "m").exec(r.stdout)
    return m === null ? Number.NaN : Number(m[1])
  }
  const rss = /@@maxrss (\d+)/.exec(r.stderr)
  if (r.code !== 0 || rss === null) {
    const errors = r.stdout.split("\n").filter((l) => l.includes("error TS"))
    throw new Error(`tsc -p ${config}: exit ${r.code}, ${errors.length} errors: ${errors.slice(0, 3).join(" | ")}`)
  }
  return {
    wallMillis: r.millis,
    maxRssMB: Number(rss[1]) / 1024,
    checkMillis: field("Check time") * 1000,
    files: field("Files")
  }
}

const tsconfig = (file: string, skipLibCheck: boolean) => ({
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2022", "DOM", "DOM.Iterable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck,
    noEmit: true,
    types: ["node"]
  },
  files: [file]
})

/**
 * Runs the section. `root` is the repository; `log` reports progress.
 */
export const run = async (options: {
  readonly root: string
  readonly rounds?: number | undefined
  readonly log: (message: string) => void
}): Promise<ConsumerTscResult> => {
  const rounds = options.rounds ?? 5
  const tsx = Path.join(options.root, "node_modules", "tsx", "dist", "cli.mjs")
  const tsc = Path.join(options.root, "node_modules", "typescript", "lib", "tsc.js")
  const typescript: unknown = JSON.parse(
    Fs.readFileSync(Path.join(options.root, "node_modules", "typescript", "package.json"), "utf8")
  )
  options.log("consumer-tsc: build, pack, npm install the SDK and stripe@23.1.0 in a temporary project")
  const prepared = await collect(
    process.execPath,
    [tsx, "scripts/smoke/prepare.ts", "--extra", "stripe@23.1.0"],
    options.root
  )
  const last: unknown = prepared.code === 0 ? JSON.parse(prepared.stdout.trim().split("\n").pop() ?? "") : undefined
  if (!isRecord(last) || typeof last.dir !== "string" || typeof last.remove !== "string") {
    throw new Error(`prepare failed:\n${prepared.stdout}${prepared.stderr}`)
  }
  const dir = last.dir
  try {
    const fixtures = Path.join(options.root, "scripts", "smoke", "fixtures")
    for (const f of ["consumer.ts", "consumer-stripe.ts", "consumer-effect-floor.ts"]) {
      Fs.copyFileSync(Path.join(fixtures, f), Path.join(dir, f))
    }
    const variants: Array<Variant> = []
    for (const skipLibCheck of [true, false]) {
      const name = `skipLibCheck ${skipLibCheck}`
      const configs = {
        lattice: `tsconfig.lattice-${skipLibCheck}.json`,
        stripe: `tsconfig.stripe-${skipLibCheck}.json`,
        floor: `tsconfig.floor-${skipLibCheck}.json`
      }
      Fs.writeFileSync(Path.join(dir, configs.lattice), JSON.stringify(tsconfig("consumer.ts", skipLibCheck)))
      Fs.writeFileSync(Path.join(dir, configs.stripe), JSON.stringify(tsconfig("consumer-stripe.ts", skipLibCheck)))
      Fs.writeFileSync(
        Path.join(dir, configs.floor),
        JSON.stringify(tsconfig("consumer-effect-floor.ts", skipLibCheck))
      )
      const lattice: Array<TscSample> = []
      const stripe: Array<TscSample> = []
      const floor: Array<TscSample> = []
      try {
        // One unmeasured run each: the file system cache, not tsc, would otherwise weigh on the first round.
        await tscOnce(tsc, dir, configs.lattice)
        await tscOnce(tsc, dir, configs.stripe)
        for (let i = 0; i < rounds; i++) {
          options.log(`consumer-tsc ${name}: round ${i + 1} of ${rounds}`)
          if (i % 2 === 0) {
            lattice.push(await tscOnce(tsc, dir, configs.lattice))
            stripe.push(await tscOnce(tsc, dir, configs.stripe))
          } else {
            stripe.push(await tscOnce(tsc, dir, configs.stripe))
            lattice.push(await tscOnce(tsc, dir, configs.lattice))
          }
          floor.push(await tscOnce(tsc, dir, configs.floor))
        }
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e)
        options.log(`consumer-tsc ${name} failed: ${error}`)
        variants.push({
          name,
          skipLibCheck,
          error,
          lattice: [],
          stripe: [],
          floor: [],
          wallRatio: NaN,
          memoryRatio: NaN
        })
        continue
      }
      variants.push({
        name,
        skipLibCheck,
        lattice,
        stripe,
        floor,
        wallRatio: median(lattice.map((l, i) => l.wallMillis / stripe[i].wallMillis)),
        memoryRatio: median(lattice.map((l, i) => l.maxRssMB / stripe[i].maxRssMB))
      })
    }
    const versions = isRecord(last.versions)
      ? Object.fromEntries(Object.entries(last.versions).map(([k, v]) => [k, String(v)]))
      : {}
    return {
      rounds,
      typescript: isRecord(typescript) ? String(typescript.version) : "?",
      versions,
      variants
    }
  } finally {
    Fs.rmSync(last.remove, { recursive: true, force: true })
  }
}

const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a"

/** A section result as read back from JSON (`unknown`), if it is one. */
export const isResult = (u: unknown): u is ConsumerTscResult =>
  isRecord(u) && typeof u.rounds === "number" && Array.isArray(u.variants)

const label = (result: ConsumerTscResult, sdk: "lattice" | "stripe" | "floor"): string =>
  sdk === "lattice"
    ? "lattice (packed tarballs)"
    : sdk === "stripe"
    ? `stripe ${result.versions["stripe"] ?? ""}`
    : "effect + @effect/platform alone (floor)"

/** Rows of the report table: one per file and setting, medians over rounds. */
export const rows = (result: ConsumerTscResult): Array<Array<string>> =>
  result.variants.flatMap((v) => {
    if (v.error !== undefined) return [[`${v.name}: failed`, "", "", "", "", "", v.error.slice(0, 160)]]
    const floorWall = median(v.floor.map((s) => s.wallMillis))
    const floorRss = median(v.floor.map((s) => s.maxRssMB))
    return (["lattice", "stripe", "floor"] as const).map((sdk) => {
      const samples = v[sdk]
      const wall = median(samples.map((s) => s.wallMillis))
      const rss = median(samples.map((s) => s.maxRssMB))
      return [
        `${v.name}: ${label(result, sdk)}`,
        fmt(wall / 1000, 2),
        fmt(median(samples.map((s) => s.checkMillis)) / 1000, 2),
        fmt(rss),
        fmt(median(samples.map((s) => s.files))),
        sdk === "lattice" ? `${fmt(v.wallRatio, 2)}x / ${fmt(v.memoryRatio, 2)}x` : "",
        sdk === "lattice" ? `+${fmt((wall - floorWall) / 1000, 2)} s, +${fmt(rss - floorRss)} MB` : ""
      ]
    })
  })

/** The table's header. */
export const header = [
  "consumer tsc (same program, fresh process)",
  "wall s",
  "check s",
  "peak RSS MB",
  "files",
  "time / memory vs stripe",
  "over the floor"
]

/** The verdicts: at most 1.0x the official SDK's time and memory. */
export const verdicts = (
  result: ConsumerTscResult
): Array<{ readonly target: string; readonly measured: string; readonly met: boolean }> =>
  result.variants.flatMap((v) => [
    {
      target: `consumer tsc (${v.name}): time ≤ 1.0x stripe's`,
      measured: v.error === undefined ? `${fmt(v.wallRatio, 2)}x` : "failed",
      met: v.wallRatio <= 1
    },
    {
      target: `consumer tsc (${v.name}): peak memory ≤ 1.0x stripe's`,
      measured: v.error === undefined ? `${fmt(v.memoryRatio, 2)}x` : "failed",
      met: v.memoryRatio <= 1
    }
  ])
