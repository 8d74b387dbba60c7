/**
 * The formula driver, called directly: steps in order, each its own run with its profile's model and the
 * results of the steps before it; a gate holds the task for approval; a real verify command decides
 * whether a step counts; an error fails the task; after the last step the task is plain again.
 */
import { describe, expect, it } from 'vitest';
import { validateFormula } from '../../domain/formula.js';
import type { FormulaState } from '../../domain/task-mode.js';
import { buildTask } from '../../storage/testing/factories.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { buildOutcome, buildRunResult, failedOutcome } from '../testing/run-results.js';
import { createFormulaDriver } from './formula.js';
import type { Decision } from './mode-driver.js';

const validated = validateFormula(
  {
    steps: [
      {
        id: 'plan',
        name: 'Plan',
        profile: 'deep',
        prompt: 'Plan: {{prompt}}',
        gate: { message: 'Approve the plan' },
      },
      { id: 'build', name: 'Build', prompt: 'Build it as planned:\n\n{{steps.plan.result}}', verify: 'true' },
      { id: 'check', name: 'Check', prompt: 'Check the work on {{prompt}}' },
    ],
  },
  'trio',
);
if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
const formula = validated.formula;

function formulaState(over: Partial<FormulaState> = {}): FormulaState {
  return {
    mode: 'formula',
    formula,
    name: 'trio',
    values: { prompt: 'add a login page', project: 'web' },
    steps: formula.steps.map((s) => ({
      id: s.id,
      name: s.name,
      profile: s.profile,
      status: 'pending',
      result: null,
      gate: s.gate?.message ?? null,
      verify: s.verify,
      sessionId: null,
    })),
    current: 0,
    feedback: null,
    ...over,
  };
}

const driver = createFormulaDriver((profile) => `model-of-${profile}`);
const task = (state: FormulaState, over: Partial<TaskRecord> = {}) =>
  buildTask({ projectId: 'p1', status: 'running', prompt: 'add a login page', modeState: state, ...over });
const stateOf = (d: Decision) =>
  (d.kind === 'settle' ? d.patch?.modeState : d.patch?.modeState) as FormulaState;
/** The state after step `i` ran (done, with a result). */
const afterStep = (s: FormulaState, i: number, result: string): FormulaState => ({
  ...s,
  steps: s.steps.map((st, k) => (k === i ? { ...st, status: 'done', result } : st)),
  current: i + 1,
});

describe('formula driver', () => {
  it('runs the current step as a fresh session with its profile, labelled with its place', async () => {
    const next = await driver.nextRun(task(formulaState()), 0);
    expect(next).toMatchObject({
      kind: 'run',
      spec: {
        model: 'model-of-deep',
        kind: 'step',
        label: 'Step 1/3 Plan',
        resumeSessionId: null,
        planMode: false,
      },
    });
    const spec = next.kind === 'run' ? next.spec : null;
    expect(spec?.prompt).toContain('Plan: add a login page');
    expect((spec?.modeState as FormulaState).steps[0]!.status).toBe('running');
  });

  it("a gated step holds the task in review with the step's result for approval", async () => {
    const outcome = buildOutcome({ finalText: 'The plan: one form, one route.', sessionId: 's-plan' });
    const d = await driver.afterRun(buildRunResult(task(formulaState()), { outcome }), 0);
    expect(d).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'input_required',
      notify: 'input_required',
      patch: {
        inputRequired: true,
        pendingInput: {
          kind: 'approval',
          toolName: 'gate',
          text: 'Approve the plan\n\nThe plan: one form, one route.',
        },
      },
    });
    expect(stateOf(d).steps[0]).toMatchObject({
      status: 'gated',
      result: 'The plan: one form, one route.',
      sessionId: 's-plan',
    });
    const gated = task(stateOf(d));
    expect(driver.approveHeld!(gated)).toMatchObject({ run: true, modeState: { current: 1 } });
    const denied = driver.denyHeld!(gated, 'two routes');
    expect(denied?.modeState).toMatchObject({ current: 0, feedback: 'two routes' });
    expect(driver.approveHeld!(task(formulaState()))).toBeNull();
  });

  it("the next step's prompt carries the earlier results and any feedback", async () => {
    const state = { ...afterStep(formulaState(), 0, 'THE PLAN'), feedback: 'keep it small' };
    const next = await driver.nextRun(task(state), 0);
    const prompt = next.kind === 'run' ? next.spec.prompt : '';
    expect(prompt).toContain('Build it as planned:\n\nTHE PLAN');
    expect(prompt).toContain('keep it small');
    expect(next).toMatchObject({ spec: { label: 'Step 2/3 Build', model: 'model-of-standard' } });
  });

  it('a step counts only when its verify command exits 0; a failure waits in review with the output', async () => {
    const at1 = afterStep(formulaState(), 0, 'THE PLAN');
    const failing = { ...at1, steps: at1.steps.map((s, i) => (i === 1 ? { ...s, verify: 'false' } : s)) };
    const failed = await driver.afterRun(buildRunResult(task(failing)), 0);
    expect(failed).toMatchObject({ kind: 'settle', to: 'review', stopReason: 'verify_failed' });
    expect(stateOf(failed).feedback).toContain('The check `false` failed');
    expect(stateOf(failed).steps[1]!.status).toBe('failed');
    const passed = await driver.afterRun(buildRunResult(task(at1)), 0);
    expect(passed).toMatchObject({ kind: 'continue' });
    expect(stateOf(passed)).toMatchObject({
      current: 2,
      steps: [{}, { status: 'done' }, { status: 'pending' }],
    });
  });

  it('the last step settles in review; an error fails the step and the task', async () => {
    const atLast = afterStep(afterStep(formulaState(), 0, 'P'), 1, 'B');
    const d = await driver.afterRun(buildRunResult(task(atLast)), 0);
    expect(d).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'completed',
      reason: 'all 3 steps of trio are done',
    });
    const e = await driver.afterRun(
      buildRunResult(task(atLast), { outcome: failedOutcome('API Error: 529') }),
      0,
    );
    expect(e).toMatchObject({
      kind: 'settle',
      to: 'failed',
      stopReason: 'error',
      reason: 'step Check failed: API Error: 529',
    });
    expect(stateOf(e).steps[2]!.status).toBe('failed');
  });

  it('after the last step, feedback continues the last session like a plain task; before it, it retries the step', async () => {
    const finished = { ...afterStep(afterStep(afterStep(formulaState(), 0, 'P'), 1, 'B'), 2, 'C') };
    expect(driver.resume(task(finished), 'rename the route')).toEqual({ prompt: 'rename the route' });
    const next = await driver.nextRun(
      task(finished, { sessionId: 's-check', nextPrompt: 'rename the route' }),
      0,
    );
    expect(next).toMatchObject({
      kind: 'run',
      spec: { resumeSessionId: 's-check', prompt: 'rename the route' },
    });
    const midway = afterStep(formulaState(), 0, 'P');
    expect(driver.resume(task(midway), 'use OAuth').modeState).toMatchObject({
      current: 1,
      feedback: 'use OAuth',
    });
  });

  it('fails the task when its step prompt cannot be built (a stored step the formula does not have)', async () => {
    const base = formulaState();
    const broken = { ...base, steps: base.steps.map((st, i) => (i === 0 ? { ...st, id: 'ghost' } : st)) };
    expect(await driver.nextRun(task(broken), 0)).toMatchObject({
      kind: 'settle',
      settle: {
        to: 'failed',
        stopReason: 'error',
        notify: 'failed',
        reason: expect.stringContaining('ghost'),
      },
    });
  });
});
