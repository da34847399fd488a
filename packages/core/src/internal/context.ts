import * as Context from "effect/Context"
import type { AmbientOptions, ResponseMeta } from "../StripeClient.js"

const noDefaults: AmbientOptions = Object.freeze({})

/**
 * Ambient request options set by `withRequestOptions` and friends.
 *
 * @internal
 */
export class RequestDefaults extends Context.Reference<RequestDefaults>()(
  "@lattice-stripe/core/StripeClient/RequestDefaults",
  { defaultValue: (): AmbientOptions => noDefaults }
) {}

/**
 * Where `withResponse` collects the metadata of the calls made inside it;
 * `parent` links to an enclosing `withResponse`, which sees the same calls.
 *
 * @internal
 */
export interface Collector {
  meta: ResponseMeta | undefined
  readonly parent: Collector | undefined
}

/** @internal */
export class ResponseCollector extends Context.Reference<ResponseCollector>()(
  "@lattice-stripe/core/StripeClient/ResponseCollector",
  { defaultValue: (): Collector | undefined => undefined }
) {}
