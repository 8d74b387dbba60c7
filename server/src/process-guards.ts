/**
 * What a serving process sets up for itself, once, in each composition root (`gluon serve`, `gluon
 * worker`, `gluon demo`, `main.ts`), never in a library (`installProcessGuards` first, then
 * `pinYoungGeneration` once it listens):
 * - a promise nobody awaited that failed is logged and the process keeps serving: one failed write (a
 *   full disk, a dropped connection) must never end the server and every agent it runs;
 * - V8's young generation keeps its size instead of doubling after each burst of allocation (to 16 MB a
 *   half, kept for good once grown): a server's garbage is short-lived, so small scavenges cost little;
 * - what it grew to before that (loading the code grows it to 8 MB or more: the flag is set only once
 *   the process listens, as from the start it slowed the cold start by ~25 ms) is given back once the
 *   process has been quiet: V8 shrinks the young generation at a scavenge when allocation has been low
 *   for some seconds, but an idle server allocates nothing, so no scavenge comes. Every TRIM_EVERY_MS
 *   one is asked for (a fraction of a millisecond when idle; when busy, one that was due anyway). Some
 *   7 MB resident less for good, idle and while agents run.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { consoleLog, type Log } from './log.js';

/**
 * How often a scavenge is asked for. V8 shrinks when allocation over its last GCs covering ~5 s was low;
 * each ask closes such a stretch, so the young generation comes back ~8 s after the last burst.
 */
export const TRIM_EVERY_MS = 2000;

export function installProcessGuards(log: Log = consoleLog): void {
  setInterval(minorGc(), TRIM_EVERY_MS).unref();
  process.on('unhandledRejection', (reason) => log('a background operation failed', reason));
}

/**
 * The young generation keeps its size from now on (the process has loaded its code and listens).
 * `before` runs first: the built `gluon` writes the code caches it made, as V8 takes a cache only under
 * the flags it was made with (cli/src/code-cache.ts).
 */
export function pinYoungGeneration(before?: () => void): void {
  before?.();
  setFlagsFromString('--semi-space-growth-factor=1');
}

type Gc = (options: { type: 'minor' | 'major' }) => void;

/**
 * A scavenge on demand: V8's `gc` function (`--expose-gc`), taken from a context made while the flag is
 * on and switched off again, so that nothing else sees it (unless the process was started with it).
 */
function minorGc(): () => void {
  let gc = (globalThis as { gc?: Gc }).gc;
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as Gc;
    setFlagsFromString('--no-expose-gc');
  }
  return () => gc({ type: 'minor' });
}
