/**
 * How the CLI turns failures into one stderr line and an exit code: 0 success, 1 failure (the server said
 * no, or could not be reached), 2 usage error (bad command line). Never a stack trace unless GLUON_DEBUG.
 */
import { CommanderError } from 'commander';
import { ApiError } from '../../shared/client.js';

/** A command line that parsed but makes no sense (exit code 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A command that ran and failed for a reason its message explains (exit code 1). */
export class CommandFailure extends Error {
  override readonly name = 'CommandFailure';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Maps a thrown value to an exit code, writing the message (if any) to `writeErr`.
 * Rules: commander's help/version displays are success; its other errors were already printed by
 * commander and are usage errors; CommandFailure is a failure in its own words; ApiError is a failure,
 * with a hint for 401 and a missing route;
 * anything else is an unexpected failure.
 */
export function reportError(
  error: unknown,
  writeErr: (line: string) => void,
  context: { tokenSource?: string; debug?: boolean } = {},
): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof UsageError) {
    writeErr(`gluon: ${error.message}`);
    return EXIT_USAGE;
  }
  if (error instanceof CommandFailure) {
    writeErr(`gluon: ${error.message}`);
    return EXIT_FAILURE;
  }
  if (error instanceof ApiError) {
    writeErr(`gluon: ${describeApiError(error, context.tokenSource)}`);
    return EXIT_FAILURE;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeErr(`gluon: unexpected error: ${message}`);
  if (context.debug && error instanceof Error && error.stack) writeErr(error.stack);
  return EXIT_FAILURE;
}

/** One readable line for an API error. */
export function describeApiError(error: ApiError, tokenSource?: string): string {
  if (error.status === 401) {
    const where = tokenSource ? ` (token from ${tokenSource})` : '';
    return `unauthorized: the server rejected the token${where}; set GLUON_TOKEN or check $GLUON_HOME/token`;
  }
  if (error.status === 501) return `not supported by this server yet: ${error.message}`;
  if (error.status === 0) return error.message;
  return `${error.message} (${error.code}, HTTP ${error.status})`;
}
