/**
 * A task as every client sees it: the one presentation of a task record (with its project and git state)
 * for the routes and the WebSocket alike. Each change of a task is presented once, in order, however many
 * clients watch it.
 */
import type { TaskDto } from '../../../shared/api.js';
import type { PullRequestDto } from '../../../shared/review-dto.js';
import { formulaProgress } from '../domain/task-mode.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { Projects } from './projects.js';
import type { PullRequests } from './pull-requests.js';
import type { TaskState } from './task-state.js';
import type { DependencyView, TaskDependencies } from './task-dependencies.js';
import type { TaskFork } from './task-fork.js';

/** What the git lifecycle knows about a task (services.pullRequests.gitState / gitStates). */
export interface TaskGitView {
  pr: PullRequestDto | null;
  conflictFiles: string[] | null;
}

export function presentTask(t: TaskRecord, project: ProjectRecord | undefined, git?: TaskGitView): TaskDto {
  return {
    id: t.id,
    title: t.title,
    prompt: t.prompt,
    project: project?.name ?? t.projectId,
    projectId: t.projectId,
    workspace: project?.workspace ?? '',
    status: t.status,
    profile: t.profile,
    agent: t.agent,
    worker: t.worker,
    model: t.model,
    approval: t.approval,
    branch: t.branch,
    baseBranch: t.baseBranch,
    worktreePath: t.worktreePath,
    costUsd: Math.round(t.costUsd * 1e6) / 1e6,
    maxCostUsd: t.maxCostUsd,
    inputRequired: t.inputRequired,
    pendingInput: t.pendingInput,
    stopReason: t.stopReason,
    error: t.error,
    iterations: t.iterations,
    sessionId: t.sessionId,
    health: t.status === 'running' ? t.health : null,
    healthReason: t.status === 'running' ? t.healthReason : null,
    lastEventSeq: t.lastSeq,
    attachments: t.options.attachments ?? [],
    pr: git?.pr ?? null,
    conflictFiles: git?.conflictFiles ?? null,
    step: formulaProgress(t.modeState),
    loop:
      t.modeState?.mode === 'loop'
        ? {
            maxIterations: t.modeState.limits.maxIterations,
            maxCostUsd: t.modeState.limits.maxCostUsd,
            breaker: t.modeState.breaker.state,
          }
        : null,
    forkedFrom: t.options.forkedFrom?.taskId ?? null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

/** A task's dependencies, shown while it has any; `blocked` only while it is queued. */
function withWaits(dto: TaskDto, wait: DependencyView | undefined): TaskDto {
  if (!wait) return dto;
  return {
    ...dto,
    waitsFor: wait.waitsFor,
    blocked: dto.status === 'queued' ? (wait.blocked ?? null) : null,
  };
}

export function createTaskViews(deps: {
  projects: Pick<Projects, 'find' | 'list'>;
  pullRequests: Pick<PullRequests, 'gitState' | 'gitStates'>;
  state: Pick<TaskState, 'onChange'>;
  /** What tasks wait for; absent: no task shows dependencies. */
  dependencies?: Pick<TaskDependencies, 'views'>;
  /** The tasks forked from each task; absent: none is shown. */
  forks?: Pick<TaskFork, 'forksOf'>;
  log: (msg: string, err?: unknown) => void;
}) {
  const waits = async (ids: string[]) =>
    (await deps.dependencies?.views(ids)) ?? new Map<string, DependencyView>();
  const listeners = new Set<(view: TaskDto) => void>();
  let chain: Promise<void> = Promise.resolve();

  const forksOf = async (ids: string[]) => (await deps.forks?.forksOf(ids)) ?? new Map<string, string[]>();

  async function one(t: TaskRecord): Promise<TaskDto> {
    const [project, git, wait, forks] = await Promise.all([
      deps.projects.find(t.projectId),
      deps.pullRequests.gitState(t.id),
      waits([t.id]),
      forksOf([t.id]),
    ]);
    return { ...withWaits(presentTask(t, project, git), wait.get(t.id)), forks: forks.get(t.id) ?? [] };
  }

  async function many(tasks: readonly TaskRecord[]): Promise<TaskDto[]> {
    const ids = tasks.map((t) => t.id);
    const [projects, git, wait, forks] = await Promise.all([
      deps.projects.list(),
      deps.pullRequests.gitStates(ids),
      waits(ids),
      forksOf(ids),
    ]);
    const byId = new Map(projects.map((p) => [p.id, p]));
    return tasks.map((t) => ({
      ...withWaits(presentTask(t, byId.get(t.projectId), git.get(t.id)), wait.get(t.id)),
      forks: forks.get(t.id) ?? [],
    }));
  }

  // Changes are presented in the order they happened, each state of each task. Those that arrive while
  // a batch is being presented wait and go together in the next one: a batch costs the queries of one
  // (`many`), so a busy board (cost updates of eight running agents) does not queue a new task's card
  // behind a query round per change.
  let pending: TaskRecord[] = [];
  const presentPending = async () => {
    const batch = pending;
    pending = [];
    if (listeners.size === 0 || batch.length === 0) return;
    for (const view of await many(batch)) for (const l of listeners) l(view);
  };
  deps.state.onChange((task) => {
    if (pending.push(task) > 1) return; // a batch is already due
    chain = chain.then(presentPending).catch((err) => deps.log('presenting a task change failed', err));
  });

  return {
    one,
    many,
    /** Every task change, presented. Returns an unsubscribe function. */
    onChange(listener: (view: TaskDto) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type TaskViews = ReturnType<typeof createTaskViews>;
