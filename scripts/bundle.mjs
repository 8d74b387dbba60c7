#!/usr/bin/env node
// The `gluon` executable as one bundle (part of `npm run build`): cli/src/main.ts and everything it imports,
// dependencies included, into dist/bundle/gluon.js, with what is loaded on first use (the server behind
// `gluon serve`, the Agent SDK's callers, Postgres, the bots…) split into chunks beside it. A server then
// starts from a handful of files instead of resolving some 1,300 modules one by one. Source maps
// (dist/bundle/*.map) keep stack traces pointing at the TypeScript sources: cli/src/stack-traces.ts reads
// them when a trace is formatted.
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepOwnSources } from './bundle-sourcemaps.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist', 'bundle');

// Left to node_modules: native code (better-sqlite3), and packages that find their own files or binaries
// next to their code at run time (the Agent SDK's bundled Claude Code, the Codex CLI).
const EXTERNAL = [
  'better-sqlite3',
  '@anthropic-ai/claude-agent-sdk',
  '@anthropic-ai/claude-agent-sdk/*',
  '@openai/codex',
  '@openai/codex/*',
  'pg-native',
  // grammY's Node build hangs its first request once bundled (its node-fetch and abort-controller shims);
  // the bots load it from node_modules, on first use anyway.
  'grammy',
  // What fastify requires only on first need (a route with a JSON schema, app.inject()): kept out of the
  // chunks a server loads to listen.
  '@fastify/ajv-compiler',
  '@fastify/fast-json-stringify-compiler',
  'light-my-request',
  // pino (and its streams): fastify's chunk requires it only when given a logger, json-log.ts on demand;
  // bundled, its 95 kB would be parsed at every start.
  'pino',
];

/**
 * zod's error messages in 40 languages (300 kB, the largest part of zod) are reachable through `z.locales`
 * only; Gluon speaks English, so that namespace keeps `en` alone and the rest stays out of the bundle.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.join(path.dirname(args.importer), '..', 'locales'), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: args.path,
      loader: 'js',
    }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { gluon: 'cli/src/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  plugins: [englishOnlyZod],
  sourcemap: 'linked',
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // CommonJS dependencies call `require` (for node: built-ins, and for each other when not bundled): give
  // every output file one, made for its own location.
  banner: {
    js: "import { createRequire as __gluonRequire } from 'node:module'; const require = __gluonRequire(import.meta.url);",
  },
});
if (process.env.GLUON_BUNDLE_META)
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
for (const file of Object.keys(result.metafile?.outputs ?? {}))
  if (file.endsWith('.map')) keepOwnSources(path.join(root, file));
