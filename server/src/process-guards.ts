/**
 * What a serving process sets up for itself, once, in each composition root (`gluon serve`, `gluon
 * worker`, `gluon demo`, `main.ts`), never in a library:
 * - a promise nobody awaited that failed is logged and the process keeps serving: one failed write (a
 *   full disk, a dropped connection) must never end the server and every agent it runs;
 * - V8's young generation keeps its first size instead of doubling after each burst of allocation (to
 *   16 MB a half, kept for good once grown): a server's garbage is short-lived, so small scavenges cost
 *   little, and the server stays some 15 MB smaller.
 */
import { setFlagsFromString } from 'node:v8';
import { consoleLog, type Log } from './log.js';

export function installProcessGuards(log: Log = consoleLog): void {
  setFlagsFromString('--semi-space-growth-factor=1');
  process.on('unhandledRejection', (reason) => log('a background operation failed', reason));
}
