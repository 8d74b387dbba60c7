/**
 * The Ralph loop driver, called directly over a real event log: the next iteration or a limit, the
 * completion decision (status block, corroboration, a real verify command), the circuit breaker, the
 * iteration record, and a resume that restarts the limits.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoopState } from '../../domain/task-mode.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { openCoreTestbed, type CoreTestbed } from '../testing/core-testbed.js';
import { buildOutcome, buildRunResult, failedOutcome } from '../testing/run-results.js';
import { createLoopDriver, newLoopState } from './loop.js';
import type { ModeDriver } from './mode-driver.js';

let bed: CoreTestbed;
let driver: ModeDriver;
beforeEach(async () => {
  bed = await openCoreTestbed();
  driver = createLoopDriver({ events: bed.events, verifyTimeoutMs: 60_000 });
});
afterEach(() => bed.close());

const NOW = 1_700_000_000_000;

function statusBlock(exit: boolean, tests = 'NOT_RUN', recommendation = 'Continue with the next item.') {
  return [
    exit ? 'All done.' : 'Made progress.',
    '',
    '---GLUON_STATUS---',
    `STATUS: ${exit ? 'COMPLETE' : 'IN_PROGRESS'}`,
    'FILES_MODIFIED: 1',
    `TESTS_STATUS: ${tests}`,
    `EXIT_SIGNAL: ${exit}`,
    `RECOMMENDATION: ${recommendation}`,
    '---END_GLUON_STATUS---',
  ].join('\n');
}

async function loopTask(state: Partial<LoopState> = {}, over: Partial<TaskRecord> = {}) {
  const base = newLoopState({ pauseMs: 0, maxIterations: 5 }, null);
  return bed.task({
    status: 'running',
    prompt: 'make the tests pass',
    modeState: { ...base, ...state },
    ...over,
  });
}

/** Starts the next iteration as runs.ts would, and returns the task as it runs. */
async function iterate(task: TaskRecord, now: number): Promise<TaskRecord> {
  const next = await driver.nextRun(task, now);
  if (next.kind !== 'run') throw new Error(`expected a run, got ${JSON.stringify(next)}`);
  return { ...task, modeState: next.spec.modeState ?? null };
}

const loopEvents = (taskId: string) =>
  bed
    .peek<{ data: string }>(
      "select data from events where task_id = ? and type = 'loop.iteration' order by seq",
      taskId,
    )
    .map((r) => JSON.parse(r.data));

describe('loop driver: before an iteration', () => {
  it('starts the next iteration as a fresh session carrying the objective, counted against the hour', async () => {
    const next = await driver.nextRun(await loopTask(), NOW);
    expect(next).toMatchObject({
      kind: 'run',
      spec: { kind: 'iteration', label: 'Iteration 1', resumeSessionId: null, planMode: false },
    });
    const spec = next.kind === 'run' ? next.spec : null;
    expect(spec?.prompt).toContain('make the tests pass');
    expect(spec?.modeState).toMatchObject({ iteration: 1, callStarts: [NOW] });
  });

  it('stops at the iteration limit (verify_failed when the last check failed) and at the loop cost cap', async () => {
    const recap = {
      iteration: 5,
      summary: null,
      filesChanged: 0,
      commits: 0,
      error: null,
      testsStatus: null,
    };
    const atLimit = await loopTask({ iteration: 5, recaps: [{ ...recap, verify: null }] });
    expect(await driver.nextRun(atLimit, NOW)).toMatchObject({
      kind: 'settle',
      settle: { to: 'review', stopReason: 'max_iterations', notify: 'review' },
    });
    const failedCheck = await loopTask({ iteration: 5, recaps: [{ ...recap, verify: 'failed' }] });
    expect(await driver.nextRun(failedCheck, NOW)).toMatchObject({ settle: { stopReason: 'verify_failed' } });
    const limits = { ...newLoopState({ maxCostUsd: 1 }, null).limits, pauseMs: 0 };
    const spent = await loopTask({ limits, startedAtCostUsd: 0.5 }, { costUsd: 1.5 });
    expect(await driver.nextRun(spent, NOW)).toMatchObject({
      settle: { stopReason: 'cost_cap', notify: 'cost_cap' },
    });
  });

  it('waits out the pause after the last iteration', async () => {
    const limits = { ...newLoopState({}, null).limits, pauseMs: 5000 };
    const next = await driver.nextRun(await loopTask({ limits, lastEndedAt: NOW - 1000 }), NOW);
    expect(next).toMatchObject({ kind: 'wait', ms: 4000 });
  });
});

