/**
 * Schedules without I/O: what a cron line means (five fields, through croner), when a schedule is next
 * due, and what the outcome of one of its runs does to it (three failures in a row pause it).
 */
import { Cron } from 'croner';

/** Failures in a row after which a schedule pauses itself. */
export const MAX_FAILURES_IN_A_ROW = 3;

export type CronCheck = { ok: true } | { ok: false; message: string };

/** Whether `expr` is a five-field cron line croner understands ("0 7 * * 1-5"). */
export function checkCron(expr: string): CronCheck {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5)
    return { ok: false, message: `a cron line has five fields (minute hour day month weekday): "${expr}"` };
  try {
    const next = new Cron(expr, { paused: true }).nextRun(new Date());
    if (!next) return { ok: false, message: `"${expr}" never runs` };
    return { ok: true };
  } catch (error) {
    return { ok: false, message: `not a cron line: ${(error as Error).message}` };
  }
}

/** The first time strictly after `after` that `expr` is due (server time zone), or null if never. */
export function nextDue(expr: string, after: Date, timezone?: string): Date | null {
  return new Cron(expr, { paused: true, ...(timezone ? { timezone } : {}) }).nextRun(after);
}

/** How a run of a schedule ended, as far as the schedule cares. */
export type RunOutcome = 'succeeded' | 'failed';

export interface ScheduleHealth {
  failures: number;
  /** Set when this outcome pauses the schedule. */
  pause: string | null;
}

/**
 * The schedule's count of failures in a row after one run's outcome.
 * Rules: a success resets the count; a failure adds one; the third failure in a row pauses the schedule
 * (it stays paused until a human resumes it, which resets the count).
 */
export function afterOutcome(failures: number, outcome: RunOutcome): ScheduleHealth {
  if (outcome === 'succeeded') return { failures: 0, pause: null };
  const count = failures + 1;
  return {
    failures: count,
    pause: count >= MAX_FAILURES_IN_A_ROW ? `paused after ${count} failed runs in a row` : null,
  };
}

/**
 * What a task's new status says about the run of a schedule that made it.
 * Rules: `review` and `done` are successes (the work is there to look at); `failed` is a failure; a
 * cancel by a human is neither (no outcome); queued and running are not an ending.
 */
export function outcomeOfStatus(status: string): RunOutcome | null {
  if (status === 'review' || status === 'done') return 'succeeded';
  if (status === 'failed') return 'failed';
  return null;
}
