/**
 * Import cost, one scenario per fresh child process (compiled JavaScript,
 * plain `node`): the time of the dynamic imports and the RSS and heap after
 * them. `node imports.js <scenario>` prints one JSON line.
 *
 * The laziness check (`lazy-check`): import `@lattice-stripe/resources/Customers`,
 * then force every schema of the generated module (each is a
 * `Schema.suspend` whose thunk builds the schema once). If importing had
 * built them, forcing would find them memoized and take next to no time; the
 * child reports how many schemas there are and how long forcing them took
 * after the import, against forcing them with nothing built before.
 */
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"

/** The scenarios and the modules each imports, in order. */
export const scenarios = {
  "node": [],
  "stripe": ["stripe"],
  "effect+platform": ["effect", "@effect/platform"],
  "effect+platform+core": ["effect", "@effect/platform", "@lattice-stripe/core"],
  "effect+platform+core+Customers": [
    "effect",
    "@effect/platform",
    "@lattice-stripe/core",
    "@lattice-stripe/resources/Customers"
  ],
  "effect+platform+core+resources": [
    "effect",
    "@effect/platform",
    "@lattice-stripe/core",
    "@lattice-stripe/resources"
  ]
} as const satisfies Record<string, ReadonlyArray<string>>

/** A scenario's name. */
export type Scenario = keyof typeof scenarios

/** What one child reports. */
export interface ImportSample {
  readonly millis: number
  readonly rssMB: number
  readonly heapMB: number
  /** Time of each import in order (each after the ones before it, in the same process). */
  readonly stepMillis: ReadonlyArray<number>
}

/** What the laziness check reports. */
export interface LazyCheck {
  /** Schemas (suspended) exported by the generated module. */
  readonly schemas: number
  /** Thunks found already built right after importing the Customers module. */
  readonly builtAtImport: number
  /** Time to build every schema after importing Customers. */
  readonly forceMillisAfterImport: number
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

/** Runs one scenario in a fresh `node` child and parses its report. */
export const runChild = (args: ReadonlyArray<string>): Promise<unknown> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], {
      stdio: ["ignore", "pipe", "inherit"]
    })
    let out = ""
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8")
    })
    child.on("error", reject)
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`import child ${args.join(" ")} exited with ${code}`))
      try {
        resolve(JSON.parse(out.trim().split("\n").pop() ?? ""))
      } catch (e) {
        reject(e)
      }
    })
  })

const measure = async (specifiers: ReadonlyArray<string>): Promise<ImportSample> => {
  const started = performance.now()
  const stepMillis: Array<number> = []
  for (const specifier of specifiers) {
    const t = performance.now()
    await import(specifier)
    stepMillis.push(performance.now() - t)
  }
  const millis = performance.now() - started
  const memory = process.memoryUsage()
  return { millis, rssMB: memory.rss / 1024 / 1024, heapMB: memory.heapUsed / 1024 / 1024, stepMillis }
}

/**
 * A memoized `Schema.suspend` thunk: effect wraps the thunk so that the
 * second call returns the first result; calling it forces the build.
 */
const suspendThunk = (value: unknown): (() => unknown) | undefined => {
  if (!isRecord(value) && typeof value !== "function") return undefined
  const ast: unknown = Reflect.get(value, "ast")
  if (!isRecord(ast) || ast._tag !== "Suspend") return undefined
  const f: unknown = ast.f
  return typeof f === "function" ? () => f() : undefined
}

const lazyCheck = async (): Promise<LazyCheck> => {
  await import("@lattice-stripe/resources/Customers")
  const generated: Record<string, unknown> = await import("@lattice-stripe/resources/Schemas")
  const thunks = Object.values(generated).flatMap((value) => {
    const thunk = suspendThunk(value)
    return thunk === undefined ? [] : [thunk]
  })
  // A built schema answers in well under a microsecond; an unbuilt one has to construct its Struct.
  let builtAtImport = 0
  const started = performance.now()
  for (const thunk of thunks) {
    const t = performance.now()
    thunk()
    if (performance.now() - t < 0.002) builtAtImport++
  }
  return { schemas: thunks.length, builtAtImport, forceMillisAfterImport: performance.now() - started }
}

const main = async () => {
  const scenario = process.argv[2]
  if (scenario === "lazy-check") return console.log(JSON.stringify(await lazyCheck()))
  const entry = Object.entries(scenarios).find(([name]) => name === scenario)
  if (entry === undefined) throw new Error(`unknown scenario ${scenario}`)
  console.log(JSON.stringify(await measure(entry[1])))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
}
