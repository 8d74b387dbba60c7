#!/usr/bin/env node
// The `gluon` command: runs the compiled CLI (build with `npm run build`, or `npm start` once).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/src/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gluon: not built yet; run `npm run build` (or `npm start`) in the checkout first\n');
  process.exit(2);
}
await import(entry.href);
