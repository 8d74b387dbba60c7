/**
 * Starting a task's next run: check what it may still spend, ask its mode what the run is (or whether to
 * wait or settle), prepare its worktree, then start the agent with hooks that report everything it does.
 */
import { reachedCap } from '../../domain/spend-caps.js';
import { forksSession } from '../../domain/merge-queue.js';
import { settlementForStop, type SettlingStop, type StopCause } from '../../domain/run-ending.js';
import { newId, nowIso } from '../../ids.js';
import type { AgentOutcome, AgentRun } from '../../runner/agent.js';
import { buildAgentEnv } from '../../runner/agent-env.js';
import { headSha } from '../../runner/worktrees.js';
import type { RunRecord } from '../../storage/runs-repo.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { RunSpec } from '../modes/mode-driver.js';
import { trustsRepoSettings } from '../projects.js';
import { spendBeforeRun } from '../spend.js';
import type { RunRegistry, ActiveRun, RunTelemetry } from './active-runs.js';
import type { RunsDeps } from './index.js';
import { openRunCost } from './run-cost.js';
import { createRunHooks } from './run-hooks.js';
import type { Settle } from './settle.js';

/** What the end of a run needs to know about how it started. */
export interface StartedRun {
  task: TaskRecord;
  run: RunRecord;
  cwd: string;
  env: Record<string, string>;
  /** The worktree's HEAD when the run started, to measure its progress; null without a worktree. */
  startSha: string | null;
}

export interface StarterDeps extends RunsDeps {
  registry: RunRegistry;
  settle: Settle;
  /** A stop asked for while the task was starting: then no agent is started. */
  stopRequested?(taskId: string): SettlingStop | undefined;
  /** The server is shutting down: no agent starts and no wait begins (the task stays `running`). */
  closing?(): boolean;
  /** Applies a run's end; called once the agent is done. */
  whenDone(started: StartedRun, active: ActiveRun, outcome: AgentOutcome): Promise<void>;
}

/** What the session had cost before this run: a fork's copied total, else the resumed session's last. */
function priorSessionTotal(task: TaskRecord, spec: RunSpec, earlier: RunRecord[], forking: boolean): number {
  if (forking) return task.options.forkedFrom!.sessionTotalUsd;
  if (!spec.resumeSessionId) return 0;
  const previous = earlier
    .filter((r) => r.sessionId === spec.resumeSessionId && r.sdkTotalUsd !== null)
    .pop();
  return previous?.sdkTotalUsd ?? 0;
}

