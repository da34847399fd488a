import { describe, expect, it } from "@effect/vitest"
import * as ObjectRegistry from "@lattice-stripe/resources/ObjectRegistry"
import { Emulator } from "@lattice-stripe/testing"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { shapesOf } from "../src/internal/shapes.js"
import { defaultTable } from "../src/internal/spec.js"
import { notebook, wire } from "./support.js"

const template = (t: string) => shapesOf(defaultTable).template(t)
const schemas = defaultTable.schemas

const decodeFailure = (value: unknown): string | undefined => {
  if (typeof value !== "object" || value === null || !("object" in value) || typeof value.object !== "string") {
    return "no object field"
  }
  const deleted = "deleted" in value && value.deleted === true
  const schema = deleted ? ObjectRegistry.getDeleted(value.object) : ObjectRegistry.get(value.object)
  // An object type the SDK does not know is a failure too: nothing checked it.
  if (schema === undefined) return `${value.object}: no schema in the SDK's ObjectRegistry`
  const result = Schema.decodeUnknownEither(schema)(value)
  return Either.isLeft(result)
    ? `${value.object}: ${ParseResult.TreeFormatter.formatErrorSync(result.left)}`
    : undefined
}

describe("responses decode with the generated resources schemas", () => {
  it("every object template", () => {
    const failures: Array<string> = []
    let checked = 0
    for (const name of Object.keys(schemas)) {
      if (schemas[name].object?.startsWith("s=") !== true) continue
      const obj = template(name)
      if ("id" in obj) obj.id = "obj_1"
      const failure = decodeFailure(obj)
      if (failure !== undefined) failures.push(`${name}: ${failure.slice(0, 300)}`)
      else checked++
    }
    expect(failures).toEqual([])
    expect(checked).toBeGreaterThan(60)
  })

  it("every object the notebook flows store, and every event", async () => {
    const emulator = Emulator.make({ seed: 21 })
    const w = wire((r) => emulator.handle(r))
    await notebook(w, () => {})
    // a few more shapes: lists, declines, deletes, expansions
    const c = await w.post("/v1/customers", { email: "d@example.com", address: { city: "Paris" } })
    const deleted = await w.del(`/v1/customers/${c.json.id}`)
    const expanded = await w.get("/v1/subscriptions", {
      status: "all",
      expand: ["data.customer", "data.latest_invoice"]
    })
    const failures: Array<string> = []
    const check = (value: unknown) => {
      const f = decodeFailure(value)
      if (f !== undefined) failures.push(f.slice(0, 400))
    }
    check(deleted.json)
    for (const sub of expanded.json.data) check(sub)
    const types = new Set<string>()
    for (const name of Object.keys(schemas)) {
      for (const obj of emulator.list(name)) {
        check(obj)
        types.add(name)
      }
    }
    expect(failures).toEqual([])
    for (const t of ["customer", "payment_intent", "charge", "refund", "subscription", "invoice", "event"]) {
      expect(types).toContain(t)
    }
  })
})
