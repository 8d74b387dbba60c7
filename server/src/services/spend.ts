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
