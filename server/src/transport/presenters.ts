/**
 * Records → the DTOs of the public API (shared/api.ts). The one place the wire shape is decided.
 */
import type { ProjectDto, PullRequestDto, RunDto, TaskDto } from '../../../shared/api.js';
import { formulaProgress } from '../domain/task-mode.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { RunRecord } from '../storage/runs-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

export function presentProject(p: ProjectRecord): ProjectDto {
  return {
    id: p.id,
    name: p.name,
    workspace: p.workspace,
    path: p.path,
    defaultBranch: p.defaultBranch,
    remote: p.remoteUrl,
    github: p.github,
    maxCostPerDayUsd: typeof p.settings.maxCostPerDayUsd === 'number' ? p.settings.maxCostPerDayUsd : null,
    maxCostPerMonthUsd:
      typeof p.settings.maxCostPerMonthUsd === 'number' ? p.settings.maxCostPerMonthUsd : null,
    trustRepoSettings: p.settings.trustRepoSettings === true,
    createdAt: p.createdAt,
  };
}

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
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
  };
}

export function presentRun(r: RunRecord): RunDto {
  return {
    id: r.id,
    taskId: r.taskId,
    kind: r.kind,
    model: r.model,
    sessionId: r.sessionId,
    status: r.status,
    stopReason: r.stopReason,
    costUsd: r.costUsd,
    error: r.error,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
  };
}
