/**
 * Idempotency keys: the first response to a key is replayed for the same
 * request, and a different request with the same key is an
 * `idempotency_error`, as Stripe does.
 *
 * @internal
 */
import { ApiFailure } from "./errors.js"

/** @internal */
export interface StoredResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

interface Entry {
  readonly fingerprint: string
  readonly response: StoredResponse
}

// Stripe keeps keys for 24 hours; a bounded map is close enough here.
const maxKeys = 100_000

/** @internal */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>()

  /**
   * The stored response for a key, or `undefined` for a new key. Throws an
   * `idempotency_error` when the key was used for another request.
   */
  replay(key: string, fingerprint: string, idempotencyKey: string): StoredResponse | undefined {
    const stored = this.entries.get(key)
    if (stored === undefined) return undefined
    if (stored.fingerprint !== fingerprint) {
      throw new ApiFailure(400, {
        type: "idempotency_error",
        message:
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`
      })
    }
    return stored.response
  }

  save(key: string, fingerprint: string, response: StoredResponse): void {
    this.entries.set(key, { fingerprint, response })
    if (this.entries.size > maxKeys) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
  }

  clear(): void {
    this.entries.clear()
  }
}
