/**
 * Running a formula's steps: checking the variables a task was created with, and building each step's
 * prompt from its template, the variables and the results (final summaries) of the steps before it.
 */
import { BUILTIN_VARIABLES, type Formula, type FormulaIssue } from './formula.js';
import { renderTemplate } from './formula-template.js';

export type ResolvedVariables =
  { ok: true; values: Record<string, string> } | { ok: false; issues: FormulaIssue[] };

/** Built-in variable values: the task's prompt and its project's name. */
export type BuiltinValues = Record<(typeof BUILTIN_VARIABLES)[number], string>;

/**
 * The variable values for a run of `formula`.
 * - a given name the formula does not declare is an error (a typo must not pass silently);
 * - a required variable not given, or given blank, is an error naming its description;
 * - an optional one not given takes its default;
 * - built-ins are set from `builtins` and cannot be given.
 */
export function resolveVariables(
  formula: Formula,
  given: Record<string, string>,
  builtins: BuiltinValues,
): ResolvedVariables {
  const issues: FormulaIssue[] = [];
  const declared = new Map(formula.variables.map((v) => [v.name, v]));
  const takes = formula.variables.map((v) => v.name).join(', ') || 'none';
  for (const name of Object.keys(given)) {
    if ((BUILTIN_VARIABLES as readonly string[]).includes(name))
      issues.push({ path: `vars.${name}`, message: `"${name}" is built in and cannot be set` });
    else if (!declared.has(name))
      issues.push({
        path: `vars.${name}`,
        message: `unknown variable "${name}" (${formula.name} takes: ${takes})`,
      });
  }
  const values: Record<string, string> = { ...builtins };
  for (const v of formula.variables) {
    const value = Object.hasOwn(given, v.name) ? given[v.name] : undefined;
    if (value !== undefined && (value.trim() !== '' || !v.required)) values[v.name] = value;
    else if (!v.required) values[v.name] = v.default ?? '';
    else {
      const what = v.description ? ` (${v.description})` : '';
      issues.push({
        path: `vars.${v.name}`,
        message: `missing required variable "${v.name}"${what}: --var ${v.name}=…`,
      });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, values };
}

export interface StepPromptInput {
  formula: Formula;
  stepId: string;
  /** From {@link resolveVariables}. */
  values: Record<string, string>;
  /** Final summaries of the steps that have run, by step id. */
  results: Record<string, string>;
  /** Each earlier result in the automatic section is cut to this many characters (default 4000). */
  maxResultChars?: number;
}

export type StepPrompt = { ok: true; prompt: string } | { ok: false; error: string };

export const DEFAULT_RESULT_CHARS = 4000;

/**
 * The prompt of one step.
 * - its template rendered with the variables and `{{steps.<id>.result}}`;
 * - then a "Results of earlier steps" section with the results of every step that ran before it (in run
 *   order) which the template did not already insert, each cut to `maxResultChars`;
 * - then one line saying where this step stands in the formula.
 */
export function buildStepPrompt(input: StepPromptInput): StepPrompt {
  const { formula, stepId } = input;
  const position = formula.steps.findIndex((s) => s.id === stepId);
  const step = formula.steps[position];
  if (step === undefined) return { ok: false, error: `formula ${formula.name} has no step "${stepId}"` };
  const rendered = renderTemplate(step.prompt, { vars: input.values, results: input.results });
  if (!rendered.ok) return { ok: false, error: `step ${stepId}: ${rendered.error}` };

  const max = input.maxResultChars ?? DEFAULT_RESULT_CHARS;
  const earlier = formula.steps
    .slice(0, position)
    .map((s, i) => ({
      s,
      i,
      result: Object.hasOwn(input.results, s.id) ? input.results[s.id]?.trim() : undefined,
    }))
    .filter((e) => e.result && !rendered.usedSteps.includes(e.s.id))
    .map((e) => `### Step ${e.i + 1}: ${e.s.name}\n\n${cut(e.result as string, max)}`);
  const sections = [rendered.text.trim()];
  if (earlier.length > 0) sections.push(`## Results of earlier steps\n\n${earlier.join('\n\n')}`);
  const last = position === formula.steps.length - 1;
  sections.push(
    `(This is step ${position + 1} of ${formula.steps.length} of the ${formula.name} workflow: ${step.name}.` +
      (last ? ' It is the last step.)' : ' Do this step only; the steps after it run separately.)'),
  );
  return { ok: true, prompt: `${sections.join('\n\n')}\n` };
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
