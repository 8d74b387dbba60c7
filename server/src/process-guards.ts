/**
 * What a serving process does with a promise nobody awaited that failed: log it and keep serving. One
 * failed write (a full disk, a dropped connection) must never end the server and every agent it runs.
 * Installed once by each composition root (`gluon serve`, `gluon demo`, `main.ts`), never by a library.
 */
export function installProcessGuards(log: (msg: string, err?: unknown) => void = consoleLog): void {
  process.on('unhandledRejection', (reason) => log('a background operation failed', reason));
}

/** The server's log line on stderr, with the stack of an error. */
export function consoleLog(msg: string, err?: unknown): void {
  console.error(`[gluon] ${msg}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`);
}
