/**
 * A task's runs: start the next one (start-run.ts), apply how each one ends (end-run.ts), and keep the
 * runs in flight (active-runs.ts). Stopping a run waits for its end to be applied.
 */
import type { SettlingStop, StopCause } from '../../domain/run-ending.js';
import { settlementForStop } from '../../domain/run-ending.js';
import { nowIso } from '../../ids.js';
import type { Config } from '../../config.js';
import type { AgentRegistry } from '../../runner/agent.js';
import type { Storage } from '../../storage/index.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { Attachments } from '../attachments.js';
import type { Budgets } from '../governance/budgets.js';
import type { Policies } from '../governance/policies.js';
import type { EventLog } from '../event-log.js';
import type { InputRequests } from '../input-requests.js';
import type { DriverFor } from '../modes/index.js';
import type { Notifier } from '../notifications.js';
import type { TaskChanges, TaskState } from '../task-state.js';
import type { WipPublisher } from '../wip-publisher.js';
import type { Workspaces } from '../workspaces.js';
import { createRunRegistry, type RunRegistry } from './active-runs.js';
import { createRunEnder } from './end-run.js';
import { createSettler } from './settle.js';
import { createRunStarter } from './start-run.js';
import { repairUnrecordedRun } from '../recovery.js';

/** How long a task whose run could not be recorded waits before the next attempt to repair it. */
const REPAIR_MS = 2000;

export interface RunsDeps {
  config: Config;
  attachments: Attachments;
  storage: Storage;
  events: EventLog;
  state: TaskState;
  inputs: InputRequests;
  agents: AgentRegistry;
  driverFor: DriverFor;
  workspaces: Workspaces;
  notifier: Notifier;
  /** The server's environment, filtered into the agent's. */
  serverEnv: NodeJS.ProcessEnv;
  /** On a worker of a fleet: pushes the work in progress after each tool call that may have written. */
  wip?: WipPublisher;
  /** Budgets: who a run is for, warnings at 80 %, refusals counted. */
  budgets?: Pick<Budgets, 'attributeRun' | 'onSpend' | 'runEnded'>;
  /** Policies: denied tools and protected paths at every tool call. */
  policies?: Pick<Policies, 'gateTool' | 'forTask'>;
  log: (msg: string, err?: unknown) => void;
}

/** What a task's start records besides its status: when, and a clean slate of the last run's outcome. */
export function startColumns(queued: TaskRecord): TaskChanges {
  return {
    startedAt: queued.startedAt ?? nowIso(),
    finishedAt: null,
    stopReason: null,
    error: null,
    inputRequired: false,
    pendingInput: null,
    health: 'green',
    healthReason: null,
  };
}

/** Tasks between `queued → running` and their agent's registration, with the start's promise. */
function createStarts() {
  const starting = new Map<string, Promise<void>>();
  return {
    /** Stops asked for while a task was starting: its agent is not started at all. */
    stops: new Map<string, SettlingStop>(),
    get: (taskId: string) => starting.get(taskId),
    ids: () => [...starting.keys()],
    /** Tracks `work` as the start of `taskId` until it settles (inside a tracked start: part of it). */
    async track(taskId: string, work: Promise<void>): Promise<void> {
      if (starting.has(taskId)) return work;
      starting.set(
        taskId,
        work.catch(() => {}),
      );
      try {
        await work;
      } finally {
        starting.delete(taskId);
      }
    },
  };
}

/** Stopping every run at once: for a worker cut off from the database, and for the end of the process. */
function createStopping(
  starting: ReturnType<typeof createStarts>,
  registry: RunRegistry,
  stop: (taskId: string) => Promise<unknown>,
) {
  /** Set by `shutdown`: from then on no task starts, no agent is started and no wait begins. */
  let closing = false;
  /**
   * Stops every run as a shutdown does (their tasks stay `running` for the next start to reconcile),
   * starts in progress included: each is waited for and the agent it started stopped. A worker cut off
   * from the database does this and carries on once it reaches it again.
   */
  const stopAll = (): Promise<unknown> => {
    const ids = new Set([...starting.ids(), ...registry.list().map(([taskId]) => taskId)]);
    return Promise.all([...ids].map(stop));
  };
  return {
    closing: () => closing,
    stopAll,
    /**
     * The end of the process: `stopAll`, and from then on no task starts, no agent is started (a start
     * in progress stops before its agent) and no wait begins. Resolves once nothing of a run is left to
     * write to the data directory.
     */
    shutdown(): Promise<unknown> {
      closing = true;
      return stopAll();
    },
  };
}

