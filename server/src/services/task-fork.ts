/**
 * Forking a task (`gluon fork <id> [prompt…]`): a new task on a new branch that starts at the source
 * task's tip, whose first run continues a copy of the source's agent session (the Agent SDK's
 * `forkSession`; domain/merge-queue.ts `forksSession` says when), to try a second approach side by side.
 * The two are linked both ways (`task_forks`, and `forkedFrom` on the fork).
 */
import { AppError, conflict, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import { git } from '../runner/git.js';
import { pushTaskBranch } from '../runner/git-publish.js';
import { remoteUrl, resolveCommit } from '../runner/git-refs.js';
import { fetchTaskState } from '../runner/git-fleet.js';
import { withRepoLock } from '../runner/repo-lock.js';
import type { Storage } from '../storage/index.js';
import type { MergeQueuesRepo } from '../storage/merge-queues-repo.js';
import type { TaskOptions, TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import { notYetRun, titleFromPrompt } from './task-create.js';
import type { ProjectRepos } from './project-repos.js';
import type { TaskState } from './task-state.js';

export interface TaskForkDeps {
  storage: Storage;
  forks: Pick<MergeQueuesRepo, 'addFork' | 'forksOf'>;
  state: Pick<TaskState, 'announce'>;
  events: EventLog;
  tasks: { get(idOrPrefix: string): Promise<TaskRecord> };
  scheduler: { kick(): Promise<void> };
  repos: ProjectRepos;
  log: (msg: string, err?: unknown) => void;
}

const short = (sha: string) => sha.slice(0, 7);
/**
 * The new task of a fork: the source's project, base, profile, agent, model, approval and cost cap, a plain
 * task with `prompt` (else the source's), queued, on `branch`, keeping the source's session to fork it.
 */
function forkRecord(
  source: TaskRecord,
  f: { id: string; branch: string; prompt?: string; now: string; forkedFrom: TaskOptions['forkedFrom'] },
): TaskRecord {
  const text = f.prompt ?? source.prompt;
  const { attachments, createdBy } = source.options;
  return {
    ...source,
    ...notYetRun(f.now),
    id: f.id,
    title: (f.prompt && titleFromPrompt(f.prompt)) || `${source.title} (fork)`,
    prompt: text,
    nextPrompt: text,
    branch: f.branch,
    options: { attachments, createdBy, forkedFrom: f.forkedFrom },
    modeState: null,
  };
}

export function createTaskFork(deps: TaskForkDeps) {
  /** The source session's cost so far: what the fork's session totals start from. */
  async function sessionTotal(source: TaskRecord): Promise<number> {
    const runs = await deps.storage.runs.listByTask(source.id);
    const last = runs.filter((r) => r.sessionId === source.sessionId && r.sdkTotalUsd !== null).pop();
    return last?.sdkTotalUsd ?? 0;
  }

  /** Makes `gluon-task/<id>` at `tip` (it must not exist yet) and pushes it when there is a remote. */
  async function makeBranch(repo: string, id: string, tip: string, defaultBranch: string) {
    const branch = `gluon-task/${id}`;
    await withRepoLock(repo, () =>
      git(repo, ['update-ref', '-m', 'gluon: fork', `refs/heads/${branch}`, tip, '']),
    );
    if (!(await remoteUrl(repo))) return { branch, note: null };
    const pushed = await pushTaskBranch(repo, branch, defaultBranch);
    return { branch, note: pushed.ok ? null : `the fork's branch was not pushed: ${pushed.error.message}` };
  }

  return {
    /**
     * Creates the fork of a task and queues it.
     * Rules: the source must have a branch of its own (409 `no_branch`) that exists (404), and must not be
     * queued or running (409 `task_active`: its tip and session are still moving); the fork gets `prompt`,
     * or the source's prompt; it keeps the source's project, base, profile, agent, model, approval and cost
     * cap, and runs as a plain task; its first run continues a copy of the source's session, if it had one.
     */
    async fork(idOrPrefix: string, prompt?: string): Promise<TaskRecord> {
      const source = await deps.tasks.get(idOrPrefix);
      if (!source.useWorktree || !source.branch)
        throw conflict('no_branch', 'the task has no branch of its own to fork (it ran without a worktree)');
      if (source.status === 'queued' || source.status === 'running')
        throw conflict('task_active', `the task is ${source.status}; fork it once it stops`);
      const project = await deps.storage.projects.findById(source.projectId);
      if (!project) throw notFound('the task’s project');
      const repo = await deps.repos.repoOf(project);
      if (deps.repos.ownClones) await fetchTaskState(repo, source.id, source.branch);
      const tip = await resolveCommit(repo, `refs/heads/${source.branch}`);
      if (!tip) throw new AppError(404, 'not_found', `the task branch ${source.branch} is gone`);
      const id = newId();
      const made = await makeBranch(repo, id, tip, project.defaultBranch);
      const now = nowIso();
      const forkedFrom = {
        taskId: source.id,
        sessionId: source.sessionId,
        sessionTotalUsd: await sessionTotal(source),
      };
      const task = forkRecord(source, { id, branch: made.branch, prompt, now, forkedFrom });
      await deps.storage.tasks.insert(task);
      await deps.forks.addFork(id, source.id, now);
      const from = `“${source.title}” (${source.id.slice(0, 8)})`;
      await deps.events.emit(id, [
        { type: 'task.created', data: { title: task.title, projectId: project.id } },
        { type: 'status.changed', data: { from: null, to: 'queued', reason: 'forked' } },
        { type: 'notice', data: { message: `forked from ${from} at ${short(tip)}` } },
        ...(made.note ? [{ type: 'notice' as const, data: { message: made.note } }] : []),
      ]);
      await deps.events.emit(source.id, {
        type: 'notice',
        data: { message: `forked as “${task.title}” (${id.slice(0, 8)})` },
      });
      const created = await deps.state.announce(id);
      await deps.state.announce(source.id); // its list of forks changed
      deps.scheduler.kick().catch((err) => deps.log('could not start queued tasks', err));
      return created;
    },

    /** For each task: the tasks forked from it, oldest first. */
    forksOf: (taskIds: readonly string[]) => deps.forks.forksOf(taskIds),
  };
}

export type TaskFork = ReturnType<typeof createTaskFork>;
