/**
 * The runs in flight on this server, and the tasks waiting between two runs (a loop's pause, a rate-limit
 * wait). Both hold a concurrency slot. Nothing here writes to the database.
 */
import type { StopCause } from '../../domain/run-ending.js';
import type { AgentRun } from '../../runner/agent.js';
import type { RunRecord } from '../../storage/runs-repo.js';
import type { RunCost } from './run-cost.js';

/** What the health monitor watches of a running agent; its hooks keep it current. */
export interface RunTelemetry {
  /** The agent has finished and its run is being closed: silence and a gone process are expected now. */
  ending: boolean;
  lastEventAt: number;
  pid: number | null;
  toolCalls: { name: string; input: unknown; at: number }[];
}

export interface ActiveRun {
  readonly run: RunRecord;
  readonly handle: AgentRun;
  readonly telemetry: RunTelemetry;
  readonly cost: RunCost;
  /** Which spending cap stopped the run, in words, once one did. */
  readonly capReason?: string;
  /** A stop asked for from outside; it decides how the task settles even if the agent ended on its own. */
  requestedStop: StopCause | null;
  /** Resolves once the run's end is applied: work committed, run recorded, task settled or moved on. */
  ended: Promise<void>;
}

export function createRunRegistry() {
  const active = new Map<string, ActiveRun>();
  const waiting = new Map<string, NodeJS.Timeout>();
  /** Tasks whose next run is being prepared (caps, mode, worktree): they hold their slot meanwhile. */
  const launching = new Set<string>();

  return {
    get: (taskId: string) => active.get(taskId),
    /** Marks a task's run as being prepared until the returned function is called. */
    launching(taskId: string): () => void {
      launching.add(taskId);
      return () => launching.delete(taskId);
    },
    add(taskId: string, run: ActiveRun) {
      active.set(taskId, run);
    },
    /** Forgets a task's run, unless a later run of the same task has taken its place. */
    remove(taskId: string, run: ActiveRun) {
      if (active.get(taskId) === run) active.delete(taskId);
    },
    /** Calls `next` after `ms`, holding the task's slot meanwhile. */
    wait(taskId: string, ms: number, next: () => void) {
      waiting.set(
        taskId,
        setTimeout(() => {
          waiting.delete(taskId);
          next();
        }, ms),
      );
    },
    /** Ends a task's wait between runs; false when it was not waiting. */
    cancelWait(taskId: string): boolean {
      const timer = waiting.get(taskId);
      if (!timer) return false;
      clearTimeout(timer);
      waiting.delete(taskId);
      return true;
    },
    isActive: (taskId: string) => active.has(taskId) || waiting.has(taskId) || launching.has(taskId),
    /** Tasks holding a concurrency slot. */
    count: () => new Set([...active.keys(), ...waiting.keys(), ...launching]).size,
    list: () => [...active.entries()],
    clearWaits() {
      for (const t of waiting.values()) clearTimeout(t);
      waiting.clear();
    },
  };
}

export type RunRegistry = ReturnType<typeof createRunRegistry>;
