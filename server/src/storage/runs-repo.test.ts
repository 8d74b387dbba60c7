/**
 * The runs repository on a real SQLite file: runs round-trip, partial updates touch only what they name,
 * and a run's per-model costs are replaced as a whole.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelCost } from '../domain/pricing.js';
import {
  at,
  buildRun,
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from './testing/factories.js';

let db: TestStorage;
let taskId: string;
beforeEach(async () => {
  db = await openTestStorage();
  const project = await insertProject(db.storage);
  taskId = (await insertTask(db.storage, { projectId: project.id })).id;
});
afterEach(() => db.close());

const cost = (model: string, costUsd: number): ModelCost => ({
  model,
  costUsd,
  inputTokens: 100,
  outputTokens: 50,
  cacheWriteTokens: 10,
  cacheReadTokens: 1000,
});

async function costRows() {
  return db.storage.db.selectFrom('run_costs').selectAll().orderBy('model').execute();
}

describe('runs repository', () => {
  it('stores a run and lists a task’s runs by start time; active ones are those still running', async () => {
    const second = buildRun({ taskId, startedAt: at(20), label: 'Iteration 2', kind: 'iteration' });
    const first = buildRun({
      taskId,
      startedAt: at(10),
      status: 'ended',
      stopReason: 'completed',
      endedAt: at(15),
    });
    await db.storage.runs.insert(second);
    await db.storage.runs.insert(first);
    expect(await db.storage.runs.listByTask(taskId)).toEqual([first, second]);
    expect(await db.storage.runs.listActive()).toEqual([second]);
  });

  it('updates only the fields given', async () => {
    const run = buildRun({ taskId, sessionId: 's1', pid: 42 });
    await db.storage.runs.insert(run);
    await db.storage.runs.update(run.id, { costUsd: 0.5, sdkTotalUsd: 0.75, error: null });
    await db.storage.runs.update(run.id, {});
    expect((await db.storage.runs.listByTask(taskId))[0]).toEqual({
      ...run,
      costUsd: 0.5,
      sdkTotalUsd: 0.75,
    });
  });

  it("replaces a run's per-model costs as a whole, with the day and whether they are final", async () => {
    const run = buildRun({ taskId });
    await db.storage.runs.insert(run);
    const key = { id: run.id, taskId, day: '2024-05-01' };
    await db.storage.runs.setModelCosts(
      key,
      [cost('claude-sonnet-4-5', 0.1), cost('claude-haiku-4-5', 0.01)],
      false,
    );
    await db.storage.runs.setModelCosts(key, [cost('claude-sonnet-4-5', 0.2)], true);
    expect(await costRows()).toEqual([
      {
        run_id: run.id,
        task_id: taskId,
        model: 'claude-sonnet-4-5',
        cost_usd: 0.2,
        input_tokens: 100,
        output_tokens: 50,
        cache_write_tokens: 10,
        cache_read_tokens: 1000,
        final: 1,
        day: '2024-05-01',
      },
    ]);
    await db.storage.runs.setModelCosts(key, [], true);
    expect(await costRows()).toEqual([]);
  });
});
