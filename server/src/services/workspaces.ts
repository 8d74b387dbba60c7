/**
 * Where a task's agent works: its own worktree on `gluon-task/<id>` (created on first use, or again from
 * its branch if it went missing), or the project's checkout when the task opted out. After each run,
 * whatever the agent left is committed on the task's branch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { applyWorkInProgress, fetchTaskState } from '../runner/git-fleet.js';
import { revertProtectedChanges } from '../runner/protected-commit.js';
import { createWorktreePool } from '../runner/worktree-pool.js';
import type { ConfigScan } from '../runner/git.js';
import { createWorktree } from '../runner/worktrees.js';
import { commitStaged, lastCommit, type LastCommit } from '../runner/git-commit.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { TaskChanges } from './task-state.js';
import type { EventLog } from './event-log.js';
import { userCheckouts, type ProjectRepos } from './project-repos.js';
import type { TaskGit } from './task-git.js';

/**
 * Work of a task's start that waits until its agent is up: the pool's refill checkout and a status of the
 * user's checkout would only compete for the CPU with the agent's own start. `run` is idempotent.
 */
function createAfterStart() {
  const jobs = new Map<string, Array<() => void>>();
  return {
    add: (taskId: string, job: () => void) => void jobs.set(taskId, [...(jobs.get(taskId) ?? []), job]),
    run(taskId: string): void {
      const due = jobs.get(taskId) ?? [];
      jobs.delete(taskId);
      for (const job of due) job();
    },
  };
}

