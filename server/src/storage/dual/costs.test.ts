import { describe, expect, it } from 'vitest';
import type { ModelCost } from '../../domain/pricing.js';
import { buildProject, buildTask, DIALECTS, uid, useStorage } from '../testing/suite.js';

const cost = (model: string, costUsd: number): ModelCost => ({
  model,
  costUsd,
  inputTokens: 10,
  outputTokens: 5,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
});

describe.each(DIALECTS)('cost reports on %s', (dialect) => {
  const db = useStorage(dialect, 'costs');

  let seeded: ReturnType<typeof insertSeed> | undefined;
  /** The seed, inserted once for this file's database. */
  const seed = () => (seeded ??= insertSeed());

  /** Two projects, three tasks, four runs over two days and two models. */
  async function insertSeed() {
    const alpha = await buildProject(db.storage, { name: 'alpha' });
    const beta = await buildProject(db.storage, { name: 'beta' });
    const t1 = await buildTask(db.storage, alpha, { title: 'one' });
    const t2 = await buildTask(db.storage, alpha, { title: 'two' });
    const t3 = await buildTask(db.storage, beta, { title: 'three' });
    const runs: [string, string, ModelCost[]][] = [
      [t1.id, '2026-03-01', [cost('sonnet', 0.5), cost('haiku', 0.125)]],
      [t1.id, '2026-03-02', [cost('sonnet', 0.25)]],
      [t2.id, '2026-03-02', [cost('haiku', 0.0625)]],
      [t3.id, '2026-03-02', [cost('sonnet', 1)]],
    ];
    for (const [taskId, day, costs] of runs) {
      const id = uid('r');
      await db.storage.runs.insert({
        id,
        taskId,
        kind: 'initial',
        model: 'sonnet',
        prompt: 'p',
        sessionId: null,
        status: 'ended',
        stopReason: 'completed',
        costUsd: 0,
        sdkTotalUsd: null,
        error: null,
        pid: null,
        label: null,
        startedAt: `${day}T10:00:00.000Z`,
        endedAt: null,
      });
      await db.storage.runs.setModelCosts({ id, taskId, day }, costs, true);
    }
    return { alpha, beta, t1, t2, t3 };
  }

  it('sums totals since a day, and per project', async () => {
    const { alpha, beta } = await seed();
    expect(await db.storage.costs.total()).toBe(1.9375);
    expect(await db.storage.costs.total('2026-03-02')).toBe(1.3125);
    expect(await db.storage.costs.total('2026-04-01')).toBe(0);
    expect(await db.storage.costs.projectTotal(alpha.id, '2026-03-01')).toBe(0.9375);
    expect(await db.storage.costs.projectTotal(alpha.id, '2026-03-02')).toBe(0.3125);
    expect(await db.storage.costs.projectTotal(beta.id, '2026-03-03')).toBe(0);
  });

  it("leaves one run's own spend out of its project's total (a running run counts itself live)", async () => {
    const { alpha, t1 } = await seed();
    const [, second] = await db.storage.runs.listByTask(t1.id);
    expect(await db.storage.costs.projectTotal(alpha.id, '2026-03-01', second!.id)).toBe(0.6875);
    expect(await db.storage.costs.projectTotal(alpha.id, '2026-03-02', second!.id)).toBe(0.0625);
    expect(await db.storage.costs.projectTotal(alpha.id, '2026-03-01', 'no-such-run')).toBe(0.9375);
  });

  it('groups by every dimension with numbers, not strings, in a stable order', async () => {
    const { t1, t2, t3, alpha, beta } = await seed();
    const byTask = (await db.storage.costs.groupBy('task')).filter((g) =>
      [t1.id, t2.id, t3.id].includes(g.key),
    );
    expect(byTask).toEqual([
      { key: t3.id, label: 'three', costUsd: 1, runs: 1 },
      { key: t1.id, label: 'one', costUsd: 0.875, runs: 2 },
      { key: t2.id, label: 'two', costUsd: 0.0625, runs: 1 },
    ]);
    const byProject = (await db.storage.costs.groupBy('project')).filter((g) =>
      [alpha.id, beta.id].includes(g.key),
    );
    expect(byProject.map((g) => [g.label, g.costUsd, g.runs])).toEqual([
      ['beta', 1, 1],
      ['alpha', 0.9375, 3],
    ]);
    const seedDays = (g: { key: string }) => g.key.startsWith('2026-03-');
    const byDay = (await db.storage.costs.groupBy('day')).filter(seedDays);
    expect(byDay.map((g) => [g.key, g.label, g.costUsd, g.runs])).toEqual([
      ['2026-03-02', '2026-03-02', 1.3125, 3],
      ['2026-03-01', '2026-03-01', 0.625, 1],
    ]);
    const byModel = (await db.storage.costs.groupBy('model')).filter((g) => g.key !== 'tie');
    expect(byModel.map((g) => [g.key, g.costUsd, g.runs])).toEqual([
      ['sonnet', 1.75, 3],
      ['haiku', 0.1875, 2],
    ]);
    const byDayModel = (await db.storage.costs.groupBy('day_model')).filter(seedDays);
    expect(byDayModel).toEqual([
      {
        key: '2026-03-02 haiku',
        label: 'haiku',
        day: '2026-03-02',
        model: 'haiku',
        costUsd: 0.0625,
        runs: 1,
      },
      {
        key: '2026-03-02 sonnet',
        label: 'sonnet',
        day: '2026-03-02',
        model: 'sonnet',
        costUsd: 1.25,
        runs: 2,
      },
      { key: '2026-03-01 haiku', label: 'haiku', day: '2026-03-01', model: 'haiku', costUsd: 0.125, runs: 1 },
      {
        key: '2026-03-01 sonnet',
        label: 'sonnet',
        day: '2026-03-01',
        model: 'sonnet',
        costUsd: 0.5,
        runs: 1,
      },
    ]);
  });

  it('orders equal costs by key on both dialects', async () => {
    const p = await buildProject(db.storage, { name: 'ties' });
    const ids = ['tie-f', 'tie-c', 'tie-h', 'tie-a', 'tie-e', 'tie-b', 'tie-g', 'tie-d'];
    for (const id of ids) {
      const t = await buildTask(db.storage, p, { id });
      const runId = uid('r');
      await db.storage.runs.insert({
        id: runId,
        taskId: t.id,
        kind: 'initial',
        model: 'm',
        prompt: 'p',
        sessionId: null,
        status: 'ended',
        stopReason: null,
        costUsd: 0,
        sdkTotalUsd: null,
        error: null,
        pid: null,
        label: null,
        startedAt: '2026-05-01T00:00:00.000Z',
        endedAt: null,
      });
      await db.storage.runs.setModelCosts(
        { id: runId, taskId: t.id, day: '2026-05-01' },
        [cost('tie', 0.5)],
        true,
      );
    }
    const rows = (await db.storage.costs.groupBy('task')).filter((g) => g.key.startsWith('tie-'));
    expect(rows.map((g) => g.key)).toEqual([...ids].sort());
  });
});
