/**
 * The outcome of one task of a batch.
 *
 * A batch never fails as a whole: every task ends in exactly one of
 * {@link Success}, {@link Failure}, {@link Die}, {@link Timeout} or
 * {@link Interrupted}, and the caller decides what each means.
 *
 * @since 0.1.0
 */
import type * as Cause from "effect/Cause"
import type * as Duration from "effect/Duration"
import * as Equal from "effect/Equal"
import { dual } from "effect/Function"
import * as Hash from "effect/Hash"
import * as Inspectable from "effect/Inspectable"
import * as Option from "effect/Option"
import type { Pipeable } from "effect/Pipeable"
import { pipeArguments } from "effect/Pipeable"
import * as Predicate from "effect/Predicate"

/**
 * @since 0.1.0
 * @category type ids
 */
export const TypeId: unique symbol = Symbol.for("@lattice-stripe/batch/BatchResult")

/**
 * @since 0.1.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * The outcome of one task: its value, its typed failure, its defect, a
 * timeout, or its own interruption.
 *
 * @example
 * ```ts
 * import { BatchResult } from "@lattice-stripe/batch"
 *
 * const describe = BatchResult.match({
 *   onSuccess: (n: number) => `ok ${n}`,
 *   onFailure: (e: string) => `failed ${e}`,
 *   onDie: () => "defect",
 *   onTimeout: () => "timed out",
 *   onInterrupted: () => "interrupted"
 * })
 * describe(BatchResult.success(1)) // "ok 1"
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type BatchResult<A, E = never> = Success<A> | Failure<E> | Die | Timeout | Interrupted

/**
 * @since 0.1.0
 * @category models
 */
export interface Proto extends Pipeable, Inspectable.Inspectable, Equal.Equal {
  readonly [TypeId]: TypeId
}

/**
 * The task succeeded with `value`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Success<A> extends Proto {
  readonly _tag: "Success"
  readonly value: A
}

/**
 * The task failed with the typed `error` (the first failure of its `cause`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure<E> extends Proto {
  readonly _tag: "Failure"
  readonly error: E
  readonly cause: Cause.Cause<E>
}

/**
 * The task died: a thrown exception or `Effect.die` (the first defect of its `cause`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Die extends Proto {
  readonly _tag: "Die"
  readonly defect: unknown
  readonly cause: Cause.Cause<unknown>
}

/**
 * The task did not finish within the batch's per-task timeout and was interrupted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timeout extends Proto {
  readonly _tag: "Timeout"
  readonly duration: Duration.Duration
}

/**
 * The task interrupted itself (e.g. `Effect.interrupt`). Interrupting the
 * batch does not produce this outcome: it interrupts the batch.
 *
 * @since 0.1.0
 * @category models
 */
export interface Interrupted extends Proto {
  readonly _tag: "Interrupted"
  readonly cause: Cause.Cause<unknown>
}

const ownKeys = (self: object): ReadonlyArray<string> => Object.keys(self).filter((k) => k !== "cause")

const ResultProto = {
  [TypeId]: TypeId,
  pipe() {
    // eslint-disable-next-line prefer-rest-params -- `pipeArguments` is written for `arguments`, as in effect itself
    return pipeArguments(this, arguments)
  },
  // Equality ignores `cause`: two outcomes are equal when they carry the same value/error/defect.
  [Equal.symbol](this: Record<string, unknown>, that: unknown): boolean {
    if (!isBatchResult(that)) return false
    const other: Record<string, unknown> = { ...that }
    const keys = ownKeys(this)
    return keys.length === ownKeys(other).length &&
      keys.every((k) => Equal.equals(this[k], other[k]))
  },
  [Hash.symbol](this: Record<string, unknown>): number {
    return Hash.cached(this, Hash.array(ownKeys(this).map((k) => Hash.hash(this[k]))))
  },
  toJSON(this: Record<string, unknown>) {
    const out: Record<string, unknown> = { _id: "BatchResult" }
    for (const k of ownKeys(this)) out[k] = Inspectable.toJSON(this[k])
    return out
  },
  toString(this: Inspectable.Inspectable) {
    return Inspectable.format(this.toJSON())
  },
  [Inspectable.NodeInspectSymbol](this: Inspectable.Inspectable) {
    return this.toJSON()
  }
}

// `Object.create` is typed `any`: the prototype supplies exactly the `Proto` members the fields lack.
const make = <R extends BatchResult<unknown, unknown>>(fields: Omit<R, keyof Proto>): R =>
  Object.assign(Object.create(ResultProto), fields)

/**
 * @since 0.1.0
 * @category constructors
 */
export const success = <A>(value: A): BatchResult<A> => make<Success<A>>({ _tag: "Success", value })

