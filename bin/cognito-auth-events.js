#!/usr/bin/env node
// The package's executable: the CLI that `npm run build` writes to dist/ (`npm pack` and `npm publish` build it
// first). It lives outside dist/ so that a clone, which has no dist/ until it is built, still has the file its
// package.json names. On a clone, run the CLI from the source: `npx tsx src/cli/main.ts`.
import "../dist/cli.js";
