#!/usr/bin/env node
// The `gluon` command: runs the bundled CLI (dist/bundle/gluon.js, made by `npm run build`, or `npm start`
// once). Its stack traces name the TypeScript sources through the bundle's maps, read only when a trace is
// formatted (cli/src/stack-traces.ts), not with Node's source maps, which read every map at every load.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/gluon.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gluon: not built yet; run `npm run build` (or `npm start`) in the checkout first\n');
  process.exit(2);
}
await import(entry.href);
