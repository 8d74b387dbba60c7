/**
 * The budgets that apply to a task's next run — its project's, its workspace's and, when a user started
 * it, that user's — each with what its scope has spent in the current day or month.
 */
import type { BudgetLimit } from '../../domain/budgets.js';
import { createBudgetsRepo, type BudgetRecord } from '../../storage/budgets-repo.js';
import type { Storage } from '../../storage/index.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import { createRunUsersRepo } from '../../storage/run-users-repo.js';
import { periodStarts } from '../costs.js';

/** The first day and the key of the current period of each kind. */
export function currentPeriods(now: Date) {
  const p = periodStarts(now);
  return {
    day: { since: p.today, key: p.today },
    month: { since: p.month, key: p.month.slice(0, 7) },
  };
}

/**
 * The budgets of a project (and its workspace) and of a user, with their spend so far this period (but
 * that of `exceptRunId`, a running run following what the others spend).
 */
export async function budgetLimits(
  storage: Storage,
  project: Pick<ProjectRecord, 'id' | 'name' | 'workspaceId' | 'workspace'>,
  userId: string | null,
  now = new Date(),
  exceptRunId?: string,
): Promise<BudgetLimit[]> {
  const repo = createBudgetsRepo(storage.db);
  const scopes = [
    { scope: 'project' as const, scopeId: project.id },
    { scope: 'workspace' as const, scopeId: project.workspaceId },
    ...(userId ? [{ scope: 'user' as const, scopeId: userId }] : []),
  ];
  const budgets = await repo.forScopes(scopes);
  const periods = currentPeriods(now);
  const nameOf = (b: BudgetRecord) =>
    b.scope === 'project' ? project.name : b.scope === 'workspace' ? project.workspace : b.scopeId;
  return Promise.all(
    budgets.map(async (b) => ({
      id: b.id,
      scope: b.scope,
      name: nameOf(b),
      period: b.period,
      limitUsd: b.limitUsd,
      spentUsd: await repo.spent(b.scope, b.scopeId, periods[b.period].since, exceptRunId),
      periodKey: periods[b.period].key,
    })),
  );
}

/** The budgets for a task's next run: its project's, its workspace's, and those of the user who started it. */
export async function budgetLimitsForTask(
  storage: Storage,
  task: { id: string; projectId: string },
  exceptRunId?: string,
): Promise<BudgetLimit[]> {
  const project = await storage.projects.findById(task.projectId);
  if (!project) return [];
  const userId = await createRunUsersRepo(storage.db).taskUser(task.id);
  return budgetLimits(storage, project, userId, new Date(), exceptRunId);
}
