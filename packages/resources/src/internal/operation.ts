/**
 * The runtime behind every generated resource method.
 *
 * @internal
 */
import { Pagination, StripeClient } from "@lattice-stripe/core"
import type { StripeError } from "@lattice-stripe/core"
import * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"

/** @internal */
export interface Operation {
  readonly method: StripeClient.HttpMethod
  readonly path: string
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
 * Builds a schema on first use only, so importing a resource module does not
 * build the schemas of all its operations.
 *
 * @internal
 */
export const lazy = <A>(f: () => A): () => A => {
  let value: { readonly a: A } | undefined
  return () => {
    if (value === undefined) value = { a: f() }
    return value.a
  }
}

/**
 * Strips the `data.` prefix of list expand paths: the paths that apply to each
 * item of a page.
 *
 * @internal
 */
export type ItemPaths<E extends ReadonlyArray<string>> = {
  readonly [K in keyof E]: E[K] extends `data.${infer R}` ? R : ""
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

/** @internal */
export const call = <A>(
  op: Operation,
  path: string,
  schema: () => AnySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<A, StripeError.StripeError, StripeClient.StripeClient> =>
  StripeClient.request(request<A>(op, path, schema(), params, options))

/** @internal */
export const listAll = <A>(
  op: Operation,
  path: string,
  schema: () => AnySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Stream.Stream<A, StripeError.StripeError, StripeClient.StripeClient> =>
  Pagination.listAll(request<Pagination.Page<A>>(op, path, schema(), params, options))

/** @internal */
export const searchAll = <A>(
  op: Operation,
  path: string,
  schema: () => AnySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Stream.Stream<A, StripeError.StripeError, StripeClient.StripeClient> =>
  Pagination.searchAll(request<Pagination.SearchPage<A>>(op, path, schema(), params, options))

/**
 * Downloads a binary body (a quote PDF) through the client's `executeBytes`.
 *
 * @internal
 */
export const bytes = (
  op: Operation,
  path: string,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<Uint8Array, StripeError.StripeError, StripeClient.StripeClient> =>
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
    ))

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
  path: string,
  schema: () => AnySchema,
  params: unknown,
  options: StripeClient.RequestOptions | undefined
): Effect.Effect<A, StripeError.StripeError, StripeClient.StripeClient> =>
  StripeClient.request({
    ...request<A>(op, path, schema(), undefined, options),
    multipart: toFormData(params)
  })

/**
 * Runs a local validation before the request.
 *
 * @internal
 */
export const guarded = <A, E, R>(
  guard: Effect.Effect<void, StripeError.StripeValidationError>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | StripeError.StripeValidationError, R> => Effect.zipRight(guard, effect)
