/**
 * On a worker of a fleet, what an agent has done so far never lives only on that machine: after each tool
 * call that may have changed files, the task's branch and a work-in-progress ref holding its uncommitted
 * files are pushed (debounced, one push at a time per task). If the machine dies, another worker continues
 * from there, so at most the last tool call's work is redone.
 */
import { pushWorkInProgress, snapshotWorktree } from '../runner/git-fleet.js';

/** Tools whose call may change files in the worktree. */
const MUTATING = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash']);
const DEBOUNCE_MS = 250;

export interface WipPublisher {
  /** A tool call finished in a task's worktree; pushes its state soon when the tool may have written. */
  toolDone(task: { id: string; branch: string | null }, cwd: string, tool: string): void;
  /** Resolves once nothing is pending or pushing for the task (called before its run is closed). */
  settle(taskId: string): Promise<void>;
}

export function createWipPublisher(log: (msg: string, err?: unknown) => void): WipPublisher {
  const timers = new Map<string, NodeJS.Timeout>();
  const pushing = new Map<string, Promise<void>>();

  async function push(taskId: string, branch: string, cwd: string): Promise<void> {
    try {
      await pushWorkInProgress(cwd, taskId, branch, await snapshotWorktree(cwd));
    } catch (err) {
      log(`pushing the work in progress of task ${taskId} failed`, err);
    }
  }

  const pending = new Map<string, () => void>();

  function schedule(taskId: string, branch: string, cwd: string): void {
    clearTimeout(timers.get(taskId));
    const fire = () => {
      clearTimeout(timers.get(taskId));
      timers.delete(taskId);
      pending.delete(taskId);
      const next = (pushing.get(taskId) ?? Promise.resolve()).then(() => push(taskId, branch, cwd));
      pushing.set(taskId, next);
      next.finally(() => pushing.get(taskId) === next && pushing.delete(taskId)).catch(() => {});
    };
    pending.set(taskId, fire);
    timers.set(taskId, setTimeout(fire, DEBOUNCE_MS));
  }

  return {
    toolDone(task, cwd, tool) {
      if (MUTATING.has(tool) && task.branch) schedule(task.id, task.branch, cwd);
    },
    async settle(taskId) {
      pending.get(taskId)?.(); // what waits for its debounce is pushed now
      await pushing.get(taskId);
    },
  };
}
