/**
 * The git side of a task's run lifecycle, called by services/runs.ts: before the first run
 * (`prepareTaskBase`: fetch, fast-forward, the uncommitted-changes policy), once its worktree exists
 * (`seedWorktree`: worktreeInclude), and after every run (`publishAfterRun`: rebase onto a moved base,
 * record conflicts, push). Nothing here changes a task's status.
 */
import { z } from 'zod';
import { MERGE_METHODS } from '../../../shared/merge.js';
import { AppError } from '../errors.js';
import { sharedScan, type ConfigScan } from '../runner/git.js';
import { isAncestor, remoteUrl, resolveCommit, resolveCommits, trackingRef } from '../runner/git-refs.js';
import { pushTaskBranch, rebaseOnto } from '../runner/git-publish.js';
import { carryUncommitted, fetchBranch, syncBase, UNCOMMITTED_POLICIES } from '../runner/git-sync.js';
import { copyIncludedFiles } from '../runner/worktree-include.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import { userCheckouts, type ProjectRepos } from './project-repos.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

/** The project settings of the git lifecycle, read from `projects.settings` (JSON). */
export const projectGitSettings = z.object({
  uncommittedPolicy: z.enum(UNCOMMITTED_POLICIES).catch('ignore').default('ignore'),
  worktreeInclude: z.array(z.string().max(200)).max(50).catch([]).default([]),
  /** What the merge queue runs on each rebased task before it lands (services/merge-queue.ts). */
  verify: z.string().max(2000).nullable().catch(null).default(null),
  mergeMethod: z.enum(MERGE_METHODS).catch('fast-forward').default('fast-forward'),
});
export type ProjectGitSettings = z.infer<typeof projectGitSettings>;

export function gitSettingsOf(project: ProjectRecord): ProjectGitSettings {
  return projectGitSettings.parse(project.settings ?? {});
}

export interface PublishOutcome {
  pushed: boolean;
  rebased: boolean;
  /** Files the rebase onto the base stopped on (it was aborted; the branch is as it was). */
  conflictFiles: string[];
  /** One line per thing worth telling the user (emit each as a `notice`). */
  notes: string[];
}

export interface TaskGitDeps {
  /** Where conflicted files are recorded. */
  repo: PullRequestsRepo;
  /** Where each project's repository is on this machine (the user's checkout, or a worker's clone). */
  repos?: ProjectRepos;
}

const short = (sha: string) => sha.slice(0, 7);

