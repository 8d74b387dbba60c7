/**
 * A run's life: prepare the worktree, start the agent, turn what it does into events and cost, enforce the
 * cost cap, and when it stops commit what it left and settle the task's status with the reason.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { StopReason } from '../../../shared/api.js';
import type { Config } from '../config.js';
import { extractTrailingQuestion } from '../domain/question.js';
import { newId, nowIso } from '../ids.js';
import type { Agent, AgentOutcome, AgentRun, ModelCost } from '../runner/agent.js';
import { buildAgentEnv } from '../runner/agent-env.js';
import { commitAll, createWorktree } from '../runner/worktrees.js';
import type { Storage } from '../storage/index.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { InputRequests } from './input-requests.js';
import type { TaskState } from './task-state.js';

export interface RunsDeps {
  config: Config;
  storage: Storage;
  events: EventLog;
  state: TaskState;
  inputs: InputRequests;
  agent: Agent;
  /** The server's environment, filtered into the agent's. */
  serverEnv: NodeJS.ProcessEnv;
  log: (msg: string, err?: unknown) => void;
}

interface ActiveRun {
  run: RunRecord;
  handle: AgentRun;
  baseCostUsd: number;
  runCostUsd: number;
  lastEventAt: number;
  pid: number | null;
}

const localDay = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