describe('loop driver: after an iteration', () => {
  it('a corroborated done claim settles in review, recorded as an iteration event', async () => {
    const task = await iterate(await loopTask(), NOW);
    const outcome = buildOutcome({ finalText: statusBlock(true, 'PASSING', 'Nothing left.'), costUsd: 0.25 });
    const progress = { commits: ['abc1234'], files: ['src/a.ts'] };
    const d = await driver.afterRun(buildRunResult(task, { outcome, progress, runId: 'r1' }), NOW + 1);
    expect(d).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'completed',
      patch: { iterations: 1 },
    });
    expect(loopEvents(task.id)).toEqual([
      expect.objectContaining({
        iteration: 1,
        filesChanged: ['src/a.ts'],
        commits: ['abc1234'],
        costUsd: 0.25,
        exitSignal: true,
        breaker: 'closed',
        verify: null,
        decision: expect.stringMatching(/^completed: /),
      }),
    ]);
  });

  it('with a verify command, a done claim stands only when the command exits 0; its failure is fed back', async () => {
    const outcome = buildOutcome({ finalText: statusBlock(true, 'PASSING') });
    const failing = await iterate(await loopTask({ verify: 'false' }), NOW);
    const d = await driver.afterRun(buildRunResult(failing, { outcome }), NOW);
    expect(d.kind).toBe('continue');
    const state = (d.kind === 'continue' ? d.patch?.modeState : null) as LoopState;
    expect(state.feedback).toContain('`false` exited 1');
    expect(state.recaps.at(-1)?.verify).toBe('failed');
    const passing = await iterate(await loopTask({ verify: 'true' }), NOW);
    expect(await driver.afterRun(buildRunResult(passing, { outcome }), NOW)).toMatchObject({
      stopReason: 'completed',
    });
    expect(loopEvents(passing.id)[0].verify).toMatchObject({ command: 'true', exitCode: 0 });
  });

  it('iterations without progress open the breaker and stop the loop; progress keeps it closed', async () => {
    const states: string[] = [];
    let task = await loopTask({ limits: { ...newLoopState({}, null).limits, pauseMs: 0 } });
    let last = null as Awaited<ReturnType<ModeDriver['afterRun']>> | null;
    for (let i = 0; i < 10 && last?.kind !== 'settle'; i += 1) {
      task = await iterate(task, NOW + i);
      const outcome = buildOutcome({ finalText: statusBlock(false) });
      last = await driver.afterRun(buildRunResult(task, { outcome }), NOW + i);
      const state = last.patch?.modeState as LoopState;
      states.push(state.breaker.state);
      task = { ...task, modeState: state };
    }
    expect(states).toEqual(['closed', 'half_open', 'half_open', 'half_open', 'open']);
    expect(last).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'circuit_open',
      notify: 'circuit_open',
    });

    let busy = await loopTask();
    for (let i = 0; i < 4; i += 1) {
      busy = await iterate(busy, NOW + i);
      const progress = { commits: [], files: [`f${i}.ts`] };
      const d = await driver.afterRun(
        buildRunResult(busy, { outcome: failedOutcome(`error ${i}`), progress }),
        NOW,
      );
      expect(d.kind).toBe('continue');
      busy = { ...busy, modeState: d.patch!.modeState! };
    }
    expect((busy.modeState as LoopState).breaker.state).toBe('closed');
  });

  it('a resume restarts the limits from here, closes the breaker and leads with the words', async () => {
    const open = { ...newLoopState({}, null).breaker, state: 'open' as const, reason: 'stuck' };
    const task = await loopTask({ iteration: 5, breaker: open }, { costUsd: 2 });
    const r = driver.resume(task, 'try the other library');
    expect(r.prompt).toBe('try the other library');
    expect(r.modeState).toMatchObject({
      startedAtIteration: 5,
      startedAtCostUsd: 2,
      breaker: { state: 'closed' },
      feedback: 'The user says: try the other library',
    });
    const next = await driver.nextRun({ ...task, modeState: r.modeState! }, NOW);
    expect(next).toMatchObject({ kind: 'run', spec: { label: 'Iteration 6' } });
  });
});
