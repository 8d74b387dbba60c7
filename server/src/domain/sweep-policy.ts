/**
 * Which task worktrees may be removed. Pure: the executor (runner/worktree-sweep.ts) gathers the facts
 * with git and applies the decision. Removing a worktree never deletes its branch, so the only thing at
 * stake is what exists in the worktree alone: uncommitted files and commits not reachable from elsewhere.
 */
import type { TaskStatus } from '../../../shared/api.js';

export interface WorktreeFacts {
  /** The repository's main working tree (the user's checkout). */
  main: boolean;
  /** Inside Gluon's own worktree directory (`<GLUON_HOME>/worktrees`). */
  insideGluonDir: boolean;
  /** Registered but its directory is gone. */
  prunable: boolean;
  locked: boolean;
  /** The task id when the worktree is on a `gluon-task/<id>` branch, else null. */
  taskId: string | null;
  /** The task's status, or null when no task of that id is known (an orphan). */
  status: TaskStatus | null;
  /** Whether a run of the task is live in this process. */
  active: boolean;
  /** Milliseconds since the task finished (or since the worktree changed, for an orphan); null = unknown. */
  idleMs: number | null;
  /** Uncommitted changes, untracked files included. */
  dirty: boolean;
  /** Commits of the branch reachable neither from the base branch nor from any remote-tracking ref. */
  unmergedCommits: number;
}

export type SweepReason =
  | 'main_worktree'
  | 'not_ours'
  | 'locked'
  | 'not_a_task_branch'
  | 'active'
  | 'task_open'
  | 'too_recent'
  | 'dirty'
  | 'unmerged'
  | 'merged'
  | 'missing';

export type SweepDecision =
  | { action: 'keep'; reason: SweepReason }
  | { action: 'remove'; reason: 'merged' }
  /** Drop the registration of a worktree whose directory is already gone (nothing on disk to lose). */
  | { action: 'forget'; reason: 'missing' };

/** Statuses whose task may run again and expects its worktree (a resume would recreate it, but why churn). */
const OPEN: ReadonlySet<TaskStatus> = new Set(['queued', 'running', 'review', 'failed']);

/**
 * Decides one worktree's fate. Rules, first match wins:
 * 1. the user's checkout, or anything outside Gluon's directory → keep;
 * 2. directory already gone → forget the registration;
 * 3. locked (`git worktree lock`) → keep;
 * 4. not on a task branch (detached, another branch) → keep;
 * 5. a live run, or a task that may still run (queued, running, review, failed) → keep;
 * 6. finished less than `minIdleMs` ago, or when unknown → keep;
 * 7. uncommitted changes → keep; commits found nowhere else (base, remotes) → keep;
 * 8. otherwise (clean, and everything merged or pushed) → remove.
 */
export function decideSweep(f: WorktreeFacts, minIdleMs: number): SweepDecision {
  const keep = (reason: SweepReason): SweepDecision => ({ action: 'keep', reason });
  if (f.main) return keep('main_worktree');
  if (!f.insideGluonDir) return keep('not_ours');
  if (f.prunable) return { action: 'forget', reason: 'missing' };
  if (f.locked) return keep('locked');
  if (f.taskId === null) return keep('not_a_task_branch');
  if (f.active || f.status === 'queued' || f.status === 'running') return keep('active');
  if (f.status !== null && OPEN.has(f.status)) return keep('task_open');
  if (f.idleMs === null || f.idleMs < minIdleMs) return keep('too_recent');
  if (f.dirty) return keep('dirty');
  if (f.unmergedCommits > 0) return keep('unmerged');
  return { action: 'remove', reason: 'merged' };
}
