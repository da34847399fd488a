/**
 * The declarations Stripe publishes in the `stripe` npm package, read into the
 * codegen {@link Model} with the TypeScript compiler API (one `Program` and its
 * type checker per package; the compiled JavaScript parsed with the same
 * compiler, never matched with regular expressions).
 *
 * Two layouts are supported:
 * - `stripe@15` (`types/**\/*.d.ts`, `declare module 'stripe' { namespace Stripe { ... } }`;
 *   each method's HTTP method and path in `stripeMethod({ method, fullPath, methodType })`
 *   inside `StripeResource.extend({...})` of `esm/resources/**\/*.js`);
 * - `stripe@23` (ES module declarations `esm/resources/**\/*.d.ts`; each method's HTTP
 *   method and path in `this._makeRequest('GET', \`/v1/...\`, params, options, spec)` of
 *   the resource class in `esm/resources/**\/*.js`).
 *
 * The public surface is the `Stripe` class instance type: the property path
 * (`stripe.testHelpers.treasury.inboundTransfers.fail`) gives namespace,
 * resource and method name; the declared signature gives the path-parameter
 * names, the params type and the response; the JavaScript gives the HTTP
 * method, the path, list/search, the host and multipart.
 *
 * @since 0.2.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import ts from "typescript"
import type {
  EventDef,
  Field,
  HttpMethod,
  Model,
  NamedType,
  Operation,
  RequestCallSite,
  Response,
  Type
} from "../model.js"
import { compare, compareOperations, firstParagraph, nullable, sortTypes } from "./util.js"

// ---------------------------------------------------------------------------
// Package layout
// ---------------------------------------------------------------------------

interface Layout {
  readonly dir: string
  readonly version: string
  /** `types`: stripe@15 ambient declarations; `esm`: stripe@23 module declarations. */
  readonly kind: "types" | "esm"
  /** The declaration file the program starts from. */
  readonly entry: string
  /** Where declarations live (`types/` or `esm/resources/`). */
  readonly declRoot: string
  /** Where the compiled resources live (`esm/resources/`). */
  readonly jsRoot: string
}

const readJson = (file: string): unknown => JSON.parse(Fs.readFileSync(file, "utf8"))

const layoutOf = (dir: string): Layout => {
  const manifest = readJson(Path.join(dir, "package.json"))
  const version = typeof manifest === "object" && manifest !== null && "version" in manifest &&
      typeof manifest.version === "string"
    ? manifest.version
    : "unknown"
  const jsRoot = Path.join(dir, "esm", "resources")
  if (Fs.existsSync(Path.join(dir, "types", "index.d.ts"))) {
    return {
      dir,
      version,
      kind: "types",
      entry: Path.join(dir, "types", "index.d.ts"),
      declRoot: Path.join(dir, "types"),
      jsRoot
    }
  }
  if (Fs.existsSync(Path.join(dir, "esm", "stripe.core.d.ts"))) {
    return { dir, version, kind: "esm", entry: Path.join(dir, "esm", "stripe.core.d.ts"), declRoot: jsRoot, jsRoot }
  }
  throw new Error(`${dir}: neither types/index.d.ts (stripe@15) nor esm/stripe.core.d.ts (stripe@23)`)
}

const parseJs = (file: string): ts.SourceFile =>
  ts.createSourceFile(file, Fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS)

/** `export const ApiVersion = '...'` of `esm/apiVersion.js`. */
const apiVersionOf = (layout: Layout): string => {
  const file = parseJs(Path.join(layout.dir, "esm", "apiVersion.js"))
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === "ApiVersion" && d.initializer !== undefined) {
        if (ts.isStringLiteralLike(d.initializer)) return d.initializer.text
      }
    }
  }
  throw new Error(`${layout.dir}: no ApiVersion in esm/apiVersion.js`)
}

// ---------------------------------------------------------------------------
// The compiled JavaScript: HTTP method, path, kind, host of each method
// ---------------------------------------------------------------------------

/** One request a method sends, as its JavaScript says. */
interface RequestCall {
  readonly httpMethod: HttpMethod
  /** Path with `{name}` placeholders as the JavaScript names them. */
  readonly path: string
  readonly placeholders: ReadonlyArray<string>
  readonly methodType: "list" | "search" | undefined
  readonly host: "api" | "files" | "meterEvents" | "connect"
  readonly multipart: boolean
  readonly streaming: boolean
}

const propertyName = (name: ts.PropertyName): string | undefined =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined

const objectProperties = (o: ts.ObjectLiteralExpression): ReadonlyMap<string, ts.Expression> => {
  const out = new Map<string, ts.Expression>()
  for (const p of o.properties) {
    if (!ts.isPropertyAssignment(p)) continue
    const name = propertyName(p.name)
    if (name !== undefined) out.set(name, p.initializer)
  }
  return out
}

const stringOf = (e: ts.Expression | undefined): string | undefined =>
  e !== undefined && ts.isStringLiteralLike(e) ? e.text : undefined

const httpMethodOf = (s: string | undefined, where: string): HttpMethod => {
  const m = s?.toUpperCase()
  if (m === "GET" || m === "POST" || m === "DELETE") return m
  throw new Error(`${where}: unsupported HTTP method ${s}`)
}

const placeholdersOf = (path: string): ReadonlyArray<string> =>
  path.split("/").filter((s) => s.startsWith("{") && s.endsWith("}")).map((s) => s.slice(1, -1))

/** stripe@15 `host: 'files.stripe.com'`, stripe@23 `apiBase: 'files' | 'meter_events' | 'connect'`. */
const hostOf = (host: string | undefined): RequestCall["host"] => {
  if (host === undefined || host === "api" || host.startsWith("api.")) return "api"
  if (host.startsWith("files")) return "files"
  if (host.startsWith("meter")) return "meterEvents"
  if (host.startsWith("connect")) return "connect"
  throw new Error(`unknown host ${host}`)
}

/** Reads the request spec object (stripe@15 `stripeMethod({...})`, stripe@23 the 5th `_makeRequest` argument). */
const specFacts = (
  spec: ReadonlyMap<string, ts.Expression>
): Pick<RequestCall, "methodType" | "host" | "multipart" | "streaming"> => {
  const methodType = stringOf(spec.get("methodType"))
  const host = stringOf(spec.get("host")) ?? stringOf(spec.get("apiBase"))
  const headers = spec.get("headers")
  const contentType = headers !== undefined && ts.isObjectLiteralExpression(headers)
    ? stringOf(objectProperties(headers).get("Content-Type"))
    : undefined
  const streaming = spec.get("streaming")
  return {
    methodType: methodType === "list" || methodType === "search" ? methodType : undefined,
    host: hostOf(host),
    multipart: contentType === "multipart/form-data",
    streaming: streaming !== undefined && streaming.kind === ts.SyntaxKind.TrueKeyword
  }
}

