import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Equal from "effect/Equal"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Ref from "effect/Ref"
import * as TestClock from "effect/TestClock"
import { Batch, BatchResult } from "../src/index.js"

class Boom {
  readonly _tag = "Boom"
  constructor(readonly id: number) {}
}

const tag = BatchResult.match({
  onSuccess: (v: unknown) => `Success:${String(v)}`,
  onFailure: (e: unknown) => `Failure:${e instanceof Boom ? e.id : String(e)}`,
  onDie: (d) => `Die:${d instanceof Error ? d.message : String(d)}`,
  onTimeout: (d) => `Timeout:${Duration.toMillis(d)}`,
  onInterrupted: () => "Interrupted"
})

describe("Batch.run", () => {
  it.effect("isolates a failing, a dying and a timed-out task from the succeeding ones", () =>
    Effect.gen(function*() {
      const finished = yield* Ref.make<Array<string>>([])
      const ok = (name: string, delay: number) =>
        Effect.sleep(Duration.millis(delay)).pipe(
          Effect.zipRight(Ref.update(finished, (xs) => [...xs, name])),
          Effect.as(name)
        )
      const fiber = yield* Batch.run([
        ok("a", 10),
        Effect.fail(new Boom(1)),
        ok("b", 500),
        Effect.sync(() => {
          throw new Error("kaput")
        }),
        Effect.sleep("1 hour").pipe(Effect.as("never")),
        ok("c", 900)
      ], { timeout: "1 second", concurrency: 3 }).pipe(Effect.fork)
      yield* TestClock.adjust("2 seconds")
      const results = yield* Fiber.join(fiber)

      expect(results.map(tag)).toEqual([
        "Success:a",
        "Failure:1",
        "Success:b",
        "Die:kaput",
        "Timeout:1000",
        "Success:c"
      ])
      expect(yield* Ref.get(finished)).toEqual(["a", "b", "c"])

      // Element types follow the tuple: `results[1]` can only fail with `Boom`.
      const second = results[1]
      if (BatchResult.isFailure(second)) {
        const boom: Boom = second.error
        expect(boom.id).toBe(1)
      }
      const first = results[0]
      expect(Option.getOrThrow(BatchResult.getSuccess(first)).toUpperCase()).toBe("A")
      expect(BatchResult.successes(results)).toEqual(["a", "b", "c"])
      expect(BatchResult.problems(results).map((r) => r._tag)).toEqual(["Failure", "Die", "Timeout"])
    }))

  it.effect("keeps input order under random delays", () =>
    Effect.gen(function*() {
      const delays = yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => i),
        () => Random.nextIntBetween(0, 1000)
      ).pipe(Effect.withRandom(Random.make("batch-order")))
      expect(new Set(delays).size).toBeGreaterThan(10)
      const completion = yield* Ref.make<Array<number>>([])
      const tasks = delays.map((d, i) =>
        Effect.sleep(Duration.millis(d)).pipe(
          Effect.zipRight(Ref.update(completion, (xs) => [...xs, i])),
          Effect.as(i * 10)
        )
      )
      const fiber = yield* Effect.fork(Batch.run(tasks, { concurrency: 8 }))
      yield* TestClock.adjust("1 minute")
      const results = yield* Fiber.join(fiber)
      expect(results.map((r) => (BatchResult.isSuccess(r) ? r.value : -1))).toEqual(
        delays.map((_, i) => i * 10)
      )
      // The completion order really differed from the input order.
      const order = yield* Ref.get(completion)
      expect(order).not.toEqual([...order].sort((a, b) => a - b))
    }))

  it.effect("never exceeds the concurrency cap", () =>
    Effect.gen(function*() {
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const task = (i: number) =>
        Effect.acquireUseRelease(
          Ref.updateAndGet(inFlight, (n) => n + 1).pipe(Effect.tap((n) => Ref.update(peak, (p) => Math.max(p, n)))),
          () => Effect.sleep(Duration.millis(5 + (i % 7) * 3)).pipe(Effect.as(i)),
          () => Ref.update(inFlight, (n) => n - 1)
        )
      const fiber = yield* Effect.fork(Batch.run(Array.from({ length: 50 }, (_, i) => task(i)), { concurrency: 4 }))
      yield* TestClock.adjust("10 seconds")
      const results = yield* Fiber.join(fiber)
      expect(results).toHaveLength(50)
      expect(yield* Ref.get(peak)).toBe(4)
      expect(yield* Ref.get(inFlight)).toBe(0)
    }))

  it.effect("defaults to 10 tasks in flight", () =>
    Effect.gen(function*() {
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const task = Effect.acquireUseRelease(
        Ref.updateAndGet(inFlight, (n) => n + 1).pipe(Effect.tap((n) => Ref.update(peak, (p) => Math.max(p, n)))),
        () => Effect.sleep("10 millis"),
        () => Ref.update(inFlight, (n) => n - 1)
      )
      const fiber = yield* Effect.fork(Batch.run(Array.from({ length: 35 }, () => task)))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(peak)).toBe(Batch.defaultConcurrency)
    }))

  it.effect("accepts a record and returns outcomes by key", () =>
    Effect.gen(function*() {
      const results = yield* Batch.run({
        customer: Effect.succeed({ id: "cus_1" }),
        invoice: Effect.fail("not_found" as const),
        count: Effect.succeed(3)
      })
      expect(Object.keys(results)).toEqual(["customer", "invoice", "count"])
      expect(BatchResult.isSuccess(results.customer) && results.customer.value.id).toBe("cus_1")
      expect(BatchResult.getFailure(results.invoice)).toEqual(Option.some("not_found"))
      expect(Equal.equals(results.count, BatchResult.success(3))).toBe(true)
    }))

  it.effect("gives an empty result for an empty input", () =>
    Effect.gen(function*() {
      expect(yield* Batch.run([])).toEqual([])
      expect(yield* Batch.run({})).toEqual({})
    }))

  it.effect("reports a task that interrupts itself without affecting the others", () =>
    Effect.gen(function*() {
      const results = yield* Batch.run([Effect.interrupt, Effect.succeed(1)])
      expect(results.map(tag)).toEqual(["Interrupted", "Success:1"])
    }))

  it.effect("interrupting the batch interrupts every running task", () =>
    Effect.gen(function*() {
      const started = yield* Ref.make(0)
      const interrupted = yield* Ref.make(0)
      const allStarted = yield* Deferred.make<void>()
      const task = Ref.updateAndGet(started, (n) => n + 1).pipe(
        Effect.tap((n) => (n === 3 ? Deferred.succeed(allStarted, undefined) : Effect.void)),
        Effect.zipRight(Effect.never),
        Effect.onInterrupt(() => Ref.update(interrupted, (n) => n + 1))
      )
      const fiber = yield* Effect.fork(Batch.run([task, task, task, task, task], { concurrency: 3 }))
      yield* Deferred.await(allStarted)
      yield* Fiber.interrupt(fiber)
      expect(yield* Ref.get(started)).toBe(3)
      expect(yield* Ref.get(interrupted)).toBe(3)
    }))

  it.effect("keeps requirements of the tasks", () =>
    Effect.gen(function*() {
      class Greeting extends Context.Tag("Greeting")<Greeting, string>() {}
      const results = yield* Batch.run([Greeting, Effect.map(Greeting, (g) => g.length)]).pipe(
        Effect.provideService(Greeting, "hello")
      )
      expect(results.map(tag)).toEqual(["Success:hello", "Success:5"])
    }))
})

