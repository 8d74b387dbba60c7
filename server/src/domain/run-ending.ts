/**
 * How a run's end reads: the stop reason its record carries, the status a stopped task settles in, and the
 * transition cause each settled status stands for. Pure tables; the run lifecycle applies them.
 */
import type { StopReason, TaskStatus } from '../../../shared/api.js';
import type { EventDataMap } from '../../../shared/events.js';
import type { TransitionCause } from './task-status.js';

/** Why a run was stopped from outside the agent (a human, a cap, the health monitor, the server). */
export type StopCause =
  'cancelled' | 'cost_cap' | 'paused' | 'shutdown' | 'input_required' | 'stopped' | 'died' | 'held';

/** Who hears of a task's change: each kind is one notification on every surface (shared/events.ts). */
export type NotificationKind = EventDataMap['notification']['kind'];

/** The statuses a task's work settles in when it ends for now. */
export type SettledStatus = Extract<TaskStatus, 'review' | 'failed' | 'cancelled' | 'queued'>;

/** A stop that settles the task at once: `shutdown` leaves it to recovery, `held` to the task's mode. */
export type SettlingStop = Exclude<StopCause, 'shutdown' | 'held'>;

export interface StopSettlement {
  to: SettledStatus;
  stopReason: StopReason;
  reason: string;
  notify?: NotificationKind;
  /** What else the task records: it waits for an answer, or it failed with this error. */
  patch: { inputRequired?: true; error?: string };
}

const STOPPED: Record<SettlingStop, StopSettlement> = {
  cancelled: { to: 'cancelled', stopReason: 'cancelled', reason: 'cancelled by the user', patch: {} },
  paused: { to: 'queued', stopReason: 'interrupted', reason: 'paused by the user', patch: {} },
  cost_cap: {
    to: 'review',
    stopReason: 'cost_cap',
    reason: 'stopped at the cost cap',
    notify: 'cost_cap',
    patch: {},
  },
  input_required: {
    to: 'review',
    stopReason: 'input_required',
    reason: 'waiting for an answer',
    patch: { inputRequired: true },
  },
  stopped: { to: 'review', stopReason: 'stopped', reason: 'stopped by the user', patch: {} },
  died: {
    to: 'failed',
    stopReason: 'error',
    reason: 'the agent process died',
    notify: 'failed',
    patch: { error: 'the agent process died' },
  },
};

/**
 * How a task settles when a run was stopped from outside.
 * Rules: the table above decides the status, stop reason and notification; a cost cap says which cap in
 * its reason when the run knows it.
 */
export function settlementForStop(cause: SettlingStop, capReason?: string): StopSettlement {
  const s = STOPPED[cause];
  return cause === 'cost_cap' && capReason ? { ...s, reason: capReason } : s;
}

/**
 * The stop reason an ended run's record carries.
 * Rules: a run held for a human (a plan) waits for input; a stop from outside reads as its table entry
 * (a shutdown as `interrupted`); otherwise an error reads `error`, and anything else `completed`.
 */
export function runStopReason(outcome: { stoppedBy: StopCause | null; error: unknown }): StopReason {
  const { stoppedBy } = outcome;
  if (stoppedBy === 'held') return 'input_required';
  if (stoppedBy === 'shutdown') return 'interrupted';
  if (stoppedBy) return STOPPED[stoppedBy].stopReason;
  return outcome.error ? 'error' : 'completed';
}

/** The transition cause a settled status stands for, when the run lifecycle (not a human) settles it. */
export function settleCause(to: SettledStatus): TransitionCause {
  switch (to) {
    case 'failed':
      return 'run_failed';
    case 'cancelled':
      return 'cancel';
    case 'queued':
      return 'pause';
    case 'review':
      return 'run_ended';
  }
}