/**
 * stripe@23: the path argument of `_makeRequest`, `${encodeURIComponent(x)}`
 * spans as `{x}`; `undefined` for a computed path (`relatedObject.url` in
 * `V2.Core.Events`' helper, not an API method).
 */
const templatePath = (e: ts.Expression, where: string): string | undefined => {
  if (ts.isStringLiteralLike(e)) return e.text
  if (!ts.isTemplateExpression(e)) return undefined
  let out = e.head.text
  for (const span of e.templateSpans) {
    const x = span.expression
    if (
      !ts.isCallExpression(x) || !ts.isIdentifier(x.expression) || x.expression.text !== "encodeURIComponent" ||
      x.arguments.length !== 1 || x.arguments[0] === undefined || !ts.isIdentifier(x.arguments[0])
    ) {
      throw new Error(`${where}: unsupported path span`)
    }
    out += `{${x.arguments[0].text}}${span.literal.text}`
  }
  return out
}

const collectCalls = (node: ts.Node, visit: (call: ts.CallExpression) => void): void => {
  const go = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) visit(n)
    ts.forEachChild(n, go)
  }
  go(node)
}

/** stripe@23: `class <name> extends StripeResource { m(...) { return this._makeRequest(...) } }`. */
const esmRequests = (
  file: ts.SourceFile,
  className: string,
  sites: Array<RequestCallSite>
): ReadonlyMap<string, ReadonlyArray<RequestCall>> => {
  const out = new Map<string, Array<RequestCall>>()
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name?.text !== className) continue
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member) || member.body === undefined) continue
      const name = propertyName(member.name)
      if (name === undefined) continue
      const where = `${file.fileName} ${className}.${name}`
      collectCalls(member.body, (call) => {
        const callee = call.expression
        if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "_makeRequest") return
        if (callee.expression.kind !== ts.SyntaxKind.ThisKeyword) return
        const [method, path, , , spec] = call.arguments
        if (method === undefined || path === undefined) throw new Error(`${where}: _makeRequest without a path`)
        const p = templatePath(path, where)
        const facts = specFacts(
          spec !== undefined && ts.isObjectLiteralExpression(spec) ? objectProperties(spec) : new Map()
        )
        const httpMethod = httpMethodOf(stringOf(method), where)
        sites.push({
          httpMethod,
          path: p,
          host: facts.host,
          where: `${Path.basename(file.fileName)} ${className}.${name}`
        })
        if (p === undefined) return
        const list = out.get(name) ?? []
        list.push({
          httpMethod: httpMethodOf(stringOf(method), where),
          path: p,
          placeholders: placeholdersOf(p),
          ...facts
        })
        out.set(name, list)
      })
    }
  }
  return out
}

/** stripe@15: `StripeResource.extend({ m: stripeMethod({ method, fullPath, ... }), ... })`. */
const extendRequests = (
  file: ts.SourceFile,
  sites: Array<RequestCallSite>
): ReadonlyMap<string, ReadonlyArray<RequestCall>> => {
  const out = new Map<string, Array<RequestCall>>()
  collectCalls(file, (call) => {
    const callee = call.expression
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "extend") return
    const arg = call.arguments[0]
    if (arg === undefined || !ts.isObjectLiteralExpression(arg)) return
    for (const p of arg.properties) {
      const name = p.name === undefined ? undefined : propertyName(p.name)
      if (name === undefined) continue
      const where = `${file.fileName} ${name}`
      collectCalls(p, (inner) => {
        const f = inner.expression
        const isMethod = (ts.isIdentifier(f) && f.text === "stripeMethod") ||
          (ts.isPropertyAccessExpression(f) && f.name.text === "method")
        const spec = inner.arguments[0]
        if (!isMethod || spec === undefined || !ts.isObjectLiteralExpression(spec)) return
        const props = objectProperties(spec)
        const path = stringOf(props.get("fullPath"))
        if (path === undefined) throw new Error(`${where}: stripeMethod without fullPath`)
        const list = out.get(name) ?? []
        const call: RequestCall = {
          httpMethod: httpMethodOf(stringOf(props.get("method")), where),
          path,
          placeholders: placeholdersOf(path),
          ...specFacts(props)
        }
        list.push(call)
        sites.push({
          httpMethod: call.httpMethod,
          path,
          host: call.host,
          where: `${Path.basename(file.fileName)} ${name}`
        })
        out.set(name, list)
      })
    }
  })
  return out
}

// ---------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------

/**
 * Properties of the `Stripe` instance that are not API resources, with the reason.
 *
 * @since 0.2.0
 */
export const skippedProperties: Readonly<Record<string, string>> = {
  account: "alias of `accounts` (stripe@23: `this.account = this.accounts`)",
  webhooks: "signature helpers, no requests",
  errors: "error classes",
  StripeResource: "the base class",
  Decimal: "the decimal helper"
}

interface RawType {
  readonly key: string
  type: Type
  readonly module: string
  readonly description: string | undefined
  /** A Stripe object (`id` and `object` fields), or an alias whose members all are. */
  readonly isObject: boolean
}

/**
 * Properties skipped in the stripe@15 layout only, with the reason.
 *
 * @since 0.2.0
 */
export const skippedPropertiesV15: Readonly<Record<string, string>> = {
  oauth: "Connect OAuth, declared through `stripeMethod({ path, host: oAuthHost })` with a computed host; " +
    "the reference SDK targets stripe-mock, which serves no OAuth"
}

/** The `""` of `Emptyable<T>`, as a type node. */
const emptyString: ts.TypeNode = ts.factory.createLiteralTypeNode(ts.factory.createStringLiteral(""))

type Env = ReadonlyMap<string, { readonly node: ts.TypeNode; readonly env: Env }>
const emptyEnv: Env = new Map()

const pascalSegment = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1)

// Resource names that are not the property with its first letter up: `stripe.oauth` is `OAuth`.
const resourceNames: Readonly<Record<string, string>> = { oauth: "OAuth" }

const resourceName = (property: string): string => resourceNames[property] ?? pascalSegment(property)

const docOf = (symbol: ts.Symbol, checker: ts.TypeChecker): string | undefined =>
  firstParagraph(ts.displayPartsToString(symbol.getDocumentationComment(checker)))

const isDeprecated = (symbol: ts.Symbol, checker: ts.TypeChecker): boolean =>
  symbol.getJsDocTags(checker).some((t) => t.name === "deprecated")

class Reader {
  readonly program: ts.Program
  readonly checker: ts.TypeChecker
  readonly raw = new Map<string, RawType>()
  readonly v1Events = new Map<string, ts.TypeAliasDeclaration>()
  readonly v2Events = new Map<string, ts.TypeAliasDeclaration>()
  readonly operations: Array<Operation> = []
  /** Every request call site of the resource classes read, see `Model.requestCalls`. */
  readonly requestCalls: Array<RequestCallSite> = []
  private readonly requestsByClass = new Map<ts.Symbol, ReadonlyMap<string, ReadonlyArray<RequestCall>>>()

