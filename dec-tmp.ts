import { ObjectRegistry } from "./packages/resources/src/index.ts"
import * as Schema from "effect/Schema"
import { schemas } from "./packages/testing/src/generated/spec.ts"
import { template, parseCode } from "./packages/testing/src/internal/schema.ts"
let ok = 0, bad = 0, skipped = 0
for (const name of Object.keys(schemas)) {
  const o = schemas[name].object
  if (o === undefined) continue
  const objectName = parseCode(o).base.replace(/^s=/, "")
  const schema = name.startsWith("deleted_") ? ObjectRegistry.getDeleted(objectName) : ObjectRegistry.get(objectName)
  if (schema === undefined) { skipped++; continue }
  const t = template(name)
  if ("id" in t) t.id = "x_1"
  const r = Schema.decodeUnknownEither(schema)(t)
  if (r._tag === "Left") { bad++; if (bad < 8) console.log(name, String(r.left).slice(0, 600)) } else ok++
}
console.log({ ok, bad, skipped })
