/**
 * Startup reconciliation: after a crash or a restart nothing may stay half-done. Orphan agent process
 * groups are killed; every run left open is closed the way any run is (its work committed and published,
 * its record ended); every task left `running` is resumed, left waiting for its answer, or failed.
 */
import { existsSync } from 'node:fs';
import { nowIso } from '../ids.js';
import { settlementAfterRestart } from '../domain/restart-recovery.js';
import { reapOrphanGroup } from '../runner/process-group.js';
import { reapRunProcesses } from '../runner/run-processes.js';
import { descendantsOf, endMarked } from '../runner/process-tree.js';
import { createMergeQueuesRepo } from '../storage/merge-queues-repo.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { RunsDeps } from './runs/index.js';
import { closeRun } from './runs/end-run.js';
import type { Settle } from './runs/settle.js';

const INTERRUPTED = 'the server stopped during this run';

export interface RecoveryDeps extends Pick<RunsDeps, 'storage' | 'events' | 'workspaces'> {
  settle: Settle;
  resumeOnRestart: boolean;
  log: (msg: string) => void;
}

/**
 * Rules:
 * - every run still marked running has lost its agent: its process group (and what it started outside
 *   the group) is reaped, and the run is closed as `interrupted` with the cost recorded live so far;
 * - every task still `running` settles as `settlementAfterRestart` says;
 * - every merge queue still running is closed as interrupted (its tasks stay where the queue left them).
 */
export async function recoverAfterRestart(
  deps: RecoveryDeps,
): Promise<{ requeued: number; failed: number; reaped: number }> {
  const { storage } = deps;
  let reaped = 0;
  for (const run of await storage.runs.listActive()) reaped += await closeLostRun(deps, run, INTERRUPTED);
  let requeued = 0;
  let failed = 0;
  for (const task of await storage.tasks.list({ status: 'running' })) {
    const s = settlementAfterRestart(task, deps.resumeOnRestart);
    await deps.settle(task, s);
    if (s.to === 'queued') requeued++;
    if (s.to === 'failed') failed++;
  }
  // This process alone runs merge queues: one still running was the dead server's.
  const merges = await createMergeQueuesRepo(storage.db).interrupt({}, nowIso());
  if (reaped || requeued || failed || merges)
    deps.log(
      `recovered after restart: ${requeued} resumed, ${failed} failed, ${reaped} orphan process groups killed` +
        (merges ? `, ${merges} merge queue${merges === 1 ? '' : 's'} closed as interrupted` : ''),
    );
  return { requeued, failed, reaped };
}

/** Reaps what is left of a run whose agent is gone and closes it as `interrupted`; 1 when a group was reaped. */
async function closeLostRun(deps: RecoveryDeps, run: RunRecord, why: string): Promise<number> {
  const { storage } = deps;
  let reaped = 0;
  // An agent's commands may run in sessions of their own (Codex's do): they go with it, and so does
  // anything marked with the run's id or in its cgroup (setsid, double fork).
  const descendants = run.pid ? descendantsOf(run.pid) : [];
  if (run.pid && reapOrphanGroup(run.pid, (cmd) => /claude|codex/i.test(cmd))) {
    reaped++;
    await endMarked(descendants);
  }
  reaped += reapRunProcesses(run.id) > 0 ? 1 : 0;
  const task = await storage.tasks.findById(run.taskId);
  if (!task) return reaped;
  const cwd =
    task.useWorktree && task.worktreePath && existsSync(task.worktreePath) ? task.worktreePath : null;
  await closeRun(
    deps,
    { task, run, cwd, startSha: null },
    {
      stopReason: 'interrupted',
      error: { message: why, retryable: true },
      costUsd: run.costUsd,
      sessionId: run.sessionId,
      sessionTotalUsd: null,
      publish: cwd !== null,
    },
  );
  return reaped;
}

const UNRECORDED_PROMPT =
  'Gluon could not record the end of your previous turn. Check the state of the work and continue the task.';

/**
 * Repairs a task whose run could not be started or ended because a write failed (the database locked by
 * another process, a full disk): the task would otherwise stay `running` with no agent. Its open runs are
 * closed as after a restart, and it settles by the same rules, saying what really happened.
 * Throws when the database still refuses the writes (the caller retries later).
 */
export async function repairUnrecordedRun(
  deps: RecoveryDeps,
  taskId: string,
  cause: string,
  /** The worker of a fleet that ran it (null on one machine). */
  worker: string | null = null,
): Promise<void> {
  const why = `Gluon could not record the run (${cause})`;
  // A worker cut off from the database was declared lost meanwhile: the task moved on (queued again, or
  // running on another worker), and its runs there are not this worker's to close.
  if (worker) {
    const now = await deps.storage.tasks.findById(taskId);
    if (now?.status !== 'running' || now.worker !== worker) return;
  }
  for (const run of await deps.storage.runs.listByTask(taskId))
    if (run.status === 'running') await closeLostRun(deps, run, why);
  const task = await deps.storage.tasks.findById(taskId);
  if (task?.status !== 'running') return;
  const s = settlementAfterRestart(task, deps.resumeOnRestart);
  if (s.to === 'queued')
    return void (await deps.settle(task, {
      ...s,
      reason: `${why}; resuming the session`,
      patch: { ...s.patch, nextPrompt: UNRECORDED_PROMPT },
    }));
  if (s.to === 'failed')
    return void (await deps.settle(task, { ...s, reason: why, patch: { ...s.patch, error: why } }));
  await deps.settle(task, s);
}
