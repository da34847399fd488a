/**
 * The runtime behind every generated resource method.
 *
 * @internal
 */
import { Pagination, StripeClient, StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"

/**
 * One row of a generated module's `operations` table.
 *
 * @internal
 */
export interface Operation {
  readonly method: StripeClient.HttpMethod
  /** The path template, `{name}` for each path param. */
  readonly path: string
  /** The path params, in path order. */
  readonly pathParams: ReadonlyArray<string>
  readonly spanName: string
  readonly host?: StripeClient.Host
}

/**
 * A response schema. Generated modules pass the exact schema of the
 * operation; the method signature carries the (possibly expand-narrowed)
 * result type, which is a refinement of the schema's type that TypeScript
 * cannot derive from the `expand` values, hence the untyped boundary here.
 *
 * @internal
 */
export type AnySchema = Schema.Schema.AnyNoContext

/**
 * The response schema of an operation, built on the operation's first call
 * from the type modules it needs, which are imported then: importing a
 * resource module loads no type module and builds no schema. After the first
 * call the schema is at hand synchronously.
 *
 * @internal
 */
export interface LazySchema {
  /** The schema, once loaded. */
  readonly get: () => AnySchema | undefined
  /** Loads (once) and returns the schema. */
  readonly load: () => Effect.Effect<AnySchema>
}

// The type modules import each other in cycles. One dynamic import at a time:
// a runner that loads modules itself (vitest's) can deadlock when two imports
// enter the same cycle from different modules at once. Node's loader does not,
// and the queue costs it nothing but the order.
let importQueue: Promise<unknown> = Promise.resolve()

const serially = <M>(load: () => Promise<M>): Promise<M> => {
  const next = importQueue.then(load, load)
  importQueue = next.then(() => undefined, () => undefined)
  return next
}

/**
 * A {@link LazySchema} from a module loader and a builder.
 *
 * @internal
 */
export const schema = <M>(load: () => Promise<M>, build: (modules: M) => AnySchema): LazySchema => {
  let value: AnySchema | undefined
  let pending: Promise<AnySchema> | undefined
  // Nothing is allocated at import but these two closures: the Effect that
  // loads is made on the first call.
  return {
    get: () => value,
    load: () =>
      Effect.suspend(() => {
        if (value !== undefined) return Effect.succeed(value)
        pending ??= serially(load).then((modules) => {
          value = build(modules)
          return value
        })
        const loading = pending
        return Effect.promise(() => loading)
      })
  }
}

const withSchema = <A, E, R>(
  lazySchema: LazySchema,
  f: (schema: AnySchema) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => {
  const loaded = lazySchema.get()
  return loaded !== undefined ? f(loaded) : Effect.flatMap(lazySchema.load(), f)
}

const streamWithSchema = <A, E, R>(
  lazySchema: LazySchema,
  f: (schema: AnySchema) => Stream.Stream<A, E, R>
): Stream.Stream<A, E, R> => {
  const loaded = lazySchema.get()
  return loaded !== undefined ? f(loaded) : Stream.unwrap(Effect.map(lazySchema.load(), f))
}

/**
 * The schema of a v1 list page (`Pagination.Page`).
 *
 * @internal
 */
export const page: <A, I>(item: Schema.Schema<A, I, never>) => Schema.Schema<Pagination.Page<A>, unknown, never> =
  Pagination.Page

/**
 * The schema of a search page (`Pagination.SearchPage`).
 *
 * @internal
 */
export const searchPage: <A, I>(
  item: Schema.Schema<A, I, never>
) => Schema.Schema<Pagination.SearchPage<A>, unknown, never> = Pagination.SearchPage

/**
 * The schema of a v2 list page (`Pagination.V2Page`).
 *
 * @internal
 */
export const v2Page: <A, I>(item: Schema.Schema<A, I, never>) => Schema.Schema<Pagination.V2Page<A>, unknown, never> =
  Pagination.V2Page

/**
 * Strips the `data.` prefix of list expand paths: the paths that apply to each
 * item of a page.
 *
 * @internal
 */
export type ItemPaths<E extends ReadonlyArray<string>> = {
  readonly [K in keyof E]: E[K] extends `data.${infer R}` ? R : ""
}

// The parts of each template between its params, computed once per operation.
const templates = new WeakMap<Operation, ReadonlyArray<string>>()

const partsOf = (op: Operation): ReadonlyArray<string> => {
  let parts = templates.get(op)
  if (parts === undefined) {
    parts = op.path.split(/\{[^}]+\}/)
    templates.set(op, parts)
  }
  return parts
}

/**
 * The concrete path of a call: each argument encoded into its template slot
 * by `StripeClient.pathSegment`, core's one rule for path arguments. An
 * argument that cannot be one safe segment (empty, `.`, `..`, not a string)
 * encodes so that the pipeline refuses the request with
 * `StripeValidationError` (param `path`) before anything is sent.
 *
 * @internal
 */
export const buildPath = (op: Operation, args: ReadonlyArray<unknown>): string => {
  const parts = partsOf(op)
  let path = parts[0] ?? ""
  for (let i = 0; i < op.pathParams.length; i++) {
    const arg = args[i]
    path += StripeClient.pathSegment(typeof arg === "string" ? arg : "") + (parts[i + 1] ?? "")
  }
  return path
}

const request = <A>(
  op: Operation,
  path: string,
  schema: Schema.Schema<A, unknown>,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): StripeClient.Request<A, unknown> => ({
  method: op.method,
  path,
  pathTemplate: op.path,
  params,
  options,
  schema,
  spanName: op.spanName,
  ...(op.host === undefined ? {} : { host: op.host })
})

const withPath = <A, E, R>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  f: (path: string) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> => Effect.suspend(() => f(buildPath(op, args)))

const streamWithPath = <A, E, R>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  f: (path: string) => Stream.Stream<A, E, R>
): Stream.Stream<A, E, R> => Stream.suspend(() => f(buildPath(op, args)))

