import { describe, expect, it } from 'vitest';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { buildProject, buildTask, uid, useStorage } from '../storage/testing/suite.js';
import { buildRun } from '../storage/testing/factories.js';
import { localDay } from './runs/run-cost.js';
import { createBudgetsRepo } from '../storage/budgets-repo.js';
import { followSpend, spendBeforeRun } from './spend.js';

/** A run of `task` that spent `costUsd` today (as a live or final cost write stores it). */
async function spent(storage: Storage, task: TaskRecord, costUsd: number): Promise<string> {
  const startedAt = nowIso();
  const { id, ...run } = buildRun({ taskId: task.id, model: 'sonnet', startedAt });
  await storage.runs.insert({ id, ...run });
  const cost = {
    model: 'sonnet',
    costUsd,
    inputTokens: 1,
    outputTokens: 1,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  };
  await storage.runs.setModelCosts({ id, taskId: task.id, day: localDay(startedAt) }, [cost], false);
  return id;
}

describe('following a project’s spend while a run goes', () => {
  const db = useStorage('sqlite', 'spend');

  it('re-reads what the project’s other runs spent, leaving the run’s own spend out', async () => {
    const project = await buildProject(db.storage, { settings: { maxCostPerDayUsd: 1 } });
    const mine = await buildTask(db.storage, project);
    const other = await buildTask(db.storage, project);
    await spent(db.storage, other, 0.25);
    const budget = await spendBeforeRun(db.storage, mine);
    expect(budget.spend).toMatchObject({ projectDayUsd: 0.25, projectMonthUsd: 0.25 });
    const myRun = await spent(db.storage, mine, 0.5);
    const follow = followSpend(db.storage, mine, myRun, budget)!;

    // Another run (another worker) spends meanwhile: the next read sees it; this run's own 0.5 is not counted twice.
    await spent(db.storage, other, 0.125);
    await follow();
    expect(budget.spend).toMatchObject({ projectDayUsd: 0.375, projectMonthUsd: 0.375 });
  });

  it('re-reads what other runs spent against the budgets of the project and its workspace', async () => {
    const project = await buildProject(db.storage, { workspaceName: uid('ws') });
    const repo = createBudgetsRepo(db.storage.db);
    const at = nowIso();
    for (const [scope, scopeId] of [
      ['project', project.id],
      ['workspace', project.workspaceId],
    ] as const)
      await repo.upsert({
        id: uid('b'),
        scope,
        scopeId,
        period: 'day',
        limitUsd: 1,
        createdAt: at,
        updatedAt: at,
      });
    const mine = await buildTask(db.storage, project);
    const other = await buildTask(db.storage, project);
    await spent(db.storage, other, 0.25);
    const budget = await spendBeforeRun(db.storage, mine);
    expect(budget.caps.budgets?.map((b) => b.spentUsd)).toEqual([0.25, 0.25]);
    const myRun = await spent(db.storage, mine, 0.5);
    const follow = followSpend(db.storage, mine, myRun, budget)!;

    await spent(db.storage, other, 0.125);
    await follow();
    expect(budget.caps.budgets?.map((b) => [b.scope, b.spentUsd]).sort()).toEqual([
      ['project', 0.375],
      ['workspace', 0.375],
    ]);
  });

  it('follows nothing without a project cap or a budget', async () => {
    const project = await buildProject(db.storage, { workspaceName: uid('ws') });
    const task = await buildTask(db.storage, project);
    const budget = await spendBeforeRun(db.storage, task);
    expect(followSpend(db.storage, task, 'r', budget)).toBeNull();
  });
});
