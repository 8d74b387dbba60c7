/**
 * The one error type for expected failures that cross the API: an HTTP status, a stable code and a plain
 * message. Built through the factories below; the transport maps them once. Anything else is a bug and
 * becomes a logged 500 with a generic message.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidInput = (message: string, details?: unknown) =>
  new AppError(400, 'invalid_input', message, details);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const invalidTransition = (message: string) => new AppError(409, 'invalid_transition', message);
export const unauthorized = () => new AppError(401, 'unauthorized', 'missing or wrong token');
export const forbidden = (message: string) => new AppError(403, 'forbidden', message);
export const notImplemented = (message: string) => new AppError(501, 'not_implemented', message);

/**
 * A failure of the disk or the database that the user can act on, as the answer to give, else null.
 * Rules: out of space (ENOSPC, EDQUOT, SQLite's FULL, Postgres's disk_full 53100) is a 507; the SQLite
 * file locked by another process past the busy timeout (BUSY, LOCKED) is a 503. Both say what to do.
 */
export function resourceFailure(err: unknown): AppError | null {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  if (/^(ENOSPC|EDQUOT|SQLITE_FULL|53100)$/.test(code))
    return new AppError(
      507,
      'insufficient_storage',
      'the data directory is out of space; free some space and try again',
    );
  if (/^SQLITE_(BUSY|LOCKED)/.test(code))
    return new AppError(
      503,
      'database_busy',
      'the database is locked by another process; try again once it lets go (see `fuser` on gluon.db)',
    );
  return null;
}
