/**
 * The expandable fields of an operation's response. Two kinds, as Stripe's
 * API reference marks them "Expandable":
 * - fields whose schema in the OpenAPI spec carries `x-expansionResources`
 *   (an id that `expand[]` turns into the object);
 * - includable fields, which Stripe leaves out of a response unless it is
 *   asked for them. The spec does not mark them (it lists every object-valued
 *   field in `x-expandableFields`), so they are listed here from the API
 *   reference ("This field is not included by default. To include it in the
 *   response, expand the `<field>` field.").
 *
 * List and search responses expand `data.<field>`.
 */
import type { SchemaObject } from "./oas.js"
import { resolve } from "./oas.js"

/** Includable fields by object type (Stripe's API reference, API 2024-04-10). */
export const includable: Readonly<Record<string, ReadonlyArray<string>>> = {
  "checkout.session": ["line_items"],
  "charge": ["refunds"],
  "coupon": ["applies_to", "currency_options"],
  "customer": ["cash_balance", "invoice_credit_balance", "sources", "subscriptions", "tax", "tax_ids"],
  "price": ["currency_options", "tiers"],
  "quote": ["line_items"],
  "tax.calculation": ["line_items"],
  "tax.transaction": ["line_items"]
}

const isListSchema = (schema: SchemaObject): boolean => {
  const object = schema.properties?.["object"]
  return object?.enum !== undefined && (object.enum.includes("list") || object.enum.includes("search_result"))
}

const itemSchema = (schema: SchemaObject): SchemaObject | undefined => {
  const data = schema.properties?.["data"]
  return data?.items === undefined ? undefined : resolve(data.items)
}

const objectType = (schema: SchemaObject): string | undefined => {
  const value = schema.properties?.["object"]?.enum?.[0]
  return typeof value === "string" ? value : undefined
}

const hasExpansion = (prop: SchemaObject): boolean =>
  prop["x-expansionResources"] !== undefined || (prop.anyOf ?? []).some((v) => v["x-expansionResources"] !== undefined)

/** The expandable fields of one object schema. */
export const expandableOf = (schema: SchemaObject): ReadonlyArray<string> => {
  const properties = schema.properties ?? {}
  const extra = new Set(includable[objectType(schema) ?? ""] ?? [])
  return (schema["x-expandableFields"] ?? []).filter((field) => {
    const prop = properties[field]
    return prop !== undefined && (hasExpansion(prop) || extra.has(field))
  })
}

/** The `expand[]` values that ask for every expandable field of a response. */
export const expandPaths = (response: SchemaObject | undefined): ReadonlyArray<string> => {
  if (response === undefined) return []
  const variants = response.anyOf ?? response.oneOf
  const schema = resolve(variants === undefined ? response : variants[0] ?? response)
  if (isListSchema(schema)) {
    const item = itemSchema(schema)
    return item === undefined ? [] : expandableOf(item).map((f) => `data.${f}`)
  }
  return expandableOf(schema)
}
