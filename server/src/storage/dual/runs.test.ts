import { describe, expect, it } from 'vitest';
import type { ModelCost } from '../../domain/pricing.js';
import type { RunRecord } from '../runs-repo.js';
import { buildProject, buildTask, DIALECTS, uid, useStorage } from '../testing/suite.js';

function runRecord(taskId: string, patch: Partial<RunRecord> = {}): RunRecord {
  return {
    id: uid('r'),
    taskId,
    kind: 'initial',
    model: 'claude-sonnet-4-5',
    prompt: 'do it',
    sessionId: null,
    status: 'running',
    stopReason: null,
    costUsd: 0,
    sdkTotalUsd: null,
    error: null,
    pid: null,
    label: null,
    startedAt: '2026-01-02T00:00:00.000Z',
    endedAt: null,
    ...patch,
  };
}

const cost = (model: string, costUsd: number, tokens = 100): ModelCost => ({
  model,
  costUsd,
  inputTokens: tokens,
  outputTokens: tokens / 2,
  cacheWriteTokens: 3_000_000_000,
  cacheReadTokens: 0,
});

describe.each(DIALECTS)('runs repository on %s', (dialect) => {
  const db = useStorage(dialect, 'runs');
  const newTask = async () => buildTask(db.storage, await buildProject(db.storage));
  const rowsOf = (runId: string) =>
    db.storage.db.selectFrom('run_costs').selectAll().where('run_id', '=', runId).orderBy('model').execute();

  it('inserts, updates and lists runs of a task in start order; lists the active ones', async () => {
    const task = await newTask();
    const second = runRecord(task.id, {
      startedAt: '2026-01-02T00:00:02.000Z',
      label: 'Iteration 2',
      pid: 4242,
    });
    const first = runRecord(task.id, { startedAt: '2026-01-02T00:00:01.000Z' });
    await db.storage.runs.insert(second);
    await db.storage.runs.insert(first);
    expect(await db.storage.runs.listByTask(task.id)).toEqual([first, second]);
    await db.storage.runs.update(first.id, {
      status: 'ended',
      stopReason: 'completed',
      costUsd: 0.00105,
      sdkTotalUsd: 0.0011,
      sessionId: 'sess',
      endedAt: '2026-01-02T00:00:03.000Z',
      pid: null,
    });
    const [ended] = await db.storage.runs.listByTask(task.id);
    expect(ended).toEqual({
      ...first,
      status: 'ended',
      stopReason: 'completed',
      costUsd: 0.00105,
      sdkTotalUsd: 0.0011,
      sessionId: 'sess',
      endedAt: '2026-01-02T00:00:03.000Z',
    });
    const active = (await db.storage.runs.listActive()).map((r) => r.id);
    expect(active).toContain(second.id);
    expect(active).not.toContain(first.id);
    await db.storage.runs.update(second.id, {});
    expect((await db.storage.runs.listByTask(task.id))[1]).toEqual(second);
  });

  it('upserts per-model costs, writing only the rows that changed', async () => {
    const task = await newTask();
    const run = runRecord(task.id);
    await db.storage.runs.insert(run);
    const key = { id: run.id, taskId: task.id, day: '2026-01-02' };
    const set = (costs: ModelCost[], final = false) => db.storage.runs.setModelCosts(key, costs, final);

    expect(await set([cost('sonnet', 0.1), cost('haiku', 0.01)])).toBe(2);
    // The same figures again: nothing to write.
    expect(await set([cost('sonnet', 0.1), cost('haiku', 0.01)])).toBe(0);
    // One model moved on: one row written, the other left alone.
    expect(await set([cost('sonnet', 0.25, 300), cost('haiku', 0.01)])).toBe(1);
    expect(await rowsOf(run.id)).toEqual([
      expect.objectContaining({ model: 'haiku', cost_usd: 0.01, input_tokens: 100, final: 0 }),
      expect.objectContaining({
        model: 'sonnet',
        cost_usd: 0.25,
        input_tokens: 300,
        output_tokens: 150,
        cache_write_tokens: 3_000_000_000,
        task_id: task.id,
        day: '2026-01-02',
        final: 0,
      }),
    ]);
    // The final figures name the models differently: the old estimate rows go, the new ones come.
    expect(await set([cost('sonnet-20250929', 0.26)], true)).toBe(3);
    expect(await rowsOf(run.id)).toEqual([
      expect.objectContaining({ model: 'sonnet-20250929', cost_usd: 0.26, final: 1 }),
    ]);
    // Marking the same figures final is a change.
    expect(await set([cost('sonnet-20250929', 0.26)], false)).toBe(1);
    expect(await set([])).toBe(1);
    expect(await rowsOf(run.id)).toEqual([]);
  });

  it('keeps cost rows of other runs untouched', async () => {
    const task = await newTask();
    const a = runRecord(task.id);
    const b = runRecord(task.id);
    await db.storage.runs.insert(a);
    await db.storage.runs.insert(b);
    await db.storage.runs.setModelCosts(
      { id: a.id, taskId: task.id, day: '2026-01-02' },
      [cost('m', 1)],
      false,
    );
    await db.storage.runs.setModelCosts(
      { id: b.id, taskId: task.id, day: '2026-01-02' },
      [cost('n', 2)],
      false,
    );
    await db.storage.runs.setModelCosts({ id: b.id, taskId: task.id, day: '2026-01-02' }, [], true);
    expect((await rowsOf(a.id)).map((r) => r.model)).toEqual(['m']);
    expect(await rowsOf(b.id)).toEqual([]);
  });
});
