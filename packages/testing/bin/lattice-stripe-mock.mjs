#!/usr/bin/env node
// The workspace's launcher: runs the TypeScript sources through tsx (a dev
// dependency), so that `pnpm mock` and the root `lattice-stripe-mock` need no
// build. The published package's bin is the compiled `dist/esm/bin.js`
// (`publishConfig.bin`), which runs on plain `node`.
import { register } from "tsx/esm/api"

register()
await import("../src/bin.ts")
