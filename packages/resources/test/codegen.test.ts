import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"
import { emitSdk } from "../../../scripts/codegen/src/emit/index.js"
import { HEADER } from "../../../scripts/codegen/src/emit/text.js"
import { model } from "./support.js"

const generatedDir = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "../src/generated")

describe("codegen", () => {
  it("is deterministic", () => {
    const first = emitSdk(model).files
    const second = emitSdk(model).files
    expect([...first.keys()]).toEqual([...second.keys()])
    for (const [file, content] of first) expect(second.get(file) === content).toBe(true)
  })

  it("matches the committed output", () => {
    const files = emitSdk(model).files
    for (const [file, content] of files) {
      expect(content.startsWith(HEADER)).toBe(true)
      expect(Fs.readFileSync(Path.join(generatedDir, file), "utf8") === content, `${file} is stale`).toBe(true)
    }
  })
})