/**
 * @since 0.1.0
 * @category constructors
 */
export const failure = <E>(error: E, cause: Cause.Cause<E>): BatchResult<never, E> =>
  make<Failure<E>>({ _tag: "Failure", error, cause })

/**
 * @since 0.1.0
 * @category constructors
 */
export const die = (defect: unknown, cause: Cause.Cause<unknown>): BatchResult<never> =>
  make<Die>({ _tag: "Die", defect, cause })

/**
 * @since 0.1.0
 * @category constructors
 */
export const timeout = (duration: Duration.Duration): BatchResult<never> => make<Timeout>({ _tag: "Timeout", duration })

/**
 * @since 0.1.0
 * @category constructors
 */
export const interrupted = (cause: Cause.Cause<unknown>): BatchResult<never> =>
  make<Interrupted>({ _tag: "Interrupted", cause })

/**
 * @since 0.1.0
 * @category guards
 */
export const isBatchResult = (u: unknown): u is BatchResult<unknown, unknown> => Predicate.hasProperty(u, TypeId)

/**
 * @since 0.1.0
 * @category guards
 */
export const isSuccess = <A, E>(self: BatchResult<A, E>): self is Success<A> => self._tag === "Success"

/**
 * @since 0.1.0
 * @category guards
 */
export const isFailure = <A, E>(self: BatchResult<A, E>): self is Failure<E> => self._tag === "Failure"

/**
 * @since 0.1.0
 * @category guards
 */
export const isDie = <A, E>(self: BatchResult<A, E>): self is Die => self._tag === "Die"

/**
 * @since 0.1.0
 * @category guards
 */
export const isTimeout = <A, E>(self: BatchResult<A, E>): self is Timeout => self._tag === "Timeout"

/**
 * @since 0.1.0
 * @category guards
 */
export const isInterrupted = <A, E>(self: BatchResult<A, E>): self is Interrupted => self._tag === "Interrupted"

/**
 * Folds an outcome: one handler per case.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const match: {
  <A, E, B, C = B, D = B, F = B, G = B>(cases: {
    readonly onSuccess: (value: A) => B
    readonly onFailure: (error: E, cause: Cause.Cause<E>) => C
    readonly onDie: (defect: unknown) => D
    readonly onTimeout: (duration: Duration.Duration) => F
    readonly onInterrupted: () => G
  }): (self: BatchResult<A, E>) => B | C | D | F | G
  <A, E, B, C = B, D = B, F = B, G = B>(self: BatchResult<A, E>, cases: {
    readonly onSuccess: (value: A) => B
    readonly onFailure: (error: E, cause: Cause.Cause<E>) => C
    readonly onDie: (defect: unknown) => D
    readonly onTimeout: (duration: Duration.Duration) => F
    readonly onInterrupted: () => G
  }): B | C | D | F | G
} = dual(2, <A, E, B, C, D, F, G>(self: BatchResult<A, E>, cases: {
  readonly onSuccess: (value: A) => B
  readonly onFailure: (error: E, cause: Cause.Cause<E>) => C
  readonly onDie: (defect: unknown) => D
  readonly onTimeout: (duration: Duration.Duration) => F
  readonly onInterrupted: () => G
}): B | C | D | F | G => {
  switch (self._tag) {
    case "Success":
      return cases.onSuccess(self.value)
    case "Failure":
      return cases.onFailure(self.error, self.cause)
    case "Die":
      return cases.onDie(self.defect)
    case "Timeout":
      return cases.onTimeout(self.duration)
    case "Interrupted":
      return cases.onInterrupted()
  }
})

/**
 * The value of a {@link Success}, `None` otherwise.
 *
 * @since 0.1.0
 * @category getters
 */
export const getSuccess = <A, E>(self: BatchResult<A, E>): Option.Option<A> =>
  isSuccess(self) ? Option.some(self.value) : Option.none()

/**
 * The error of a {@link Failure}, `None` otherwise.
 *
 * @since 0.1.0
 * @category getters
 */
export const getFailure = <A, E>(self: BatchResult<A, E>): Option.Option<E> =>
  isFailure(self) ? Option.some(self.error) : Option.none()

/**
 * The values of the successful outcomes, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const successes = <A, E>(results: Iterable<BatchResult<A, E>>): Array<A> => {
  const out: Array<A> = []
  for (const r of results) if (r._tag === "Success") out.push(r.value)
  return out
}

/**
 * The outcomes that are not successes, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const problems = <A, E>(
  results: Iterable<BatchResult<A, E>>
): Array<Failure<E> | Die | Timeout | Interrupted> => {
  const out: Array<Failure<E> | Die | Timeout | Interrupted> = []
  for (const r of results) if (r._tag !== "Success") out.push(r)
  return out
}