  constructor(readonly layout: Layout) {
    this.program = ts.createProgram({
      rootNames: [layout.entry],
      options: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        lib: ["lib.es2022.d.ts"],
        types: [],
        noEmit: true,
        skipLibCheck: true,
        strict: true
      }
    })
    this.checker = this.program.getTypeChecker()
  }

  // --- where a declaration lives ------------------------------------------

  inPackage(file: string): boolean {
    return file.startsWith(this.layout.dir + Path.sep)
  }

  /** The directory of a declaration file below the declaration root, as segments (`["V2", "Core"]`). */
  dirSegments(file: string): ReadonlyArray<string> {
    if (this.layout.kind === "types" || !file.startsWith(this.layout.declRoot + Path.sep)) return []
    const rel = Path.relative(this.layout.declRoot, Path.dirname(file))
    return rel === "" ? [] : rel.split(Path.sep)
  }

  /** The file group of a declaration: `Customers`, `Issuing/Cards`, `V2/Core/Events`; `Shared` outside resources. */
  moduleOf(file: string): string {
    const root = this.layout.declRoot
    if (!file.startsWith(root + Path.sep)) return "Shared"
    const rel = Path.relative(root, file).replace(/\.d\.ts$/, "").split(Path.sep).join("/")
    if (this.layout.kind === "esm") return rel
    if (rel === "shared" || rel === "lib" || rel === "index") return "Shared"
    if (rel === "EventTypes") return "Events"
    return rel.endsWith("Resource") ? rel.slice(0, -"Resource".length) : rel
  }

  /** The public qualified name under `Stripe.`: `Customer.InvoiceSettings`, `Issuing.Card`, `V2.Core.Account`. */
  keyOf(symbol: ts.Symbol, file: string): string {
    const fqn = this.checker.getFullyQualifiedName(symbol)
    let rest = fqn
    if (fqn.startsWith("\"")) {
      const end = fqn.indexOf("\"", 1)
      rest = fqn.slice(end + 2)
    }
    let segments = rest.split(".")
    if (this.layout.kind === "types") {
      if (segments[0] === "Stripe") segments = segments.slice(1)
      return segments.join(".")
    }
    const dir = this.dirSegments(file)
    if (dir.length > 0 && segments[0] !== dir[0]) segments = [...dir, ...segments]
    return segments.join(".")
  }

  resolve(node: ts.EntityName): ts.Symbol | undefined {
    const s = this.checker.getSymbolAtLocation(node)
    if (s === undefined) return undefined
    return (s.flags & ts.SymbolFlags.Alias) !== 0 ? this.checker.getAliasedSymbol(s) : s
  }

  declarationOf(symbol: ts.Symbol): ts.Declaration | undefined {
    const decls = symbol.declarations ?? []
    return decls.find((d) =>
      ts.isInterfaceDeclaration(d) || ts.isClassDeclaration(d) || ts.isTypeAliasDeclaration(d)
    ) ??
      decls[0]
  }

  // --- named types ---------------------------------------------------------

  /** Registers an interface (or class) as a named type and returns a ref to it. */
  refToInterface(symbol: ts.Symbol, decl: ts.Declaration, keyOverride?: string): Type {
    const file = decl.getSourceFile().fileName
    const key = keyOverride ?? this.keyOf(symbol, file)
    if (this.raw.has(key)) return { kind: "ref", name: key }
    const declared = this.checker.getDeclaredTypeOfSymbol(symbol)
    const props = this.checker.getPropertiesOfType(declared)
    const names = new Set(props.map((p) => p.getName()))
    const entry: RawType = {
      key,
      type: { kind: "struct", fields: [] },
      module: this.moduleOf(file),
      description: docOf(symbol, this.checker),
      // A Stripe object (`id` and `object`), or a response struct with an id that a field can
      // hold expanded or as that id (`charge.outcome.rule: string | Charge.Outcome.Rule`).
      isObject: names.has("id") && (names.has("object") || !key.includes("Params"))
    }
    this.raw.set(key, entry)
    entry.type = this.structOfSymbols(props)
    return { kind: "ref", name: key }
  }

  /** Registers a type alias whose members are all Stripe objects (`CustomerSource`) as a named union. */
  refToAlias(symbol: ts.Symbol, decl: ts.TypeAliasDeclaration): Type {
    const file = decl.getSourceFile().fileName
    const key = this.keyOf(symbol, file)
    if (this.raw.has(key)) return { kind: "ref", name: key }
    const entry: RawType = {
      key,
      type: { kind: "union", members: [] },
      module: this.moduleOf(file),
      description: docOf(symbol, this.checker),
      isObject: true
    }
    this.raw.set(key, entry)
    entry.type = this.convert(decl.type, emptyEnv)
    return { kind: "ref", name: key }
  }

  /** `type UpcomingInvoice = Omit<Stripe.Invoice, 'id'>`: the interface and the omitted keys. */
  omitOf(decl: ts.TypeAliasDeclaration): { readonly base: ts.Symbol; readonly keys: ReadonlySet<string> } | undefined {
    const t = decl.type
    if (!ts.isTypeReferenceNode(t) || this.resolve(t.typeName)?.getName() !== "Omit") return undefined
    const [target, keys] = t.typeArguments ?? []
    if (target === undefined || keys === undefined || !ts.isTypeReferenceNode(target)) return undefined
    const base = this.resolve(target.typeName)
    if (base === undefined || (base.flags & ts.SymbolFlags.Interface) === 0) return undefined
    const names = new Set<string>()
    const collect = (n: ts.TypeNode): void => {
      if (ts.isUnionTypeNode(n)) n.types.forEach(collect)
      else if (ts.isLiteralTypeNode(n) && ts.isStringLiteral(n.literal)) names.add(n.literal.text)
    }
    collect(keys)
    return { base, keys: names }
  }

  /** Registers `Omit<Interface, keys>` under the alias's name: the interface's fields but the omitted ones. */
  refToOmit(symbol: ts.Symbol, decl: ts.TypeAliasDeclaration, base: ts.Symbol, keys: ReadonlySet<string>): Type {
    const file = decl.getSourceFile().fileName
    const key = this.keyOf(symbol, file)
    if (this.raw.has(key)) return { kind: "ref", name: key }
    const props = this.checker.getPropertiesOfType(this.checker.getDeclaredTypeOfSymbol(base)).filter((p) =>
      !keys.has(p.getName())
    )
    const entry: RawType = {
      key,
      type: { kind: "struct", fields: [] },
      module: this.moduleOf(file),
      description: docOf(symbol, this.checker),
      isObject: false
    }
    this.raw.set(key, entry)
    entry.type = this.structOfSymbols(props)
    return { kind: "ref", name: key }
  }

  isObjectRef(t: Type): boolean {
    return t.kind === "ref" && this.raw.get(t.name)?.isObject === true
  }

  /** Whether every member of a union alias is a Stripe object interface (checked on declarations, before converting). */
  isObjectAlias(decl: ts.TypeAliasDeclaration): boolean {
    if (!ts.isUnionTypeNode(decl.type)) return false
    return decl.type.types.every((m) => {
      if (!ts.isTypeReferenceNode(m) || m.typeArguments !== undefined) return false
      const s = this.resolve(m.typeName)
      if (s === undefined || (s.flags & ts.SymbolFlags.Interface) === 0) return false
      const names = new Set(
        this.checker.getPropertiesOfType(this.checker.getDeclaredTypeOfSymbol(s)).map((p) => p.getName())
      )
      return names.has("id") && names.has("object")
    })
  }

  structOfSymbols(props: ReadonlyArray<ts.Symbol>): Type {
    const fields: Array<Field> = []
    for (const p of props) {
      const f = this.fieldOf(p)
      if (f !== undefined) fields.push(f)
    }
    return { kind: "struct", fields: fields.sort((a, b) => compare(a.name, b.name)) }
  }

  fieldOf(p: ts.Symbol, env: Env = emptyEnv): Field | undefined {
    const decl = p.valueDeclaration ?? p.declarations?.[0]
    if (decl === undefined) return undefined
    if (!ts.isPropertySignature(decl) && !ts.isPropertyDeclaration(decl)) return undefined
    // `deleted?: void` on live objects: never present.
    if (decl.type?.kind === ts.SyntaxKind.VoidKeyword) return undefined
    const name = p.getName()
    const type: Type = decl.type === undefined ? { kind: "unknown" } : this.convert(decl.type, env, name)
    const description = docOf(p, this.checker)
    return {
      name,
      type,
      optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
      ...(description === undefined ? {} : { description }),
      ...(isDeprecated(p, this.checker) ? { deprecated: true } : {})
    }
  }

  // --- type nodes → model types -------------------------------------------

  convert(node: ts.TypeNode, env: Env, field?: string): Type {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { kind: "string" }
      case ts.SyntaxKind.NumberKeyword:
        return { kind: "number" }
      case ts.SyntaxKind.BooleanKeyword:
        return { kind: "boolean" }
      case ts.SyntaxKind.BigIntKeyword:
        return { kind: "string", format: "int64" }
      case ts.SyntaxKind.AnyKeyword:
      case ts.SyntaxKind.UnknownKeyword:
      case ts.SyntaxKind.ObjectKeyword:
        return { kind: "unknown" }
      default:
        break
    }
    if (ts.isParenthesizedTypeNode(node) || ts.isTypeOperatorNode(node)) return this.convert(node.type, env, field)
    if (ts.isArrayTypeNode(node)) return { kind: "array", items: this.convert(node.elementType, env) }
    if (ts.isLiteralTypeNode(node) || ts.isUnionTypeNode(node)) return this.union([node], env, field)
    if (ts.isTypeLiteralNode(node)) return this.typeLiteral(node, env)
    if (ts.isIntersectionTypeNode(node)) {
      // `string & Record<never, never>` (OtherString) is a string.
      if (node.types.some((t) => t.kind === ts.SyntaxKind.StringKeyword)) return { kind: "string" }
      const parts = node.types.map((t) => this.convert(t, env))
      const fields = parts.flatMap((t) => (t.kind === "struct" ? t.fields : []))
      return parts.every((t) => t.kind === "struct") ? { kind: "struct", fields } : { kind: "unknown" }
    }
    if (ts.isTypeReferenceNode(node)) return this.reference(node, env, field)
    return { kind: "unknown" }
  }

  typeLiteral(node: ts.TypeLiteralNode, env: Env): Type {
    const index = node.members.find(ts.isIndexSignatureDeclaration)
    const props = node.members.filter(ts.isPropertySignature)
    if (index !== undefined && props.length === 0) return { kind: "map", values: this.convert(index.type, env) }
    const fields: Array<Field> = []
    for (const m of props) {
      const symbol = this.checker.getSymbolAtLocation(m.name)
      if (symbol === undefined) continue
      const f = this.fieldOf(symbol, env)
      if (f !== undefined) fields.push(f)
    }
    return { kind: "struct", fields: fields.sort((a, b) => compare(a.name, b.name)) }
  }

  /** Flattens union members, following aliases of unions (`Emptyable<T>`, enum aliases with `OtherString`). */
  flatten(nodes: ReadonlyArray<ts.TypeNode>, env: Env, out: Array<{ node: ts.TypeNode; env: Env }>): void {
    for (const n of nodes) {
      if (ts.isParenthesizedTypeNode(n)) {
        this.flatten([n.type], env, out)
      } else if (ts.isUnionTypeNode(n)) {
        this.flatten(n.types, env, out)
      } else if (ts.isTypeReferenceNode(n)) {
        const s = this.resolve(n.typeName)
        if (s !== undefined && (s.flags & ts.SymbolFlags.TypeParameter) !== 0) {
          const sub = env.get(s.getName())
          if (sub !== undefined) this.flatten([sub.node], sub.env, out)
          else out.push({ node: n, env })
          continue
        }
        const decl = s === undefined ? undefined : this.declarationOf(s)
        if (s?.getName() === "Emptyable" && n.typeArguments?.[0] !== undefined) {
          // `Emptyable<T>` (stripe@15 `T | ''`, stripe@23 `null | '' | T`): the value, or `""` to unset it.
          // The `null` stripe@23 also accepts is a client-side spelling of the same `""`.
          this.flatten([n.typeArguments[0]], env, out)
          out.push({ node: emptyString, env })
          continue
        }
        if (
          decl !== undefined && ts.isTypeAliasDeclaration(decl) && ts.isUnionTypeNode(decl.type) &&
          !this.isObjectAlias(decl) && !this.isEventUnion(decl)
        ) {
          this.flatten([decl.type], this.bind(decl, n, env), out)
        } else {
          out.push({ node: n, env })
        }
      } else {
        out.push({ node: n, env })
      }
    }
  }

  bind(decl: ts.TypeAliasDeclaration | ts.InterfaceDeclaration, ref: ts.TypeReferenceNode, env: Env): Env {
    const params = decl.typeParameters ?? []
    if (params.length === 0) return emptyEnv
    const out = new Map<string, { node: ts.TypeNode; env: Env }>()
    params.forEach((p, i) => {
      const arg = ref.typeArguments?.[i] ?? p.default
      if (arg !== undefined) out.set(p.name.text, { node: arg, env })
    })
    return out
  }

  isOtherString(node: ts.TypeNode): boolean {
    if (!ts.isTypeReferenceNode(node)) return false
    return this.resolve(node.typeName)?.getName() === "OtherString"
  }

  union(nodes: ReadonlyArray<ts.TypeNode>, env: Env, field: string | undefined): Type {
    const members: Array<{ node: ts.TypeNode; env: Env }> = []
    this.flatten(nodes, env, members)
    let hasNull = false
    let hasString = false
    let hasOtherString = false
    const literals: Array<string> = []
    const bools = new Set<boolean>()
    const numbers: Array<number> = []
    const objects: Array<Type> = []
    const others: Array<Type> = []
    for (const { env: e, node } of members) {
      if (ts.isLiteralTypeNode(node)) {
        const l = node.literal
        if (l.kind === ts.SyntaxKind.NullKeyword) hasNull = true
        else if (l.kind === ts.SyntaxKind.TrueKeyword) bools.add(true)
        else if (l.kind === ts.SyntaxKind.FalseKeyword) bools.add(false)
        else if (ts.isStringLiteral(l)) literals.push(l.text)
        else if (ts.isNumericLiteral(l)) numbers.push(Number(l.text))
        else others.push({ kind: "unknown" })
        continue
      }
      if (node.kind === ts.SyntaxKind.UndefinedKeyword) continue
      if (node.kind === ts.SyntaxKind.StringKeyword) {
        hasString = true
        continue
      }
      if (this.isOtherString(node)) {
        hasOtherString = true
        continue
      }
      let t = this.convert(node, e)
      if (t.kind === "nullable") {
        hasNull = true
        t = t.inner
      }
      if (this.isObjectRef(t)) objects.push(t)
      else others.push(t)
    }
    const out: Array<Type> = []
    if (literals.length > 0) {
      const only = literals.length === 1 ? literals[0] : undefined
      out.push(
        only !== undefined && (field === "object" || only === "")
          ? { kind: "literal", value: only }
          : { kind: "enum", values: literals }
      )
    }
    if (hasOtherString && literals.length === 0) hasString = true
    if (bools.size === 2) out.push({ kind: "boolean" })
    else for (const b of bools) out.push({ kind: "literal", value: b })
    for (const n of numbers) out.push({ kind: "literal", value: n })
    if (hasString && objects.length > 0) {
      out.push({ kind: "expandable", targets: objects })
    } else {
      if (hasString) out.push({ kind: "string" })
      out.push(...objects)
    }
    const seen = new Set<string>()
    for (const t of others) {
      const k = JSON.stringify(t)
      if (!seen.has(k)) {
        seen.add(k)
        out.push(t)
      }
    }
    const body: Type = out.length === 1 && out[0] !== undefined
      ? out[0]
      : out.length === 0
      ? { kind: "unknown" }
      : { kind: "union", members: out }
    return hasNull ? nullable(body) : body
  }

  /** The v1 `Event` union and the v2 `V2.Core.Event` union: every member extends the file's `EventBase`. */
  isEventUnion(decl: ts.TypeAliasDeclaration): boolean {
    return decl.name.text === "Event" && this.eventBaseOf(decl) !== undefined
  }

  /**
   * Adds to an event union's named type the fields every member declares with
   * one type but its base lacks: `related_object` of v2 events (each thin event
   * declares it; `V2.Core.EventBase` does not). Fields whose type varies by
   * event (`data`) stay out: the events carry them.
   */
  addSharedMemberFields(key: string, decl: ts.TypeAliasDeclaration): void {
    const entry = this.raw.get(key)
    if (entry === undefined || entry.type.kind !== "struct") return
    const own = new Set(entry.type.fields.map((f) => f.name))
    const members = this.eventMembers(decl)
    const found = new Map<string, { count: number; nullable: boolean; types: Map<string, Type>; field: Field }>()
    for (const m of members) {
      for (const p of this.checker.getPropertiesOfType(this.checker.getDeclaredTypeOfSymbol(m))) {
        if (own.has(p.getName())) continue
        const f = this.fieldOf(p)
        if (f === undefined) continue
        const inner = f.type.kind === "nullable" ? f.type.inner : f.type
        const prev = found.get(f.name) ?? { count: 0, nullable: false, types: new Map<string, Type>(), field: f }
        prev.count++
        prev.nullable ||= f.type.kind === "nullable"
        prev.types.set(JSON.stringify(inner), inner)
        found.set(f.name, prev)
      }
    }
    const extra: Array<Field> = []
    for (const { count, field, nullable: isNullable, types } of found.values()) {
      // Declared by most members (some events have no related object), with one or two types
      // (`RelatedObject`, `RelatedSingletonObject`); `data` differs by event.
      if (count < members.length / 2 || types.size > 2) continue
      const members2 = [...types.values()]
      const body: Type = members2.length === 1 && members2[0] !== undefined
        ? members2[0]
        : { kind: "union", members: members2 }
      extra.push({ ...field, type: isNullable ? nullable(body) : body, optional: true })
    }
    if (extra.length === 0) return
    entry.type = { kind: "struct", fields: [...entry.type.fields, ...extra].sort((a, b) => compare(a.name, b.name)) }
  }

  /** The `EventBase` that the first member of an event union extends. */
  eventBaseOf(decl: ts.TypeAliasDeclaration): ts.Symbol | undefined {
    if (!ts.isUnionTypeNode(decl.type)) return undefined
    const first = decl.type.types[0]
    if (first === undefined || !ts.isTypeReferenceNode(first)) return undefined
    const member = this.resolve(first.typeName)
    const memberDecl = member?.declarations?.find(ts.isInterfaceDeclaration)
    const base = memberDecl?.heritageClauses?.[0]?.types[0]?.expression
    if (base === undefined || !(ts.isIdentifier(base) || ts.isPropertyAccessExpression(base))) return undefined
    const s = this.checker.getSymbolAtLocation(base)
    const resolved = s !== undefined && (s.flags & ts.SymbolFlags.Alias) !== 0 ? this.checker.getAliasedSymbol(s) : s
    return resolved?.getName() === "EventBase" ? resolved : undefined
  }

  reference(node: ts.TypeReferenceNode, env: Env, field: string | undefined): Type {
    const symbol = this.resolve(node.typeName)
    if (symbol === undefined) return { kind: "unknown" }
    const name = symbol.getName()
    const args = node.typeArguments ?? []
    if ((symbol.flags & ts.SymbolFlags.TypeParameter) !== 0) {
      const sub = env.get(name)
      return sub === undefined ? { kind: "unknown" } : this.convert(sub.node, sub.env, field)
    }
    const decl = this.declarationOf(symbol)
    const file = decl?.getSourceFile().fileName ?? ""
    if (!this.inPackage(file)) {
      // TypeScript's own library types.
      switch (name) {
        case "Array":
        case "ReadonlyArray":
          return { kind: "array", items: args[0] === undefined ? { kind: "unknown" } : this.convert(args[0], env) }
        case "Record":
          return { kind: "map", values: args[1] === undefined ? { kind: "unknown" } : this.convert(args[1], env) }
        case "Uint8Array":
        case "Blob":
        case "Buffer":
          return { kind: "binary" }
        default:
          return { kind: "unknown" }
      }
    }
    switch (name) {
      case "Decimal":
        return { kind: "string", format: "decimal" }
      case "FileData":
        return { kind: "binary" }
      case "OtherString":
        return { kind: "string" }
      case "MetadataParam":
        // `{ [name: string]: string | number | null }`: numbers are sent as strings, null as `""`.
        return { kind: "map", values: { kind: "string" } }
      case "ApiList":
        return { kind: "list", items: args[0] === undefined ? { kind: "unknown" } : this.convert(args[0], env) }
      default:
        break
    }
    if (decl === undefined) return { kind: "unknown" }
    if (ts.isTypeAliasDeclaration(decl)) {
      if (this.isEventUnion(decl)) {
        const base = this.eventBaseOf(decl)
        const baseDecl = base === undefined ? undefined : this.declarationOf(base)
        if (base === undefined || baseDecl === undefined) return { kind: "unknown" }
        const key = this.keyOf(symbol, file)
        if (key === "Event" || key.endsWith(".Core.Event")) {
          if (key === "Event") this.v1Events.set(key, decl)
          else this.v2Events.set(key, decl)
        }
        if (this.raw.has(key)) return { kind: "ref", name: key }
        const t = this.refToInterface(base, baseDecl, key)
        this.addSharedMemberFields(key, decl)
        return t
      }
      if ((decl.typeParameters ?? []).length === 0 && this.isObjectAlias(decl)) return this.refToAlias(symbol, decl)
      const omitted = this.omitOf(decl)
      if (omitted !== undefined) return this.refToOmit(symbol, decl, omitted.base, omitted.keys)
      if (ts.isUnionTypeNode(decl.type)) return this.union([node], env, field)
      return this.convert(decl.type, this.bind(decl, node, env), field)
    }
    if (ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl)) {
      const declared = this.checker.getDeclaredTypeOfSymbol(symbol)
      const props = this.checker.getPropertiesOfType(declared)
      if (props.length === 0) {
        const index = this.checker.getIndexInfosOfType(declared)[0]?.declaration?.type
        if (index !== undefined) return { kind: "map", values: this.convert(index, emptyEnv) }
      }
      if ((ts.isInterfaceDeclaration(decl) && (decl.typeParameters ?? []).length > 0)) return { kind: "unknown" }
      return this.refToInterface(symbol, decl)
    }
    if (ts.isEnumDeclaration(decl)) {
      return {
        kind: "enum",
        values: decl.members.flatMap((
          m
        ) => (m.initializer !== undefined && ts.isStringLiteral(m.initializer) ? [m.initializer.text] : []))
      }
    }
    return { kind: "unknown" }
  }

  // --- responses -----------------------------------------------------------

  referenceName(node: ts.TypeNode): string | undefined {
    if (!ts.isTypeReferenceNode(node)) return undefined
    return this.resolve(node.typeName)?.getName()
  }

  response(node: ts.TypeNode | undefined, where: string): { readonly response: Response; readonly empty: boolean } {
    if (node === undefined || !ts.isTypeReferenceNode(node)) throw new Error(`${where}: no declared return type`)
    const name = this.referenceName(node)
    const arg = node.typeArguments?.[0]
    const items = (): Type => (arg === undefined ? { kind: "unknown" } : this.convert(arg, emptyEnv))
    switch (name) {
      case "ApiListPromise":
        return { response: { kind: "list", items: items() }, empty: false }
      case "ApiSearchResultPromise":
        return { response: { kind: "search", items: items() }, empty: false }
      case "V2ListPromise":
        return { response: { kind: "v2list", items: items() }, empty: false }
      case "Promise":
        break
      default:
        throw new Error(`${where}: unsupported return type ${name}`)
    }
    if (arg === undefined) throw new Error(`${where}: Promise without a type argument`)
    if (arg.kind === ts.SyntaxKind.VoidKeyword) {
      return { response: { kind: "object", type: { kind: "struct", fields: [] } }, empty: true }
    }
    const inner = this.referenceName(arg)
    if (inner === "StripeStreamResponse") return { response: { kind: "bytes" }, empty: false }
    // `oauth.token`: `Promise<OAuthToken>`, the body itself (Connect OAuth answers are not `Response<...>` wrapped).
    if (inner !== undefined && inner !== "Response" && ts.isTypeReferenceNode(arg)) {
      return { response: { kind: "object", type: this.convert(arg, emptyEnv) }, empty: false }
    }
    if (inner !== "Response" || !ts.isTypeReferenceNode(arg) || arg.typeArguments?.[0] === undefined) {
      throw new Error(`${where}: unsupported Promise<${inner}>`)
    }
    const body = arg.typeArguments[0]
    if (
      this.referenceName(body) === "ApiList" && ts.isTypeReferenceNode(body) && body.typeArguments?.[0] !== undefined
    ) {
      return { response: { kind: "list", items: this.convert(body.typeArguments[0], emptyEnv) }, empty: false }
    }
    return { response: { kind: "object", type: this.convert(body, emptyEnv) }, empty: false }
  }

  // --- the public surface ---------------------------------------------------

  stripeClass(): ts.Symbol {
    const checker = this.checker
    if (this.layout.kind === "types") {
      const stripe = checker.getAmbientModules().find((m) => m.getName() === "\"stripe\"")
      const cls = stripe === undefined
        ? undefined
        : checker.getExportsOfModule(stripe).find((s) => s.getName() === "Stripe")
      if (cls === undefined) throw new Error(`${this.layout.entry}: no class Stripe in module 'stripe'`)
      return cls
    }
    const file = this.program.getSourceFile(this.layout.entry)
    const module = file === undefined ? undefined : checker.getSymbolAtLocation(file)
    const cls = module === undefined
      ? undefined
      : checker.getExportsOfModule(module).find((s) => s.getName() === "Stripe")
    if (cls === undefined) throw new Error(`${this.layout.entry}: no exported class Stripe`)
    return cls
  }

  readSurface(): void {
    const instance = this.checker.getDeclaredTypeOfSymbol(this.stripeClass())
    this.walk(instance, [])
  }

  isResourceClass(t: ts.Type): boolean {
    const s = t.getSymbol()
    if (s === undefined || (s.flags & ts.SymbolFlags.Class) === 0) return false
    const name = s.getName()
    return name.endsWith("Resource") && name !== "StripeResource" &&
      (s.declarations ?? []).some((d) => this.inPackage(d.getSourceFile().fileName))
  }

  isNamespace(t: ts.Type): boolean {
    const s = t.getSymbol()
    if (s === undefined) return false
    const decls = s.declarations ?? []
    const here = decls.some((d) => this.inPackage(d.getSourceFile().fileName))
    if ((s.flags & ts.SymbolFlags.TypeLiteral) !== 0) return here
    return (s.flags & ts.SymbolFlags.Class) !== 0 && here &&
      decls.some((d) => d.getSourceFile().fileName.startsWith(this.layout.declRoot + Path.sep))
  }

  walk(type: ts.Type, path: ReadonlyArray<string>): void {
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const name = prop.getName()
      if (name.startsWith("_") || (path.length === 0 && skippedProperties[name] !== undefined)) continue
      if (path.length === 0 && this.layout.kind === "types" && skippedPropertiesV15[name] !== undefined) continue
      const decl = prop.valueDeclaration
      if (decl === undefined || !(ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl))) continue
      if (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Private) continue
      const t = this.checker.getTypeOfSymbolAtLocation(prop, decl)
      if (this.isResourceClass(t)) this.readResource(t, [...path, name])
      else if (this.isNamespace(t)) this.walk(t, [...path, name])
    }
  }

  requestsOf(classSymbol: ts.Symbol): ReadonlyMap<string, ReadonlyArray<RequestCall>> {
    const decl = (classSymbol.declarations ?? []).find(ts.isClassDeclaration)
    if (decl === undefined) throw new Error(`${classSymbol.getName()}: no class declaration`)
    const declFile = decl.getSourceFile().fileName
    const rel = Path.relative(this.layout.declRoot, declFile).replace(/\.d\.ts$/, "")
    const known = this.requestsByClass.get(classSymbol)
    if (known !== undefined) return known
    const requests = this.layout.kind === "types"
      ? extendRequests(parseJs(Path.join(this.layout.jsRoot, rel.replace(/Resource$/, "") + ".js")), this.requestCalls)
      : esmRequests(parseJs(Path.join(this.layout.jsRoot, rel + ".js")), classSymbol.getName(), this.requestCalls)
    this.requestsByClass.set(classSymbol, requests)
    return requests
  }

  readResource(type: ts.Type, path: ReadonlyArray<string>): void {
    const classSymbol = type.getSymbol()
    if (classSymbol === undefined) return
    const requests = this.requestsOf(classSymbol)
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const name = prop.getName()
      const decls = (prop.declarations ?? []).filter((d) => ts.isMethodDeclaration(d) || ts.isMethodSignature(d))
      if (decls.length === 0) {
        const decl = prop.valueDeclaration
        if (decl === undefined || !(ts.isPropertyDeclaration(decl) || ts.isPropertySignature(decl))) continue
        if (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Private) continue
        const t = this.checker.getTypeOfSymbolAtLocation(prop, decl)
        if (this.isResourceClass(t)) this.readResource(t, [...path, name])
        continue
      }
      const calls = requests.get(name)
      if (calls === undefined || calls.length === 0) continue
      this.readMethod(prop, decls, calls, path, name)
    }
  }

  readMethod(
    prop: ts.Symbol,
    decls: ReadonlyArray<ts.Declaration>,
    calls: ReadonlyArray<RequestCall>,
    path: ReadonlyArray<string>,
    name: string
  ): void {
    const where = `${path.join(".")}.${name}`
    const signatures = decls.filter((d): d is ts.MethodDeclaration | ts.MethodSignature =>
      ts.isMethodDeclaration(d) || ts.isMethodSignature(d)
    )
    // The fullest overload: path arguments, params, options.
    const sig = signatures.reduce((a, b) => (b.parameters.length > a.parameters.length ? b : a))
    const pathArgs: Array<string> = []
    let paramsNode: ts.ParameterDeclaration | undefined
    for (const p of sig.parameters) {
      const argName = ts.isIdentifier(p.name) ? p.name.text : ""
      const typeName = p.type === undefined ? undefined : this.referenceName(p.type)
      if (typeName === "RequestOptions") continue
      if (argName === "params" || (typeName !== undefined && typeName.endsWith("Params"))) {
        paramsNode = p
        continue
      }
      // An id: `string`, or `string | null` (stripe@23 `accounts.retrieve(id: string | null)`).
      const isString = p.type?.kind === ts.SyntaxKind.StringKeyword ||
        (p.type !== undefined && ts.isUnionTypeNode(p.type) &&
          p.type.types.some((t) => t.kind === ts.SyntaxKind.StringKeyword))
      if (!isString) throw new Error(`${where}: unexpected argument ${argName}`)
      pathArgs.push(argName)
    }
    const call = calls.find((c) => c.placeholders.length === pathArgs.length)
    if (call === undefined) throw new Error(`${where}: no request with ${pathArgs.length} path params`)
    let i = 0
    const opPath = call.path.split("/").map((s) => (s.startsWith("{") && s.endsWith("}") ? `{${pathArgs[i++]}}` : s))
      .join(
        "/"
      )
    const { empty, response } = this.response(sig.type, where)
    if (call.methodType === "list" && response.kind !== "list" && response.kind !== "v2list") {
      throw new Error(`${where}: methodType list but returns ${response.kind}`)
    }
    if (call.methodType === "search" && response.kind !== "search") {
      throw new Error(`${where}: methodType search but returns ${response.kind}`)
    }
    const params: Array<Field> = []
    let expandable = false
    if (paramsNode?.type !== undefined && ts.isTypeReferenceNode(paramsNode.type)) {
      const s = this.resolve(paramsNode.type.typeName)
      if (s !== undefined) {
        for (const p of this.checker.getPropertiesOfType(this.checker.getDeclaredTypeOfSymbol(s))) {
          if (p.getName() === "expand") {
            expandable = true
            continue
          }
          const f = this.fieldOf(p)
          if (f !== undefined) params.push(f)
        }
      }
    }
    const apiMode = opPath.startsWith("/v2/") ? "v2" : "v1"
    const description = docOf(prop, this.checker)
    this.operations.push({
      namespace: path.slice(0, -1).map(pascalSegment),
      resource: resourceName(path[path.length - 1] ?? ""),
      name,
      httpMethod: call.httpMethod,
      path: opPath,
      pathParams: pathArgs,
      host: call.host,
      apiMode,
      encoding: apiMode === "v2" ? "json" : call.multipart ? "multipart" : "form",
      params: params.sort((a, b) => compare(a.name, b.name)),
      paramsRequired: paramsNode !== undefined && paramsNode.questionToken === undefined,
      expandable,
      response,
      ...(description === undefined ? {} : { description }),
      ...(isDeprecated(prop, this.checker) ? { deprecated: true } : {}),
      ...(empty ? { noResponseBody: true } : {})
    })
  }

  // --- every Stripe object, reachable or not ---------------------------------

  readObjects(): void {
    for (const file of this.program.getSourceFiles()) {
      if (!file.fileName.startsWith(this.layout.declRoot + Path.sep)) continue
      const visit = (statements: ReadonlyArray<ts.Statement>): void => {
        for (const s of statements) {
          if (ts.isModuleDeclaration(s) && s.body !== undefined && ts.isModuleBlock(s.body)) {
            visit(s.body.statements)
          } else if (ts.isInterfaceDeclaration(s) && (s.typeParameters ?? []).length === 0) {
            const symbol = this.checker.getSymbolAtLocation(s.name)
            if (symbol === undefined) continue
            const key = this.keyOf(symbol, file.fileName)
            // Params are not objects; events are read from the `Event` unions (`EventBase` is `Event`).
            if (key.includes("Params") || /Event(Base|NotificationBase)?$/.test(key) || key.includes("Event.")) continue
            const object = this.checker.getPropertiesOfType(this.checker.getDeclaredTypeOfSymbol(symbol)).find((p) =>
              p.getName() === "object"
            )
            const od = object?.valueDeclaration
            if (
              od !== undefined && ts.isPropertySignature(od) && od.type !== undefined && ts.isLiteralTypeNode(od.type)
            ) {
              this.refToInterface(symbol, s)
            }
          }
        }
      }
      visit(file.statements)
    }
  }

  // --- events ----------------------------------------------------------------

  eventMembers(decl: ts.TypeAliasDeclaration): ReadonlyArray<ts.Symbol> {
    if (!ts.isUnionTypeNode(decl.type)) return []
    return decl.type.types.flatMap((m) => {
      if (!ts.isTypeReferenceNode(m)) return []
      const s = this.resolve(m.typeName)
      return s === undefined ? [] : [s]
    })
  }

  literalOfProperty(type: ts.Type, name: string): string | undefined {
    const p = this.checker.getPropertyOfType(type, name)
    const d = p?.valueDeclaration
    if (d === undefined || !ts.isPropertySignature(d) || d.type === undefined || !ts.isLiteralTypeNode(d.type)) {
      return undefined
    }
    return ts.isStringLiteral(d.type.literal) ? d.type.literal.text : undefined
  }

  readEvents(): ReadonlyArray<EventDef> {
    const out: Array<EventDef> = []
    for (const decl of this.v1Events.values()) {
      for (const member of this.eventMembers(decl)) {
        const type = this.checker.getDeclaredTypeOfSymbol(member)
        const eventType = this.literalOfProperty(type, "type")
        if (eventType === undefined) continue
        const data = this.checker.getPropertyOfType(type, "data")
        const dataDecl = data?.valueDeclaration
        let object: Type | undefined
        if (dataDecl !== undefined && ts.isPropertySignature(dataDecl) && dataDecl.type !== undefined) {
          const dataType = this.checker.getTypeAtLocation(dataDecl.type)
          const obj = this.checker.getPropertyOfType(dataType, "object")
          const od = obj?.valueDeclaration
          if (od !== undefined && ts.isPropertySignature(od) && od.type !== undefined) {
            object = this.convert(od.type, emptyEnv)
          }
        }
        out.push({ type: eventType, apiMode: "v1", ...(object === undefined ? {} : { object }) })
      }
    }
    for (const decl of this.v2Events.values()) {
      for (const member of this.eventMembers(decl)) {
        const type = this.checker.getDeclaredTypeOfSymbol(member)
        const eventType = this.literalOfProperty(type, "type")
        if (eventType === undefined) continue
        let object: Type | undefined
        const fetch = this.checker.getPropertyOfType(type, "fetchRelatedObject")?.valueDeclaration
        if (fetch !== undefined && (ts.isMethodSignature(fetch) || ts.isMethodDeclaration(fetch))) {
          const ret = fetch.type
          const arg = ret !== undefined && ts.isTypeReferenceNode(ret) ? ret.typeArguments?.[0] : undefined
          if (arg !== undefined) object = this.convert(arg, emptyEnv)
        }
        let data: Type | undefined
        const dataProp = this.checker.getPropertyOfType(type, "data")
        const dd = dataProp?.valueDeclaration
        if (dd !== undefined && ts.isPropertySignature(dd) && dd.type !== undefined) {
          data = this.convert(dd.type, emptyEnv)
        }
        out.push({
          type: eventType,
          apiMode: "v2",
          ...(object === undefined ? {} : { object }),
          ...(data === undefined ? {} : { data })
        })
      }
    }
    return out.sort((a, b) => compare(a.type, b.type) || compare(a.apiMode, b.apiMode))
  }

  // --- the model ---------------------------------------------------------------

  namedTypes(): Readonly<Record<string, NamedType>> {
    const out = new Map<string, NamedType>()
    const idents = new Set<string>()
    for (const key of [...this.raw.keys()].sort(compare)) {
      const r = this.raw.get(key)
      if (r === undefined) continue
      const base = key.split(".").map(pascalSegment).join("")
      let ident = base
      for (let n = 2; idents.has(ident); n++) ident = `${base}${n}`
      idents.add(ident)
      const fields = r.type.kind === "struct" ? r.type.fields : []
      const object = fields.find((f) => f.name === "object")?.type
      const deleted = fields.find((f) => f.name === "deleted")?.type
      // Params structs carry `object: 'bank_account'` discriminators; they are not Stripe objects.
      const objectValue = key.includes("Params")
        ? undefined
        : object?.kind === "literal" && typeof object.value === "string"
        ? object.value
        : object?.kind === "enum" && object.values.length === 1
        ? object.values[0]
        : undefined
      out.set(key, {
        name: key,
        ident,
        type: r.type,
        ...(objectValue === undefined ? {} : { objectValue }),
        ...(deleted?.kind === "literal" && deleted.value === true ? { deleted: true } : {}),
        module: r.module,
        ...(r.description === undefined ? {} : { description: r.description })
      })
    }
    return sortTypes(out)
  }
}

/**
 * The declarations of one `stripe` package (`stripe@15` or `stripe@23` layout) as a model.
 *
 * @since 0.2.0
 */
export const readStripePackage = (packageDir: string): Model => {
  const layout = layoutOf(packageDir)
  const reader = new Reader(layout)
  reader.readSurface()
  reader.readObjects()
  const events = reader.readEvents()
  return {
    apiVersion: apiVersionOf(layout),
    source: `stripe@${layout.version}`,
    types: reader.namedTypes(),
    operations: [...reader.operations].sort(compareOperations),
    events,
    requestCalls: reader.requestCalls
  }
}
