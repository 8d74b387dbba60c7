/**
 * The server's log: one line on stderr per message, with the stack of an error, and a wrapper that hides
 * secrets in the message and the error before anything is written.
 */
export type Log = (msg: string, err?: unknown) => void;

/**
 * `log` with secrets hidden in the message and in the error: an Error becomes a copy whose message and
 * stack are redacted (keeping its name and code), anything else its redacted text.
 */
export function redactingLog(log: Log, redact: (text: string) => string): Log {
  return (msg, err) => {
    if (err === undefined) return log(redact(msg));
    if (!(err instanceof Error)) return log(redact(msg), redact(String(err)));
    const copy = Object.assign(new Error(redact(err.message)), { name: err.name });
    copy.stack = err.stack === undefined ? undefined : redact(err.stack);
    const code = (err as { code?: unknown }).code;
    log(redact(msg), code === undefined ? copy : Object.assign(copy, { code }));
  };
}

/** The server's log line on stderr, with the stack of an error. */
export function consoleLog(msg: string, err?: unknown): void {
  console.error(`[gluon] ${msg}${err ? `: ${(err as Error)?.stack ?? String(err)}` : ''}`);
}