export function createTaskGit(deps: TaskGitDeps) {
  const repos = deps.repos ?? userCheckouts;
  /** Notes on a user's checkout being read, by repository and base: tasks started together share one status. */
  const checkoutNotes = new Map<string, Promise<string[]>>();
  const sharedNotes = (key: string, read: () => Promise<string[]>) => {
    let notes = checkoutNotes.get(key);
    if (!notes) {
      notes = read().finally(() => checkoutNotes.delete(key));
      checkoutNotes.set(key, notes);
    }
    return notes;
  };
  return {
    /**
     * The commit a new task starts from, and notes to show on the task.
     * Rules: see `syncBase` (fetch, fast-forward, diverged → 409 `diverged_base`) and `carryUncommitted`
     * (the project's uncommittedPolicy: ignore, snapshot or autocommit).
     */
    async prepareTaskBase(
      project: ProjectRecord,
      task: TaskRecord,
    ): Promise<{
      baseRef: string;
      notes: string[];
      laterNotes?: () => Promise<string[]>;
      /** The repository's config as the sync read it (see `SyncResult`). */
      scan?: ConfigScan;
    }> {
      const repo = await repos.repoOf(project);
      const sync = await syncBase(repo, task.baseBranch);
      if (!sync.ok) {
        const code = sync.error.type === 'diverged' ? 'diverged_base' : sync.error.type;
        throw new AppError(409, code, sync.error.message);
      }
      // A worker's clone has no user checkout whose uncommitted changes could be carried.
      if (repos.ownClones) return { baseRef: sync.sha, notes: sync.notes, scan: sync.scan };
      const policy = gitSettingsOf(project).uncommittedPolicy;
      const carry = () =>
        carryUncommitted({ repo, baseBranch: task.baseBranch, policy, baseSha: sync.sha, taskId: task.id });
      // Ignored changes only make a note: the start does not wait for a status of the user's checkout
      // (which grows with its size); the caller reads it when it no longer competes with the start.
      if (policy === 'ignore')
        return {
          baseRef: sync.sha,
          notes: sync.notes,
          scan: sync.scan,
          laterNotes: () =>
            sharedNotes(`${repo}\0${sync.sha}`, () =>
              carry().then(
                (c) => c.notes,
                () => [],
              ),
            ),
        };
      const carried = await carry();
      return { baseRef: carried.sha, notes: [...sync.notes, ...carried.notes], scan: sync.scan };
    },

    /** Copies the project's worktreeInclude files into a worktree just created; returns notes. */
    async seedWorktree(
      project: ProjectRecord,
      worktreePath: string,
    ): Promise<{ copied: string[]; notes: string[] }> {
      const patterns = gitSettingsOf(project).worktreeInclude;
      // The files to include live in the user's checkout, on the machine that registered the project.
      if (patterns.length === 0 || repos.ownClones) return { copied: [], notes: [] };
      const result = await copyIncludedFiles(project.path, worktreePath, patterns);
      const notes = result.copied.length
        ? [`copied ${result.copied.join(', ')} into the worktree (worktreeInclude)`]
        : [];
      for (const s of result.skipped) notes.push(`worktreeInclude: skipped ${s.path} (${s.reason})`);
      return { copied: result.copied, notes };
    },

    /**
     * After a run's commit: rebase the task branch onto its base if the base moved, then push it.
     * Rules: tasks without a worktree are left alone; with a remote, the base is fetched and the target is
     * origin's, else the local base branch; a rebase waits for `beforeRewrite`; a conflicting rebase is
     * aborted and its files recorded (a clean rebase clears them); the branch is pushed (with lease)
     * whenever a remote exists, rebased or not.
     */
    async publishAfterRun(
      project: ProjectRecord,
      task: TaskRecord,
      opts: { beforeRewrite?: Promise<unknown>; scan?: ConfigScan } = {},
    ): Promise<PublishOutcome> {
      const out: PublishOutcome = { pushed: false, rebased: false, conflictFiles: [], notes: [] };
      if (!task.useWorktree || !task.branch || !task.worktreePath) return out;
      const repo = await repos.repoOf(project);
      const local = `refs/heads/${task.baseBranch}`;
      // The run's commit read the worktree's config: it tells the remote's URL without a git process.
      const worktreeScan = opts.scan?.cwd === task.worktreePath ? sharedScan(opts.scan, repo) : undefined;
      // Read beside the remote's URL: without a remote, the local base is the target and these its ids —
      // and whether HEAD holds it (a project known to have no remote asks at once: no second step).
      const [url, [localBase, head], ontoInHead] = await Promise.all([
        remoteUrl(repo, worktreeScan),
        resolveCommits(task.worktreePath, [local, 'HEAD']),
        project.remoteUrl === null ? isAncestor(task.worktreePath, local, 'HEAD').catch(() => false) : false,
      ]);
      const hasRemote = url !== null;
      if (hasRemote) {
        const failed = await fetchBranch(repo, task.baseBranch);
        if (failed)
          out.notes.push(`could not fetch ${task.baseBranch} (${failed}); not rebased on the latest`);
      }
      const tracking = trackingRef(task.baseBranch);
      const target = hasRemote && (await resolveCommit(repo, tracking)) ? tracking : local;
      const label = target.replace(/^refs\/(remotes|heads)\//, '');
      const rebase = await rebaseOnto(task.worktreePath, target, {
        ...opts,
        ...(!hasRemote && { ids: { onto: localBase ?? null, head: head ?? null, ontoInHead } }),
      });
      if (rebase.ok) {
        out.rebased = rebase.rebased;
        if (rebase.rebased)
          out.notes.push(
            `rebased ${task.branch} onto ${label} (${short(rebase.onto)}); now at ${short(rebase.head)}`,
          );
        if ((await deps.repo.get(task.id))?.conflictFiles) await deps.repo.setConflicts(task.id, null);
      } else if (rebase.error.type === 'conflict') {
        out.conflictFiles = rebase.error.files;
        await deps.repo.setConflicts(task.id, rebase.error.files);
        out.notes.push(
          `${label} moved and rebasing onto it conflicts in ${rebase.error.files.join(', ')}; the rebase was aborted and ` +
            `the branch left as it was (resolve with the agent: gluon resolve ${task.id})`,
        );
      } else out.notes.push(`not rebased onto ${label}: ${rebase.error.message}`);
      if (!hasRemote) return out;
      const push = await pushTaskBranch(repo, task.branch, project.defaultBranch, task.worktreePath);
      if (push.ok) {
        out.pushed = true;
        if (push.updated) out.notes.push(`pushed ${task.branch} (${short(push.sha)})`);
      } else out.notes.push(`not pushed: ${push.error.message}`);
      return out;
    },
  };
}

export type TaskGit = ReturnType<typeof createTaskGit>;
