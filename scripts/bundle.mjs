#!/usr/bin/env node
// The `gluon` executable as one bundle (part of `npm run build`): cli/src/main.ts and everything it imports,
// dependencies included, into dist/bundle/gluon.js, with what is loaded on first use (the server behind
// `gluon serve`, the Agent SDK's callers, Postgres, the bots…) split into chunks beside it. A server then
// starts from a handful of files instead of resolving some 1,300 modules one by one. Source maps
// (dist/bundle/*.map) keep stack traces pointing at the TypeScript sources: cli/src/stack-traces.ts reads
// them when a trace is formatted.
//
// Two passes: esbuild splits into chunks only as ES modules, so the first pass writes them to a scratch
// folder and the second turns each file into CommonJS (its map composed with the first's). Node 20 has no
// code cache for ES modules; CommonJS files go through `Module.prototype._compile`, where
// cli/src/code-cache.ts (entry `start`, which bin/gluon.js loads first) compiles them with V8's cache.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { keepOwnSources } from './bundle-sourcemaps.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist', 'bundle');
const esmdir = path.join(root, 'dist', 'bundle-esm');

// Left to node_modules: native code (better-sqlite3), and packages that find their own files or binaries
// next to their code at run time (the Codex CLI). The Agent SDK is bundled (its `core` entry, into the
// chunk a first run loads): Gluon names the Claude Code binary itself (runner/claude-options.ts), and the
// SDK's own files hold characters past Latin-1, which makes V8 keep a whole source as a two-byte string
// (7 MB more resident during a run than the bundled chunk).
const EXTERNAL = [
  'better-sqlite3',
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

/**
 * Node built-ins that fastify, ws and prom-client require at their top for what a Gluon server does not
 * do at start (an HTTPS or HTTP/2 server, a WebSocket client, compressed frames, a push to a Prometheus
 * gateway): each of these files gets a stand-in that requires the real module at its first use. A few
 * ms of a cold start and ~1 MB resident (`tls` alone brings a dozen of crypto's internals). The
 * stand-in forwards everything (properties, `in`, keys) to the module once loaded; none of these is
 * called as a function. (prom-client's `zlib` stays: it takes `gzipSync` out at its top.)
 */
const LAZY_BUILTINS = {
  'node_modules/fastify/lib/server.js': ['node:https', 'node:http2'],
  'node_modules/ws/lib/websocket.js': ['https', 'tls'],
  'node_modules/ws/lib/permessage-deflate.js': ['zlib'],
  'node_modules/prom-client/lib/pushgateway.js': ['https'],
};
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const names = [...new Set(Object.values(LAZY_BUILTINS).flat())];
    const filter = new RegExp(`^(${names.join('|')})$`);
    b.onResolve({ filter }, (args) => {
      const importer = path.relative(root, args.importer).split(path.sep).join('/');
      return LAZY_BUILTINS[importer]?.includes(args.path)
        ? { path: args.path, namespace: 'lazy-builtin' }
        : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});`,
      loader: 'js',
    }));
  },
};

const shared = {
  absWorkingDir: root,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  sourcesContent: false,
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

rmSync(esmdir, { recursive: true, force: true });
const esm = await build({
  ...shared,
  // `start` installs the code cache, then requires `gluon`.
  entryPoints: { gluon: 'cli/src/main.ts', start: 'cli/src/start.ts' },
  outdir: esmdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  external: EXTERNAL,
  plugins: [englishOnlyZod, lazyBuiltins],
});

// Each file as CommonJS: static imports become `require`, `import()` a `require` in a promise (chunks,
// built-ins and the external packages alike), `import.meta.url` the file's own URL. esbuild reads the
// first pass's map beside each file and composes it into the new one. The scratch folder is not of type
// "module", so that a chunk's `default` export is what a default import of it gets (in Node's mode, that
// would be the whole converted chunk). Of the external packages only grammY marks itself `__esModule`,
// and it is imported by name, which reads the same either way.
writeFileSync(path.join(esmdir, 'package.json'), '{ "type": "commonjs" }\n');
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  ...shared,
  entryPoints: Object.keys(esm.metafile.outputs).filter((file) => file.endsWith('.js')),
  outbase: path.relative(root, esmdir),
  outdir,
  bundle: false,
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__gluonFileUrl' },
  // "use strict" first, as the ES modules were strict: esbuild writes its own after the banner.
  banner: { js: "'use strict';const __gluonFileUrl = require('node:url').pathToFileURL(__filename).href;" },
});
rmSync(esmdir, { recursive: true, force: true });
// dist/bundle's .js files are CommonJS (the package's own are ES modules).
writeFileSync(path.join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
if (process.env.GLUON_BUNDLE_META)
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(esm.metafile));
for (const file of Object.keys(result.metafile?.outputs ?? {}))
  if (file.endsWith('.map'))
    keepOwnSources(path.join(root, file), (source) => source.includes(`${path.basename(esmdir)}/`));

/**
 * V8 holds a loaded file's source for as long as the server runs, as one byte a character only when all
 * of them are Latin-1: a single character past it (esbuild escapes strings, not regular expressions) makes
 * the whole file twice its size in memory. The build fails naming where, so it is written as `\uXXXX`.
 */
for (const file of Object.keys(result.metafile?.outputs ?? {})) {
  if (!file.endsWith('.js')) continue;
  const text = readFileSync(path.join(root, file), 'utf8');
  const at = text.search(/[^\u0000-\u00ff]/u);
  if (at < 0) continue;
  const line = text.slice(0, at).split('\n').length;
  const near = text.slice(Math.max(0, at - 60), at + 20).replace(/\s+/g, ' ');
  console.error(`bundle: ${file}:${line} holds a character past Latin-1 (write it as \\uXXXX): …${near}…`);
  process.exitCode = 1;
}
