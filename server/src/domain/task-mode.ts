/**
 * How a task runs: plain (one agent session, resumed on feedback), a Ralph loop (fresh sessions until done,
 * inside limits), a formula (steps in order, each its own run), or planning (plan first, execute once the
 * plan is approved). The state each mode keeps between runs is stored on the task.
 */
import type { Profile } from '../../../shared/api.js';
import type { Breaker } from './circuit-breaker.js';
import type { Formula } from './formula.js';
import type { LoopLimits } from './loop-limits.js';
import type { IterationRecap } from './loop-prompt.js';

export interface LoopState {
  mode: 'loop';
  /** Iterations started so far. */
  iteration: number;
  /** The iteration count when the loop was (re)started: limits count from here. */
  startedAtIteration: number;
  /** Cost of the task when the loop was (re)started: the loop cap counts from here. */
  startedAtCostUsd: number;
  limits: LoopLimits;
  verify: string | null;
  breaker: Breaker;
  callStarts: number[];
  lastEndedAt: number | null;
  recaps: IterationRecap[];
  /** What the next iteration's prompt must tell the agent (verify output, a missing status block, feedback). */
  feedback: string | null;
}

export interface FormulaStepState {
  id: string;
  name: string;
  profile: Profile;
  status: 'pending' | 'running' | 'gated' | 'done' | 'failed';
  /** The agent's final summary of the step: what later steps see. */
  result: string | null;
  gate: string | null;
  verify: string | null;
  sessionId: string | null;
}

export interface FormulaState {
  mode: 'formula';
  /** The formula as validated when the task was created: later edits of its file do not change a task. */
  formula: Formula;
  name: string;
  values: Record<string, string>;
  steps: FormulaStepState[];
  /** Index of the step that runs next (or runs now). */
  current: number;
  /** Feedback for the current step, from a resume or a denied gate. */
  feedback: string | null;
}

export interface PlanningState {
  mode: 'planning';
  phase: 'planning' | 'executing';
  plan: string | null;
}

export type ModeState = LoopState | FormulaState | PlanningState;

/** The formula progress a card shows ("Step 2/4 Implement"), or null. */
export function formulaProgress(
  state: ModeState | null,
): { index: number; total: number; name: string } | null {
  if (!state || state.mode !== 'formula') return null;
  const i = Math.min(state.current, state.steps.length - 1);
  return { index: i + 1, total: state.steps.length, name: state.steps[i]?.name ?? '' };
}
