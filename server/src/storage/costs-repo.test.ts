/**
 * Cost reports on a real SQLite file: sums since a day, by every dimension, and per project; a run counts
 * once per group however many models it used.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from './index.js';
import {
  buildRun,
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from './testing/factories.js';

let db: TestStorage;
let ids: { web: string; api: string; login: string; docs: string; rest: string };

/** One run of `taskId` on `day` with these per-model costs. */
async function spend(storage: Storage, taskId: string, day: string, costs: Record<string, number>) {
  const run = buildRun({ taskId });
  await storage.runs.insert(run);
  const rows = Object.entries(costs).map(([model, costUsd]) => ({
    model,
    costUsd,
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
  }));
  await storage.runs.setModelCosts({ id: run.id, taskId, day }, rows, true);
}

beforeEach(async () => {
  db = await openTestStorage();
  const s = db.storage;
  const web = await insertProject(s, { name: 'web' });
  const api = await insertProject(s, { name: 'api' });
  const login = await insertTask(s, { projectId: web.id, title: 'Login' });
  const docs = await insertTask(s, { projectId: web.id, title: 'Docs' });
  const rest = await insertTask(s, { projectId: api.id, title: 'REST' });
  ids = { web: web.id, api: api.id, login: login.id, docs: docs.id, rest: rest.id };
  await spend(s, login.id, '2024-05-01', { sonnet: 1, haiku: 0.25 });
  await spend(s, login.id, '2024-05-02', { sonnet: 2 });
  await spend(s, docs.id, '2024-05-02', { haiku: 0.5 });
  await spend(s, rest.id, '2024-05-03', { opus: 4 });
});
afterEach(() => db.close());

describe('costs repository', () => {
  it('sums everything, or since a day', async () => {
    expect(await db.storage.costs.total()).toBe(7.75);
    expect(await db.storage.costs.total('2024-05-02')).toBe(6.5);
    expect(await db.storage.costs.total('2024-06-01')).toBe(0);
  });

  it('groups by day (newest first), project, task and model (largest first), counting runs once', async () => {
    const by = async (d: Parameters<Storage['costs']['groupBy']>[0]) =>
      (await db.storage.costs.groupBy(d)).map((g) => [g.label, g.costUsd, g.runs]);
    expect(await by('day')).toEqual([
      ['2024-05-03', 4, 1],
      ['2024-05-02', 2.5, 2],
      ['2024-05-01', 1.25, 1],
    ]);
    expect(await by('project')).toEqual([
      ['api', 4, 1],
      ['web', 3.75, 3],
    ]);
    expect(await by('task')).toEqual([
      ['REST', 4, 1],
      ['Login', 3.25, 2],
      ['Docs', 0.5, 1],
    ]);
    expect(await by('model')).toEqual([
      ['opus', 4, 1],
      ['sonnet', 3, 2],
      ['haiku', 0.75, 2],
    ]);
    const dayModel = await db.storage.costs.groupBy('day_model');
    expect(dayModel.find((g) => g.key === '2024-05-02 haiku')).toMatchObject({
      day: '2024-05-02',
      model: 'haiku',
      costUsd: 0.5,
      runs: 1,
    });
    expect(dayModel).toHaveLength(5);
  });

  it("sums one project's spend since a day, for its caps", async () => {
    expect(await db.storage.costs.projectTotal(ids.web, '2024-05-01')).toBe(3.75);
    expect(await db.storage.costs.projectTotal(ids.web, '2024-05-02')).toBe(2.5);
    expect(await db.storage.costs.projectTotal(ids.api, '2024-05-04')).toBe(0);
  });
});
