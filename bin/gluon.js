#!/usr/bin/env node
// The `gluon` command: runs the bundled CLI (dist/bundle, made by `npm run build`, or `npm start` once)
// through its `start.js`, which sets up V8's code cache for the bundle's files (cli/src/start.ts). Its
// stack traces name the TypeScript sources through the bundle's maps, read only when a trace is formatted
// (cli/src/stack-traces.ts), not with Node's source maps, which read every map at every load.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/bundle/start.js', import.meta.url));
if (!existsSync(entry)) {
  process.stderr.write('gluon: not built yet; run `npm run build` (or `npm start`) in the checkout first\n');
  process.exit(2);
}
createRequire(import.meta.url)(entry);
