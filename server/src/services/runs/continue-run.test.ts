/**
 * A run whose mode goes on: a Ralph loop runs iteration after iteration without leaving `running`, each a
 * fresh session, until the agent's status block says it is done, or its iteration limit stops it. On a
 * real SQLite file and a real git repository with the fake agent.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { text, usage, write } from '../../runner/testing/fake-agent.js';
import { cleanupRunsBeds, openRunsBed, type RunsBed } from '../testing/runs-bed.js';

let bed: RunsBed;
beforeEach(async () => (bed = await openRunsBed({ config: { loop: { pauseMs: 0 } } })));
afterEach(() => bed.close());
afterAll(cleanupRunsBeds);

const status = (done: boolean) =>
  [
    done ? 'All done.' : 'Made progress.',
    '---GLUON_STATUS---',
    `STATUS: ${done ? 'COMPLETE' : 'IN_PROGRESS'}`,
    'TASKS_COMPLETED_THIS_LOOP: 1',
    'FILES_MODIFIED: 1',
    'TESTS_STATUS: PASSING',
    'WORK_TYPE: IMPLEMENTATION',
    `EXIT_SIGNAL: ${done}`,
    `RECOMMENDATION: ${done ? 'nothing left' : 'write the next step'}`,
    '---END_GLUON_STATUS---',
  ].join('\n');
const iteration = (n: number, done = false) => [
  write(`step-${n}.md`, `${n}\n`),
  usage({ input: 10_000 }),
  text(status(done)),
];

describe('a Ralph loop', () => {
  it('runs fresh iterations while running, until the agent says it is done', async () => {
    bed.agent.enqueue(iteration(1), iteration(2), iteration(3, true));
    const created = await bed.create('build it step by step', { ralph: true, maxIterations: 10 });
    await bed.watch.ended(created.id, 3);
    const task = (await bed.storage.tasks.findById(created.id))!;
    expect(task).toMatchObject({ status: 'review', stopReason: 'completed', iterations: 3 });
    expect(bed.watch.transitions(task.id)).toEqual(['new→queued', 'queued→running', 'running→review']);
    const runs = await bed.storage.runs.listByTask(task.id);
    expect(runs.map((r) => [r.kind, r.label, r.stopReason])).toEqual([
      ['iteration', 'Iteration 1', 'completed'],
      ['iteration', 'Iteration 2', 'completed'],
      ['iteration', 'Iteration 3', 'completed'],
    ]);
    expect(bed.agent.runs.map((r) => r.req.resumeSessionId)).toEqual([null, null, null]);
    expect(new Set(runs.map((r) => r.sessionId)).size).toBe(3);
    expect(task.costUsd).toBeCloseTo(
      runs.reduce((sum, r) => sum + r.costUsd, 0),
      12,
    );
  });

  it('stops at its iteration limit in review', async () => {
    bed.agent.enqueue(iteration(1), iteration(2), iteration(3));
    const created = await bed.create('build it step by step', { ralph: true, maxIterations: 2 });
    // The second run's end starts no third: its limit settles the task first.
    await bed.watch.ended(created.id, 2);
    const task = (await bed.storage.tasks.findById(created.id))!;
    expect(task).toMatchObject({ status: 'review', stopReason: 'max_iterations', iterations: 2 });
    expect(bed.agent.runs).toHaveLength(2);
  });
});
