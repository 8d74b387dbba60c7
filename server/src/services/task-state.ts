/**
 * The only writer of a task's status, and the one place task changes are announced. A status change is a
 * guarded write (`WHERE status = from`), then a `status.changed` event, then a board update. Being the
 * one writer, it is also where the text a task shows from its agent and tools (its error, what it waits
 * for: a tool call's input, a question) is redacted before it is stored.
 */
import type { TaskStatus } from '../../../shared/api.js';
import { redactDeep } from '../domain/redact.js';
import { checkTransition, type TransitionCause } from '../domain/task-status.js';
import { conflict, invalidTransition, notFound } from '../errors.js';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { TaskPatch, TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';

type TaskListener = (task: TaskRecord) => void;

/** What services may change on a task besides its status. Its cost has one writer: `runs/run-cost.ts`. */
export type TaskChanges = Omit<TaskPatch, 'costUsd'>;

export function createTaskState(
  storage: Storage,
  events: EventLog,
  redact: (text: string) => string = (text) => text,
) {
  const listeners = new Set<TaskListener>();
  /** The patch with its agent- and tool-supplied text redacted. */
  const clean = (patch: TaskPatch): TaskPatch =>
    patch.error || patch.pendingInput
      ? {
          ...patch,
          ...(patch.error ? { error: redact(patch.error) } : {}),
          ...(patch.pendingInput ? { pendingInput: redactDeep(patch.pendingInput, redact) } : {}),
        }
      : patch;

  async function announce(id: string): Promise<TaskRecord> {
    const task = await storage.tasks.findById(id);
    if (!task) throw notFound('task');
    for (const l of listeners) l(task);
    return task;
  }

  return {
    /**
     * Moves a task from its current status to `to`.
     * Rules: the move must exist in the domain table for this cause; the write succeeds only if nobody
     * changed the status meanwhile (else 409 `status_changed`); the event follows the write.
     */
    async transition(
      task: TaskRecord,
      to: TaskStatus,
      cause: TransitionCause,
      patch: TaskChanges = {},
      reason?: string,
    ): Promise<TaskRecord> {
      const check = checkTransition(task.status, to, cause);
      if (!check.ok) throw invalidTransition(check.message);
      const written = await storage.tasks.transition(task.id, task.status, to, {
        ...clean(patch),
        updatedAt: nowIso(),
      });
      if (!written) {
        const now = await storage.tasks.findById(task.id);
        throw conflict('status_changed', `the task changed meanwhile (it is ${now?.status ?? 'gone'} now)`);
      }
      await events.emit(task.id, {
        type: 'status.changed',
        data: { from: task.status, to, ...(reason ? { reason } : {}) },
      });
      return announce(task.id);
    },

    /** Changes columns other than status and announces the task. */
    async update(id: string, patch: TaskChanges): Promise<TaskRecord> {
      await storage.tasks.update(id, { ...clean(patch), updatedAt: nowIso() });
      return announce(id);
    },

    /** Changes columns without announcing the task; the caller announces when it matters. */
    async updateQuietly(id: string, patch: TaskChanges): Promise<void> {
      await storage.tasks.update(id, clean(patch));
    },

    announce,

    /** Every task change, for the board stream. */
    onChange(listener: TaskListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TaskState = ReturnType<typeof createTaskState>;
