/**
 * The codegen's coverage count against an oracle outside the generator: the
 * request call sites counted in the compiled JavaScript of `stripe@23.1.0`
 * itself (every `this._makeRequest(...)` call in `esm/resources/**`, found by
 * TypeScript's parser, not by the codegen's reader), each matched with an
 * operation of the shipped SDK found through its public barrel (same HTTP
 * method, host and path shape), or, for a URL computed at runtime, with the
 * hand-written function that sends it.
 */
import { describe, expect, it } from "@effect/vitest"
import { EventNotification } from "@lattice-stripe/webhook"
import * as Fs from "node:fs"
import * as Path from "node:path"
import ts from "typescript"
import { sdkOperations } from "../../../test/src/sdk.js"
import { coverage, describeCoverage } from "../src/emit/coverage.js"
import { loadModel } from "../src/emit/sources.js"
import { shippedStripeDir } from "../src/sources/packages.js"

interface Site {
  readonly file: string
  readonly method: string
  /** The path shape (`/v1/customers/{}`), or `undefined` when computed. */
  readonly shape: string | undefined
  readonly host: string
}

const files = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(Path.join(dir, e.name)) : e.name.endsWith(".js") ? [Path.join(dir, e.name)] : []
  )

const literal = (e: ts.Expression | undefined): string | undefined =>
  e !== undefined && (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) ? e.text : undefined

/** `'/v1/x'`, or a template whose spans are path arguments: its shape. */
const shapeOf = (e: ts.Expression | undefined): string | undefined => {
  const text = literal(e)
  if (text !== undefined) return text
  if (e === undefined || !ts.isTemplateExpression(e)) return undefined
  return e.head.text + e.templateSpans.map((span) => `{}${span.literal.text}`).join("")
}

/** `apiBase: 'connect'` (or `'files'`, `'meter_events'`) in the request spec, else the API host. */
const hostOf = (spec: ts.Expression | undefined): string => {
  if (spec === undefined || !ts.isObjectLiteralExpression(spec)) return "api"
  for (const p of spec.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "apiBase") {
      const base = literal(p.initializer)
      return base === "meter_events" ? "meterEvents" : base ?? "api"
    }
  }
  return "api"
}

const sites: ReadonlyArray<Site> = files(Path.join(shippedStripeDir(), "esm", "resources")).flatMap((file) => {
  const source = ts.createSourceFile(file, Fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
  const out: Array<Site> = []
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === "_makeRequest"
    ) {
      const [method, path, , , spec] = node.arguments
      out.push({ file: Path.basename(file), method: literal(method) ?? "?", shape: shapeOf(path), host: hostOf(spec) })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
})

const shape = (path: string) => path.replace(/\{[^}]+\}/g, "{}")

describe("request calls of stripe@23.1.0 covered by the SDK", () => {
  it("every one of the package's request call sites has an SDK method that sends it", () => {
    const routes = new Set(sdkOperations.map((op) => `${op.method} ${op.host ?? "api"} ${shape(op.path)}`))
    const uncovered = sites.filter((s) => s.shape !== undefined && !routes.has(`${s.method} ${s.host} ${s.shape}`))
    const computed = sites.filter((s) => s.shape === undefined)
    console.log(
      `[coverage] stripe@23.1.0: ${sites.length} request call sites; ${sites.length - computed.length} with a path ` +
        `template, covered by ${sdkOperations.length} generated operations; ${computed.length} computed ` +
        `(${computed.map((s) => s.file).join(", ")}), covered by EventNotification.fetchRelatedObject`
    )
    expect(sites.length).toBe(652)
    expect(uncovered).toEqual([])
    // The one computed URL: a v2 event's `fetchRelatedObject` (`GET related_object.url`).
    expect(computed).toEqual([{ file: "Events.js", method: "GET", shape: undefined, host: "api" }])
    expect(typeof EventNotification.fetchRelatedObject).toBe("function")
  })

  it("the codegen's own count agrees: 650 operations; covers 652/652", () => {
    const model = loadModel("shipped")
    const c = coverage(model)
    expect(c).toMatchObject({ calls: sites.length, covered: sites.length, byHandWritten: 1, uncovered: [] })
    expect(describeCoverage(model, model.operations.length)).toBe(
      "650 operations; covers 652/652 request calls of stripe@23.1.0"
    )
  })
})
