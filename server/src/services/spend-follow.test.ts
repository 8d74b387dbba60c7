import { describe, expect, it } from 'vitest';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { buildProject, buildTask, uid, useStorage } from '../storage/testing/suite.js';
import { localDay } from './runs/run-cost.js';
import { followProjectSpend, spendBeforeRun } from './spend.js';

/** A run of `task` that spent `costUsd` today (as a live or final cost write stores it). */
async function spent(storage: Storage, task: TaskRecord, costUsd: number): Promise<string> {
  const id = uid('r');
  const startedAt = nowIso();
  await storage.runs.insert({
    id,
    taskId: task.id,
    kind: 'initial',
    model: 'sonnet',
    prompt: 'p',
    sessionId: null,
    status: 'running',
    stopReason: null,
    costUsd: 0,
    sdkTotalUsd: null,
    error: null,
    pid: null,
    label: null,
    startedAt,
    endedAt: null,
  });
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
    const follow = followProjectSpend(db.storage, mine, myRun, budget)!;

    // Another run (another worker) spends meanwhile: the next read sees it; this run's own 0.5 is not counted twice.
    await spent(db.storage, other, 0.125);
    await follow();
    expect(budget.spend).toMatchObject({ projectDayUsd: 0.375, projectMonthUsd: 0.375 });
  });

  it('follows nothing for a project without a daily or monthly cap', async () => {
    const project = await buildProject(db.storage);
    const task = await buildTask(db.storage, project);
    const budget = await spendBeforeRun(db.storage, task);
    expect(followProjectSpend(db.storage, task, 'r', budget)).toBeNull();
  });
});
