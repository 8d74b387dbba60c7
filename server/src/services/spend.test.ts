/**
 * What a task may still spend before a run starts, on a real SQLite file: its own cap, its project's
 * daily and monthly caps (only positive numbers are caps), and what was spent against each.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nowIso } from '../ids.js';
import { buildRun, insertProject } from '../storage/testing/factories.js';
import { localDay } from './runs/run-cost.js';
import { spendBeforeRun } from './spend.js';
import { openCoreTestbed, type CoreTestbed } from './testing/core-testbed.js';

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

async function spent(taskId: string, day: string, costUsd: number) {
  const run = buildRun({ taskId, status: 'ended' });
  await bed.storage.runs.insert(run);
  const row = {
    model: 'm',
    costUsd,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  };
  await bed.storage.runs.setModelCosts({ id: run.id, taskId, day }, [row], true);
}

describe('spend before a run', () => {
  it('takes the task’s cap and spend, and the project’s spend today and this month', async () => {
    const capped = await insertProject(bed.storage, {
      name: 'capped',
      settings: { maxCostPerDayUsd: 5, maxCostPerMonthUsd: 50 },
    });
    const task = await bed.task({ projectId: capped.id, costUsd: 0.7, maxCostUsd: 2 });
    const sibling = await bed.task({ projectId: capped.id });
    const elsewhere = await bed.task();
    const today = localDay(nowIso());
    await spent(task.id, today, 0.7);
    await spent(sibling.id, today, 1.3);
    await spent(sibling.id, '2020-01-15', 9);
    await spent(elsewhere.id, today, 100);
    const { caps, spend } = await spendBeforeRun(bed.storage, task);
    expect(caps).toMatchObject({ taskUsd: 2, projectPerDayUsd: 5, projectPerMonthUsd: 50 });
    expect(spend).toEqual({ taskUsd: 0.7, projectDayUsd: 2, projectMonthUsd: 2, runUsd: 0 });
  });

  it('zero, negative or missing project caps are no caps, and nothing is summed for them', async () => {
    const loose = await insertProject(bed.storage, {
      name: 'loose',
      settings: { maxCostPerDayUsd: 0, maxCostPerMonthUsd: -1 },
    });
    const task = await bed.task({ projectId: loose.id });
    await spent(task.id, localDay(nowIso()), 3);
    const { caps, spend } = await spendBeforeRun(bed.storage, task);
    expect(caps).toMatchObject({ taskUsd: null, projectPerDayUsd: null, projectPerMonthUsd: null });
    expect(spend).toMatchObject({ projectDayUsd: 0, projectMonthUsd: 0 });
  });
});
