/**
 * The in-memory object store: objects by id, ids by type in creation order,
 * and tombstones of deleted objects (expanding a deleted customer gives
 * `{ id, object, deleted: true }`, as Stripe does).
 *
 * @internal
 */
import type { Obj } from "./json.js"

/** @internal */
export class Store {
  private readonly objects = new Map<string, Obj>()
  private readonly types = new Map<string, Array<string>>()
  private readonly typeById = new Map<string, string>()
  private readonly tombstones = new Map<string, Obj>()
  private synthetic = 0

  get(id: string): Obj | undefined {
    return this.objects.get(id)
  }

  has(id: string): boolean {
    return this.objects.has(id)
  }

  /** A stored object or the tombstone of a deleted one. */
  getOrTombstone(id: string): Obj | undefined {
    return this.objects.get(id) ?? this.tombstones.get(id)
  }

  typeOf(id: string): string | undefined {
    return this.typeById.get(id)
  }

  /** Every stored object of a type, oldest first. */
  all(type: string): Array<Obj> {
    const out: Array<Obj> = []
    for (const id of this.types.get(type) ?? []) {
      const obj = this.objects.get(id)
      if (obj !== undefined) out.push(obj)
    }
    return out
  }

  /**
   * Stores an object under its id. Objects without ids (account links, meter
   * events) get a synthetic key, so inspection helpers can still list them.
   */
  put(type: string, obj: Obj): Obj {
    const id = obj.id
    const key = typeof id === "string" && id !== "" ? id : `${type}:${++this.synthetic}`
    if (!this.objects.has(key)) {
      const list = this.types.get(type)
      if (list === undefined) this.types.set(type, [key])
      else list.push(key)
    }
    this.objects.set(key, obj)
    this.typeById.set(key, type)
    return obj
  }

  remove(id: string): void {
    const type = this.typeById.get(id)
    this.objects.delete(id)
    this.typeById.delete(id)
    if (type === undefined) return
    const list = this.types.get(type)
    if (list === undefined) return
    const i = list.indexOf(id)
    if (i >= 0) list.splice(i, 1)
  }

  /** Removes an object and keeps its deleted stub for expansions. */
  bury(id: string, stub: Obj): void {
    this.remove(id)
    this.tombstones.set(id, stub)
  }

  clear(): void {
    this.objects.clear()
    this.types.clear()
    this.typeById.clear()
    this.tombstones.clear()
  }
}
