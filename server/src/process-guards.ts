/**
 * What a serving process does with a promise nobody awaited that failed: log it and keep serving. One
 * failed write (a full disk, a dropped connection) must never end the server and every agent it runs.
 * Installed once by each composition root (`gluon serve`, `gluon demo`, `main.ts`), never by a library.
 */
import { consoleLog, type Log } from './log.js';

export function installProcessGuards(log: Log = consoleLog): void {
  process.on('unhandledRejection', (reason) => log('a background operation failed', reason));
}