export function createRunStarter(deps: StarterDeps) {
  const { storage, events, state, registry } = deps;

  /**
   * Asks the task's mode for its next run and starts it.
   * Rules: a spending cap already reached settles the task in review; the mode may settle the task or ask
   * to wait first; a worktree that cannot be prepared fails the task with the reason; a stop asked for
   * while it was prepared settles the task as that stop says, with no agent started; during a shutdown
   * nothing starts or waits, and the task stays `running` for the next start's recovery.
   */
  async function launch(task: TaskRecord): Promise<void> {
    const done = registry.launching(task.id);
    try {
      await prepareAndStart(task);
    } finally {
      done();
      // No agent started (settled, waiting, failed): what the start left for later runs now.
      if (!registry.get(task.id)) deps.workspaces.agentStarted(task.id);
    }
  }

  async function prepareAndStart(task: TaskRecord): Promise<void> {
    if (deps.closing?.()) return;
    const budget = await spendBeforeRun(storage, task);
    const capReached = reachedCap(budget.caps, budget.spend);
    if (capReached) {
      deps.budgets?.onSpend(task.id, null, budget.caps.budgets ?? [], 0);
      const reason = capReached.replace('stopped at', 'already spent');
      await deps.settle(task, { to: 'review', stopReason: 'cost_cap', reason, notify: 'cost_cap' });
      return;
    }
    const next = await deps.driverFor(task).nextRun(task, Date.now());
    if (next.kind === 'settle') return void (await deps.settle(task, next.settle));
    if (next.kind === 'wait') {
      if (deps.closing?.()) return;
      const message = `waiting ${Math.ceil(next.ms / 1000)} s: ${next.note}`;
      await events.emit(task.id, { type: 'notice', data: { message } });
      if (deps.closing?.()) return; // the shutdown began while the notice was written
      registry.wait(task.id, next.ms, () => continueAfterWait(task.id));
      return;
    }
    let cwd: string;
    let head: string | undefined;
    deps.agents.get(task.agent).warm?.();
    try {
      const ws = await deps.workspaces.prepare(task);
      cwd = ws.cwd;
      head = ws.head;
      const modeState = next.spec.modeState !== undefined ? { modeState: next.spec.modeState } : {};
      task = await state.update(task.id, { ...ws.patch, ...modeState });
    } catch (err) {
      const message = `could not prepare the worktree: ${(err as Error).message}`;
      await events.emit(task.id, { type: 'run.error', data: { message, retryable: false } });
      const patch = { error: message };
      await deps.settle(task, {
        to: 'failed',
        stopReason: 'error',
        reason: message,
        patch,
        notify: 'failed',
      });
      return;
    }
    const stop = deps.stopRequested?.(task.id);
    if (stop) return void (await deps.settle(task, settlementForStop(stop)));
    if (deps.closing?.()) return;
    await startAgent(task, next.spec, cwd, budget, head);
  }

  function continueAfterWait(taskId: string): void {
    (async () => {
      const task = await storage.tasks.findById(taskId);
      if (task?.status === 'running' && !registry.isActive(taskId)) await launch(task);
    })().catch((err) => deps.log(`continuing task ${taskId} failed`, err));
  }

  /** The task's attached images, as the agent takes them (they go with its first run only). */
  async function readImages(task: TaskRecord) {
    const list = task.options.attachments ?? [];
    if (list.length === 0) return undefined;
    const read = await Promise.all(list.map((a) => deps.attachments.read(a.id)));
    return read.map(({ bytes, attachment }) => ({
      mediaType: attachment.mime,
      base64: bytes.toString('base64'),
    }));
  }

  async function recordStart(task: TaskRecord, spec: RunSpec): Promise<RunRecord> {
    const run: RunRecord = {
      id: newId(),
      taskId: task.id,
      kind: spec.kind,
      model: spec.model,
      prompt: spec.prompt,
      sessionId: spec.resumeSessionId,
      status: 'running',
      stopReason: null,
      costUsd: 0,
      sdkTotalUsd: null,
      error: null,
      pid: null,
      label: spec.label,
      startedAt: nowIso(),
      endedAt: null,
    };
    await storage.runs.insert(run);
    await deps.budgets?.attributeRun(task.id, run.id);
    if (spec.kind === 'iteration' && task.modeState?.mode === 'loop')
      await state.updateQuietly(task.id, { iterations: task.modeState.iteration });
    await events.emit(task.id, {
      type: 'run.started',
      runId: run.id,
      data: { runId: run.id, kind: spec.kind, model: spec.model, resumeOf: spec.resumeSessionId },
    });
    return run;
  }

  async function startAgent(
    task: TaskRecord,
    spec: RunSpec,
    cwd: string,
    budget: Awaited<ReturnType<typeof spendBeforeRun>>,
    knownHead?: string,
  ): Promise<void> {
    const run = await recordStart(task, spec);
    const earlier = await storage.runs.listByTask(task.id);
    const forking = forksSession({ sessionId: spec.resumeSessionId, forkedFrom: task.options.forkedFrom });
    const priorTotal = priorSessionTotal(task, spec, earlier, forking);
    const env = buildAgentEnv(deps.serverEnv, deps.config.agentEnv, { GLUON_TASK_ID: task.id });
    const images = earlier.length === 1 ? await readImages(task) : undefined;
    const startSha = task.useWorktree ? (knownHead ?? (await headSha(cwd).catch(() => null))) : null;
    const telemetry: RunTelemetry = { ending: false, lastEventAt: Date.now(), pid: null, toolCalls: [] };
    const cost = openRunCost(deps, run, task.costUsd);
    // A cap can be reached before `start` returns the handle: remember the stop and apply it then.
    let handle: AgentRun | null = null;
    let early: StopCause | null = null;
    let capReason: string | undefined;
    const stop = (cause: StopCause, reason?: string) => {
      capReason ??= reason;
      if (handle) handle.stop(cause);
      else early ??= cause;
    };
    const reporting = { task, run, cwd, driver: deps.driverFor(task), budget, telemetry, cost, stop };
    // What the start left for later waits until the agent's first event is out.
    const onAgentUp = () => deps.workspaces.agentStarted(task.id);
    const hooks = createRunHooks(deps, { ...reporting, onAgentUp });
    handle = deps.agents.get(task.agent).start(
      {
        prompt: spec.prompt,
        cwd,
        model: spec.model,
        resumeSessionId: spec.resumeSessionId,
        forkSession: forking,
        priorSessionTotalUsd: priorTotal,
        env,
        planMode: spec.planMode,
        appendSystemPrompt: spec.appendSystemPrompt,
        images,
        runId: run.id,
        projectSettings: trustsRepoSettings(await storage.projects.findById(task.projectId)),
        approval: task.approval,
        allowedHosts: (await deps.policies?.forTask(task))?.allowedHosts,
      },
      hooks,
    );
    const started: StartedRun = { task, run, cwd, env, startSha };
    const a: ActiveRun = {
      run,
      handle,
      telemetry,
      cost,
      requestedStop: null,
      ended: Promise.resolve(),
      get capReason() {
        return capReason;
      },
    };
    a.ended = handle.done
      .then((outcome) => {
        telemetry.ending = true;
        deps.workspaces.agentStarted(task.id);
        return deps.whenDone(started, a, outcome);
      })
      .catch((err) => deps.log('finishing a run failed', err));
    registry.add(task.id, a);
    if (early) handle.stop(early);
  }

  return { launch };
}
