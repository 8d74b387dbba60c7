#!/usr/bin/env node
// The `gluon` command: runs the bundled CLI (dist/bundle/gluon.js, made by `npm run build`, or `npm start`
// once), with source maps on so that stack traces name the TypeScript sources.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/bundle/gluon.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gluon: not built yet; run `npm run build` (or `npm start`) in the checkout first\n');
  process.exit(2);
}
process.setSourceMapsEnabled(true);
await import(entry.href);
