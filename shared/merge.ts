/**
 * The contract of merging in order and forking (issue 14, parts 4 and 5): request schemas, the merge
 * queue as the API answers it, and the client methods spread into `createClient`.
 */
import { z } from 'zod';
import type { TaskDto } from './dto.js';

/** How a task's work lands on its base branch: fast-forward (linear) or a merge commit (per project). */
export const MERGE_METHODS = ['fast-forward', 'merge-commit'] as const;
export type MergeMethod = (typeof MERGE_METHODS)[number];

const taskRef = z.string().regex(/^[a-z0-9]{4,32}$/, 'a task id');

/** `POST /api/merge`: the tasks to merge, in this order (ids or unique prefixes). */
export const mergeBody = z.strictObject({ tasks: z.array(taskRef).min(1).max(50) });
export type MergeBody = z.infer<typeof mergeBody>;

/** `POST /api/tasks/:id/fork`: the fork's prompt; without one it gets the source task's prompt. */
export const forkBody = z.strictObject({ prompt: z.string().trim().min(1).max(100_000).optional() });
export type ForkBody = z.infer<typeof forkBody>;

export const mergeQueueParam = z.object({ id: z.string().regex(/^[a-z0-9]{4,32}$/, 'a merge queue id') });

/** Where one task of a merge queue is: waiting, being merged, or what became of it. */
export const MERGE_OUTCOMES = ['pending', 'merging', 'merged', 'sent_back', 'skipped'] as const;
export type MergeOutcome = (typeof MERGE_OUTCOMES)[number];

export interface MergeEntryDto {
  taskId: string;
  title: string;
  outcome: MergeOutcome;
  /** Why it was sent back or skipped, or how it was merged. */
  reason: string | null;
  /** The base branch's new tip once the task landed. */
  sha: string | null;
  /** The files the rebase stopped on, when it was sent back for a conflict. */
  conflictFiles: string[] | null;
}

export interface MergeQueueDto {
  id: string;
  projectId: string;
  project: string;
  baseBranch: string;
  method: MergeMethod;
  /** `interrupted`: the server that ran it stopped before it finished. */
  status: 'running' | 'finished' | 'interrupted';
  entries: MergeEntryDto[];
  startedAt: string;
  finishedAt: string | null;
}

type Request = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function mergeMethods(request: Request) {
  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  return {
    /** Starts a merge queue over the tasks, in order; 409 while the project already has one running. */
    merge: (tasks: string[]) => request<MergeQueueDto>('POST', '/api/merge', { tasks }),
    /** A merge queue as it is now (each task's outcome so far). */
    mergeQueue: (id: string) => request<MergeQueueDto>('GET', `/api/merge-queues/${encodeURIComponent(id)}`),
    /** A new task from the task's branch and session; without a prompt, the task's own prompt. */
    fork: (id: string, prompt?: string) =>
      request<TaskDto>('POST', `${task(id)}/fork`, prompt === undefined ? {} : { prompt }),
  };
}
