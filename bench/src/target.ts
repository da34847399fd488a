/**
 * Which Stripe the HTTP benchmarks talk to, in this order:
 * 1. `STRIPE_BASE_URL` when set;
 * 2. Stripe's own stripe-mock when `../shared/stripe-mock/start` exists
 *    next to the repository, or next to the main worktree of this git
 *    checkout (as the test command looks for it; started on a free loopback
 *    port, stopped at the end): the emulator takes a whole core of two and
 *    caps every client;
 * 3. the embedded emulator, in a child process.
 */
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import { startServer } from "./server.js"

export interface HttpTarget {
  readonly url: string
  /** For the report: what was measured against. */
  readonly name: string
  /** stripe-mock, which serves only API 2024-04-10. */
  readonly stripeMock: boolean
  readonly close: () => Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = Net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })

const stripeMock = async (start: string): Promise<HttpTarget> => {
  const port = await freePort()
  const url = execFileSync(start, [String(port)], { encoding: "utf8" }).trim()
  const pidFile = Path.join(process.env.TMPDIR ?? Os.tmpdir(), `stripe-mock.${port}.pid`)
  return {
    url,
    name: `stripe-mock (${Path.relative(process.cwd(), start)}, port ${port})`,
    stripeMock: true,
    close: async () => {
      const pid = Fs.existsSync(pidFile) ? Number(Fs.readFileSync(pidFile, "utf8").trim()) : Number.NaN
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid)
        } catch {
          // Already gone.
        }
      }
    }
  }
}

/** Where `../shared/stripe-mock/start` is: beside `root`, or beside the main worktree of its git checkout. */
const findStartScript = (root: string): string | undefined => {
  const candidates = [Path.resolve(root, "../shared/stripe-mock/start")]
  try {
    const common = execFileSync("git", ["rev-parse", "--path-format=absolute", "--git-common-dir"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"]
    }).trim()
    candidates.push(Path.resolve(Path.dirname(common), "../shared/stripe-mock/start"))
  } catch {
    // Not a git checkout: only the first place counts.
  }
  return candidates.find((candidate) => Fs.existsSync(candidate))
}

/** The target for `root` (the repository root). */
export const resolveTarget = async (root: string): Promise<HttpTarget> => {
  const external = process.env.STRIPE_BASE_URL
  if (external !== undefined && external !== "") {
    return { url: external, name: external, stripeMock: false, close: () => Promise.resolve() }
  }
  const start = findStartScript(root)
  if (start !== undefined) return stripeMock(start)
  const server = await startServer()
  return { url: server.url, name: "emulator (loopback child process)", stripeMock: false, close: server.close }
}
