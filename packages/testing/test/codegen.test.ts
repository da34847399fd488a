import { describe, expect, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import * as Path from "node:path"
import * as Url from "node:url"
import { eventTypes, operations, schemas } from "../src/generated/spec.js"

const root = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "../../..")

describe("generated emulator spec", () => {
  it("is up to date with the generator (tsx scripts/codegen/src/emulator.ts --check)", () => {
    const run = ChildProcess.spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/codegen/src/emulator.ts", "--check"],
      { cwd: root, encoding: "utf8" }
    )
    expect(run.stderr).toBe("")
    expect(run.status).toBe(0)
  })

  it("covers the notebook operations with their required params", () => {
    const op = (m: string, p: string) => operations.find((o) => o.m === m && o.p === p)
    expect(op("POST", "/v1/payment_intents")).toMatchObject({
      k: "create",
      t: "payment_intent",
      r: ["amount", "currency"]
    })
    expect(op("GET", "/v1/customers/search")?.k).toBe("search")
    expect(op("POST", "/v1/payment_intents/{intent}/confirm")?.k).toBe("action")
    expect(op("DELETE", "/v1/customers/{customer}")?.t).toBe("deleted_customer")
    expect(op("GET", "/v1/quotes/{quote}/pdf")).toMatchObject({ k: "binary", h: "files" })
    expect(schemas["billing.meter"]?.object).toBe("s=billing.meter")
    expect(eventTypes).toContain("payment_intent.succeeded")
  })
})
