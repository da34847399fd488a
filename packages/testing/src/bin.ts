#!/usr/bin/env node
/**
 * `lattice-stripe-mock`: the emulator as a standalone loopback server.
 *
 * @since 0.1.0
 */
import { parseArgs } from "node:util"
import * as EmulatorServer from "./EmulatorServer.js"

const usage = `Usage: lattice-stripe-mock [--port 12111] [--host 127.0.0.1] [--webhook-url URL --webhook-secret SECRET]`

const main = async () => {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "12111" },
      host: { type: "string", default: "127.0.0.1" },
      "webhook-url": { type: "string" },
      "webhook-secret": { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  })
  if (values.help === true) {
    console.log(usage)
    return
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port: ${values.port}\n${usage}`)
    process.exitCode = 2
    return
  }
  const webhookUrl = values["webhook-url"]
  const webhookSecret = values["webhook-secret"] ?? process.env.STRIPE_WEBHOOK_SECRET
  if ((webhookUrl === undefined) !== (webhookSecret === undefined)) {
    console.error(`--webhook-url and --webhook-secret go together\n${usage}`)
    process.exitCode = 2
    return
  }
  const server = await EmulatorServer.start({
    port,
    host: values.host,
    emulatorOptions: {
      seed: values.seed === undefined ? undefined : Number(values.seed),
      webhooks: webhookUrl === undefined || webhookSecret === undefined
        ? undefined
        : { url: webhookUrl, secret: webhookSecret }
    }
  })
  console.log(`lattice-stripe-mock listening on ${server.url}`)
  if (webhookUrl !== undefined) console.log(`delivering signed webhooks to ${webhookUrl}`)
  const stop = () => {
    void server.close().then(() => process.exit(0))
  }
  process.once("SIGINT", stop)
  process.once("SIGTERM", stop)
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e))
  process.exit(1)
})
