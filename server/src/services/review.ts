/**
 * Reviewing a task's work: its commits, changed files and diffs (from the repository and the task branch,
 * so they outlive the worktree; commit messages and diffs redacted), and `resolve`, which resumes the
 * agent to rebase and fix the conflicts the last rebase stopped on.
 */
import type { ChangesDto, CommitDto, DiffDto } from '../../../shared/review-dto.js';
import { conflict, notFound } from '../errors.js';
import { remoteUrl, REMOTE, resolveCommit } from '../runner/git-refs.js';
import {
  listChanges,
  listCommits,
  taskDiff,
  type DiffRequest,
  type ReviewTarget,
} from '../runner/review-data.js';
import { fetchTaskState } from '../runner/git-fleet.js';
import type { Storage } from '../storage/index.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { userCheckouts, type ProjectRepos } from './project-repos.js';

export interface ReviewDeps {
  storage: Storage;
  repo: PullRequestsRepo;
  /** Hides secrets in what the agent wrote: commit messages and diffs. */
  redactText: (text: string) => string;
  tasks: {
    get(idOrPrefix: string): Promise<TaskRecord>;
    resume(idOrPrefix: string, feedback: string): Promise<TaskRecord>;
  };
  /** Where each project's repository is on this machine; a fleet's server reads its own clone. */
  repos?: ProjectRepos;
}

/** The prompt of a `resolve` resume: what conflicted, and how to finish (the agent runs git itself). */
export function resolvePrompt(branch: string, target: string, files: readonly string[]): string {
  return [
    `Gluon tried to rebase your branch ${branch} onto ${target}, which moved, and the rebase stopped on conflicts in:`,
    ...files.map((f) => `- ${f}`),
    '',
    `Please run \`git rebase ${target}\` in your working directory, resolve the conflicts in these files keeping ` +
      'the intent of both sides, `git add` them and `git rebase --continue` until the rebase is complete. ' +
      'Check that the project still builds and its tests pass. Do not push: Gluon pushes the branch after you finish.',
  ].join('\n');
}

/**
 * The task and where its review data lives; 409 for a task that never had a branch. On a fleet's server
 * the branch is fetched from where the worker pushed it first.
 */
export async function findReviewTarget(
  deps: Pick<ReviewDeps, 'storage' | 'tasks' | 'repos'>,
  idOrPrefix: string,
): Promise<{ task: TaskRecord; target: ReviewTarget }> {
  const task = await deps.tasks.get(idOrPrefix);
  if (!task.branch)
    throw conflict('no_branch', 'the task has no branch of its own (it ran without a worktree)');
  const project = await deps.storage.projects.findById(task.projectId);
  if (!project) throw notFound('the task’s project');
  const repos = deps.repos ?? userCheckouts;
  const repo = await repos.repoOf(project);
  // The branch was pushed by whichever worker ran the task: bring its last state here first.
  if (repos.ownClones) await fetchTaskState(repo, task.id, task.branch);
  return {
    task,
    target: { repo, branch: task.branch, baseBranch: task.baseBranch, recordedBase: task.baseSha },
  };
}

export function createReview(deps: ReviewDeps) {
  const targetOf = (idOrPrefix: string) => findReviewTarget(deps, idOrPrefix);
  const branchGone = (t: ReviewTarget) => notFound(`the task branch ${t.branch}`);

  return {
    async commits(idOrPrefix: string): Promise<CommitDto[]> {
      const { target } = await targetOf(idOrPrefix);
      const commits = await listCommits(target);
      if (!commits) throw branchGone(target);
      return commits.map((c) => ({ ...c, message: deps.redactText(c.message) }));
    },

    async changes(idOrPrefix: string): Promise<ChangesDto> {
      const { target } = await targetOf(idOrPrefix);
      return (await listChanges(target)) ?? Promise.reject(branchGone(target));
    },

    /** The whole diff, one file's, one commit's, or one file's in one commit (404 for foreign ones). */
    async diff(idOrPrefix: string, req: DiffRequest): Promise<DiffDto> {
      const { target } = await targetOf(idOrPrefix);
      if ((await resolveCommit(target.repo, `refs/heads/${target.branch}`)) === null)
        throw branchGone(target);
      const diff = await taskDiff(target, { ...req, redact: deps.redactText });
      if (diff) return diff;
      throw notFound(
        req.commit
          ? `commit ${req.commit}${req.path ? ` touching ${req.path}` : ''} in this task`
          : `a change to ${req.path} in this task`,
      );
    },

    /**
     * Resumes the agent to rebase and resolve the recorded conflicts.
     * Rules: the task must have conflicted files recorded (else 409 `no_conflicts`); the target is origin's
     * base branch when the repository has a remote, else the local one; the resume itself is `tasks.resume`.
     */
    async resolve(idOrPrefix: string): Promise<TaskRecord> {
      const { task, target } = await targetOf(idOrPrefix);
      const files = (await deps.repo.get(task.id))?.conflictFiles;
      if (!files?.length) throw conflict('no_conflicts', 'the task has no rebase conflicts to resolve');
      const onto = (await remoteUrl(target.repo)) ? `${REMOTE}/${task.baseBranch}` : task.baseBranch;
      return deps.tasks.resume(task.id, resolvePrompt(target.branch, onto, files));
    },
  };
}

export type Review = ReturnType<typeof createReview>;
