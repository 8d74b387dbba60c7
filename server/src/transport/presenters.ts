/**
 * Records → the DTOs of the public API (shared/api.ts). Tasks are presented by services/task-views.ts,
 * once for the routes and the WebSocket alike.
 */
import type { ProjectDto, RunDto } from '../../../shared/api.js';
import { autofixSettingsOf } from '../domain/pr-autofix.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import { gitSettingsOf } from '../services/task-git.js';
import type { RunRecord } from '../storage/runs-repo.js';

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
    issueLabel: typeof p.settings.issueLabel === 'string' ? p.settings.issueLabel : null,
    prAutofix: autofixSettingsOf(p.settings).enabled,
    prAutofixCapUsd: autofixSettingsOf(p.settings).capUsd,
    verify: gitSettingsOf(p).verify,
    mergeMethod: gitSettingsOf(p).mergeMethod,
    createdAt: p.createdAt,
  };
}

export function presentRun(r: RunRecord, trigger?: string | null): RunDto {
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
    trigger: trigger ?? null,
  };
}
