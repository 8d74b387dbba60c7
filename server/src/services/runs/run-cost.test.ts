/**
 * A task's cost across runs, on a real SQLite file with the fake agent pricing its usage with the real
 * table: a first run and two resumes of the same session add up on the task, on each run and in the
 * per-model rows the reports sum; a resume counts its own share of the session's cumulative total only;
 * live estimates are replaced, never added, by the final figure.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGate, text, usage, waitFor } from '../../runner/testing/fake-agent.js';
import { createCosts } from '../costs.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';
import { openRunCost } from './run-cost.js';

const SONNET = 'claude-sonnet-4-5';
const HAIKU = 'claude-haiku-4-5';

let bed: RunsBed;
beforeEach(async () => (bed = await openRunsBed({ worktrees: false })));
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const modelRows = (taskId: string) =>
  bed.storage.db
    .selectFrom('run_costs')
    .select(['run_id', 'model', 'cost_usd', 'final'])
    .where('task_id', '=', taskId)
    .execute();
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('cost across a first run and two resumes', () => {
  it('adds up on the task, the runs and the per-model rows, each run counted once', async () => {
    bed.agent.enqueue(
      // $0.30 of Sonnet input + $0.05 of Haiku input.
      [usage({ input: 100_000 }, SONNET), usage({ input: 50_000 }, HAIKU), text('First part done.')],
      // Estimated $0.15 of Sonnet output; the agent reports $0.20 at the end, which wins.
      { steps: [usage({ output: 10_000 }, SONNET), text('Second part done.')], reportedCostUsd: 0.2 },
      // $0.20 of Haiku input + $0.03 of Sonnet input.
      [usage({ input: 200_000 }, HAIKU), usage({ input: 10_000 }, SONNET), text('All done.')],
    );
    const task = await bed.create('build it');
    await bed.watch.ended(task.id, 1);
    await bed.tasks.resume(task.id, 'now the second part');
    await bed.watch.ended(task.id, 2);
    await bed.tasks.resume(task.id, 'and the rest');
    await bed.watch.ended(task.id, 3);

    const runs = await bed.storage.runs.listByTask(task.id);
    expect(runs.map((r) => r.kind)).toEqual(['initial', 'resume', 'resume']);
    [0.35, 0.2, 0.23].forEach((usd, i) => expect(runs[i]!.costUsd).toBeCloseTo(usd, 10));
    // The session's cumulative total as the agent reported it; each resume was told the total before it.
    [0.35, 0.55, 0.78].forEach((usd, i) => expect(runs[i]!.sdkTotalUsd).toBeCloseTo(usd, 10));
    expect(bed.agent.runs.map((r) => r.req.priorSessionTotalUsd)).toEqual([
      0,
      runs[0]!.sdkTotalUsd,
      runs[1]!.sdkTotalUsd,
    ]);

    const final = (await bed.storage.tasks.findById(task.id))!;
    expect(final.costUsd).toBeCloseTo(0.78, 10);
    const rows = await modelRows(task.id);
    expect(rows.every((r) => Number(r.final) === 1)).toBe(true);
    for (const run of runs)
      expect(sum(rows.filter((r) => r.run_id === run.id).map((r) => r.cost_usd))).toBeCloseTo(
        run.costUsd,
        10,
      );
    const byModel = (m: string) => sum(rows.filter((r) => r.model === m).map((r) => r.cost_usd));
    expect(byModel(SONNET)).toBeCloseTo(0.3 + 0.2 + 0.03, 10);
    expect(byModel(HAIKU)).toBeCloseTo(0.05 + 0.2, 10);

    const report = await createCosts(bed.storage, () => []).report('model');
    expect(report.total).toBeCloseTo(0.78, 10);
    expect(report.today).toBeCloseTo(0.78, 10);
    expect(report.rows!.map((r) => [r.key, r.runs])).toEqual([
      [SONNET, 3],
      [HAIKU, 2],
    ]);
    const ticks = bed.watch
      .of(task.id, 'cost.updated')
      .map((e) => (e.type === 'cost.updated' ? e.data : null)!);
    expect(ticks.filter((t) => t.final).map((t) => t.taskCostUsd)).toEqual([
      runs[0]!.costUsd,
      runs[0]!.costUsd + runs[1]!.costUsd,
      final.costUsd,
    ]);
  });
});

/** A finished task's run with its cost opened again, for live ticks given by hand. */
async function reopenedCost() {
  const task = await bed.create('no agent needed');
  await bed.watch.ended(task.id);
  const run = (await bed.storage.runs.listByTask(task.id))[0]!;
  const before = (await bed.storage.tasks.findById(task.id))!.costUsd;
  const cost = openRunCost({ storage: bed.storage, events: bed.events, log: () => {} }, run, before);
  return { task, run, before, cost };
}

