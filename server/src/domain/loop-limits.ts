/**
 * The Ralph loop's hard limits, checked before every iteration: how many iterations, how much money, how
 * many agent calls per hour, and the pause between iterations. Limits on money and iterations stop the
 * loop; the hourly call budget and the pause only make it wait (a rate limit is not a reason to give up).
 */

export interface LoopLimits {
  /** Iterations the loop may run in all (default 20). */
  maxIterations: number;
  /** Dollars the loop may spend in all; null for no loop cap (task and project caps still apply). */
  maxCostUsd: number | null;
  /** Iterations that may start in any sliding hour (default 100). */
  callsPerHour: number;
  /** Pause between the end of one iteration and the start of the next (default 5 s; 0 for none). */
  pauseMs: number;
}

export const DEFAULT_LOOP_LIMITS: LoopLimits = {
  maxIterations: 20,
  maxCostUsd: null,
  callsPerHour: 100,
  pauseMs: 5000,
};

export const HOUR_MS = 60 * 60 * 1000;

/** What the loop has used so far. Times are epoch milliseconds. */
export interface LoopUsage {
  /** Iterations started so far (finished or not). */
  iterations: number;
  /** Dollars spent by the loop's runs so far. */
  costUsd: number;
  /** When each iteration started; only the last hour matters (see {@link recentCalls}). */
  callStarts: number[];
  /** When the last iteration ended; null before the first. */
  lastEndedAt: number | null;
}

export type LimitCheck =
  | { ok: true }
  | { stop: 'max_iterations' | 'cost_cap'; detail: string }
  | { waitMs: number; why: 'pause' | 'rate_limit'; detail: string };

/**
 * Whether the next iteration may start at `now`.
 * - `max_iterations` once `iterations` reached `maxIterations`;
 * - `cost_cap` once `costUsd` reached `maxCostUsd` (spend at the cap is spent: another turn would pass it);
 * - else wait for the later of: the hourly budget freeing a slot (when `callsPerHour` iterations started
 *   within the last hour, until the oldest of them is an hour old) and the pause after the last iteration;
 * - else ok.
 */
export function checkLimits(limits: LoopLimits, usage: LoopUsage, now: number): LimitCheck {
  if (usage.iterations >= limits.maxIterations) {
    return { stop: 'max_iterations', detail: `reached the limit of ${limits.maxIterations} iterations` };
  }
  if (limits.maxCostUsd !== null && usage.costUsd >= limits.maxCostUsd) {
    return {
      stop: 'cost_cap',
      detail: `the loop spent $${usage.costUsd.toFixed(2)} of its $${limits.maxCostUsd.toFixed(2)} cap`,
    };
  }
  const recent = recentCalls(usage.callStarts, now);
  let rateWait = 0;
  if (recent.length >= limits.callsPerHour) {
    // The slot that frees first belongs to the call that makes the window exactly full once it leaves.
    const oldest = recent[recent.length - limits.callsPerHour] as number;
    rateWait = Math.max(0, oldest + HOUR_MS - now);
  }
  const pauseWait = usage.lastEndedAt === null ? 0 : Math.max(0, usage.lastEndedAt + limits.pauseMs - now);
  if (rateWait > 0 && rateWait >= pauseWait) {
    return {
      waitMs: rateWait,
      why: 'rate_limit',
      detail: `${recent.length} iterations started in the last hour (limit ${limits.callsPerHour}); waiting ${formatWait(rateWait)}`,
    };
  }
  if (pauseWait > 0) return { waitMs: pauseWait, why: 'pause', detail: `pausing ${formatWait(pauseWait)}` };
  return { ok: true };
}

/** The call starts within the hour before `now`, oldest first (the caller may keep only these). */
export function recentCalls(callStarts: number[], now: number): number[] {
  return callStarts.filter((t) => t > now - HOUR_MS && t <= now).sort((a, b) => a - b);
}

/**
 * The limits with defaults for what is not given.
 * - `maxIterations` and `callsPerHour` are whole numbers of at least 1; `pauseMs` at least 0;
 * - `maxCostUsd` must be positive when given; anything else is an error naming the field.
 */
export function resolveLoopLimits(given: Partial<LoopLimits> = {}): LoopLimits {
  const limits: LoopLimits = {
    maxIterations: given.maxIterations ?? DEFAULT_LOOP_LIMITS.maxIterations,
    maxCostUsd: given.maxCostUsd ?? DEFAULT_LOOP_LIMITS.maxCostUsd,
    callsPerHour: given.callsPerHour ?? DEFAULT_LOOP_LIMITS.callsPerHour,
    pauseMs: given.pauseMs ?? DEFAULT_LOOP_LIMITS.pauseMs,
  };
  if (!Number.isInteger(limits.maxIterations) || limits.maxIterations < 1)
    throw new RangeError(`maxIterations must be a whole number of at least 1, got ${limits.maxIterations}`);
  if (!Number.isInteger(limits.callsPerHour) || limits.callsPerHour < 1)
    throw new RangeError(`callsPerHour must be a whole number of at least 1, got ${limits.callsPerHour}`);
  if (!Number.isFinite(limits.pauseMs) || limits.pauseMs < 0)
    throw new RangeError(`pauseMs must be 0 or more, got ${limits.pauseMs}`);
  if (limits.maxCostUsd !== null && !(limits.maxCostUsd > 0))
    throw new RangeError(`maxCostUsd must be positive, got ${limits.maxCostUsd}`);
  return limits;
}

/** `850 ms`, `12 s`, `3 min 20 s`. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)} ms`;
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}
