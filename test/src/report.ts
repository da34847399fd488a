/**
 * Counts the reference lane prints: each test writes its counts here, and
 * the test command shows them in its summary (`LATTICE_REPORT`); run on its
 * own, a test prints them.
 */
import * as Fs from "node:fs"

export const report = (line: string): void => {
  const file = process.env.LATTICE_REPORT
  console.log(line)
  if (file !== undefined && file !== "") Fs.appendFileSync(file, `${line}\n`)
}

/** The stripe-mock base URL of the reference lane, or a failure saying how to get one. */
export const stripeMockUrl = (): string => {
  const url = process.env.STRIPE_MOCK_URL ?? ""
  if (url === "") {
    throw new Error(
      "STRIPE_MOCK_URL is not set: the reference tests run in the test command's reference lane " +
        "(npx -y pnpm@12.4.2 run check), which starts stripe-mock, or with STRIPE_MOCK_URL=<stripe-mock url>"
    )
  }
  return url
}
