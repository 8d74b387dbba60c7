/**
 * Ending a run. Closing it is the same however it ended (normally, stopped, or found interrupted after a
 * restart): its work is committed and published, its record closed and announced. Then, for a run that
 * ended in this process, the task moves on: it settles, or its mode starts the next run.
 */
import type { StopReason } from '../../../../shared/api.js';
import { runStopReason, settlementForStop } from '../../domain/run-ending.js';
import { nowIso } from '../../ids.js';
import type { AgentOutcome } from '../../runner/agent.js';
import { changesSince } from '../../runner/git-progress.js';
import type { RunRecord } from '../../storage/runs-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { RunResult } from '../modes/mode-driver.js';
import type { ActiveRun, RunRegistry } from './active-runs.js';
import type { RunsDeps } from './index.js';
import type { Settle } from './settle.js';
import type { StartedRun } from './start-run.js';

export interface RunEnding {
  stopReason: StopReason;
  error: { message: string; retryable: boolean } | null;
  /** The run's own cost, already final in the cost ledger. */
  costUsd: number;
  sessionId: string | null;
  sessionTotalUsd: number | null;
  /** Rebase and push the task's branch (not on shutdown: the next start does it). */
  publish: boolean;
}

type Progress = RunResult['progress'];
type CloseDeps = Pick<RunsDeps, 'storage' | 'events' | 'workspaces'>;

/**
 * Closes a run. Steps, in order:
 * 1. commit what the agent left on the task's branch;
 * 2. side by side: when asked to, rebase onto a moved base and push; announce the commit (its id and
 *    files) and measure the progress since the run's start (from the same read of the commit when it is
 *    the run's only one) — a rebase, which rewrites those commits, waits for both;
 * 3. close the run's record, then announce `run.error` (if any) and `run.ended`.
 * Failures of git are reported on the task, never thrown.
 */
export async function closeRun(
  deps: CloseDeps,
  r: { task: TaskRecord; run: RunRecord; cwd: string | null; startSha: string | null },
  ending: RunEnding,
): Promise<Progress> {
  const { run } = r;
  const task = (await deps.storage.tasks.findById(run.taskId)) ?? r.task;
  const commit = r.cwd ? await deps.workspaces.commitRun(task, run.id, r.cwd) : null;
  const none: Progress = { commits: [], files: [] };
  const { startSha, cwd } = r;
  // The new commit, read once for its announcement, usually answers the measure too (see changesSince).
  const measured =
    startSha && cwd
      ? Promise.resolve(commit?.head())
          .then((head) =>
            changesSince(cwd, startSha, { uncommitted: !commit?.allCommitted, scan: commit?.scan, head }),
          )
          .catch(() => none)
      : Promise.resolve(none);
  const reads = Promise.all([measured, commit?.announce()]);
  if (ending.publish)
    await deps.workspaces.publishRun(task, run.id, { beforeRewrite: reads, scan: commit?.scan });
  const [progress] = await reads;
  await deps.storage.runs.update(run.id, {
    status: 'ended',
    stopReason: ending.stopReason,
    costUsd: ending.costUsd,
    sdkTotalUsd: ending.sessionTotalUsd,
    error: ending.error?.message ?? null,
    endedAt: nowIso(),
    sessionId: ending.sessionId,
  });
  const { message, retryable } = ending.error ?? { message: null, retryable: false };
  await deps.events.emit(run.taskId, [
    ...(message !== null
      ? [{ type: 'run.error' as const, runId: run.id, data: { message, retryable } }]
      : []),
    {
      type: 'run.ended',
      runId: run.id,
      data: {
        runId: run.id,
        stopReason: ending.stopReason,
        costUsd: ending.costUsd,
        ...(message !== null ? { error: message } : {}),
      },
    },
  ]);
  return progress;
}

export interface EnderDeps extends RunsDeps {
  registry: RunRegistry;
  settle: Settle;
  /** Starts the task's next run (the mode asked to go on). */
  launch(task: TaskRecord): Promise<void>;
  /** Told after every run's end is applied (the queue starts the next task). */
  onEnded(taskId: string): void;
}

export function createRunEnder(deps: EnderDeps) {
  /**
   * What the task does after its run.
   * Rules: on shutdown nothing (recovery decides at the next start); a task no longer `running` was settled
   * meanwhile; a stop from outside (a human, a cap, a dead process) settles as its table says; otherwise
   * the task's mode decides: settle, or the next run — unless a stop arrived as the agent finished on its
   * own, which then settles instead of starting the next run.
   */
  async function decide(s: StartedRun, a: ActiveRun, outcome: AgentOutcome, progress: Progress) {
    const stop = outcome.stoppedBy;
    if (stop === 'shutdown' || a.requestedStop === 'shutdown') return null;
    const fresh = await deps.storage.tasks.findById(s.task.id);
    if (fresh?.status !== 'running') return null;
    const session = { sessionId: outcome.sessionId ?? fresh.sessionId };
    if (stop && stop !== 'held') {
      const settlement = settlementForStop(stop, a.capReason);
      await deps.settle(fresh, { ...settlement, patch: { ...session, ...settlement.patch } });
      return null;
    }
    const toolCalls = a.telemetry.toolCalls.map(({ name, input }) => ({ name, input }));
    const result = { task: { ...fresh, ...session }, outcome, cwd: s.cwd, runId: s.run.id, progress };
    const decision = await deps.driverFor(fresh).afterRun({ ...result, toolCalls, env: s.env }, Date.now());
    if (decision.kind === 'settle') {
      await deps.settle(fresh, { ...decision, patch: { ...session, ...decision.patch } });
      return null;
    }
    if (a.requestedStop && a.requestedStop !== 'held') {
      const settlement = settlementForStop(a.requestedStop, a.capReason);
      await deps.settle(fresh, {
        ...settlement,
        patch: { ...session, ...decision.patch, ...settlement.patch },
      });
      return null;
    }
    return deps.state.update(s.task.id, { ...session, ...decision.patch });
  }

  /** Applies the end of a run that ran in this process. */
  async function finish(s: StartedRun, a: ActiveRun, outcome: AgentOutcome): Promise<void> {
    deps.inputs.dropAll(s.task.id);
    try {
      await deps.wip?.settle(s.task.id);
      await a.cost.finish({ costUsd: outcome.costUsd, byModel: outcome.byModel });
      const progress = await closeRun(deps, s, {
        stopReason: runStopReason(outcome),
        error: outcome.error,
        costUsd: outcome.costUsd,
        sessionId: outcome.sessionId,
        sessionTotalUsd: outcome.sessionTotalUsd,
        publish: outcome.stoppedBy !== 'shutdown',
      });
      const next = await decide(s, a, outcome, progress);
      if (next) await deps.launch(next);
    } finally {
      deps.budgets?.runEnded(s.run.id);
      deps.registry.remove(s.task.id, a);
      deps.onEnded(s.task.id);
    }
  }

  return { finish };
}
