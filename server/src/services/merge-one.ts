/**
 * One task through the merge queue: rebase its branch onto the base as it is now (in the task's own
 * worktree, Gluon's, never the user's checkout), run the project's verify command there, and land the
 * verified commit on the base (runner/git-merge.ts). A conflict or a failing verify sends the task back to
 * its agent with the conflict list or the output (a normal resume); nothing lands that did not pass.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { MergeEntryDto } from '../../../shared/merge.js';
import type { Config } from '../config.js';
import { mergeTarget, verifyFailurePrompt, verifyFailureReason } from '../domain/merge-queue.js';
import { buildAgentEnv } from '../runner/agent-env.js';
import { fetchTaskState } from '../runner/git-fleet.js';
import { followBase, landOnBase, type LandResult } from '../runner/git-merge.js';
import { pushTaskBranch, rebaseOnto } from '../runner/git-publish.js';
import { remoteUrl, resolveCommit, trackingRef } from '../runner/git-refs.js';
import { fetchBranch } from '../runner/git-sync.js';
import { runVerifyCommand } from '../runner/verify-command.js';
import { createWorktree } from '../runner/worktrees.js';
import type { Storage } from '../storage/index.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { ProjectRepos } from './project-repos.js';
import type { PullRequests } from './pull-requests.js';
import type { Review } from './review.js';
import { gitSettingsOf } from './task-git.js';
import type { TaskState } from './task-state.js';
import type { Tasks } from './tasks.js';

export interface MergeOneDeps {
  config: Pick<Config, 'home' | 'agentEnv' | 'verifyTimeoutMs'>;
  serverEnv: NodeJS.ProcessEnv;
  storage: Storage;
  gitRepo: Pick<PullRequestsRepo, 'setConflicts' | 'get'>;
  state: Pick<TaskState, 'transition' | 'updateQuietly'>;
  events: EventLog;
  tasks: Pick<Tasks, 'resume'>;
  review: Pick<Review, 'resolve'>;
  /** Merges a task's open pull request on GitHub; absent: tasks always land through git. */
  pullRequests?: Pick<PullRequests, 'mergeOpen'>;
  repos: ProjectRepos;
  /** Whether an agent runs for the task now (on this machine). */
  isActive(taskId: string): boolean;
}

type Outcome = Pick<MergeEntryDto, 'outcome' | 'reason' | 'sha' | 'conflictFiles'>;

const short = (sha: string) => sha.slice(0, 7);
const skipped = (reason: string): Outcome => ({ outcome: 'skipped', reason, sha: null, conflictFiles: null });
/** How many times a task is rebased again when the base moved between its verify and its landing. */
const ATTEMPTS = 2;

