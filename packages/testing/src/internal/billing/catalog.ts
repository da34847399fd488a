/**
 * The product catalog: products (with a default price), prices (one-time
 * and recurring, inline `product_data`), and the price an item names.
 *
 * @internal
 */
import type { Engine, Handler } from "../engine.js"
import { invalidRequest } from "../errors.js"
import type { Obj } from "../json.js"
import { isObj } from "../json.js"
import type { Params } from "../params.js"
import { paramBool, paramObject, paramString, stripExpand } from "../params.js"

/** The price an item names (`price`) or describes (`price_data`), or a missing-param error. @internal */
export const priceFor = (engine: Engine, item: Params, currency: string | undefined, param: string): Obj => {
  const priceId = paramString(item, "price")
  if (priceId !== undefined) return engine.mustGet(priceId, "price", param)
  const data = paramObject(item.price_data)
  if (Object.keys(data).length > 0) {
    return engine.create("price", data, {
      active: true,
      currency: paramString(data, "currency") ?? currency ?? "usd",
      type: isObj(data.recurring) ? "recurring" : "one_time"
    })
  }
  throw invalidRequest(`Missing required param: ${param}.`, param, "parameter_missing")
}

const priceCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const productData = paramObject(params.product_data)
  let product = paramString(params, "product")
  if (product !== undefined) engine.mustGet(product, "product", "product")
  else if (Object.keys(productData).length > 0) {
    product = String(engine.create("product", productData, { active: true, updated: engine.nowSeconds() }).id)
  } else {
    throw invalidRequest("Missing required param: product.", "product", "parameter_missing")
  }
  const price = engine.create("price", { ...params, product }, {
    active: paramBool(params, "active") ?? true,
    type: isObj(params.recurring) ? "recurring" : "one_time"
  })
  if (isObj(price.recurring) && price.recurring.interval_count === 0) price.recurring.interval_count = 1
  if (price.unit_amount !== null && price.unit_amount_decimal === null) {
    price.unit_amount_decimal = String(price.unit_amount)
  }
  engine.emit("price.created", price)
  return price
}

const productCreate: Handler = (engine, ctx) => {
  const params = stripExpand(ctx.params)
  const product = engine.create("product", params, {
    active: paramBool(params, "active") ?? true,
    updated: engine.nowSeconds()
  })
  const id = paramString(params, "id")
  if (id !== undefined) {
    engine.remove(String(product.id))
    product.id = id
    engine.put("product", product)
  }
  const defaultPrice = paramObject(params.default_price_data)
  if (Object.keys(defaultPrice).length > 0) {
    const price = engine.create("price", { ...defaultPrice, product: String(product.id) }, {
      active: true,
      type: isObj(defaultPrice.recurring) ? "recurring" : "one_time"
    })
    product.default_price = price.id ?? null
  }
  engine.emit("product.created", product)
  return product
}

/** @internal */
export const handlers: Readonly<Record<string, Handler>> = {
  "POST /v1/prices": priceCreate,
  "POST /v1/products": productCreate
}
