/**
 * The planning driver, called directly: plan mode first, the presented plan held for a human, approval
 * switching to execution in the same session, feedback revising the plan.
 */
import { describe, expect, it } from 'vitest';
import {
  EXIT_PLAN_MODE_TOOL,
  PLAN_HELD_MESSAGE,
  PLANNING_INSTRUCTIONS,
  approvedPlanPrompt,
  revisePlanPrompt,
} from '../../domain/plan-mode.js';
import type { PlanningState } from '../../domain/task-mode.js';
import { buildTask } from '../../storage/testing/factories.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { buildOutcome, buildRunResult, failedOutcome } from '../testing/run-results.js';
import { createPlanningDriver } from './planning.js';

const PLAN = '## Plan\n\n1. Read the code.\n2. Refactor it.';
const task = (state: PlanningState | null, over: Partial<TaskRecord> = {}) =>
  buildTask({ projectId: 'p1', status: 'running', profile: 'planning', modeState: state, ...over });
const planning = (plan: string | null = null): PlanningState => ({
  mode: 'planning',
  phase: 'planning',
  plan,
});

describe('planning driver', () => {
  it('plans first: plan mode, the planning instructions, labelled Plan, in the task session', async () => {
    const next = await createPlanningDriver().nextRun(task(null, { sessionId: 's1' }), 0);
    expect(next).toMatchObject({
      kind: 'run',
      spec: {
        planMode: true,
        appendSystemPrompt: PLANNING_INSTRUCTIONS,
        kind: 'plan',
        label: 'Plan',
        resumeSessionId: 's1',
        modeState: planning(),
      },
    });
  });

  it('holds a presented plan: the ExitPlanMode call ends the run on purpose, and the plan waits for approval', async () => {
    const driver = createPlanningDriver();
    const t = task(planning());
    expect(driver.onToolRequest!(t, { name: 'Bash', input: { command: 'ls' } })).toBeUndefined();
    expect(driver.onToolRequest!(t, { name: EXIT_PLAN_MODE_TOOL, input: { plan: PLAN } })).toEqual({
      allow: false,
      hold: true,
      message: PLAN_HELD_MESSAGE,
    });
    // Held runs end as an interruption; that is not a failure here.
    const outcome = buildOutcome({
      ok: false,
      stoppedBy: 'held',
      error: { message: 'interrupted', retryable: false },
    });
    const d = await driver.afterRun(buildRunResult(t, { outcome }), 0);
    expect(d).toMatchObject({
      kind: 'settle',
      to: 'review',
      stopReason: 'input_required',
      notify: 'input_required',
      patch: {
        error: null,
        inputRequired: true,
        pendingInput: { kind: 'approval', live: false, toolName: EXIT_PLAN_MODE_TOOL, text: PLAN },
        modeState: planning(PLAN),
      },
    });
  });

  it('finds a plan in the run when none was held (the tool calls, else the final text)', async () => {
    const driver = createPlanningDriver();
    const fromCalls = await driver.afterRun(
      buildRunResult(task(planning()), { toolCalls: [{ name: EXIT_PLAN_MODE_TOOL, input: { plan: PLAN } }] }),
      0,
    );
    expect(fromCalls).toMatchObject({ patch: { modeState: planning(PLAN) } });
    const fromText = await driver.afterRun(
      buildRunResult(task(planning()), { outcome: buildOutcome({ finalText: PLAN }) }),
      0,
    );
    expect(fromText).toMatchObject({ stopReason: 'input_required', patch: { modeState: planning(PLAN) } });
  });

  it('a planning run that failed without a plan fails the task', async () => {
    const outcome = { ...failedOutcome('API Error: 400'), finalText: null };
    const d = await createPlanningDriver().afterRun(buildRunResult(task(planning()), { outcome }), 0);
    expect(d).toMatchObject({ kind: 'settle', to: 'failed', stopReason: 'error' });
  });

  it('approval executes in the same session; a refusal or feedback revises the plan', async () => {
    const driver = createPlanningDriver();
    const held = task(planning(PLAN));
    expect(driver.approveHeld!(task(planning()))).toBeNull();
    const approved = driver.approveHeld!(held);
    expect(approved).toEqual({
      prompt: approvedPlanPrompt(),
      modeState: { mode: 'planning', phase: 'executing', plan: PLAN },
    });
    expect(driver.denyHeld!(held, 'smaller steps')).toEqual({
      prompt: revisePlanPrompt('smaller steps'),
      modeState: planning(PLAN),
    });
    expect(driver.resume(held, 'use SQL')).toEqual({
      prompt: revisePlanPrompt('use SQL'),
      modeState: planning(PLAN),
    });
    const executing = task(approved!.modeState as PlanningState, {
      sessionId: 's1',
      nextPrompt: approved!.prompt,
    });
    expect(await driver.nextRun(executing, 0)).toMatchObject({
      kind: 'run',
      spec: { planMode: false, resumeSessionId: 's1', prompt: approvedPlanPrompt(), kind: 'resume' },
    });
    expect(
      driver.onToolRequest!(executing, { name: EXIT_PLAN_MODE_TOOL, input: { plan: PLAN } }),
    ).toBeUndefined();
    expect(driver.resume(executing, 'also docs')).toEqual({ prompt: 'also docs' });
    const done = await driver.afterRun(buildRunResult(executing), 0);
    expect(done).toMatchObject({ to: 'review', stopReason: 'completed' });
  });
});