export function createRuns(deps: RunsDeps) {
  const { storage, events, state, config } = deps;
  const active = new Map<string, ActiveRun>();
  const finished = new Set<(taskId: string) => void>();

  /** Creates the task's worktree on first use (or again, from its branch, if it went missing). */
  async function prepareWorkspace(task: TaskRecord): Promise<{ cwd: string; patch: Partial<TaskRecord> }> {
    const project = await storage.projects.findById(task.projectId);
    if (!project) throw new Error('the task’s project no longer exists');
    if (!task.useWorktree) return { cwd: project.path, patch: {} };
    const wtPath = task.worktreePath ?? path.join(config.home, 'worktrees', `wt-${task.id}`);
    if (task.worktreePath && existsSync(task.worktreePath)) return { cwd: task.worktreePath, patch: {} };
    const branch = task.branch ?? `gluon-task/${task.id}`;
    const wt = await createWorktree({
      repo: project.path,
      path: wtPath,
      branch,
      baseRef: task.baseSha ?? task.baseBranch,
    });
    return {
      cwd: wt.path,
      patch: { worktreePath: wt.path, branch: wt.branch, baseSha: task.baseSha ?? wt.baseSha },
    };
  }

  async function recordCost(
    taskId: string,
    a: ActiveRun,
    byModel: ModelCost[],
    final: boolean,
  ): Promise<void> {
    await storage.runs.setModelCosts(
      { id: a.run.id, taskId, day: localDay(a.run.startedAt) },
      byModel,
      final,
    );
    await state.updateQuietly(taskId, { costUsd: a.baseCostUsd + a.runCostUsd });
    await events.emit(taskId, {
      type: 'cost.updated',
      runId: a.run.id,
      data: { taskCostUsd: a.baseCostUsd + a.runCostUsd, runCostUsd: a.runCostUsd, final },
    });
  }

  /** Starts a run for a task that is `queued`. Resolves once the agent has been started (or the start failed). */
  async function start(queued: TaskRecord): Promise<void> {
    const prompt = queued.nextPrompt ?? queued.prompt;
    const kind = queued.sessionId ? 'resume' : 'initial';
    const run: RunRecord = {
      id: newId(),
      taskId: queued.id,
      kind,
      model: queued.model,
      prompt,
      sessionId: queued.sessionId,
      status: 'running',
      stopReason: null,
      costUsd: 0,
      sdkTotalUsd: null,
      error: null,
      pid: null,
      startedAt: nowIso(),
      endedAt: null,
    };
    let task = await state.transition(queued, 'running', 'start', {
      startedAt: queued.startedAt ?? run.startedAt,
      finishedAt: null,
      stopReason: null,
      error: null,
      nextPrompt: null,
      inputRequired: false,
      pendingInput: null,
      health: 'green',
      healthReason: null,
    });
    if (task.maxCostUsd !== null && task.costUsd >= task.maxCostUsd) {
      await settle(
        task,
        'review',
        'cost_cap',
        { error: null },
        `the task has already spent its cap of $${task.maxCostUsd}`,
      );
      return;
    }
    let cwd: string;
    try {
      const ws = await prepareWorkspace(task);
      cwd = ws.cwd;
      if (Object.keys(ws.patch).length) task = await state.update(task.id, ws.patch);
    } catch (err) {
      const message = `could not prepare the worktree: ${(err as Error).message}`;
      await events.emit(task.id, { type: 'run.error', data: { message, retryable: false } });
      await settle(task, 'failed', 'error', { error: message }, message);
      return;
    }
    await storage.runs.insert(run);
    await events.emit(task.id, {
      type: 'run.started',
      runId: run.id,
      data: { runId: run.id, kind, model: task.model },
    });
    const previous = (await storage.runs.listByTask(task.id))
      .filter((r) => r.sessionId === task.sessionId && r.sdkTotalUsd !== null)
      .pop();
    const a: ActiveRun = {
      run,
      handle: null as unknown as AgentRun,
      baseCostUsd: task.costUsd,
      runCostUsd: 0,
      lastEventAt: Date.now(),
      pid: null,
    };
    const taskId = task.id;
    const snapshot = task;
    a.handle = deps.agent.start(
      {
        prompt,
        cwd,
        model: task.model,
        resumeSessionId: task.sessionId,
        priorSessionTotalUsd: previous?.sdkTotalUsd ?? 0,
        env: buildAgentEnv(deps.serverEnv, config.agentEnv, { GLUON_TASK_ID: task.id }),
      },
      {
        onEvent: (e) => {
          a.lastEventAt = Date.now();
          void events
            .emit(taskId, { ...e, runId: run.id })
            .catch((err) => deps.log('event write failed', err));
        },
        onSession: (sessionId) => {
          run.sessionId = sessionId;
          void storage.runs.update(run.id, { sessionId });
          void state.update(taskId, { sessionId });
        },
        onProcess: (pid) => {
          a.pid = pid;
          void storage.runs.update(run.id, { pid });
        },
        onCost: (c) => {
          a.runCostUsd = c.runCostUsd;
          if (c.unknownModel) {
            void events.emit(taskId, {
              type: 'cost.warning',
              runId: run.id,
              data: {
                model: c.unknownModel,
                message: `no price known for model ${c.unknownModel}: its live cost is not counted until the run ends`,
              },
            });
          }
          void recordCost(taskId, a, c.byModel, false).catch((err) => deps.log('cost write failed', err));
          const cap = snapshot.maxCostUsd;
          if (cap !== null && a.baseCostUsd + a.runCostUsd >= cap) a.handle.stop('cost_cap');
        },
        onToolRequest: async (req) => {
          const current = (await storage.tasks.findById(taskId)) ?? snapshot;
          return deps.inputs.decide(current, cwd, req);
        },
      },
    );
    active.set(taskId, a);
    void a.handle.done
      .then((outcome) => finish(taskId, a, cwd, outcome))
      .catch((err) => deps.log('finishing a run failed', err));
  }

  /** Puts a task that has been running into its settled status. */
  async function settle(
    task: TaskRecord,
    to: 'review' | 'failed' | 'cancelled' | 'queued',
    stopReason: StopReason,
    patch: Partial<TaskRecord>,
    reason: string,
  ) {
    const cause =
      to === 'failed'
        ? 'run_failed'
        : to === 'cancelled'
          ? 'cancel'
          : to === 'queued'
            ? 'pause'
            : 'run_ended';
    return state.transition(
      task,
      to,
      cause,
      {
        ...patch,
        stopReason,
        finishedAt: to === 'queued' ? null : nowIso(),
        health: null,
        healthReason: null,
        ...(to === 'queued' ? { queuedAt: nowIso() } : {}),
      },
      reason,
    );
  }

  async function commitWork(task: TaskRecord, runId: string, cwd: string): Promise<void> {
    if (!task.useWorktree) return;
    const result = await commitAll({
      cwd,
      message: `${task.title}\n\nWork of Gluon task ${task.id} (run ${runId}).`,
      trailers: { 'Gluon-Task': task.id },
    });
    if (result.committed) {
      await events.emit(task.id, {
        type: 'git.committed',
        runId,
        data: { sha: result.sha, message: task.title, files: result.files },
      });
    }
  }

  async function finish(taskId: string, a: ActiveRun, cwd: string, outcome: AgentOutcome): Promise<void> {
    deps.inputs.dropAll(taskId);
    try {
      const task = (await storage.tasks.findById(taskId))!;
      try {
        await commitWork(task, a.run.id, cwd);
      } catch (err) {
        await events.emit(taskId, {
          type: 'run.error',
          runId: a.run.id,
          data: {
            message: `committing the agent's work failed: ${(err as Error).message}`,
            retryable: false,
          },
        });
      }
      a.runCostUsd = outcome.costUsd;
      await recordCost(taskId, a, outcome.byModel, outcome.reconciled);
      const stopReason: StopReason = outcome.stoppedBy
        ? outcome.stoppedBy === 'paused'
          ? 'interrupted'
          : outcome.stoppedBy === 'shutdown'
            ? 'interrupted'
            : outcome.stoppedBy
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
      if (outcome.error) {
        await events.emit(taskId, {
          type: 'run.error',
          runId: a.run.id,
          data: { message: outcome.error.message, retryable: outcome.error.retryable },
        });
      }
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
      const fresh = (await storage.tasks.findById(taskId))!;
      const base = {
        sessionId: outcome.sessionId ?? fresh.sessionId,
        costUsd: a.baseCostUsd + outcome.costUsd,
      };
      if (outcome.stoppedBy === 'shutdown') return; // stays `running`: the next start reconciles it
      if (fresh.status !== 'running') return;
      if (outcome.stoppedBy === 'cancelled')
        await settle(fresh, 'cancelled', 'cancelled', base, 'cancelled by the user');
      else if (outcome.stoppedBy === 'paused')
        await settle(
          fresh,
          'queued',
          'interrupted',
          {
            ...base,
            nextPrompt: fresh.nextPrompt ?? 'You were paused. Continue the task where you left off.',
          },
          'paused by the user',
        );
      else if (outcome.stoppedBy === 'cost_cap')
        await settle(fresh, 'review', 'cost_cap', base, `stopped at the cost cap of $${fresh.maxCostUsd}`);
      else if (outcome.stoppedBy === 'input_required')
        await settle(
          fresh,
          'review',
          'input_required',
          { ...base, inputRequired: true },
          'waiting for an answer',
        );
      else if (outcome.error)
        await settle(
          fresh,
          'failed',
          'error',
          { ...base, error: outcome.error.message },
          outcome.error.message,
        );
      else {
        const question = outcome.finalText ? extractTrailingQuestion(outcome.finalText) : null;
        const pendingInput = question
          ? {
              requestId: newId(),
              kind: 'question' as const,
              live: false,
              text: question,
              createdAt: nowIso(),
            }
          : null;
        if (pendingInput) {
          await events.emit(taskId, {
            type: 'input.requested',
            runId: a.run.id,
            data: {
              requestId: pendingInput.requestId,
              kind: 'question',
              questions: [{ question: pendingInput.text ?? '', options: [] }],
            },
          });
        }
        await settle(
          fresh,
          'review',
          question ? 'input_required' : 'completed',
          { ...base, inputRequired: !!question, pendingInput },
          question ? 'the agent asks a question' : 'the agent finished',
        );
      }
    } finally {
      active.delete(taskId);
      for (const l of finished) l(taskId);
    }
  }

  return {
    start,
    /** Stops a task's run (if it has one) and resolves when the run has ended. */
    async stop(
      taskId: string,
      cause: 'cancelled' | 'cost_cap' | 'paused' | 'shutdown' | 'input_required',
    ): Promise<boolean> {
      const a = active.get(taskId);
      if (!a) return false;
      a.handle.stop(cause);
      await a.handle.done;
      while (active.has(taskId)) await new Promise((r) => setTimeout(r, 10));
      return true;
    },
    isActive: (taskId: string) => active.has(taskId),
    activeCount: () => active.size,
    activeRuns: () =>
      [...active.entries()].map(([taskId, a]) => ({
        taskId,
        runId: a.run.id,
        lastEventAt: a.lastEventAt,
        pid: a.pid,
      })),
    /** Called after every run ends (the queue uses it to start the next task). */
    onFinished(listener: (taskId: string) => void) {
      finished.add(listener);
    },
  };
}

export type Runs = ReturnType<typeof createRuns>;
