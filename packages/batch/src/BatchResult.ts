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
import * as Duration from "effect/Duration"
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

/**
 * The success type of a {@link BatchResult} (or of a union of them).
 *
 * @since 0.1.0
 * @category type-level
 */
export type SuccessValue<R> = R extends Success<infer A> ? A : never

/**
 * The failure type of a {@link BatchResult} (or of a union of them).
 *
 * @since 0.1.0
 * @category type-level
 */
export type FailureError<R> = R extends Failure<infer E> ? E : never

/**
 * The handlers of {@link match}.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export interface Cases<A, E, B, C, D, F, G> {
  readonly onSuccess: (value: A) => B
  readonly onFailure: (error: E, cause: Cause.Cause<E>) => C
  readonly onDie: (defect: unknown) => D
  readonly onTimeout: (duration: Duration.Duration) => F
  readonly onInterrupted: () => G
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
export const isSuccess = <R extends BatchResult<unknown, unknown>>(
  self: R
): self is Extract<R, { readonly _tag: "Success" }> => self._tag === "Success"

/**
 * @since 0.1.0
 * @category guards
 */
export const isFailure = <R extends BatchResult<unknown, unknown>>(
  self: R
): self is Extract<R, { readonly _tag: "Failure" }> => self._tag === "Failure"

/**
 * @since 0.1.0
 * @category guards
 */
export const isDie = <R extends BatchResult<unknown, unknown>>(self: R): self is Extract<R, { readonly _tag: "Die" }> =>
  self._tag === "Die"

/**
 * @since 0.1.0
 * @category guards
 */
export const isTimeout = <R extends BatchResult<unknown, unknown>>(
  self: R
): self is Extract<R, { readonly _tag: "Timeout" }> => self._tag === "Timeout"

/**
 * @since 0.1.0
 * @category guards
 */
export const isInterrupted = <R extends BatchResult<unknown, unknown>>(
  self: R
): self is Extract<R, { readonly _tag: "Interrupted" }> => self._tag === "Interrupted"

/**
 * Folds an outcome: one handler per case.
 *
 * @since 0.1.0
 * @category pattern matching
 */
export const match: {
  <A, E, B, C = B, D = B, F = B, G = B>(
    cases: Cases<A, E, B, C, D, F, G>
  ): (self: BatchResult<A, E>) => B | C | D | F | G
  <R extends BatchResult<unknown, unknown>, B, C = B, D = B, F = B, G = B>(
    self: R,
    cases: Cases<SuccessValue<R>, FailureError<R>, B, C, D, F, G>
  ): B | C | D | F | G
} = dual(2, <A, E, B, C, D, F, G>(self: BatchResult<A, E>, cases: Cases<A, E, B, C, D, F, G>): B | C | D | F | G => {
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

const describeValue = (u: unknown): string => {
  if (Predicate.hasProperty(u, "message") && typeof u.message === "string") {
    return Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" ? `${u._tag}: ${u.message}` : u.message
  }
  if (Predicate.hasProperty(u, "_tag") && typeof u._tag === "string") return u._tag
  return typeof u === "string" ? u : Inspectable.format(u)
}

/**
 * A one-line description of an outcome, for logs: `Success`,
 * `Failure: StripeInvalidRequestError: (invalid_request_error) 404 ...`,
 * `Die: Error: boom`, `Timeout after 5s`, `Interrupted`.
 *
 * @since 0.1.0
 * @category getters
 */
export const describe = (self: BatchResult<unknown, unknown>): string =>
  match(self, {
    onSuccess: () => "Success",
    onFailure: (error) => `Failure: ${describeValue(error)}`,
    onDie: (defect) => `Die: ${defect instanceof Error ? `${defect.name}: ${defect.message}` : describeValue(defect)}`,
    onTimeout: (duration) => `Timeout after ${Duration.format(duration)}`,
    onInterrupted: () => "Interrupted"
  })

// TypeScript cannot relate a generic `R`'s member to `SuccessValue<R>`; `match` states the relation once.
const successValue = <R extends BatchResult<unknown, unknown>>(self: R): SuccessValue<R> =>
  match(self, {
    onSuccess: (value) => value,
    onFailure: () => absurd(),
    onDie: () => absurd(),
    onTimeout: () => absurd(),
    onInterrupted: () => absurd()
  })

const failureError = <R extends BatchResult<unknown, unknown>>(self: R): FailureError<R> =>
  match(self, {
    onSuccess: () => absurd(),
    onFailure: (error) => error,
    onDie: () => absurd(),
    onTimeout: () => absurd(),
    onInterrupted: () => absurd()
  })

const absurd = (): never => {
  throw new Error("BatchResult: unexpected case")
}

/**
 * The value of a {@link Success}, `None` otherwise.
 *
 * @since 0.1.0
 * @category getters
 */
export const getSuccess = <R extends BatchResult<unknown, unknown>>(self: R): Option.Option<SuccessValue<R>> =>
  self._tag === "Success" ? Option.some(successValue(self)) : Option.none()

/**
 * The error of a {@link Failure}, `None` otherwise.
 *
 * @since 0.1.0
 * @category getters
 */
export const getFailure = <R extends BatchResult<unknown, unknown>>(self: R): Option.Option<FailureError<R>> =>
  self._tag === "Failure" ? Option.some(failureError(self)) : Option.none()

/**
 * The values of the successful outcomes, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const successes = <R extends BatchResult<unknown, unknown>>(results: Iterable<R>): Array<SuccessValue<R>> => {
  const out: Array<SuccessValue<R>> = []
  for (const r of results) if (r._tag === "Success") out.push(successValue(r))
  return out
}

/**
 * The outcomes that are not successes, in order.
 *
 * @since 0.1.0
 * @category getters
 */
export const problems = <R extends BatchResult<unknown, unknown>>(
  results: Iterable<R>
): Array<Exclude<R, { readonly _tag: "Success" }>> => {
  const out: Array<Exclude<R, { readonly _tag: "Success" }>> = []
  for (const r of results) if (isProblem(r)) out.push(r)
  return out
}

const isProblem = <R extends BatchResult<unknown, unknown>>(r: R): r is Exclude<R, { readonly _tag: "Success" }> =>
  r._tag !== "Success"
