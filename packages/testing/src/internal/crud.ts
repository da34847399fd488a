/**
 * The generic operations every resource gets without a lifecycle of its own:
 * create, retrieve, update, delete, list, search, singletons and plain
 * actions, driven by the operation's kind in the table.
 *
 * @internal
 */
import type { Ctx, Engine } from "./engine.js"
import { invalidRequest } from "./errors.js"
import type { Obj, Value } from "./json.js"
import { emptyList, isObj } from "./json.js"
import { list, search } from "./lists.js"
import { paramString } from "./params.js"
import { parseCode } from "./shapes.js"
import { recordFlow } from "./treasury.js"

/** Sets the field linking a child to a parent path param (e.g. `customer`). @internal */
export const linkParents = (engine: Engine, type: string, obj: Obj, ctx: Ctx): void => {
  for (const [name, value] of Object.entries(ctx.pathParams)) {
    if (value === ctx.targetId) continue
    const parentType = engine.typeOf(value)
    const objectName = parentType === undefined ? undefined : parentType.split(".").pop()
    for (const field of [name, objectName]) {
      if (field !== undefined && field !== "id" && engine.spec.hasField(type, field)) obj[field] = value
    }
  }
}

/** Appends a new child to a parent's embedded list of its type, if any. @internal */
export const attachToParents = (engine: Engine, type: string, obj: Obj, ctx: Ctx): void => {
  for (const parentId of ctx.parentIds) {
    const parent = engine.get(parentId)
    const parentType = engine.typeOf(parentId)
    if (parent === undefined || parentType === undefined) continue
    for (const [field, code] of Object.entries(engine.spec.fieldsOf(parentType))) {
      if (parseCode(code).base !== `L#${type}`) continue
      const current = parent[field]
      const list = isObj(current) ? current : emptyList(ctx.path)
      const data = Array.isArray(list.data) ? list.data : []
      data.unshift(obj)
      parent[field] = { ...list, data, url: ctx.path }
    }
  }
}

/** Deletes the target and answers with its deleted stub. @internal */
export const deleteTarget = (engine: Engine, ctx: Ctx, deletedType: string): Obj => {
  const baseType = deletedType.replace(/^deleted_/, "")
  const storedType = engine.typeOf(ctx.targetId ?? "") ?? baseType
  const obj = engine.mustGet(ctx.targetId, storedType)
  const stub = engine.spec.template(deletedType)
  stub.id = obj.id ?? ""
  if (stub.object === undefined || stub.object === "") stub.object = obj.object ?? baseType
  stub.deleted = true
  engine.store.bury(String(obj.id), stub)
  engine.emit(engine.eventTypeFor(storedType, "deleted"), obj)
  return { ...stub }
}

/** The operation by its kind. @internal */
export const generic = (engine: Engine, ctx: Ctx): Obj => {
  const { op, params } = ctx
  const type = op.t
  switch (op.k) {
    case "create": {
      const obj = engine.create(type, params)
      const customId = paramString(params, "id")
      if (customId !== undefined && op.q.includes("id") && engine.spec.hasField(type, "id")) {
        // Coupons and a few others take a caller-chosen id.
        engine.remove(String(obj.id))
        if (engine.get(customId) !== undefined) {
          throw invalidRequest(`An object with ID ${customId} already exists.`, "id", "resource_already_exists")
        }
        obj.id = customId
        engine.put(type, obj)
      }
      linkParents(engine, type, obj, ctx)
      attachToParents(engine, type, obj, ctx)
      recordFlow(engine, type, obj)
      engine.emit(engine.eventTypeFor(type, "created"), obj)
      return obj
    }
    case "retrieve":
      return engine.mustGet(ctx.targetId, type)
    case "update":
      return engine.update(type, engine.mustGet(ctx.targetId, type), params)
    case "delete":
      return deleteTarget(engine, ctx, type)
    case "list":
      return list(engine, ctx, type)
    case "search":
      return search(engine, ctx, type)
    case "singleton": {
      const obj = engine.spec.template(type)
      linkParents(engine, type, obj, ctx)
      if (engine.spec.hasField(type, "created")) obj.created = engine.nowSeconds()
      return obj
    }
    case "action": {
      const target = engine.mustGet(ctx.targetId, undefined)
      const targetType = engine.typeOf(String(ctx.targetId)) ?? type
      const withoutExpand: Record<string, Value> = { ...params }
      delete withoutExpand.expand
      const answered = engine.spec.objectName(type)
      if (answered !== undefined && !type.startsWith("deleted_") && answered !== engine.spec.objectName(targetType)) {
        // An action that answers another kind of object makes one: funding a customer's cash balance
        // (a test helper) answers the cash balance transaction it made, linked to the customer.
        const made = engine.create(type, withoutExpand)
        const link = engine.spec.objectName(targetType)?.split(".").pop()
        if (link !== undefined && engine.spec.hasField(type, link)) made[link] = String(target.id)
        linkParents(engine, type, made, ctx)
        engine.emit(engine.eventTypeFor(type, "created"), made)
        return made
      }
      return engine.update(targetType, target, withoutExpand, false)
    }
    case "binary":
      return engine.mustGet(ctx.targetId, undefined)
  }
}

/**
 * A v2 operation without a lifecycle of its own: as {@link generic}, with
 * v2's list page (`data`, `next_page_url`, `previous_page_url`) and deletes
 * answering the deleted object's id.
 *
 * @internal
 */
export const v2Generic = (engine: Engine, ctx: Ctx): Obj => {
  const { op } = ctx
  if (op.m === "DELETE") {
    const obj = engine.mustGet(ctx.targetId, engine.typeOf(ctx.targetId ?? ""))
    engine.remove(String(obj.id))
    return { id: obj.id ?? "", object: obj.object ?? null }
  }
  if (op.k === "list") {
    const page = list(engine, ctx, op.t)
    const data = Array.isArray(page.data) ? page.data : []
    return { data, next_page_url: null, previous_page_url: null }
  }
  return generic(engine, ctx)
}
