/**
 * A run's life: prepare the worktree, start the agent with what the task's mode asks for, turn what it
 * does into events and cost, enforce the cost cap, and when it stops commit what it left, then let the
 * mode decide: settle the task (with its reason) or go on with the next run (loop iteration, formula step).
 */
import type { StopReason } from '../../../shared/api.js';
import type { Config } from '../config.js';
import { newId, nowIso } from '../ids.js';
import type { Agent, AgentOutcome, AgentRun, StopCause } from '../runner/agent.js';
import { buildAgentEnv } from '../runner/agent-env.js';
import { changesSince } from '../runner/git-progress.js';
import { headSha } from '../runner/worktrees.js';
import type { Storage } from '../storage/index.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { InputRequests } from './input-requests.js';
import type { DriverFor } from './modes/index.js';
import type { Decision, RunSpec, Settle } from './modes/mode-driver.js';
import type { Notifier } from './notifications.js';
import { trustsRepoSettings } from './projects.js';
import type { Attachments } from './attachments.js';
import { recordRunCost, type ActiveRun } from './run-cost.js';
import { createRunHooks } from './run-hooks.js';
import { reachedCap } from '../domain/spend-caps.js';
import { spendBeforeRun } from './spend.js';
import type { TaskState } from './task-state.js';
import type { Workspaces } from './workspaces.js';

export interface RunsDeps {
  config: Config;
  attachments: Attachments;
  storage: Storage;
  events: EventLog;
  state: TaskState;
  inputs: InputRequests;
  agent: Agent;
  driverFor: DriverFor;
  workspaces: Workspaces;
  notifier: Notifier;
  /** The server's environment, filtered into the agent's. */
  serverEnv: NodeJS.ProcessEnv;
  log: (msg: string, err?: unknown) => void;
}

/** How a human or a cap stopping a run settles the task. */
const STOPPED: Record<
  Exclude<StopCause, 'shutdown' | 'held'>,
  { to: 'review' | 'cancelled' | 'queued' | 'failed'; stopReason: StopReason; reason: string }
> = {
  cancelled: { to: 'cancelled', stopReason: 'cancelled', reason: 'cancelled by the user' },
  paused: { to: 'queued', stopReason: 'interrupted', reason: 'paused by the user' },
  cost_cap: { to: 'review', stopReason: 'cost_cap', reason: 'stopped at the cost cap' },
  input_required: { to: 'review', stopReason: 'input_required', reason: 'waiting for an answer' },
  stopped: { to: 'review', stopReason: 'stopped', reason: 'stopped by the user' },
  died: { to: 'failed', stopReason: 'error', reason: 'the agent process died' },
};

