/**
 * How a task's work ends for now: one status change (review, failed, cancelled, or back to the queue),
 * with its stop reason, the columns that go with it, and the notification it deserves.
 */
import type { StopReason } from '../../../../shared/api.js';
import { settleCause, type NotificationKind, type SettledStatus } from '../../domain/run-ending.js';
import type { TransitionCause } from '../../domain/task-status.js';
import { nowIso } from '../../ids.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { Notifier } from '../notifications.js';
import type { TaskChanges, TaskState } from '../task-state.js';

export interface Settlement {
  to: SettledStatus;
  stopReason: StopReason | null;
  reason: string;
  patch?: TaskChanges;
  notify?: NotificationKind;
  /** The transition cause, when it is not the one the status stands for (startup recovery). */
  cause?: TransitionCause;
}

const RESUME_AFTER_PAUSE = 'You were paused. Continue the task where you left off.';

/** The columns a settled status brings with it: a queued task is queued again, a cancelled one asks nothing. */
function columnsFor(task: TaskRecord, s: Settlement): TaskChanges {
  const { to } = s;
  if (to === 'queued') {
    const nextPrompt = s.patch?.nextPrompt ?? task.nextPrompt ?? RESUME_AFTER_PAUSE;
    return { finishedAt: null, queuedAt: nowIso(), nextPrompt };
  }
  if (to === 'cancelled') return { finishedAt: nowIso(), inputRequired: false, pendingInput: null };
  return { finishedAt: nowIso() };
}

export function createSettler(deps: { state: TaskState; notifier: Notifier }) {
  /** Settles a `running` task as `s` says; resolves with the task as stored. */
  return async function settle(task: TaskRecord, s: Settlement): Promise<TaskRecord> {
    const settled = await deps.state.transition(
      task,
      s.to,
      s.cause ?? settleCause(s.to),
      {
        ...s.patch,
        stopReason: s.stopReason,
        health: null,
        healthReason: null,
        ...columnsFor(task, s),
      },
      s.reason,
    );
    if (s.notify)
      await deps.notifier.notify(task.id, settled.inputRequired ? 'input_required' : s.notify, s.reason);
    return settled;
  };
}

export type Settle = ReturnType<typeof createSettler>;