/** @internal */
export const call = <A>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  lazySchema: LazySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<A, StripeError.StripeError, StripeClient.StripeClient> =>
  withPath(
    op,
    args,
    (path) => withSchema(lazySchema, (schema) => StripeClient.request(request<A>(op, path, schema, params, options)))
  )

/** @internal */
export const listAll = <A>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  lazySchema: LazySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Stream.Stream<A, StripeError.StripeError, StripeClient.StripeClient> =>
  streamWithPath(
    op,
    args,
    (path) =>
      streamWithSchema(lazySchema, (schema) =>
        Pagination.listAll(request<Pagination.Page<A>>(op, path, schema, params, options)))
  )

/** @internal */
export const searchAll = <A>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  lazySchema: LazySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Stream.Stream<A, StripeError.StripeError, StripeClient.StripeClient> =>
  streamWithPath(
    op,
    args,
    (path) =>
      streamWithSchema(lazySchema, (schema) =>
        Pagination.searchAll(request<Pagination.SearchPage<A>>(op, path, schema, params, options)))
  )

/** @internal */
export const v2ListAll = <A>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  lazySchema: LazySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Stream.Stream<A, StripeError.StripeError, StripeClient.StripeClient> =>
  streamWithPath(
    op,
    args,
    (path) =>
      streamWithSchema(lazySchema, (schema) =>
        Pagination.v2ListAll(request<Pagination.V2Page<A>>(op, path, schema, params, options)))
  )

/**
 * Downloads a binary body (a quote PDF) through the client's `executeBytes`.
 *
 * @internal
 */
export const bytes = (
  op: Operation,
  args: ReadonlyArray<unknown>,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<Uint8Array, StripeError.StripeError, StripeClient.StripeClient> =>
  withPath(op, args, (path) =>
    Effect.flatMap(StripeClient.StripeClient, (client) =>
      Effect.map(
        client.executeBytes({
          method: op.method,
          path,
          pathTemplate: op.path,
          params,
          options,
          spanName: op.spanName,
          ...(op.host === undefined ? {} : { host: op.host })
        }),
        (response) => response.value
      )))

/**
 * A call whose 2xx response has no body (`202 Accepted` of the v2 meter
 * event stream): the body is read as bytes and dropped.
 *
 * @internal
 */
export const noBody = (
  op: Operation,
  args: ReadonlyArray<unknown>,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<void, StripeError.StripeError, StripeClient.StripeClient> =>
  Effect.asVoid(bytes(op, args, params, options))

const appendForm = (form: FormData, name: string, value: unknown): void => {
  if (value === undefined) return
  if (value instanceof Blob) {
    form.append(name, value, value instanceof File ? value.name : "file")
  } else if (value instanceof Uint8Array) {
    form.append(name, new Blob([new Uint8Array(value)]), "file")
  } else if (value instanceof Date) {
    form.append(name, String(Math.floor(value.getTime() / 1000)))
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => appendForm(form, `${name}[${i}]`, v))
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) appendForm(form, `${name}[${k}]`, v)
  } else {
    form.append(name, value === null ? "" : String(value))
  }
}

/**
 * Encodes params as `multipart/form-data` with Stripe's bracket notation.
 *
 * @internal
 */
export const toFormData = (params: unknown): FormData => {
  const form = new FormData()
  if (params !== null && typeof params === "object") {
    for (const [k, v] of Object.entries(params)) appendForm(form, k, v)
  }
  return form
}

/**
 * A multipart upload (`Files.create`): params go in the form body.
 *
 * @internal
 */
export const multipart = <A>(
  op: Operation,
  args: ReadonlyArray<unknown>,
  lazySchema: LazySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<A, StripeError.StripeError, StripeClient.StripeClient> =>
  withPath(op, args, (path) =>
    withSchema(lazySchema, (schema) =>
      StripeClient.request({
        ...request<A>(op, path, schema, undefined, options),
        multipart: toFormData(params)
      })))

/**
 * Runs a local validation before the request.
 *
 * @internal
 */
export const guarded = <A, E, R>(
  guard: Effect.Effect<void, StripeError.StripeValidationError>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | StripeError.StripeValidationError, R> => Effect.zipRight(guard, effect)