export function createRuns(deps: RunsDeps) {
  const { storage, events, state, config } = deps;
  const active = new Map<string, ActiveRun>();
  /** Tasks `running` between two runs (a loop's pause, a rate-limit wait): their timers. */
  const waiting = new Map<string, NodeJS.Timeout>();
  const finished = new Set<(taskId: string) => void>();

  async function settle(
    task: TaskRecord,
    s:
      | Settle
      | {
          to: 'cancelled' | 'queued' | 'failed';
          stopReason: StopReason;
          reason: string;
          patch?: Settle['patch'];
          notify?: Settle['notify'];
        },
  ) {
    const cause =
      s.to === 'failed'
        ? 'run_failed'
        : s.to === 'cancelled'
          ? 'cancel'
          : s.to === 'queued'
            ? 'pause'
            : 'run_ended';
    const settled = await state.transition(
      task,
      s.to,
      cause,
      {
        ...s.patch,
        stopReason: s.stopReason,
        finishedAt: s.to === 'queued' ? null : nowIso(),
        health: null,
        healthReason: null,
        ...(s.to === 'queued'
          ? {
              queuedAt: nowIso(),
              nextPrompt: task.nextPrompt ?? 'You were paused. Continue the task where you left off.',
            }
          : {}),
        ...(s.to === 'cancelled' ? { inputRequired: false, pendingInput: null } : {}),
      },
      s.reason,
    );
    if (s.notify)
      await deps.notifier.notify(task.id, settled.inputRequired ? 'input_required' : s.notify, s.reason);
    return settled;
  }

  /** Asks the task's mode for its next run and starts it (or waits, or settles, as the mode says). */
  async function launch(task: TaskRecord): Promise<void> {
    const driver = deps.driverFor(task);
    const { caps, spend } = await spendBeforeRun(storage, task);
    const capReached = reachedCap(caps, spend);
    if (capReached) {
      const reason = capReached.replace('stopped at', 'already spent');
      await settle(task, { to: 'review', stopReason: 'cost_cap', reason, notify: 'cost_cap' });
      return;
    }
    const next = await driver.nextRun(task, Date.now());
    if (next.kind === 'settle') return void (await settle(task, next.settle));
    if (next.kind === 'wait') {
      await events.emit(task.id, {
        type: 'notice',
        data: { message: `waiting ${Math.ceil(next.ms / 1000)} s: ${next.note}` },
      });
      waiting.set(
        task.id,
        setTimeout(() => resumeWaiting(task.id), next.ms),
      );
      return;
    }
    let cwd: string;
    try {
      const ws = await deps.workspaces.prepare(task);
      cwd = ws.cwd;
      task = await state.update(task.id, {
        ...ws.patch,
        ...(next.spec.modeState !== undefined ? { modeState: next.spec.modeState } : {}),
      });
    } catch (err) {
      const message = `could not prepare the worktree: ${(err as Error).message}`;
      await events.emit(task.id, { type: 'run.error', data: { message, retryable: false } });
      await settle(task, {
        to: 'failed',
        stopReason: 'error',
        reason: message,
        patch: { error: message },
        notify: 'failed',
      });
      return;
    }
    await startAgent(task, next.spec, cwd, { caps, spend });
  }

  function resumeWaiting(taskId: string): void {
    waiting.delete(taskId);
    void (async () => {
      const task = await storage.tasks.findById(taskId);
      if (task?.status === 'running' && !active.has(taskId)) await launch(task);
    })().catch((err) => deps.log(`continuing task ${taskId} failed`, err));
  }

  /** The task's attached images, as the agent takes them. */
  async function readImages(task: TaskRecord): Promise<{ mediaType: string; base64: string }[] | undefined> {
    const list = task.options.attachments ?? [];
    if (list.length === 0) return undefined;
    const read = await Promise.all(list.map((a) => deps.attachments.read(a.id)));
    return read.map(({ bytes, attachment }) => ({
      mediaType: attachment.mime,
      base64: bytes.toString('base64'),
    }));
  }

  async function startAgent(
    task: TaskRecord,
    spec: RunSpec,
    cwd: string,
    budget: Awaited<ReturnType<typeof spendBeforeRun>>,
  ): Promise<void> {
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
    if (spec.kind === 'iteration' && task.modeState?.mode === 'loop')
      await state.updateQuietly(task.id, { iterations: task.modeState.iteration });
    await events.emit(task.id, {
      type: 'run.started',
      runId: run.id,
      data: { runId: run.id, kind: spec.kind, model: spec.model, resumeOf: spec.resumeSessionId },
    });
    const runs = await storage.runs.listByTask(task.id);
    const previous = spec.resumeSessionId
      ? runs.filter((r) => r.sessionId === spec.resumeSessionId && r.sdkTotalUsd !== null).pop()
      : undefined;
    const env = buildAgentEnv(deps.serverEnv, config.agentEnv, { GLUON_TASK_ID: task.id });
    // The task's images go with its first run; later runs find them in the session's history.
    const images = runs.length === 1 ? await readImages(task) : undefined;
    const startSha = task.useWorktree ? await headSha(cwd).catch(() => null) : null;
    const a: ActiveRun = {
      run,
      handle: null as unknown as AgentRun,
      baseCostUsd: task.costUsd,
      runCostUsd: 0,
      lastEventAt: Date.now(),
      pid: null,
      toolCalls: [],
    };
    const taskId = task.id;
    const driver = deps.driverFor(task);
    a.handle = deps.agent.start(
      {
        prompt: spec.prompt,
        cwd,
        model: spec.model,
        resumeSessionId: spec.resumeSessionId,
        priorSessionTotalUsd: previous?.sdkTotalUsd ?? 0,
        env,
        planMode: spec.planMode,
        appendSystemPrompt: spec.appendSystemPrompt,
        images,
        runId: run.id,
        projectSettings: trustsRepoSettings(await storage.projects.findById(task.projectId)),
      },
      createRunHooks(deps, { task, run, active: a, cwd, driver, ...budget }),
    );
    active.set(taskId, a);
    void a.handle.done
      .then((outcome) => finish(taskId, a, cwd, env, startSha, outcome))
      .catch((err) => deps.log('finishing a run failed', err));
  }

  async function finish(
    taskId: string,
    a: ActiveRun,
    cwd: string,
    env: Record<string, string>,
    startSha: string | null,
    outcome: AgentOutcome,
  ): Promise<void> {
    deps.inputs.dropAll(taskId);
    let continued = false;
    try {
      const task = (await storage.tasks.findById(taskId))!;
      await deps.workspaces.commitRun(task, a.run.id, cwd);
      const progress = startSha
        ? await changesSince(cwd, startSha).catch(() => ({ commits: [], files: [] }))
        : { commits: [], files: [] };
      // After measuring progress: a rebase onto a moved base rewrites the commits since startSha.
      if (outcome.stoppedBy !== 'shutdown') await deps.workspaces.publishRun(task, a.run.id);
      a.runCostUsd = outcome.costUsd;
      await recordRunCost(deps, taskId, a, outcome.byModel, outcome.reconciled);
      const stopReason: StopReason =
        outcome.stoppedBy === 'held'
          ? 'input_required'
          : outcome.stoppedBy
            ? (STOPPED[outcome.stoppedBy as Exclude<StopCause, 'shutdown' | 'held'>]?.stopReason ??
              'interrupted')
            : outcome.error
              ? 'error'
              : 'completed';
      await storage.runs.update(a.run.id, {
        status: 'ended',
        stopReason,
        costUsd: outcome.costUsd,
        sdkTotalUsd: outcome.sessionTotalUsd,
        error: outcome.error?.message ?? null,
        endedAt: nowIso(),
        sessionId: outcome.sessionId,
      });
      if (outcome.error)
        await events.emit(taskId, {
          type: 'run.error',
          runId: a.run.id,
          data: { message: outcome.error.message, retryable: outcome.error.retryable },
        });
      await events.emit(taskId, {
        type: 'run.ended',
        runId: a.run.id,
        data: {
          runId: a.run.id,
          stopReason,
          costUsd: outcome.costUsd,
          ...(outcome.error ? { error: outcome.error.message } : {}),
        },
      });
      if (outcome.stoppedBy === 'shutdown') return; // stays `running`: the next start reconciles it
      const fresh = (await storage.tasks.findById(taskId))!;
      if (fresh.status !== 'running') return;
      const base = {
        sessionId: outcome.sessionId ?? fresh.sessionId,
        costUsd: a.baseCostUsd + outcome.costUsd,
      };
      if (outcome.stoppedBy && outcome.stoppedBy !== 'held') {
        const s = STOPPED[outcome.stoppedBy];
        const reason =
          outcome.stoppedBy === 'cost_cap'
            ? (a.capReason ?? `stopped at the cost cap of $${fresh.maxCostUsd}`)
            : s.reason;
        const notify =
          outcome.stoppedBy === 'cost_cap' ? 'cost_cap' : outcome.stoppedBy === 'died' ? 'failed' : undefined;
        const extra =
          outcome.stoppedBy === 'input_required'
            ? { inputRequired: true }
            : outcome.stoppedBy === 'died'
              ? { error: s.reason }
              : {};
        await settle(fresh, { ...s, reason, notify, patch: { ...base, ...extra } });
        return;
      }
      const toolCalls = a.toolCalls.map(({ name, input }) => ({ name, input }));
      const decision: Decision = await deps
        .driverFor(fresh)
        .afterRun(
          { task: { ...fresh, ...base }, outcome, cwd, runId: a.run.id, progress, toolCalls, env },
          Date.now(),
        );
      if (decision.kind === 'settle') {
        await settle(fresh, { ...decision, patch: { ...base, ...decision.patch } });
      } else {
        const next = await state.update(taskId, { ...base, ...decision.patch });
        active.delete(taskId);
        continued = true;
        await launch(next);
      }
    } finally {
      if (!continued) active.delete(taskId);
      for (const l of finished) l(taskId);
    }
  }

  return {
    /** Starts a task that is `queued`: it becomes `running` and its mode's first run starts. */
    async start(queued: TaskRecord): Promise<void> {
      const task = await state.transition(queued, 'running', 'start', {
        startedAt: queued.startedAt ?? nowIso(),
        finishedAt: null,
        stopReason: null,
        error: null,
        inputRequired: false,
        pendingInput: null,
        health: 'green',
        healthReason: null,
      });
      await launch(task);
      await state.updateQuietly(task.id, { nextPrompt: null });
    },

    /** Stops a task's work now (its run, or its wait between runs); resolves once the task has settled. */
    async stop(taskId: string, cause: StopCause): Promise<boolean> {
      const timer = waiting.get(taskId);
      if (timer) {
        clearTimeout(timer);
        waiting.delete(taskId);
        const task = await storage.tasks.findById(taskId);
        if (task?.status === 'running' && cause !== 'shutdown' && cause !== 'held')
          await settle(task, STOPPED[cause]);
        return true;
      }
      const a = active.get(taskId);
      if (!a) return false;
      a.handle.stop(cause);
      await a.handle.done;
      while (active.get(taskId) === a) await new Promise((r) => setTimeout(r, 10));
      return true;
    },
    isActive: (taskId: string) => active.has(taskId) || waiting.has(taskId),
    /** Runs holding a concurrency slot (a task waiting between loop iterations holds its slot too). */
    activeCount: () => new Set([...active.keys(), ...waiting.keys()]).size,
    activeRuns: () =>
      [...active.entries()].map(([taskId, a]) => ({
        taskId,
        runId: a.run.id,
        lastEventAt: a.lastEventAt,
        pid: a.pid,
        toolCalls: a.toolCalls,
      })),
    /** Stops every wait between runs (shutdown): the tasks stay `running` for the next start to reconcile. */
    clearWaits() {
      for (const t of waiting.values()) clearTimeout(t);
      waiting.clear();
    },
    /** Called after every run ends (the queue uses it to start the next task). */
    onFinished(listener: (taskId: string) => void) {
      finished.add(listener);
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;