export function createRuns(deps: RunsDeps) {
  const registry = createRunRegistry();
  const settle = createSettler(deps);
  const ended = new Set<(taskId: string) => void>();
  const starting = createStarts();
  const stopping = createStopping(starting, registry, (taskId) => api.stop(taskId, 'shutdown'));
  const ender = createRunEnder({
    ...deps,
    registry,
    settle,
    launch: (task) => starter.launch(task),
    onEnded: (taskId) => ended.forEach((l) => l(taskId)),
  });
  /**
   * A run whose start or end could not be written (a locked database, a full disk) leaves its task
   * `running` with no agent: it is repaired as a restart would, retried until the database takes it. The
   * wait holds the task's slot and a cancel ends it; on shutdown the next start's recovery takes over.
   */
  const repairLater = (task: Pick<TaskRecord, 'id' | 'worker'>, err: unknown) => {
    deps.log(`recording a run of task ${task.id} failed; repairing it in ${REPAIR_MS / 1000} s`, err);
    registry.wait(task.id, REPAIR_MS, () => {
      const cause = (err as Error)?.message ?? String(err);
      const recovery = { ...deps, settle, resumeOnRestart: deps.config.resumeOnRestart };
      repairUnrecordedRun(recovery, task.id, cause, task.worker).then(
        () => ended.forEach((l) => l(task.id)),
        (again: unknown) => repairLater(task, again),
      );
    });
  };
  const starter = createRunStarter({
    ...deps,
    registry,
    settle,
    stopRequested: (taskId) => starting.stops.get(taskId),
    closing: stopping.closing,
    whenDone: (s, a, outcome) => ender.finish(s, a, outcome).catch((err) => repairLater(s.task, err)),
  });
  const api = {
    /**
     * Starts a task that is `queued`: it becomes `running` and its mode's first run starts. Until the
     * agent is registered the start is `starting`, so that a stop arriving meanwhile waits for it.
     */
    async start(queued: TaskRecord): Promise<void> {
      if (stopping.closing()) return; // stays queued for the next start
      const started = (async () => {
        const task = await deps.state.transition(queued, 'running', 'start', startColumns(queued));
        await this.launchStarted(task).catch((err) => repairLater(task, err));
      })();
      await starting.track(queued.id, started);
    },

    /**
     * Starts the work of a task a worker has just claimed (`running` already, with `startColumns`). Until
     * its agent is registered it is `starting` too, so that a stop arriving meanwhile waits for it.
     */
    async launchStarted(task: TaskRecord): Promise<void> {
      const launched = (async () => {
        await starter.launch(task);
        await deps.state.updateQuietly(task.id, { nextPrompt: null });
      })();
      await starting.track(task.id, launched);
    },

    /**
     * Stops a task's work now; resolves once the task has settled (or, on shutdown, once its run is closed).
     * Rules: a start in progress is waited for, then what it started is stopped; a task waiting between
     * runs settles at once; a running agent is stopped and its end applied; a run that ended on its own
     * meanwhile and let its mode start the next one is stopped in turn.
     */
    async stop(taskId: string, cause: StopCause): Promise<boolean> {
      let stopped = false;
      for (;;) {
        // A start in progress (worktree, run record) has no agent to stop yet: stop what it starts.
        const start = starting.get(taskId);
        if (start) {
          if (cause !== 'shutdown' && cause !== 'held') starting.stops.set(taskId, cause);
          await start;
          starting.stops.delete(taskId);
          // The start applied the stop (or settled otherwise); an agent it started anyway is stopped next.
          stopped = true;
          continue;
        }
        if (registry.cancelWait(taskId)) {
          const task = await deps.storage.tasks.findById(taskId);
          if (task?.status === 'running' && cause !== 'shutdown' && cause !== 'held')
            await settle(task, settlementForStop(cause));
          return true;
        }
        const a = registry.get(taskId);
        if (!a) return stopped;
        a.requestedStop ??= cause;
        a.handle.stop(cause);
        await a.ended;
        stopped = true;
        if (cause === 'shutdown') return true;
      }
    },
    isActive: registry.isActive,
    /** Runs holding a concurrency slot (a task waiting between loop iterations holds its slot too). */
    activeCount: registry.count,
    activeRuns: () => registry.list().map(([taskId, a]) => ({ taskId, runId: a.run.id, ...a.telemetry })),
    /** Stops every wait between runs (shutdown): the tasks stay `running` for the next start to reconcile. */
    clearWaits: registry.clearWaits,
    stopAll: stopping.stopAll,
    shutdown: stopping.shutdown,
    /** Called after every run ends (the queue uses it to start the next task). */
    onFinished(listener: (taskId: string) => void) {
      ended.add(listener);
    },
  };
  return api;
}

export type Runs = ReturnType<typeof createRuns>;