export function createWorkspaces(deps: {
  config: Config;
  storage: Storage;
  events: EventLog;
  git: TaskGit;
  /** Where each project's repository is on this machine (default: the user's checkouts). */
  repos?: ProjectRepos;
  /** The protected path globs of a task's project: changes to them never reach the branch. */
  protectedPaths?: (task: TaskRecord) => Promise<string[]>;
  log?: (msg: string, err?: unknown) => void;
}) {
  const repos = deps.repos ?? userCheckouts;
  const worktrees = path.join(deps.config.home, 'worktrees');
  // Ready worktrees for first runs on this machine's checkouts (a fleet's clones make theirs as before).
  const pool = repos.ownClones
    ? null
    : createWorktreePool({ dir: path.join(deps.config.home, 'worktree-pool') });
  const afterStart = createAfterStart();
  const whenAgentUp = afterStart.add;
  const notice = (taskId: string, message: string, runId: string | null = null) =>
    deps.events.emit(taskId, { type: 'notice', runId, data: { message } });
  /** A worktree this machine made (another worker's path may exist on a shared disk: never reuse it). */
  const ownWorktree = (p: string | null): p is string =>
    p !== null && p.startsWith(`${worktrees}${path.sep}`) && existsSync(p);

  /** Puts back what the agent changed under the project's protected paths, and says so. */
  async function dropProtectedChanges(task: TaskRecord, runId: string, cwd: string): Promise<void> {
    const globs = (await deps.protectedPaths?.(task)) ?? [];
    if (globs.length === 0 || !task.baseSha) return;
    const files = await revertProtectedChanges(cwd, task.baseSha, globs);
    if (files.length === 0) return;
    await deps.events.emit(task.id, {
      type: 'run.error',
      runId,
      data: { message: protectedMessage(files), retryable: false },
    });
  }

  return {
    /**
     * The directory the agent works in, and what the task must record about it.
     * Rules: a task without a worktree works in the user's checkout (never on a worker of a fleet, which
     * has none); a worktree of this machine is reused; otherwise one is made — on the first run from the
     * synced base, later on the task's branch (on a worker: its last pushed state, uncommitted work
     * included, fetched from the remote). `head`: the worktree's HEAD when known without asking git.
     */
    async prepare(task: TaskRecord): Promise<{ cwd: string; patch: TaskChanges; head?: string }> {
      const project = await deps.storage.projects.findById(task.projectId);
      if (!project) throw new Error('the task’s project no longer exists');
      if (!task.useWorktree) {
        if (repos.ownClones)
          throw new Error(
            'a task without a worktree runs only where the project’s checkout is, not on a worker',
          );
        return { cwd: project.path, patch: {} };
      }
      if (ownWorktree(task.worktreePath)) return { cwd: task.worktreePath, patch: {} };
      const wtPath = path.join(worktrees, `wt-${task.id}`);
      const branch = task.branch ?? `gluon-task/${task.id}`;
      const repo = await repos.repoOf(project);
      // First run: fetch/fast-forward the base and apply the uncommitted-changes policy (a diverged base
      // throws a 409 that fails the task with its message). A worktree recreated after cleanup, or on
      // another worker, is attached to the task's existing branch instead.
      const first = task.branch === null && task.baseSha === null;
      const prepared = first ? await deps.git.prepareTaskBase(project, task) : null;
      const wip = !first && repos.ownClones ? await fetchTaskState(repo, task.id, branch) : null;
      const baseRef = prepared?.baseRef ?? task.baseSha ?? task.baseBranch;
      const pooled =
        prepared && pool
          ? await pool.claim({ repo, target: wtPath, branch, baseSha: baseRef, scan: prepared.scan })
          : null;
      if (prepared && pool) whenAgentUp(task.id, () => pool.fill(repo, baseRef));
      const wt = pooled ?? (await createWorktree({ repo, path: wtPath, branch, baseRef }));
      if (wip) {
        await applyWorkInProgress(wt.path, wip);
        await notice(task.id, 'restored the uncommitted work of the last run from its work-in-progress ref');
      }
      const laterNotes = prepared?.laterNotes;
      if (laterNotes)
        whenAgentUp(task.id, () =>
          laterNotes()
            .then(async (notes) => {
              for (const message of notes) await notice(task.id, message);
            })
            .catch((err) => deps.log?.(`posting the start notes of task ${task.id} failed`, err)),
        );
      const seeded = await deps.git.seedWorktree(project, wt.path);
      for (const message of [...(prepared?.notes ?? []), ...seeded.notes]) await notice(task.id, message);
      return {
        cwd: wt.path,
        patch: { worktreePath: wt.path, branch: wt.branch, baseSha: task.baseSha ?? wt.baseSha },
        // A ready worktree is handed out with HEAD at the base: no need to ask git.
        ...(pooled && !wip && { head: pooled.baseSha }),
      };
    },

    /**
     * The task's agent is up (its session began), or its start ended without one: what its start left
     * for later runs now. Idempotent.
     */
    agentStarted: afterStart.run,

    /** Resolves when the pool of ready worktrees has nothing in flight (tests, shutdown). */
    poolIdle: () => pool?.idle() ?? Promise.resolve(),

    /**
     * After a run's commit: rebase onto a moved base (conflicts recorded, rebase aborted; not before
     * `beforeRewrite` settles) and push when a remote exists. Its notes follow what `beforeRewrite` waits
     * for (the commit's announcement). A failure is reported on the task, never thrown.
     */
    async publishRun(
      task: TaskRecord,
      runId: string,
      opts: { beforeRewrite?: Promise<unknown>; scan?: ConfigScan } = {},
    ): Promise<void> {
      if (!task.useWorktree) return;
      try {
        const project = await deps.storage.projects.findById(task.projectId);
        const fresh = await deps.storage.tasks.findById(task.id);
        const published = project && fresh ? await deps.git.publishAfterRun(project, fresh, opts) : null;
        await opts.beforeRewrite;
        for (const message of published?.notes ?? []) await notice(task.id, message, runId);
      } catch (err) {
        await deps.events.emit(task.id, {
          type: 'run.error',
          runId,
          data: { message: `publishing the branch failed: ${(err as Error).message}`, retryable: false },
        });
      }
    },

    /**
     * Commits what the run left on the task's branch; a failure is reported on the task, never thrown.
     * See `RunCommit` for what it returns.
     */
    async commitRun(task: TaskRecord, runId: string, cwd: string): Promise<RunCommit> {
      const none: RunCommit = { allCommitted: false, head: async () => null, announce: async () => {} };
      if (!task.useWorktree) return none;
      const failed = (err: unknown) =>
        deps.events.emit(task.id, {
          type: 'run.error',
          runId,
          data: {
            message: `committing the agent's work failed: ${(err as Error).message}`,
            retryable: false,
          },
        });
      try {
        await dropProtectedChanges(task, runId, cwd);
        const { committed, scan } = await commitStaged({
          cwd,
          message: `${task.title}\n\nWork of Gluon task ${task.id} (run ${runId}).`,
          trailers: { 'Gluon-Task': task.id },
        });
        let read: Promise<LastCommit> | null = null;
        const commit = () => (read ??= lastCommit(cwd, scan));
        const head = async () => (committed ? commit().catch(() => null) : null);
        const announce = async () => {
          if (!committed) return;
          try {
            const { sha, files } = await commit();
            await deps.events.emit(task.id, {
              type: 'git.committed',
              runId,
              data: { sha, message: task.title, files },
            });
          } catch (err) {
            await failed(err).catch(() => undefined);
          }
        };
        return { allCommitted: true, head, announce, scan };
      } catch (err) {
        await failed(err);
        return none;
      }
    },
  };
}

/** A run's commit, as `commitRun` left it. */
export interface RunCommit {
  /** Nothing of the agent's is left uncommitted (so nobody needs to look again). */
  allCommitted: boolean;
  /** The commit made (read once, shared with `announce`), or null when none was made or it cannot be read. */
  head(): Promise<LastCommit | null>;
  /**
   * Reads the new commit's id and files and announces it as `git.committed` (nothing when nothing was
   * committed; never rejects): left to the caller, to go beside what it does next.
   */
  announce(): Promise<void>;
  /** The config as the commit read it, for the reads that follow while nobody writes it. */
  scan?: ConfigScan;
}

/** A run's error naming protected paths the agent changed, which are put back before the commit. */
function protectedMessage(files: string[]): string {
  const shown = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
  return `changes to protected paths were put back and not committed (policy): ${shown}`;
}

export type Workspaces = ReturnType<typeof createWorkspaces>;
