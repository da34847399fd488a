/**
 * Entitlements: features attached to products, and the active entitlement a
 * customer subscribed to such a product holds to each feature
 * (`/v1/entitlements/active_entitlements`).
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest, resourceMissing } from "../errors.js"
import { isObj } from "../json.js"
import { list } from "../lists.js"
import { paramString } from "../params.js"

/** Links Stripe does not put in the objects: entitlement → customer, product feature → product. */
interface Links {
  readonly holder: Map<string, string>
  readonly product: Map<string, string>
}

const isLinks = (u: unknown): u is Links =>
  typeof u === "object" && u !== null && "holder" in u && u.holder instanceof Map && "product" in u &&
  u.product instanceof Map

const linksOf = (engine: Engine): Links =>
  engine.stateOf("entitlements", (): Links => ({ holder: new Map(), product: new Map() }), isLinks)

/** Grants the customer an active entitlement to each feature of the products. @internal */
export const grantEntitlements = (engine: Engine, customer: string, productIds: ReadonlyArray<string>): void => {
  const links = linksOf(engine)
  const held = new Set(
    engine.all("entitlements.active_entitlement")
      .filter((e) => links.holder.get(String(e.id)) === customer)
      .map((e) => String(e.feature))
  )
  for (const productFeature of engine.all("product_feature")) {
    const feature = isObj(productFeature.entitlement_feature) ? productFeature.entitlement_feature : undefined
    const productId = links.product.get(String(productFeature.id))
    if (feature === undefined || productId === undefined || !productIds.includes(productId)) continue
    const featureId = String(feature.id)
    if (held.has(featureId)) continue
    held.add(featureId)
    const active = engine.create("entitlements.active_entitlement", {}, {
      feature: featureId,
      lookup_key: feature.lookup_key ?? ""
    })
    links.holder.set(String(active.id), customer)
  }
}

const activeEntitlements: Handler = (engine, ctx) => {
  const customer = paramString(ctx.params, "customer")
  if (customer === undefined) throw invalidRequest("Missing required param: customer.", "customer", "parameter_missing")
  const links = linksOf(engine)
  const items = engine.all("entitlements.active_entitlement")
    .filter((e) => links.holder.get(String(e.id)) === customer)
    .reverse()
  const { customer: _customer, ...rest } = ctx.params
  return list(engine, { ...ctx, params: rest }, "entitlements.active_entitlement", items)
}

const productFeatureCreate: Handler = (engine, ctx) => {
  const product = engine.mustGet(ctx.parentIds[0], "product", "product")
  const featureId = paramString(ctx.params, "entitlement_feature") ?? ""
  const feature = engine.mustGet(featureId, "entitlements.feature", "entitlement_feature")
  const created = engine.create("product_feature", {}, { entitlement_feature: structuredClone(feature) })
  linksOf(engine).product.set(String(created.id), String(product.id))
  return created
}

const productFeatures: Handler = (engine, ctx) => {
  const product = engine.mustGet(ctx.parentIds[0], "product", "product")
  const links = linksOf(engine)
  const items = engine.all("product_feature").filter((f) => links.product.get(String(f.id)) === product.id).reverse()
  return list(engine, ctx, "product_feature", items)
}

const productFeature = (engine: Engine, productId: string | undefined, id: string | undefined) => {
  const feature = engine.mustGet(id, "product_feature", "id")
  if (linksOf(engine).product.get(String(feature.id)) !== productId) throw resourceMissing("product_feature", id ?? "")
  return feature
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "GET /v1/entitlements/active_entitlements": activeEntitlements,
  "GET /v1/products/{product}/features": productFeatures,
  "POST /v1/products/{product}/features": productFeatureCreate,
  "GET /v1/products/{product}/features/{id}": (engine, ctx) => productFeature(engine, ctx.parentIds[0], ctx.targetId),
  "DELETE /v1/products/{product}/features/{id}": (engine, ctx) => {
    const feature = productFeature(engine, ctx.parentIds[0], ctx.targetId)
    const stub = { id: feature.id ?? "", object: "product_feature", deleted: true }
    engine.store.bury(String(feature.id), stub)
    return { ...stub }
  }
}
