/**
 * Startup reconciliation: after a crash or a restart nothing may stay half-done. Orphan agent process
 * groups are killed; every task left `running` is requeued to resume its session, or failed with a reason.
 */
import { nowIso } from '../ids.js';
import { reapOrphanGroup } from '../runner/process-group.js';
import type { Storage } from '../storage/index.js';
import type { EventLog } from './event-log.js';
import type { TaskState } from './task-state.js';

const RESTART_PROMPT =
  'The Gluon server restarted while you were working and your previous turn was cut short. Check the state of the work and continue the task.';

/**
 * Rules, for each task found `running`:
 * - its runs still marked running are ended (`interrupted`) and their process groups reaped;
 * - with a session and resumeOnRestart, and no question left open: back to `queued` to resume that session;
 * - with an open question: `review` with the question kept, waiting for the answer;
 * - otherwise: `failed`, saying the server stopped before the agent could start.
 */
export async function recoverAfterRestart(deps: {
  storage: Storage;
  events: EventLog;
  state: TaskState;
  resumeOnRestart: boolean;
  log: (msg: string) => void;
}): Promise<{ requeued: number; failed: number; reaped: number }> {
  const { storage, state } = deps;
  let reaped = 0;
  for (const run of await storage.runs.listActive()) {
    if (run.pid && reapOrphanGroup(run.pid, (cmd) => /claude/i.test(cmd))) reaped++;
    await storage.runs.update(run.id, {
      status: 'ended',
      stopReason: 'interrupted',
      endedAt: nowIso(),
      error: 'the server stopped during this run',
    });
    await deps.events.emit(run.taskId, {
      type: 'run.ended',
      runId: run.id,
      data: {
        runId: run.id,
        stopReason: 'interrupted',
        costUsd: run.costUsd,
        error: 'the server stopped during this run',
      },
    });
  }
  let requeued = 0;
  let failed = 0;
  for (const task of await storage.tasks.list({ status: 'running' })) {
    const openQuestion =
      task.pendingInput?.kind === 'question' ? { ...task.pendingInput, live: false } : null;
    if (task.sessionId && openQuestion) {
      await state.transition(
        task,
        'review',
        'run_ended',
        {
          stopReason: 'input_required',
          inputRequired: true,
          pendingInput: openQuestion,
          health: null,
          finishedAt: nowIso(),
        },
        'the server restarted while a question was open',
      );
    } else if (task.sessionId && deps.resumeOnRestart) {
      await state.transition(
        task,
        'queued',
        'recover',
        {
          nextPrompt: RESTART_PROMPT,
          inputRequired: false,
          pendingInput: null,
          health: null,
          queuedAt: nowIso(),
        },
        'the server restarted; resuming the session',
      );
      requeued++;
    } else {
      const reason = task.sessionId
        ? 'the server restarted during the run (resuming on restart is off)'
        : 'the server stopped before the agent started';
      await state.transition(
        task,
        'failed',
        'recover',
        {
          stopReason: 'interrupted',
          error: reason,
          inputRequired: false,
          pendingInput: null,
          health: null,
          finishedAt: nowIso(),
        },
        reason,
      );
      failed++;
    }
  }
  if (reaped || requeued || failed)
    deps.log(
      `recovered after restart: ${requeued} resumed, ${failed} failed, ${reaped} orphan process groups killed`,
    );
  return { requeued, failed, reaped };
}
