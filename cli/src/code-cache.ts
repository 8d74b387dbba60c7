/**
 * V8's code cache for the built `gluon` (dist/bundle, CommonJS). Without it every start parses the ~1.8 MB
 * of JavaScript a server needs and compiles each function it calls; with it V8 deserializes what an
 * earlier start compiled (some 50–80 ms of a server's cold start here). Node 20 has no compile cache of
 * its own (`module.enableCompileCache` came in Node 22), so CommonJS files under the bundle's folder are
 * compiled here, in `Module.prototype._compile`, the hook Node's loader calls for each CommonJS file.
 *
 * - The cache of a file is written once, `WRITE_AFTER_MS` after the last file compiled without one (the
 *   start is over by then, and the functions it ran are in the cache), when the process changes V8's
 *   flags (`writeCodeCache`), or when it exits first (a short command). A cache V8 finds stale (another
 *   V8, other flags) is made again.
 * - Caches live in `<bundle>/.code-cache` (the build empties the bundle's folder), named after the file,
 *   its size and modification time: a rebuilt file never meets an older file's cache. Whoever can write
 *   there can write the bundle's code itself. A folder that cannot be written leaves the files compiled
 *   as usual.
 * - Why not the `v8-compile-cache` package: it keeps the cache that compiling makes (top-level code only,
 *   a third of the gain measured here), in the shared temporary folder, and writes it at exit only.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** How long after the last file compiled without a cache the caches are written. */
export const WRITE_AFTER_MS = 1000;

/** Writes the caches made so far, in the process where `installCodeCache` ran. */
let writePending: () => void = () => {};

/** Where a process's `CodeCacheStats` can be read (`globalThis[CODE_CACHE_STATS]`: tests, diagnostics). */
export const CODE_CACHE_STATS = Symbol.for('gluon.code-cache');

/** What the cache did in this process. */
export interface CodeCacheStats {
  /** Files compiled from their cache. */
  used: number;
  /** Files compiled without one (none yet, or stale). */
  compiled: number;
  /** Caches written. */
  written: number;
}

type Compile = (this: Module, content: string, filename: string) => unknown;
type Wrapper = (...args: unknown[]) => unknown;

/** Compiles the CommonJS files under `bundle` with V8's code cache from now on. */
export function installCodeCache(
  bundle: string,
  cacheDir: string = path.join(bundle, '.code-cache'),
): CodeCacheStats {
  const stats: CodeCacheStats = { used: 0, compiled: 0, written: 0 };
  (globalThis as Record<symbol, unknown>)[CODE_CACHE_STATS] = stats;
  const pending = new Map<string, Script>();
  const proto = Module.prototype as unknown as { _compile: Compile };
  const compile = proto._compile;
  const within = bundle + path.sep;

  const write = () => {
    try {
      mkdirSync(cacheDir, { recursive: true });
      for (const [file, script] of pending) {
        const scratch = `${file}.${process.pid}`;
        writeFileSync(scratch, script.createCachedData());
        renameSync(scratch, file);
        stats.written++;
      }
    } catch {
      // A folder that cannot be written (read-only install, full disk): the next start compiles again.
    }
    pending.clear();
  };
  const later = setTimeout(write, WRITE_AFTER_MS).unref();
  process.once('exit', write);
  writePending = write;

  proto._compile = function (this: Module, content: string, filename: string) {
    // A dynamic import() fails in a script V8 took from its cache on Node 20 (its loader's callback is
    // lost): a file that may hold one is compiled as usual. The bundle holds none (scripts/bundle.mjs).
    if (!filename.startsWith(within) || content.includes('import('))
      return compile.call(this, content, filename);
    const file = cacheFileOf(cacheDir, path.relative(bundle, filename), filename);
    const cachedData = readIfThere(file);
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (cachedData && !script.cachedDataRejected) stats.used++;
    else {
      stats.compiled++;
      pending.set(file, script);
      later.refresh();
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as Wrapper;
    const require = createRequire(filename);
    return wrapper.call(this.exports, this.exports, require, this, filename, path.dirname(filename));
  };
  return stats;
}

/**
 * Writes the caches made so far now (nothing where no cache is installed): before V8's flags change, as
 * V8 takes a cache only under the flags it was made with (`pinYoungGeneration` in process-guards.ts).
 * Files compiled later get theirs made under the new flags, which their next start has by then too.
 */
export function writeCodeCache(): void {
  writePending();
}

/** `<cacheDir>/<file, its / as ~>.<size>-<mtime>`: a changed file has a different name. */
function cacheFileOf(cacheDir: string, relative: string, filename: string): string {
  const { size, mtimeMs } = statSync(filename);
  return path.join(cacheDir, `${relative.split(path.sep).join('~')}.${size}-${Math.trunc(mtimeMs * 1000)}`);
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
