/**
 * A formula task: its steps run in order in the same worktree, each as its own run (a fresh session with
 * the step's profile), each prompt carrying the results of the steps before it. A gated step waits in
 * review for approval; a step's verify command must pass for it to count.
 */
import { buildStepPrompt } from '../../domain/formula-prompt.js';
import { stripStatusBlocks } from '../../domain/status-block.js';
import type { FormulaState } from '../../domain/task-mode.js';
import { newId, nowIso } from '../../ids.js';
import { runVerifyCommand, type VerifyOutcome } from '../../runner/verify-command.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import type { Decision, ModeDriver } from './mode-driver.js';
import { plainAfterRun, plainNextRun } from './plain.js';

const VERIFY_TIMEOUT_MS = 10 * 60_000;

const stateOf = (task: TaskRecord): FormulaState => {
  if (task.modeState?.mode !== 'formula') throw new Error(`task ${task.id} has no formula state`);
  return task.modeState;
};

const withStep = (
  state: FormulaState,
  index: number,
  patch: Partial<FormulaState['steps'][number]>,
): FormulaState => ({
  ...state,
  steps: state.steps.map((s, i) => (i === index ? { ...s, ...patch } : s)),
});

export function createFormulaDriver(
  modelFor: (profile: FormulaState['steps'][number]['profile'], task: TaskRecord) => string,
): ModeDriver {
  return {
    async nextRun(task) {
      const state = stateOf(task);
      // Every step done: feedback continues the last step's session like a plain task.
      if (state.current >= state.steps.length) return plainNextRun(task);
      const step = state.steps[state.current]!;
      const results = Object.fromEntries(
        state.steps.filter((s) => s.result !== null).map((s) => [s.id, s.result!]),
      );
      const built = buildStepPrompt({
        formula: state.formula,
        stepId: step.id,
        values: state.values,
        results,
      });
      if (!built.ok)
        return {
          kind: 'settle',
          settle: {
            to: 'failed',
            stopReason: 'error',
            reason: built.error,
            patch: { error: built.error },
            notify: 'failed',
          },
        };
      const feedback = state.feedback
        ? `\n\n## Feedback on your previous attempt at this step\n\n${state.feedback}\n`
        : '';
      return {
        kind: 'run',
        spec: {
          prompt: built.prompt + feedback,
          model: modelFor(step.profile, task),
          resumeSessionId: null,
          planMode: false,
          kind: 'step',
          label: `Step ${state.current + 1}/${state.steps.length} ${step.name}`,
          modeState: { ...withStep(state, state.current, { status: 'running' }), feedback: null },
        },
      };
    },

    /**
     * Rules: an error fails the step (and the task); a failing verify command fails the step with its
     * output in review (a resume retries the step with it); a gate holds the task in review until approved;
     * otherwise the next step runs, and after the last one the task is in review.
     */
    async afterRun(result) {
      const state = stateOf(result.task);
      if (state.current >= state.steps.length) return plainAfterRun(result);
      const step = state.steps[state.current]!;
      const summary = result.outcome.finalText ? stripStatusBlocks(result.outcome.finalText).trim() : '';
      if (result.outcome.error)
        return stepFailed(state, result.outcome.sessionId, result.outcome.error.message);
      if (step.verify) {
        const verify = await runVerifyCommand(step.verify, result.cwd, result.env, VERIFY_TIMEOUT_MS);
        if (verify.exitCode !== 0) return verifyFailed(state, step.verify, verify, summary);
      }
      const done = withStep(state, state.current, {
        status: step.gate ? 'gated' : 'done',
        result: summary,
        sessionId: result.outcome.sessionId,
      });
      return step.gate ? heldAtGate(done, step.gate, summary) : stepDone(done);
    },

    resume(task, text) {
      const state = stateOf(task);
      if (state.current >= state.steps.length) return { prompt: text };
      return {
        prompt: text,
        modeState: { ...withStep(state, state.current, { status: 'pending' }), feedback: text },
      };
    },

    approveHeld(task) {
      const state = stateOf(task);
      const step = state.steps[state.current];
      if (!step || step.status !== 'gated') return null;
      const next = {
        ...withStep(state, state.current, { status: 'done' as const }),
        current: state.current + 1,
        feedback: null,
      };
      return { prompt: task.prompt, modeState: next, run: next.current < next.steps.length };
    },

    denyHeld(task, reason) {
      const state = stateOf(task);
      const step = state.steps[state.current];
      if (!step || step.status !== 'gated') return null;
      const feedback = reason ?? 'The reviewer did not approve this step. Improve it.';
      return {
        prompt: task.prompt,
        modeState: { ...withStep(state, state.current, { status: 'pending' }), feedback },
      };
    },
  };
}

/** The step ended with an error: it fails, and the task with it. */
function stepFailed(state: FormulaState, sessionId: string | null, message: string): Decision {
  const step = state.steps[state.current]!;
  const reason = `step ${step.name} failed: ${message}`;
  return {
    kind: 'settle',
    to: 'failed',
    stopReason: 'error',
    reason,
    notify: 'failed',
    patch: { error: reason, modeState: withStep(state, state.current, { status: 'failed', sessionId }) },
  };
}

/** The step's check failed: the step fails into review with the check's output as the next attempt's feedback. */
function verifyFailed(
  state: FormulaState,
  command: string,
  verify: VerifyOutcome,
  summary: string,
): Decision {
  const step = state.steps[state.current]!;
  const reason = `step ${step.name}: \`${command}\` ${verify.timedOut ? 'timed out' : `exited ${verify.exitCode}`}`;
  const feedback = `The check \`${command}\` failed:\n\n${verify.output.slice(-4000)}`;
  return {
    kind: 'settle',
    to: 'review',
    stopReason: 'verify_failed',
    reason,
    notify: 'review',
    patch: {
      modeState: { ...withStep(state, state.current, { status: 'failed', result: summary }), feedback },
    },
  };
}

/** A gated step is done: the task waits in review until a human approves the step. */
function heldAtGate(done: FormulaState, gate: string, summary: string): Decision {
  const step = done.steps[done.current]!;
  return {
    kind: 'settle',
    to: 'review',
    stopReason: 'input_required',
    reason: `step ${step.name} waits for approval`,
    notify: 'input_required',
    patch: {
      inputRequired: true,
      pendingInput: {
        requestId: newId(),
        kind: 'approval',
        live: false,
        toolName: 'gate',
        text: `${gate}\n\n${summary}`.trim(),
        reason: `approve step ${done.current + 1} (${step.name}) to go on`,
        createdAt: nowIso(),
      },
      modeState: done,
    },
  };
}

/** A step is done: the next one runs; after the last one the task is in review. */
function stepDone(done: FormulaState): Decision {
  const next = { ...done, current: done.current + 1 };
  if (next.current < next.steps.length) return { kind: 'continue', patch: { modeState: next } };
  return {
    kind: 'settle',
    to: 'review',
    stopReason: 'completed',
    reason: `all ${next.steps.length} steps of ${done.name} are done`,
    notify: 'review',
    patch: { modeState: next },
  };
}
