/**
 * What a task may still spend: its own cap, its project's daily and monthly caps, and the budgets of its
 * project, workspace and user, with what has been spent against each before a run starts.
 */
import type { Spend, SpendCaps } from '../domain/spend-caps.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { periodStarts } from './costs.js';
import { budgetLimitsForTask } from './governance/budget-limits.js';

const capOf = (value: unknown): number | null => (typeof value === 'number' && value > 0 ? value : null);

export async function spendBeforeRun(
  storage: Storage,
  task: TaskRecord,
): Promise<{ caps: SpendCaps; spend: Spend }> {
  const project = await storage.projects.findById(task.projectId);
  const caps: SpendCaps = {
    taskUsd: task.maxCostUsd,
    projectPerDayUsd: capOf(project?.settings.maxCostPerDayUsd),
    projectPerMonthUsd: capOf(project?.settings.maxCostPerMonthUsd),
    budgets: await budgetLimitsForTask(storage, task),
  };
  const starts = periodStarts(new Date());
  const [projectDayUsd, projectMonthUsd] =
    caps.projectPerDayUsd !== null || caps.projectPerMonthUsd !== null
      ? await Promise.all([
          storage.costs.projectTotal(task.projectId, starts.today),
          storage.costs.projectTotal(task.projectId, starts.month),
        ])
      : [0, 0];
  return { caps, spend: { taskUsd: task.costUsd, projectDayUsd, projectMonthUsd, runUsd: 0 } };
}

/**
 * Keeps a running run's view of what others spend current, so that a project's caps and the budgets of its
 * project, workspace and user hold across runs spending at once (on this machine or on any worker of a
 * fleet): each call re-reads what the other runs have written today and this month, and updates `spend`
 * and the budgets with it. One read at a time: a call while one is in flight shares it. Null when there is
 * no cap and no budget to hold.
 */
export function followSpend(
  storage: Storage,
  task: Pick<TaskRecord, 'id' | 'projectId'>,
  runId: string,
  budget: { caps: SpendCaps; spend: Spend },
): (() => Promise<void>) | null {
  const projectCaps = budget.caps.projectPerDayUsd !== null || budget.caps.projectPerMonthUsd !== null;
  const budgets = (budget.caps.budgets ?? []).length > 0;
  if (!projectCaps && !budgets) return null;
  let reading: Promise<void> | null = null;
  const read = async () => {
    if (budgets) budget.caps.budgets = await budgetLimitsForTask(storage, task, runId);
    if (!projectCaps) return;
    const starts = periodStarts(new Date());
    const [day, month] = await Promise.all([
      storage.costs.projectTotal(task.projectId, starts.today, runId),
      storage.costs.projectTotal(task.projectId, starts.month, runId),
    ]);
    budget.spend.projectDayUsd = day;
    budget.spend.projectMonthUsd = month;
  };
  return () => (reading ??= read().finally(() => (reading = null)));
}
