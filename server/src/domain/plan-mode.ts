/**
 * The planning profile: the agent first works in plan mode (it reads, it does not edit) and presents its
 * plan through the ExitPlanMode tool. Gluon holds that call, puts the plan in `review` for a human, and
 * either continues the same session in execution mode (approved) or asks for a revised plan (feedback).
 *
 * Claude Code's ExitPlanMode input: the model may send `plan` itself (older versions); current versions
 * write the plan to a file and inject `plan` (the file's text) and `planFilePath` into the input that
 * `canUseTool` and the streamed tool call carry. Both are read here; reading the file is the caller's job.
 */

export const EXIT_PLAN_MODE_TOOL = 'ExitPlanMode';

/** Plans longer than this are cut when shown and stored (a plan is a page, not a book). */
export const MAX_PLAN_CHARS = 50_000;

/** What an ExitPlanMode call carries. */
export interface PlanInput {
  plan: string | null;
  planFilePath: string | null;
}

/** Where a run's plan was found. */
export type FoundPlan =
  | { source: 'exit_plan_mode'; plan: string }
  /** Only the file is known: the caller reads it (it lies under the agent's home, outside the worktree). */
  | { source: 'plan_file'; planFilePath: string }
  | { source: 'final_text'; plan: string };

/** The plan fields of an ExitPlanMode input, or null when the input is not an object. */
export function planFromExitPlanMode(input: unknown): PlanInput | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  const { plan, planFilePath } = input as Record<string, unknown>;
  return {
    plan: typeof plan === 'string' && plan.trim() !== '' ? cutPlan(plan.trim()) : null,
    planFilePath: typeof planFilePath === 'string' && planFilePath.trim() !== '' ? planFilePath : null,
  };
}

/**
 * The plan a plan-mode run produced.
 * - the last ExitPlanMode call with a plan text wins;
 * - else the last one naming a plan file (the caller reads it);
 * - else the run's final text, when it has one (an agent may simply end its turn with the plan);
 * - else null: nothing to approve, the run failed to plan.
 */
export function findPlan(run: {
  toolCalls: { name: string; input: unknown }[];
  finalText: string | null;
}): FoundPlan | null {
  const calls = run.toolCalls
    .filter((c) => c.name === EXIT_PLAN_MODE_TOOL)
    .map((c) => planFromExitPlanMode(c.input))
    .filter((p): p is PlanInput => p !== null)
    .reverse();
  const withText = calls.find((p) => p.plan !== null);
  if (withText?.plan) return { source: 'exit_plan_mode', plan: withText.plan };
  const withFile = calls.find((p) => p.planFilePath !== null);
  if (withFile?.planFilePath) return { source: 'plan_file', planFilePath: withFile.planFilePath };
  const text = run.finalText?.trim();
  return text ? { source: 'final_text', plan: cutPlan(text) } : null;
}

/**
 * The message with which the held ExitPlanMode call is denied (with interrupt): the agent stops and the
 * session waits for the human's decision. It is what the agent reads when the session resumes.
 */
export const PLAN_HELD_MESSAGE =
  'Your plan was sent to a human for review. Stop here and wait: do not start the work until it is approved.';

/** Appended to the system prompt of a planning run. */
export const PLANNING_INSTRUCTIONS = [
  'You are in planning mode. Study the code and write a concrete plan: the files to change, the changes,',
  'the tests to add or run, and the risks. Do not edit any file. When the plan is ready, present it with',
  'the ExitPlanMode tool; a human approves it or asks for changes before any work starts.',
].join(' ');

/** The prompt that resumes the session in execution mode after the plan was approved. */
export function approvedPlanPrompt(note?: string | null): string {
  const extra = note?.trim() ? `\n\nA note from the reviewer: ${note.trim()}` : '';
  return `Your plan is approved. Carry it out now, step by step, and check your work (run the tests when there are any).${extra}`;
}

/** The prompt that resumes the session in plan mode with the reviewer's feedback. */
export function revisePlanPrompt(feedback: string): string {
  return [
    'The reviewer asks for changes to your plan before it can be approved:',
    '',
    feedback.trim(),
    '',
    'Revise the plan accordingly and present it again with the ExitPlanMode tool. Do not edit any file yet.',
  ].join('\n');
}

function cutPlan(plan: string): string {
  return plan.length <= MAX_PLAN_CHARS ? plan : `${plan.slice(0, MAX_PLAN_CHARS - 1)}…`;
}
