import { describe, expect, it } from "@effect/vitest"
import * as Ts from "typescript"
import * as Build from "../build.js"
import * as Manifest from "../manifest.js"

// What tsc emits for one module (the build's ESM step), from a hand-written source.
const source = [
  "#!/usr/bin/env node",
  "import * as S from \"effect/Schema\"",
  "export const A = /*#__PURE__*/ S.Struct({ a: 1 })",
  "export const B = { nested: /*#__PURE__*/ S.Struct({ b: 2 }) }",
  "export const load = () => import(\"undici\")",
  ""
].join("\n")

const esm = Ts.transpileModule(source, {
  fileName: "/pkg/src/X.ts",
  compilerOptions: {
    module: Ts.ModuleKind.ESNext,
    target: Ts.ScriptTarget.ES2022,
    sourceMap: true,
    outDir: "/pkg/dist/dist/esm"
  }
})

describe("convert (ESM to CommonJS)", () => {
  it("keeps the pure annotations, the shebang and the exports; import() becomes require", async () => {
    expect(Build.countPure(esm.outputText)).toBe(2)
    const out = await Build.convert(esm.outputText, esm.sourceMapText ?? "", {
      esm: "/pkg/dist/dist/esm/X.js",
      cjs: "/pkg/dist/dist/cjs/X.js",
      source: "/pkg/dist/src/X.ts"
    })
    expect(out.code.startsWith("#!/usr/bin/env node\n")).toBe(true)
    expect(Build.countPure(out.code)).toBe(2)
    expect(out.code).toContain("require(\"undici\")")
    expect(out.code).not.toContain("import(")
    expect(out.code.trimEnd().endsWith("//# sourceMappingURL=X.js.map")).toBe(true)
    const map: unknown = JSON.parse(out.map)
    expect(map).toMatchObject({ version: 3, file: "X.js", sources: ["../../src/X.ts"] })

    // Run it as CommonJS, with a stand-in for effect/Schema and undici.
    const module = { exports: {} as Record<string, unknown> }
    const required: Array<string> = []
    const fakeRequire = (id: string) => {
      required.push(id)
      return id === "effect/Schema" ? { Struct: (fields: object) => ({ struct: fields }) } : { undici: true }
    }
    new Function("require", "module", "exports", out.code.replace(/^#!.*\n/, ""))(fakeRequire, module, module.exports)
    expect(module.exports.A).toEqual({ struct: { a: 1 } })
    expect(module.exports.B).toEqual({ nested: { struct: { b: 2 } } })
    const load = module.exports.load
    expect(typeof load).toBe("function")
    if (typeof load === "function") expect(await load()).toMatchObject({ undici: true })
    expect(required).toEqual(["effect/Schema", "undici"])
  })

  it("counts both spellings of the annotation", () => {
    expect(Build.countPure("/*#__PURE__*/ a(); /* @__PURE__ */ b(); /* __PURE__ */ c()")).toBe(2)
  })
})

describe("published manifest", () => {
  const source: Manifest.Json = {
    name: "@scope/pkg",
    version: "1.2.3",
    description: "d",
    license: "MIT",
    type: "module",
    sideEffects: false,
    bin: { tool: "./bin/tool.mjs" },
    exports: { ".": "./src/index.ts", "./*": "./src/*.ts" },
    publishConfig: { access: "public", directory: "dist", linkDirectory: false, bin: { tool: "./dist/esm/cli.js" } },
    scripts: { test: "x" },
    dependencies: { "@scope/core": "workspace:*" },
    peerDependencies: { effect: "^3.22.4" },
    devDependencies: { tsx: "^4" }
  }
  const published = Manifest.published(source, ["Zeta", "Alpha", "index", "cli"])

  it("exports the root and every top-level module but the bin's, each format with its own declarations", () => {
    expect(published.exports).toEqual({
      "./package.json": "./package.json",
      ".": {
        import: { types: "./dist/esm/index.d.ts", default: "./dist/esm/index.js" },
        require: { types: "./dist/cjs/index.d.ts", default: "./dist/cjs/index.js" }
      },
      "./Alpha": {
        import: { types: "./dist/esm/Alpha.d.ts", default: "./dist/esm/Alpha.js" },
        require: { types: "./dist/cjs/Alpha.d.ts", default: "./dist/cjs/Alpha.js" }
      },
      "./Zeta": {
        import: { types: "./dist/esm/Zeta.d.ts", default: "./dist/esm/Zeta.js" },
        require: { types: "./dist/cjs/Zeta.d.ts", default: "./dist/cjs/Zeta.js" }
      }
    })
    expect(published.typesVersions).toEqual({
      "*": { Alpha: ["./dist/cjs/Alpha.d.ts"], Zeta: ["./dist/cjs/Zeta.d.ts"] }
    })
  })

  it("publishes the compiled bin, the metadata and the dependencies; no scripts, devDependencies or publish folder", () => {
    expect(published).toMatchObject({
      name: "@scope/pkg",
      version: "1.2.3",
      type: "module",
      sideEffects: false,
      bin: { tool: "./dist/esm/cli.js" },
      main: "./dist/cjs/index.js",
      module: "./dist/esm/index.js",
      types: "./dist/cjs/index.d.ts",
      files: ["dist/esm", "dist/cjs", "src", "README.md", "CHANGELOG.md", "LICENSE"],
      dependencies: { "@scope/core": "workspace:*" },
      peerDependencies: { effect: "^3.22.4" },
      publishConfig: { access: "public" }
    })
    expect(Object.keys(published)).not.toContain("scripts")
    expect(Object.keys(published)).not.toContain("devDependencies")
  })
})
