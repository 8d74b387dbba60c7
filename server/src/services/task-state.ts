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
import type { ChangeFeed } from '../storage/change-feed.js';
import type { Storage } from '../storage/index.js';
import type { TaskPatch, TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';

type TaskListener = (task: TaskRecord) => void;

/** What services may change on a task besides its status. Its cost has one writer: `runs/run-cost.ts`. */
export type TaskChanges = Omit<TaskPatch, 'costUsd'>;

export interface TaskStateOptions {
  /** Hides secrets in the text a task shows from its agent and tools. */
  redact?: (text: string) => string;
  /** Other processes on the same database, told of every change (and telling this one of theirs). */
  feed?: ChangeFeed;
  log?: (msg: string, err?: unknown) => void;
}

export function createTaskState(storage: Storage, events: EventLog, options: TaskStateOptions = {}) {
  const { redact = (text: string) => text, feed } = options;
  const listeners = new Set<TaskListener>();
  const log = (err: unknown) => options.log?.('announcing a task change failed', err);
  /** The patch with its agent- and tool-supplied text redacted. */
  const clean = (patch: TaskPatch): TaskPatch =>
    patch.error || patch.pendingInput
      ? {
          ...patch,
          ...(patch.error ? { error: redact(patch.error) } : {}),
          ...(patch.pendingInput ? { pendingInput: redactDeep(patch.pendingInput, redact) } : {}),
        }
      : patch;

  async function tell(id: string): Promise<TaskRecord> {
    const task = await storage.tasks.findById(id);
    if (!task) throw notFound('task');
    for (const l of listeners) l(task);
    return task;
  }

  /** Tells this process's listeners, and the other processes on the same database, that a task changed. */
  async function announce(id: string): Promise<TaskRecord> {
    const task = await tell(id);
    if (feed?.shared) feed.notify('gluon_tasks', id).catch(log);
    return task;
  }

  // A task another process changed: its listeners here hear of it as of their own.
  feed?.listen('gluon_tasks', (id) => {
    tell(id).catch(log);
  });

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

    /**
     * Claims a queued task for a run on this worker (`queued → running`, with the start's columns), if the
     * concurrency caps across every worker allow it; null when another claim won or the caps are full.
     */
    async claim(
      task: TaskRecord,
      patch: TaskChanges,
      caps: { maxRunning: number | null; maxPerProject: number | null },
    ): Promise<TaskRecord | null> {
      const claimed = await storage.tasks.claim(task.id, { ...clean(patch), updatedAt: nowIso() }, caps);
      if (claimed !== 'claimed') return null;
      await events.emit(task.id, { type: 'status.changed', data: { from: 'queued', to: 'running' } });
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
