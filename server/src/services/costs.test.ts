/**
 * Cost reports on a real SQLite file: today, this week (from Monday), this month and all time, and the
 * breakdowns, summed from per-run, per-model rows written as the run lifecycle writes them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRun, insertProject } from '../storage/testing/factories.js';
import { createCosts, periodStarts } from './costs.js';
import { openCoreTestbed, type CoreTestbed } from './testing/core-testbed.js';

let bed: CoreTestbed;
beforeEach(async () => (bed = await openCoreTestbed()));
afterEach(() => bed.close());

const model = (m: string, costUsd: number) => ({
  model: m,
  costUsd,
  inputTokens: 1,
  outputTokens: 1,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
});

/** A run of `taskId` on `day` costing `costs` (model → dollars). */
async function spent(taskId: string, day: string, costs: Record<string, number>) {
  const run = buildRun({ taskId, status: 'ended' });
  await bed.storage.runs.insert(run);
  const rows = Object.entries(costs).map(([m, usd]) => model(m, usd));
  await bed.storage.runs.setModelCosts({ id: run.id, taskId, day }, rows, true);
}

describe('the periods of a report', () => {
  it('start today, on this week’s Monday and on the first of the month (local time)', () => {
    expect(periodStarts(new Date(2026, 11, 2, 12))).toEqual({
      today: '2026-12-02',
      week: '2026-11-30',
      month: '2026-12-01',
    });
    expect(periodStarts(new Date(2026, 11, 6, 23, 59)).week).toBe('2026-11-30');
    expect(periodStarts(new Date(2026, 10, 30, 0, 1)).week).toBe('2026-11-30');
    expect(periodStarts(new Date(2027, 0, 1, 9)).week).toBe('2026-12-28');
  });
});

describe('a cost report', () => {
  it('sums each period and breaks the total down by task, model and project', async () => {
    const other = await insertProject(bed.storage, { name: 'other' });
    const a = await bed.task({ title: 'A' });
    const b = await bed.task({ title: 'B', projectId: other.id });
    await spent(a.id, '2026-12-02', { sonnet: 1 });
    await spent(a.id, '2026-12-01', { haiku: 0.5 });
    await spent(b.id, '2026-11-30', { sonnet: 0.25 });
    await spent(b.id, '2026-11-29', { sonnet: 4, haiku: 2 });
    const costs = createCosts(bed.storage, () => ['mystery-1']);
    const now = new Date(2026, 11, 2, 12);

    const report = await costs.report('task', null, now);
    expect(report).toMatchObject({
      today: 1,
      week: 1.75,
      month: 1.5,
      total: 7.75,
      unpricedModels: ['mystery-1'],
    });
    expect(report.rows!.map((r) => [r.label, r.costUsd, r.runs])).toEqual([
      ['B', 6.25, 2],
      ['A', 1.5, 2],
    ]);
    const byModel = await costs.report('model', null, now);
    expect(byModel.rows!.map((r) => [r.key, r.costUsd, r.runs])).toEqual([
      ['sonnet', 5.25, 3],
      ['haiku', 2.5, 2],
    ]);
    const byProject = await costs.report('project', null, now);
    expect(byProject.rows!.map((r) => [r.label, r.costUsd])).toEqual([
      ['other', 6.25],
      [bed.project.name, 1.5],
    ]);
    expect((await costs.report(undefined, null, now)).rows).toBeUndefined();
  });

  it('a run’s rows rewritten (live, then final) are counted once', async () => {
    const task = await bed.task();
    const run = buildRun({ taskId: task.id });
    await bed.storage.runs.insert(run);
    const at = { id: run.id, taskId: task.id, day: '2026-12-02' };
    await bed.storage.runs.setModelCosts(at, [model('sonnet', 0.1)], false);
    await bed.storage.runs.setModelCosts(at, [model('sonnet', 0.3), model('haiku', 0.1)], false);
    await bed.storage.runs.setModelCosts(at, [model('claude-sonnet-4-5', 0.35)], true);
    const report = await createCosts(bed.storage, () => []).report('model', null, new Date(2026, 11, 2));
    expect(report.total).toBeCloseTo(0.35, 10);
    expect(report.rows!.map((r) => r.key)).toEqual(['claude-sonnet-4-5']);
  });
});
