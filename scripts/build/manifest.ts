/**
 * The `package.json` that a package is published with, generated from its
 * workspace manifest and its sources (as Effect's build-utils `pack-v2`
 * does): the same name, version, metadata and dependencies (pnpm rewrites
 * `workspace:*` when it packs), and an `exports` map that names the root
 * entry and every top-level module of `src/`. Everything else (`internal/`,
 * `generated/`, any nested folder) is not exported.
 */

/** A JSON object. */
export type Json = Readonly<Record<string, unknown>>

const isRecord = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)

/** Fields copied as they are from the workspace manifest, in this order. */
const copied = [
  "name",
  "version",
  "description",
  "keywords",
  "homepage",
  "bugs",
  "repository",
  "funding",
  "license",
  "author",
  "contributors",
  "engines"
] as const

const dependencyFields = ["dependencies", "peerDependencies", "peerDependenciesMeta", "optionalDependencies"] as const

/** The `exports` conditions of one module: each format with declarations in its own scope. */
export const conditions = (module: string): Json => ({
  import: { types: `./dist/esm/${module}.d.ts`, default: `./dist/esm/${module}.js` },
  require: { types: `./dist/cjs/${module}.d.ts`, default: `./dist/cjs/${module}.js` }
})

/** The modules a `bin` entry runs (`./dist/esm/bin.js` is `bin`): executables, not exports. */
export const binModules = (bin: unknown): Array<string> =>
  (isRecord(bin) ? Object.values(bin) : typeof bin === "string" ? [bin] : [])
    .filter((v): v is string => typeof v === "string")
    .map((v) => /^\.\/dist\/(?:esm|cjs)\/(.+)\.js$/.exec(v)?.[1])
    .filter((m): m is string => m !== undefined)

/**
 * The public modules: the top-level files of `src/` (`topLevel`, without
 * `.ts`), except `index` (the root entry) and the modules a `bin` runs.
 */
export const publicModules = (topLevel: ReadonlyArray<string>, bin: unknown): Array<string> => {
  const bins = new Set(binModules(bin))
  return topLevel.filter((m) => m !== "index" && !bins.has(m)).sort()
}

/**
 * The published manifest.
 *
 * `source.publishConfig.bin` (paths inside the published folder) becomes
 * `bin`; the workspace's own `bin` runs the sources and is not published.
 */
export const published = (source: Json, topLevel: ReadonlyArray<string>): Json => {
  const publishConfig = isRecord(source.publishConfig) ? source.publishConfig : {}
  const { bin, directory: _directory, linkDirectory: _linkDirectory, ...rest } = publishConfig
  const modules = publicModules(topLevel, bin)
  const out: Record<string, unknown> = {}
  for (const field of copied) if (source[field] !== undefined) out[field] = source[field]
  out.type = "module"
  out.sideEffects = false
  if (bin !== undefined) out.bin = bin
  out.main = "./dist/cjs/index.js"
  out.module = "./dist/esm/index.js"
  out.types = "./dist/cjs/index.d.ts"
  out.exports = {
    "./package.json": "./package.json",
    ".": conditions("index"),
    ...Object.fromEntries(modules.map((m) => [`./${m}`, conditions(m)]))
  }
  // `moduleResolution: node10` ignores `exports`: its subpaths resolve through here.
  out.typesVersions = { "*": Object.fromEntries(modules.map((m) => [m, [`./dist/cjs/${m}.d.ts`]])) }
  out.files = ["dist/esm", "dist/cjs", "src", "README.md", "CHANGELOG.md", "LICENSE"]
  for (const field of dependencyFields) if (source[field] !== undefined) out[field] = source[field]
  if (Object.keys(rest).length > 0) out.publishConfig = rest
  return out
}