export function createMergeOne(deps: MergeOneDeps) {
  const notice = (taskId: string, message: string) =>
    deps.events.emit(taskId, { type: 'notice', data: { message: `merge queue: ${message}` } });

  /** The task's worktree on this machine, made again from its branch when it is gone (after a sweep). */
  async function worktreeOf(task: TaskRecord, repo: string, base: string): Promise<string> {
    if (task.worktreePath && existsSync(task.worktreePath)) return task.worktreePath;
    const wtPath = path.join(deps.config.home, 'worktrees', `wt-${task.id}`);
    const wt = await createWorktree({ repo, path: wtPath, branch: task.branch!, baseRef: base });
    if (!deps.repos.ownClones) await deps.state.updateQuietly(task.id, { worktreePath: wt.path });
    return wt.path;
  }

  /** Still mergeable: in review, no agent on it, its branch where the queue left it. Else why not. */
  async function stillReady(taskId: string, repo: string, head: string | null): Promise<string | null> {
    const now = await deps.storage.tasks.findById(taskId);
    if (!now || now.status !== 'review' || deps.isActive(taskId))
      return `the task left review while it was being merged (it is ${now?.status ?? 'gone'})`;
    if (head && (await resolveCommit(repo, `refs/heads/${now.branch}`)) !== head)
      return 'the task’s branch changed while it was being merged';
    return null;
  }

  /** The base's tip to merge onto: origin's (fetched) when there is a remote, else the local branch. */
  async function baseTip(repo: string, target: string, remote: boolean): Promise<string | null> {
    if (remote) {
      const failed = await fetchBranch(repo, target);
      if (failed) throw new Error(`could not fetch ${target} (${failed})`);
      const tip = await resolveCommit(repo, trackingRef(target));
      if (tip) return tip;
    }
    return resolveCommit(repo, `refs/heads/${target}`);
  }

  /** Runs the project's verify command in the worktree; null when it passed (or there is none). */
  async function verify(task: TaskRecord, project: ProjectRecord, cwd: string, target: string) {
    const command = gitSettingsOf(project).verify;
    if (!command) return null;
    await notice(task.id, `running verify \`${command}\``);
    const env = buildAgentEnv(deps.serverEnv, deps.config.agentEnv, { GLUON_TASK_ID: task.id });
    const out = await runVerifyCommand(command, cwd, env, deps.config.verifyTimeoutMs);
    if (out.exitCode === 0) return null;
    const failure = { command, ...out };
    return { reason: verifyFailureReason(failure), prompt: verifyFailurePrompt(failure, target) };
  }

  /** One attempt: rebase, verify, land. `retry` when the base moved between the verify and the landing. */
  async function attempt(task: TaskRecord, project: ProjectRecord): Promise<Outcome | 'retry'> {
    const repo = await deps.repos.repoOf(project);
    const target = mergeTarget(task.baseBranch, project.defaultBranch);
    const remote = (await remoteUrl(repo)) !== null;
    if (deps.repos.ownClones) await fetchTaskState(repo, task.id, task.branch!);
    const base = await baseTip(repo, target, remote);
    if (!base) return skipped(`the base branch ${target} does not exist`);
    const cwd = await worktreeOf(task, repo, base);
    await notice(task.id, `rebasing ${task.branch} onto ${target} (${short(base)})`);
    const rebase = await rebaseOnto(cwd, base);
    if (!rebase.ok && rebase.error.type === 'conflict') {
      const files = rebase.error.files;
      await deps.gitRepo.setConflicts(task.id, files);
      await notice(
        task.id,
        `rebasing onto ${target} conflicts in ${files.join(', ')}; sent back to the agent`,
      );
      await deps.review.resolve(task.id);
      return {
        outcome: 'sent_back',
        reason: `conflicts in ${files.join(', ')}`,
        sha: null,
        conflictFiles: files,
      };
    }
    if (!rebase.ok) return skipped(`not rebased onto ${target}: ${rebase.error.message}`);
    if ((await deps.gitRepo.get(task.id))?.conflictFiles) await deps.gitRepo.setConflicts(task.id, null);
    const failed = await verify(task, project, cwd, target);
    if (failed) {
      await notice(task.id, `${failed.reason}; sent back to the agent, nothing was merged`);
      await deps.tasks.resume(task.id, failed.prompt);
      return { outcome: 'sent_back', reason: failed.reason, sha: null, conflictFiles: null };
    }
    const changed = await stillReady(task.id, repo, rebase.head);
    if (changed) return skipped(changed);
    return land(task, project, { repo, cwd, target, base, head: rebase.head, remote });
  }

  /** The verified head merged through the task's open pull request: pushed, merged on GitHub, fetched. */
  async function throughPullRequest(
    task: TaskRecord,
    project: ProjectRecord,
    at: { repo: string; cwd: string; target: string; base: string; head: string },
    number: number,
  ): Promise<LandResult> {
    const pushed = await pushTaskBranch(at.repo, task.branch!, project.defaultBranch, at.cwd);
    if (!pushed.ok)
      return { ok: false, error: { type: 'push_failed', message: `not pushed: ${pushed.error.message}` } };
    const method = gitSettingsOf(project).mergeMethod;
    const sha = await deps.pullRequests!.mergeOpen(task.id, at.head, method);
    const notes = [`merged through pull request #${number}`];
    const failed = await fetchBranch(at.repo, at.target);
    if (failed) notes.push(`could not fetch ${at.target} after the merge (${failed})`);
    else notes.push(...(await followBase(at.repo, at.target, sha, at.base)));
    return { ok: true, sha, pushed: true, notes };
  }

  /**
   * Lands the verified head on the base (through the task's open pull request when it has one and there is
   * a remote), pushes the task branch, and moves the task to done.
   */
  async function land(
    task: TaskRecord,
    project: ProjectRecord,
    at: { repo: string; cwd: string; target: string; base: string; head: string; remote: boolean },
  ): Promise<Outcome | 'retry'> {
    const { repo, cwd, target, remote } = at;
    const method = gitSettingsOf(project).mergeMethod;
    const message = `Merge ${task.branch}: ${task.title}\n\nGluon-Task: ${task.id}`;
    const pr = remote ? (await deps.gitRepo.get(task.id))?.pr : null;
    const landed =
      pr?.state === 'open' && deps.pullRequests
        ? await throughPullRequest(task, project, at, pr.number)
        : await landOnBase({ ...at, branch: target, method, message, push: remote });
    if (!landed.ok) return landed.error.type === 'moved' ? 'retry' : skipped(landed.error.message);
    for (const note of landed.notes) await notice(task.id, note);
    if (remote && !pr) {
      const pushed = await pushTaskBranch(repo, task.branch!, project.defaultBranch, cwd);
      if (!pushed.ok) await notice(task.id, `the task branch was not pushed: ${pushed.error.message}`);
    }
    const how = method === 'fast-forward' ? 'fast-forward' : 'merge commit';
    const reason = `merged into ${target} as ${short(landed.sha)} (${how})`;
    await notice(task.id, reason);
    const fresh = (await deps.storage.tasks.findById(task.id))!;
    await deps.state.transition(
      fresh,
      'done',
      'accept',
      { inputRequired: false, pendingInput: null },
      reason,
    );
    return { outcome: 'merged', reason, sha: landed.sha, conflictFiles: null };
  }

  /**
   * Merges one task; never throws (a failure is a `skipped` outcome saying why).
   * Rules: a task that is no longer in review, or runs, is skipped; a base that moved between the verify
   * and the landing is merged onto again, up to twice in all.
   */
  return async function mergeOne(taskId: string): Promise<Outcome> {
    try {
      for (let i = 1; i <= ATTEMPTS; i++) {
        const task = await deps.storage.tasks.findById(taskId);
        const project = task && (await deps.storage.projects.findById(task.projectId));
        if (!task || !project) return skipped('the task or its project is gone');
        const gone = await stillReady(taskId, project.path, null);
        if (gone) return skipped(gone.replace(' while it was being merged', ''));
        const result = await attempt(task, project);
        if (result !== 'retry') return result;
        await notice(taskId, 'the base moved while the task was being merged; merging onto it again');
      }
      return skipped('the base kept moving while the task was being merged');
    } catch (err) {
      const reason = (err as Error).message;
      await notice(taskId, `not merged: ${reason}`).catch(() => undefined);
      return skipped(reason);
    }
  };
}

export type MergeOne = ReturnType<typeof createMergeOne>;
