/**
 * Pull requests of tasks: open one (push the branch, then GitHub through Octokit; asking again returns the
 * same PR), record its number, URL, state and checks, and poll them; a merged PR moves its task to `done`.
 */
import type { PullRequestDto } from '../../../shared/review-dto.js';
import { AppError, conflict, notFound } from '../errors.js';
import { pushTaskBranch } from '../runner/git-publish.js';
import { remoteUrl, resolveCommit } from '../runner/git-refs.js';
import {
  createGitHub,
  resolveGitHubRepo,
  type GitHub,
  type GitHubRepo,
  type PullRequestInfo,
} from '../runner/github.js';
import type { Storage } from '../storage/index.js';
import type { PullRequestRecord, PullRequestsRepo } from '../storage/pull-requests-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import { composePullRequest } from './pull-request-text.js';
import type { TaskState } from './task-state.js';
import { repeatEvery } from './repeat.js';

export interface GitHubSettings {
  token: string | null;
  apiUrl: string | null;
}

/** Token: configuration, else `GITHUB_TOKEN`. API URL: `GLUON_GITHUB_API_URL`, else configuration, else github.com. */
export function githubSettingsFrom(
  config: { token?: string; apiUrl?: string } | undefined,
  env: NodeJS.ProcessEnv,
): GitHubSettings {
  return {
    token: config?.token || env.GITHUB_TOKEN || null,
    apiUrl: env.GLUON_GITHUB_API_URL || config?.apiUrl || null,
  };
}

export interface PullRequestsDeps {
  storage: Storage;
  repo: PullRequestsRepo;
  state: TaskState;
  events: EventLog;
  tasks: { get(idOrPrefix: string): Promise<TaskRecord> };
  github: GitHubSettings;
  redactText: (text: string) => string;
  log: (msg: string, err?: unknown) => void;
}

/** Octokit and network failures as AppErrors with stable codes (502: GitHub, not the caller, failed). */
function githubError(error: unknown, repo: GitHubRepo): AppError {
  if (error instanceof AppError) return error;
  const status = (error as { status?: number }).status;
  const name = `${repo.owner}/${repo.repo}`;
  const detail = (error as { response?: { data?: { message?: string; errors?: { message?: string }[] } } })
    .response?.data;
  const said = [detail?.message, ...(detail?.errors ?? []).map((e) => e.message)].filter(Boolean).join(': ');
  if (status === 401)
    return new AppError(502, 'github_unauthorized', 'GitHub refused the token (401 Bad credentials)');
  if (status === 403)
    return new AppError(
      502,
      'github_forbidden',
      `the token may not do this on ${name} (403${said ? `: ${said}` : ''})`,
    );
  if (status === 404)
    return new AppError(
      502,
      'github_not_found',
      `${name} was not found on GitHub, or the token cannot see it`,
    );
  if (status === 422)
    return new AppError(
      502,
      'github_invalid',
      `GitHub refused the pull request: ${said || 'validation failed'}`,
    );
  if (typeof status === 'number')
    return new AppError(502, 'github_error', `GitHub answered ${status}${said ? `: ${said}` : ''}`);
  return new AppError(502, 'github_unreachable', `could not reach GitHub: ${(error as Error).message}`);
}

const toDto = (pr: PullRequestRecord): PullRequestDto => ({
  number: pr.number,
  url: pr.url,
  state: pr.state,
  checks: pr.checks,
});

