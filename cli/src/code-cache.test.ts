/**
 * V8's code cache for the bundle's CommonJS files, in a process of its own each time (as `gluon` runs it:
 * code-cache.ts built by esbuild, a folder of CommonJS files required after it is installed).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeCacheStats } from './code-cache.js';

const dir = mkdtempSync(path.join(tmpdir(), 'gluon-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const here = path.dirname(fileURLToPath(import.meta.url));
const bundle = path.join(dir, 'bundle');
const cacheDir = path.join(bundle, '.code-cache');
const installer = path.join(dir, 'code-cache.cjs');
const outside = path.join(dir, 'outside.js');

const A = `const b = require('./b.js');
exports.answer = (x) => b.twice(x) + 1;
exports.where = () => [__filename, __dirname, module.id === __filename, this === exports];
exports.os = require('./c.js').os;
`;
// A file that imports dynamically is compiled as usual (Node 20 loses import() in a cached script).
const C = `exports.os = async () => (await import('node:os')).EOL.length;\n`;
const B = `exports.twice = (x) => x * 2;\n`;

interface Outcome {
  stats: CodeCacheStats;
  answer: number;
  where: [string, string, boolean, boolean];
  os: number;
  outside: string;
  /** `stats.written` just before the process ended (it stays alive `stayMs`). */
  writtenBeforeExit: number;
}

/** Runs a process that installs the cache on `bundle` and requires a.js (and a file outside it). */
function run(opts: { stayMs?: number; cacheDir?: string; writeNow?: boolean } = {}): Outcome {
  const runner = path.join(dir, 'run.cjs');
  writeFileSync(
    runner,
    `const { installCodeCache, writeCodeCache } = require(${JSON.stringify(installer)});
const stats = installCodeCache(${JSON.stringify(bundle)}${opts.cacheDir ? `, ${JSON.stringify(opts.cacheDir)}` : ''});
const a = require(${JSON.stringify(path.join(bundle, 'a.js'))});
const outside = require(${JSON.stringify(outside)});
${opts.writeNow ? 'writeCodeCache();' : ''}
a.os().then((os) => setTimeout(() => {
  const writtenBeforeExit = stats.written;
  process.on('exit', () => console.log(JSON.stringify({ stats, answer: a.answer(20), where: a.where(), os, outside, writtenBeforeExit })));
}, ${opts.stayMs ?? 0}));
`,
  );
  return JSON.parse(execFileSync(process.execPath, [runner], { encoding: 'utf8' })) as Outcome;
}

beforeAll(async () => {
  await build({
    entryPoints: [path.join(here, 'code-cache.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: installer,
    logLevel: 'warning',
  });
  mkdirSync(bundle);
  writeFileSync(path.join(bundle, 'a.js'), A);
  writeFileSync(path.join(bundle, 'b.js'), B);
  writeFileSync(path.join(bundle, 'c.js'), C);
  writeFileSync(outside, `exports.name = 'outside';\nmodule.exports = 'outside ' + typeof require;\n`);
});

describe('the code cache', () => {
  it('compiles the bundle’s files as Node would, then from their cache at the next start', () => {
    const first = run();
    expect(first.answer).toBe(41);
    expect(first.where).toEqual([path.join(bundle, 'a.js'), bundle, true, true]);
    expect(first.os).toBeGreaterThan(0);
    expect(first.outside).toBe('outside function');
    // Nothing to use the first time; both files' caches written when the process ended.
    expect(first.stats).toEqual({ used: 0, compiled: 2, written: 2 });
    expect(first.writtenBeforeExit).toBe(0);
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(/^a\.js\.\d+-\d+$/),
      expect.stringMatching(/^b\.js\.\d+-\d+$/),
    ]);

    const second = run();
    expect(second.stats).toEqual({ used: 2, compiled: 0, written: 0 });
    expect(second.answer).toBe(41);
    expect(second.os).toBe(first.os);
    expect(second.where).toEqual(first.where);
  });

  it('never uses the cache of a file that changed since, and makes a damaged one again', () => {
    writeFileSync(path.join(bundle, 'b.js'), `exports.twice = (x) => x * 2 + 100;\n`);
    const changed = run();
    expect(changed.answer).toBe(141);
    expect(changed.stats).toEqual({ used: 1, compiled: 1, written: 1 });

    const b = readdirSync(cacheDir).filter((f) => f.startsWith('b.js.'));
    for (const file of b) writeFileSync(path.join(cacheDir, file), 'not a cache of V8');
    const damaged = run();
    expect(damaged.answer).toBe(141);
    expect(damaged.stats).toEqual({ used: 1, compiled: 1, written: 1 });
    expect(run().stats).toEqual({ used: 2, compiled: 0, written: 0 });
  });

  it('writes the caches a while after the start in a process that keeps running', () => {
    rmSync(cacheDir, { recursive: true, force: true });
    const serving = run({ stayMs: 1500 });
    expect(serving.writtenBeforeExit).toBe(2);
    expect(serving.stats).toEqual({ used: 0, compiled: 2, written: 2 });
  });

  it('writes them at once when asked (before V8’s flags change)', () => {
    rmSync(cacheDir, { recursive: true, force: true });
    const asked = run({ writeNow: true });
    expect(asked.writtenBeforeExit).toBe(2);
    expect(asked.stats).toEqual({ used: 0, compiled: 2, written: 2 });
    expect(run().stats).toEqual({ used: 2, compiled: 0, written: 0 });
  });

  it('a folder that cannot be written leaves the files compiled as usual', () => {
    const blocked = path.join(dir, 'a-file');
    writeFileSync(blocked, '');
    const outcome = run({ cacheDir: path.join(blocked, 'cache') });
    expect(outcome.answer).toBe(141);
    expect(outcome.stats).toEqual({ used: 0, compiled: 2, written: 0 });
  });
});
