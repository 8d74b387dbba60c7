/**
 * The Ralph loop's circuit breaker: it stops a loop that spins without getting anywhere. It is fed the
 * facts of each finished iteration and answers the next state. `closed` runs normally, `half_open` is a
 * warning (the loop goes on, watched), `open` stops the loop with its reason and stays open.
 */

export type BreakerState = 'closed' | 'half_open' | 'open';

export interface BreakerThresholds {
  /** Iterations in a row without progress that move `closed` to `half_open`. */
  halfOpenAfter: number;
  /** Further iterations in a row without progress, once half-open, that open the breaker (2 + 3 = 5). */
  openAfter: number;
  /** The same error this many iterations in a row opens the breaker. */
  sameErrorLimit: number;
  /** Iterations in a row with at least one permission denial that open the breaker. */
  denialIterationsLimit: number;
}

export const DEFAULT_BREAKER_THRESHOLDS: BreakerThresholds = {
  halfOpenAfter: 2,
  openAfter: 3,
  sameErrorLimit: 5,
  denialIterationsLimit: 2,
};

/** The breaker between iterations: its state, the streaks behind it, and why it is in that state. */
export interface Breaker {
  state: BreakerState;
  /** Iterations in a row without progress. */
  noProgress: number;
  /** The last iteration's error, normalised (see {@link errorKey}); null when it had none. */
  lastError: string | null;
  /** Iterations in a row that ended with `lastError`. */
  sameError: number;
  /** Iterations in a row with permission denials. */
  denialIterations: number;
  /** Plain words for the iteration record and, when open, the task's stop reason detail. */
  reason: string;
}

/** What one finished iteration did, as measured by the caller (git and the run's outcome). */
export interface IterationFacts {
  /** Files changed since the iteration began, committed or not, Gluon's own bookkeeping excluded. */
  filesChanged: number;
  /** Commits made since the iteration began. */
  commits: number;
  /** The run's error message, null when it ended without one. */
  error: string | null;
  /** Tool calls denied during the iteration (by policy or by a human). */
  permissionDenials: number;
}

/** A fresh, closed breaker. */
export function initialBreaker(): Breaker {
  return {
    state: 'closed',
    noProgress: 0,
    lastError: null,
    sameError: 0,
    denialIterations: 0,
    reason: 'closed',
  };
}

/**
 * The breaker after one more iteration.
 * - `open` stays open (the loop has stopped; a new loop starts from {@link initialBreaker});
 * - progress (a changed file or a new commit) resets the no-progress streak and closes a half-open breaker;
 * - the no-progress streak reaching `halfOpenAfter` makes it half-open, reaching `halfOpenAfter + openAfter`
 *   opens it;
 * - the same error (compared by {@link errorKey}) `sameErrorLimit` iterations in a row opens it, whether or
 *   not files changed; an iteration without error, or with another error, restarts that count;
 * - permission denials in `denialIterationsLimit` iterations in a row open it; an iteration without
 *   denials restarts that count;
 * - when several rules open it at once, the reason names the first of: same error, denials, no progress.
 */
export function nextBreaker(
  prev: Breaker,
  facts: IterationFacts,
  thresholds: BreakerThresholds = DEFAULT_BREAKER_THRESHOLDS,
): Breaker {
  if (prev.state === 'open') return prev;
  const progress = facts.filesChanged > 0 || facts.commits > 0;
  const noProgress = progress ? 0 : prev.noProgress + 1;
  const key = facts.error === null ? null : errorKey(facts.error);
  const sameError = key === null ? 0 : key === prev.lastError ? prev.sameError + 1 : 1;
  const denialIterations = facts.permissionDenials > 0 ? prev.denialIterations + 1 : 0;
  const counts = { noProgress, lastError: key, sameError, denialIterations };

  if (key !== null && sameError >= thresholds.sameErrorLimit) {
    return { ...counts, state: 'open', reason: `the same error ${sameError} times in a row: ${facts.error}` };
  }
  if (denialIterations >= thresholds.denialIterationsLimit) {
    return {
      ...counts,
      state: 'open',
      reason: `permission denials in ${denialIterations} iterations in a row`,
    };
  }
  if (noProgress >= thresholds.halfOpenAfter + thresholds.openAfter) {
    return { ...counts, state: 'open', reason: `no progress in ${noProgress} iterations in a row` };
  }
  if (noProgress >= thresholds.halfOpenAfter) {
    return { ...counts, state: 'half_open', reason: `no progress in ${noProgress} iterations in a row` };
  }
  if (progress) {
    const what = [
      facts.filesChanged > 0 ? plural(facts.filesChanged, 'file') + ' changed' : null,
      facts.commits > 0 ? plural(facts.commits, 'commit') : null,
    ].filter((p) => p !== null);
    return { ...counts, state: 'closed', reason: `progress: ${what.join(', ')}` };
  }
  return { ...counts, state: 'closed', reason: 'no progress in this iteration' };
}

/**
 * The form in which errors are compared: the same failure often differs only in numbers, ids, times or
 * quoted values ("request req_01… failed after 3012 ms"). Lowercase, quoted parts and hex/digit runs
 * replaced, whitespace collapsed, cut to 200 characters.
 */
export function errorKey(message: string): string {
  return message
    .toLowerCase()
    .replace(/(["'`]).*?\1/g, '"…"')
    .replace(/\b[0-9a-f]{8,}\b|\b[a-z]+_[0-9a-z]{8,}\b/g, '#')
    .replace(/\d+(\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