describe('a run’s live cost', () => {
  it('shows on the task while the agent works and is replaced by the final figure', async () => {
    const gate = createGate();
    bed.agent.enqueue([usage({ input: 100_000 }, SONNET), text('Done.')], {
      steps: [usage({ input: 50_000 }, SONNET), waitFor(gate.wait), text('Done.')],
      reportedCostUsd: 0.1,
    });
    const task = await bed.create('build it');
    await bed.watch.ended(task.id);
    const [first] = await bed.storage.runs.listByTask(task.id);
    await bed.tasks.resume(task.id, 'more');
    await bed.watch.event(task.id, (e) => e.type === 'cost.updated' && e.runId !== first!.id);
    const live = (await bed.storage.tasks.findById(task.id))!;
    expect(live.costUsd).toBeCloseTo(0.3 + 0.15, 10);
    const liveRows = await modelRows(task.id);
    expect(liveRows.map((r) => Number(r.final)).sort()).toEqual([0, 1]);
    gate.open();
    await bed.watch.ended(task.id, 2);
    const done = (await bed.storage.tasks.findById(task.id))!;
    expect(done.costUsd).toBeCloseTo(0.3 + 0.1, 10);
    const rows = await modelRows(task.id);
    expect(rows).toHaveLength(2);
    expect(sum(rows.map((r) => r.cost_usd))).toBeCloseTo(done.costUsd, 10);
  });

  it('writes in order: a late live tick never lands after the final figure', async () => {
    const { task, before, cost } = await reopenedCost();
    cost.live({ runCostUsd: 0.1, byModel: [] });
    cost.live({ runCostUsd: 0.4, byModel: [] });
    await cost.finish({ costUsd: 0.25, byModel: [] });
    expect(cost.taskUsd).toBeCloseTo(before + 0.25, 10);
    expect((await bed.storage.tasks.findById(task.id))!.costUsd).toBeCloseTo(before + 0.25, 10);
    expect((await bed.storage.runs.listByTask(task.id))[0]!.costUsd).toBeCloseTo(0.25, 10);
  });

  it('writes a burst of live ticks as its first and its latest figure, and nothing in between', async () => {
    const { task, run, before, cost } = await reopenedCost();
    for (const usd of [0.1, 0.2, 0.3, 0.4, 0.5]) cost.live({ runCostUsd: usd, byModel: [] });
    expect(cost.runUsd).toBe(0.5); // the caps see every tick at once
    const latest = (e: { type: string; runId: string | null; data: unknown }) =>
      e.type === 'cost.updated' &&
      e.runId === run.id &&
      (e.data as { runCostUsd: number }).runCostUsd === 0.5;
    await bed.watch.event(task.id, latest);
    expect((await bed.storage.tasks.findById(task.id))!.costUsd).toBeCloseTo(before + 0.5, 10);
    const live = bed.watch
      .of(task.id, 'cost.updated')
      .flatMap((e) => (e.type === 'cost.updated' && e.runId === run.id && !e.data.final ? [e.data] : []))
      .map((d) => d.runCostUsd);
    expect(live).toEqual([0.1, 0.5]);
    await cost.finish({ costUsd: 0.5, byModel: [] });
  });

  it('a failed live write does not keep the final figure from being written', async () => {
    const task = await bed.create('no agent needed');
    await bed.watch.ended(task.id);
    const run = (await bed.storage.runs.listByTask(task.id))[0]!;
    const logged: string[] = [];
    const setModelCosts = bed.storage.runs.setModelCosts.bind(bed.storage.runs);
    let calls = 0;
    bed.storage.runs.setModelCosts = (async (...a: Parameters<typeof setModelCosts>) => {
      if (++calls === 1) throw new Error('database is locked');
      return setModelCosts(...a);
    }) as typeof setModelCosts;
    const cost = openRunCost(
      { storage: bed.storage, events: bed.events, log: (m) => logged.push(m) },
      run,
      1,
    );
    cost.live({ runCostUsd: 0.1, byModel: [] });
    await cost.finish({ costUsd: 0.2, byModel: [] });
    expect(logged).toEqual(['cost write failed']);
    expect((await bed.storage.tasks.findById(task.id))!.costUsd).toBeCloseTo(1.2, 10);
  });
});
