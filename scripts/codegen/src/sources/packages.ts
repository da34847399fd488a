/**
 * Where the pinned `stripe` packages are installed: the codegen's
 * devDependencies `stripe-shipped` (the version the SDK ships) and
 * `stripe-reference` (the version of the OpenAPI spec and stripe-mock).
 * Bumping either is one line in `scripts/codegen/package.json`.
 *
 * @since 0.2.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Url from "node:url"

const codegenDir = Path.resolve(Path.dirname(Url.fileURLToPath(import.meta.url)), "..", "..")

/**
 * The installed directory of a direct dependency of the codegen package, with
 * symlinks resolved (pnpm links it into `node_modules/<name>`). Not through
 * `require.resolve`: the `stripe` package's `exports` do not export
 * `package.json`.
 */
const packageDir = (name: string): string => {
  const link = Path.join(codegenDir, "node_modules", name)
  if (!Fs.existsSync(Path.join(link, "package.json"))) {
    throw new Error(`${name} is not installed in ${codegenDir}: run \`pnpm install\``)
  }
  return Fs.realpathSync(link)
}

/**
 * `stripe@23.1.0` (API 2026-10-28.endive): the source of the shipped SDK.
 *
 * @since 0.2.0
 */
export const shippedStripeDir = (): string => packageDir("stripe-shipped")

/**
 * `stripe@15.12.0` (API 2024-04-10): the version of the OpenAPI spec and of
 * stripe-mock, for the cross-check and the reference lane.
 *
 * @since 0.2.0
 */
export const referenceStripeDir = (): string => packageDir("stripe-reference")
