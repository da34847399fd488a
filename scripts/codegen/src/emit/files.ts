/**
 * Declarations packed into files: each declaration is measured, files are
 * filled in order up to a line budget, then every placeholder reference is
 * resolved to a local name or to a namespace import of the file that declares
 * it.
 *
 * @since 0.2.0
 */
import type { Refs } from "./render.js"
import { resolveRefs } from "./render.js"
import { aliasOf, compare, importPath, lineCount } from "./text.js"

/**
 * One exported declaration (or a few that belong together, such as an
 * interface and its schema).
 *
 * @since 0.2.0
 */
export interface Declaration {
  /** The model names (keys of `Model.types`, or params names) it declares. */
  readonly names: ReadonlyArray<string>
  /** Its text, references as placeholders. */
  readonly text: string
  readonly refs: Refs
}

/**
 * A file being assembled: its path (relative to the generated root) and its
 * declarations.
 *
 * @since 0.2.0
 */
export interface FilePlan {
  readonly path: string
  readonly declarations: ReadonlyArray<Declaration>
  /** The module's JSDoc, when the emitter knows it at planning time. */
  readonly doc?: string | undefined
  /** Import lines besides those of referenced declarations. */
  readonly imports?: ReadonlyArray<string> | undefined
}

/**
 * The files a group of declarations goes to, `base.ts`, `base.2.ts`, ...
 * each holding at most `budget` lines of declarations (a larger declaration
 * gets a file of its own).
 *
 * @since 0.2.0
 */
export const pack = (base: string, declarations: ReadonlyArray<Declaration>, budget: number): Array<FilePlan> => {
  const out: Array<FilePlan> = []
  let current: Array<Declaration> = []
  let lines = 0
  const flush = () => {
    if (current.length === 0) return
    out.push({ path: out.length === 0 ? `${base}.ts` : `${base}.${out.length + 1}.ts`, declarations: current })
    current = []
    lines = 0
  }
  for (const d of declarations) {
    const n = lineCount(d.text) + 1
    if (lines > 0 && lines + n > budget) flush()
    current.push(d)
    lines += n
  }
  flush()
  return out
}

/**
 * Where each named thing is declared: name → file path and identifier.
 *
 * @since 0.2.0
 */
export type Locations = ReadonlyMap<string, { readonly file: string; readonly ident: string }>

/**
 * The import lines and the resolved body of a planned file.
 *
 * @since 0.2.0
 */
export const assemble = (
  plan: FilePlan,
  locations: Locations
): { readonly imports: ReadonlyArray<string>; readonly body: string } => {
  const typeFiles = new Set<string>()
  const valueFiles = new Set<string>()
  const own = new Set(plan.declarations.flatMap((d) => d.names))
  for (const d of plan.declarations) {
    for (const name of d.refs.types) {
      const loc = locations.get(name)
      if (loc === undefined) throw new Error(`${plan.path}: reference to unknown type ${name}`)
      if (!own.has(name)) typeFiles.add(loc.file)
    }
    for (const name of d.refs.values) {
      const loc = locations.get(name)
      if (loc === undefined) throw new Error(`${plan.path}: reference to unknown type ${name}`)
      if (!own.has(name)) valueFiles.add(loc.file)
    }
  }
  const imports = [...new Set([...typeFiles, ...valueFiles])].sort(compare).map((file) =>
    `import ${valueFiles.has(file) ? "" : "type "}* as ${aliasOf(file)} from "${importPath(plan.path, file)}"`
  )
  const resolve = (name: string): string => {
    const loc = locations.get(name)
    if (loc === undefined) throw new Error(`${plan.path}: reference to unknown type ${name}`)
    return own.has(name) ? loc.ident : `${aliasOf(loc.file)}.${loc.ident}`
  }
  const body = plan.declarations.map((d) => resolveRefs(d.text, resolve)).join("\n")
  return { imports, body }
}
