/**
 * Signed webhook delivery of recorded events: to the configured target and to
 * every enabled webhook endpoint that wants the event, in order.
 *
 * @internal
 */
import * as Redacted from "effect/Redacted"
import type { Obj } from "./json.js"
import { signatureHeader } from "./signature.js"

/** @internal */
export interface WebhookTarget {
  readonly url: string
  readonly secret: Redacted.Redacted<string>
}

/** @internal */
export interface WebhookDelivery {
  readonly eventId: string
  readonly type: string
  readonly url: string
  readonly status: number | undefined
  readonly error: string | undefined
}

/** @internal */
export class Webhooks {
  readonly deliveries: Array<WebhookDelivery> = []
  private readonly secrets = new Map<string, Redacted.Redacted<string>>()
  private chain: Promise<void> = Promise.resolve()

  constructor(public target: WebhookTarget | undefined, private readonly nowSeconds: () => number) {}

  registerSecret(endpointId: string, secret: string): void {
    this.secrets.set(endpointId, Redacted.make(secret))
  }

  /** Queues the deliveries of one event to the target and the endpoints that want it. */
  deliver(event: Obj, endpoints: ReadonlyArray<Obj>): void {
    const targets: Array<{ url: string; secret: string }> = []
    if (this.target !== undefined) targets.push({ url: this.target.url, secret: Redacted.value(this.target.secret) })
    for (const endpoint of endpoints) {
      const enabled = endpoint.enabled_events
      const wanted = Array.isArray(enabled) && (enabled.includes("*") || enabled.includes(event.type))
      const secret = typeof endpoint.id === "string" ? this.secrets.get(endpoint.id) : undefined
      if (endpoint.status !== "disabled" && wanted && typeof endpoint.url === "string" && secret !== undefined) {
        targets.push({ url: endpoint.url, secret: Redacted.value(secret) })
      }
    }
    if (targets.length === 0) return
    const payload = JSON.stringify(event, null, 2)
    const eventId = String(event.id)
    const eventType = String(event.type)
    for (const target of targets) {
      // Sequential, so a receiver sees events in the order they happened.
      this.chain = this.chain.then(async () => {
        const header = signatureHeader(payload, target.secret, this.nowSeconds())
        try {
          const res = await fetch(target.url, {
            method: "POST",
            headers: {
              "content-type": "application/json; charset=utf-8",
              "stripe-signature": header,
              "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
            },
            body: payload
          })
          await res.arrayBuffer()
          this.deliveries.push({ eventId, type: eventType, url: target.url, status: res.status, error: undefined })
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e)
          this.deliveries.push({ eventId, type: eventType, url: target.url, status: undefined, error: message })
        }
      })
    }
  }

  /** Resolves once every queued delivery has been attempted. */
  async flush(): Promise<void> {
    let chain = this.chain
    // Deliveries may enqueue more while we wait; loop until the chain is stable.
    while (true) {
      await chain
      if (chain === this.chain) return
      chain = this.chain
    }
  }

  clear(): void {
    this.deliveries.length = 0
    this.secrets.clear()
  }
}
