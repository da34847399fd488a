import { defineConfig } from "vitest/config"

// Three projects, run by `scripts/run-tests.mjs` (the test command) in two lanes:
// - unit: the packages' own tests and the codegen's;
// - integration: the suite in `test/`, against the embedded emulator, or against
//   STRIPE_BASE_URL (the reference lane points it at stripe-mock);
// - reference: tests that need Stripe's stripe-mock (STRIPE_MOCK_URL): the
//   per-operation sweep and the differential test of the emulator.
const reference = "**/*.reference.test.ts"

// The reference lane runs the SDK generated for stripe-mock's API version
// (scripts/run-tests.mjs writes it there): `@lattice-stripe/resources` and its
// subpaths resolve to that copy.
const resourcesDir = process.env.LATTICE_RESOURCES_DIR ?? ""
const resources = resourcesDir === "" ? [] : [
  { find: /^@lattice-stripe\/resources$/, replacement: `${resourcesDir}/src/index.ts` },
  { find: /^@lattice-stripe\/resources\/(.*)$/, replacement: `${resourcesDir}/src/$1.ts` }
]

// The workspace packages from their sources (their `exports` name the compiled
// `dist/`, which only the build makes), as tsconfig `paths` map them for tsc and tsx.
const root = new URL(".", import.meta.url).pathname
const workspace = [
  { find: /^@lattice-stripe\/(core|resources|webhook|batch|testing)$/, replacement: `${root}packages/$1/src/index.ts` },
  {
    find: /^@lattice-stripe\/(core|resources|webhook|batch|testing)\/(.*)$/,
    replacement: `${root}packages/$1/src/$2.ts`
  }
]

export default defineConfig({
  // The reference SDK's aliases first: the first match wins.
  resolve: { alias: [...resources, ...workspace] },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "threads",
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "scripts/**/test/**/*.test.ts"],
          exclude: ["**/node_modules/**", reference]
        }
      },
      {
        extends: true,
        test: { name: "integration", include: ["test/**/*.test.ts"], exclude: ["**/node_modules/**", reference] }
      },
      { extends: true, test: { name: "reference", include: [reference], exclude: ["**/node_modules/**"] } }
    ]
  }
})