describe("BatchResult", () => {
  it.effect("guards, match and helpers work across a tuple of different outcome types", () =>
    Effect.gen(function*() {
      const results = yield* Batch.run([
        Effect.succeed(1),
        Effect.succeed("a"),
        Effect.fail(new Boom(2)),
        Effect.dieMessage("kaput"),
        Effect.never
      ], { timeout: "1 second" }).pipe(
        Effect.fork,
        Effect.tap(() => TestClock.adjust("1 second")),
        Effect.flatMap(Fiber.join)
      )
      const ok = results.filter(Batch.isSuccess)
      const values: Array<number | string> = ok.map((r) => r.value)
      expect(values).toEqual([1, "a"])
      const errors: Array<Boom> = results.filter(Batch.isFailure).map((r) => r.error)
      expect(errors.map((e) => e.id)).toEqual([2])
      expect(results.map(Batch.describe)).toEqual([
        "Success",
        "Success",
        "Failure: Boom",
        "Die: RuntimeException: kaput",
        "Timeout after 1s"
      ])
      const [first, second] = results
      const n: number = Batch.match(first, {
        onSuccess: (v) => v + 1,
        onFailure: () => -1,
        onDie: () => -2,
        onTimeout: () => -3,
        onInterrupted: () => -4
      })
      expect(n).toBe(2)
      const text: Option.Option<string> = BatchResult.getSuccess(second)
      expect(text).toEqual(Option.some("a"))
      expect(BatchResult.successes(results)).toEqual([1, "a"])
      expect(BatchResult.problems(results).map((r) => r._tag)).toEqual(["Failure", "Die", "Timeout"])
    }))

  it("compares by value and prints without its cause", () => {
    expect(Equal.equals(BatchResult.success(1), BatchResult.success(1))).toBe(true)
    expect(Equal.equals(BatchResult.success(1), BatchResult.success(2))).toBe(false)
    expect(BatchResult.timeout(Duration.seconds(1)).toJSON()).toMatchObject({ _id: "BatchResult", _tag: "Timeout" })
    expect(BatchResult.isBatchResult(BatchResult.success(1))).toBe(true)
    expect(BatchResult.isBatchResult({ _tag: "Success", value: 1 })).toBe(false)
  })
})
