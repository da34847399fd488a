/**
 * Concurrent fan-out with per-task isolation.
 *
 * `Batch.run` runs many Effects (Stripe calls or anything else) with a
 * concurrency cap and an optional per-task timeout, and reports every task's
 * outcome as a {@link BatchResult.BatchResult} in input order. A failing,
 * dying or timed-out task never cancels the others, and the batch itself
 * never fails.
 *
 * @since 0.1.0
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as BatchResult from "./BatchResult.js"

export {
  /**
   * A one-line description of an outcome, for logs.
   *
   * @since 0.1.0
   * @category getters
   */
  describe,
  /**
   * @since 0.1.0
   * @category guards
   */
  isDie,
  /**
   * @since 0.1.0
   * @category guards
   */
  isFailure,
  /**
   * @since 0.1.0
   * @category guards
   */
  isInterrupted,
  /**
   * @since 0.1.0
   * @category guards
   */
  isSuccess,
  /**
   * @since 0.1.0
   * @category guards
   */
  isTimeout,
  /**
   * @since 0.1.0
   * @category pattern matching
   */
  match
} from "./BatchResult.js"

/**
 * Options of {@link run}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How many tasks run at once. Default 10; values below 1 are treated as 1. */
  readonly concurrency?: number | undefined
  /** Interrupts a task that runs longer and reports it as `Timeout`. Default: no timeout. */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * The default number of tasks in flight.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultConcurrency = 10

/**
 * Any Effect: every type parameter of `Effect` is covariant, so `unknown`
 * accepts all of them.
 *
 * @since 0.1.0
 * @category models
 */
export type AnyEffect = Effect.Effect<unknown, unknown, unknown>

/**
 * The outcomes of a batch: the input's shape (tuple, array or record) with
 * each Effect replaced by the {@link BatchResult.BatchResult} of its own
 * success and error types.
 *
 * @since 0.1.0
 * @category models
 */
export type Results<T> = {
  -readonly [K in keyof T]: T[K] extends Effect.Effect<infer A, infer E, infer _R> ? BatchResult.BatchResult<A, E>
    : never
}

/**
 * The union of the requirements of the given Effects (`never` for none).
 *
 * @since 0.1.0
 * @category models
 */
export type Requirements<T> = T extends Effect.Effect<infer _A, infer _E, infer R> ? R : never

const toResult = <A, E>(
  exit: Exit.Exit<Option.Option<A>, E>,
  timeout: Duration.Duration
): BatchResult.BatchResult<A, E> => {
  if (Exit.isSuccess(exit)) {
    return Option.isSome(exit.value) ? BatchResult.success(exit.value.value) : BatchResult.timeout(timeout)
  }
  const cause = exit.cause
  const error = Cause.failureOption(cause)
  if (Option.isSome(error)) return BatchResult.failure(error.value, cause)
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) return BatchResult.die(defect.value, cause)
  return BatchResult.interrupted(cause)
}

const runTask = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  timeout: Option.Option<Duration.Duration>
): Effect.Effect<BatchResult.BatchResult<A, E>, never, R> =>
  Option.match(timeout, {
    // `Effect.exit` turns failures and defects into values; an interruption of
    // the batch itself still interrupts the task, since the fiber is interrupted.
    onNone: () => Effect.map(Effect.exit(Effect.asSome(effect)), (exit) => toResult(exit, Duration.infinity)),
    onSome: (d) => Effect.map(Effect.exit(Effect.timeoutOption(effect, d)), (exit) => toResult(exit, d))
  })

const normalizeConcurrency = (n: number | undefined): number | "unbounded" => {
  if (n === undefined || Number.isNaN(n)) return defaultConcurrency
  if (n === Infinity) return "unbounded"
  return Math.max(1, Math.floor(n))
}

const runAll = <A, E, R>(
  effects: ReadonlyArray<Effect.Effect<A, E, R>>,
  options: Options | undefined
): Effect.Effect<Array<BatchResult.BatchResult<A, E>>, never, R> => {
  if (effects.length === 0) return Effect.succeed([])
  const concurrency = normalizeConcurrency(options?.concurrency)
  const timeout = Option.map(Option.fromNullable(options?.timeout), Duration.decode)
  return Effect.forEach(effects, (effect) => runTask(effect, timeout), { concurrency }).pipe(
    Effect.withSpan("Batch.run", { attributes: { tasks: effects.length, concurrency: String(concurrency) } })
  )
}

// `Array.isArray` does not narrow `ReadonlyArray` out of a union.
const isReadonlyArray = <A>(u: ReadonlyArray<A> | Readonly<Record<string, A>>): u is ReadonlyArray<A> =>
  Array.isArray(u)

/**
 * Runs every Effect with at most `concurrency` in flight and returns each
 * one's outcome: for a tuple or array in input order, for a record by key.
 *
 * - One task's failure, defect or timeout never cancels or affects another.
 * - Interrupting the batch interrupts every running task.
 * - The batch never fails; an empty input gives an empty result.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Batch, BatchResult } from "@lattice-stripe/batch"
 *
 * const program = Effect.gen(function*() {
 *   const [a, b] = yield* Batch.run([Effect.succeed(1), Effect.fail("boom" as const)], { timeout: "5 seconds" })
 *   if (BatchResult.isSuccess(a)) console.log(a.value) // number
 *   if (BatchResult.isFailure(b)) console.log(b.error) // "boom"
 * })
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export function run<const T extends ReadonlyArray<AnyEffect>>(
  effects: T,
  options?: Options
): Effect.Effect<Results<T>, never, Requirements<T[number]>>
export function run<const T extends Readonly<Record<string, AnyEffect>>>(
  effects: T,
  options?: Options
): Effect.Effect<Results<T>, never, Requirements<T[keyof T]>>
export function run(
  effects: ReadonlyArray<AnyEffect> | Readonly<Record<string, AnyEffect>>,
  options?: Options
): Effect.Effect<
  Array<BatchResult.BatchResult<unknown, unknown>> | Record<string, BatchResult.BatchResult<unknown, unknown>>,
  never,
  unknown
> {
  if (isReadonlyArray(effects)) return runAll(effects, options)
  const keys = Object.keys(effects)
  return Effect.map(runAll(keys.map((k) => effects[k]), options), (results) => {
    const out: Record<string, BatchResult.BatchResult<unknown, unknown>> = {}
    keys.forEach((k, i) => {
      out[k] = results[i]
    })
    return out
  })
}