export function createPullRequests(deps: PullRequestsDeps) {
  const { storage, repo, state, events } = deps;
  const client = (): GitHub => {
    if (!deps.github.token)
      throw conflict('no_github_token', 'no GitHub token: set GITHUB_TOKEN (or github.token in config.json)');
    return createGitHub({ token: deps.github.token, baseUrl: deps.github.apiUrl ?? undefined });
  };

  /** Stores what GitHub says (with fresh checks) and announces a state change; merged → the task is done. */
  async function record(
    task: TaskRecord,
    gh: GitHub,
    where: GitHubRepo,
    info: PullRequestInfo,
  ): Promise<PullRequestDto> {
    const checks = await gh.getChecks(where, info.headSha).catch(() => null);
    const before = (await repo.get(task.id))?.pr;
    const pr: PullRequestRecord = { ...info, checks, repo: `${where.owner}/${where.repo}` };
    await repo.setPullRequest(task.id, pr);
    if (before && before.number === pr.number && before.state !== pr.state)
      await events.emit(task.id, {
        type: 'notice',
        data: { message: `pull request #${pr.number} is ${pr.state}` },
      });
    if (pr.state === 'merged') await moveToDone(task.id, pr.number);
    else if (!before || before.state !== pr.state || before.checks !== pr.checks)
      await state.announce(task.id);
    return toDto(pr);
  }

  async function moveToDone(taskId: string, number: number): Promise<void> {
    const task = await storage.tasks.findById(taskId);
    if (task?.status !== 'review') return void (task && (await state.announce(taskId)));
    await state.transition(
      task,
      'done',
      'accept',
      { inputRequired: false, pendingInput: null },
      `pull request #${number} was merged`,
    );
  }

  return {
    /**
     * Pushes the task branch and opens its pull request, or returns the one already open or merged.
     * Rules: not while the task is queued or running; the task needs a branch, the project a remote and a
     * GitHub repository (its `github` setting or a GitHub remote URL), the server a token; a recorded PR
     * that is still open (or merged) is returned as it is now; a closed one is replaced by a new PR.
     */
    async open(idOrPrefix: string): Promise<PullRequestDto> {
      const task = await deps.tasks.get(idOrPrefix);
      if (task.status === 'queued' || task.status === 'running')
        throw conflict('task_active', `the task is ${task.status}; open its pull request once it stops`);
      if (!task.branch)
        throw conflict('no_branch', 'the task has no branch of its own (it ran without a worktree)');
      const project = await storage.projects.findById(task.projectId);
      if (!project) throw notFound('the task’s project');
      const where = resolveGitHubRepo(project);
      if (!where)
        throw conflict(
          'no_github_repo',
          'no GitHub repository for this project: add it with --github owner/repo, or use a GitHub remote',
        );
      const gh = client();
      if (!(await remoteUrl(project.path)))
        throw conflict('no_remote', 'the project has no remote (origin) to push the branch to');
      if (!(await resolveCommit(project.path, `refs/heads/${task.branch}`)))
        throw notFound(`the task branch ${task.branch}`);
      const push = await pushTaskBranch(project.path, task.branch, project.defaultBranch);
      if (!push.ok) throw conflict(push.error.type, push.error.message);
      try {
        const known = (await repo.get(task.id))?.pr;
        if (known && known.repo === `${where.owner}/${where.repo}`) {
          const info = await gh.getPullRequest(where, known.number);
          if (info.state !== 'closed') return await record(task, gh, where, info);
        }
        const text = await composePullRequest(storage, task, project);
        const { pr, created } = await gh.openPullRequest({
          ...where,
          head: task.branch,
          base: task.baseBranch,
          title: deps.redactText(text.title),
          body: deps.redactText(text.body),
        });
        const dto = await record(task, gh, where, pr);
        if (created)
          await events.emit(task.id, {
            type: 'notice',
            data: { message: `opened pull request #${pr.number}: ${pr.url}` },
          });
        return dto;
      } catch (error) {
        throw githubError(error, where);
      }
    },

    /** The task's recorded pull request and conflicted files (for presenting the task). */
    async gitState(taskId: string): Promise<{ pr: PullRequestDto | null; conflictFiles: string[] | null }> {
      const row = await repo.get(taskId);
      return { pr: row?.pr ? toDto(row.pr) : null, conflictFiles: row?.conflictFiles ?? null };
    },

    /** The same for many tasks at once (lists, the board snapshot), keyed by task id. */
    async gitStates(
      taskIds: readonly string[],
    ): Promise<Map<string, { pr: PullRequestDto | null; conflictFiles: string[] | null }>> {
      const rows = await repo.getMany(taskIds);
      return new Map(
        [...rows].map(([id, row]) => [
          id,
          { pr: row.pr ? toDto(row.pr) : null, conflictFiles: row.conflictFiles },
        ]),
      );
    },

    /** Refreshes every pollable pull request once; returns how many were looked at. Failures are logged. */
    async pollOnce(): Promise<number> {
      if (!deps.github.token) return 0;
      const rows = await repo.listPollable();
      for (const row of rows) {
        const [owner = '', name = ''] = row.pr!.repo.split('/');
        try {
          const gh = client();
          const task = await storage.tasks.findById(row.taskId);
          if (task)
            await record(
              task,
              gh,
              { owner, repo: name },
              await gh.getPullRequest({ owner, repo: name }, row.pr!.number),
            );
        } catch (error) {
          deps.log(`polling pull request ${row.pr!.repo}#${row.pr!.number} failed`, error);
        }
      }
      return rows.length;
    },

    /**
     * Merges the task's open pull request at `sha` (the merge queue's verified head, already pushed):
     * fast-forward asks GitHub to rebase, merge-commit to merge. Records it merged (the caller moves the
     * task to done) and returns the base's new commit on GitHub. 409 `no_pull_request` without an open one.
     */
    async mergeOpen(taskId: string, sha: string, method: 'fast-forward' | 'merge-commit'): Promise<string> {
      const pr = (await repo.get(taskId))?.pr;
      if (!pr || pr.state !== 'open') throw conflict('no_pull_request', 'the task has no open pull request');
      const [owner = '', name = ''] = pr.repo.split('/');
      const where = { owner, repo: name };
      try {
        const how = { sha, method: method === 'fast-forward' ? ('rebase' as const) : ('merge' as const) };
        const merged = await client().mergePullRequest(where, pr.number, how);
        await repo.setPullRequest(taskId, { ...pr, state: 'merged', headSha: sha });
        return merged;
      } catch (error) {
        throw githubError(error, where);
      }
    },

    /** Polls every `intervalMs` (not overlapping) until the returned function is called. */
    startPolling(intervalMs = 60_000): () => void {
      return repeatEvery(
        intervalMs,
        () => this.pollOnce(),
        (error) => deps.log('polling pull requests failed', error),
      );
    },
  };
}

export type PullRequests = ReturnType<typeof createPullRequests>;
