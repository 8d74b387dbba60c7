/**
 * Formulas: multi-step workflows written as YAML (parsed elsewhere; this module gets plain data). The
 * schema, and validation whose errors name the field: unknown steps in `dependsOn`, cycles (named),
 * duplicate ids, templates that refer to unknown variables or to steps that do not run before. A valid
 * formula comes back with its steps in the order they run.
 */
import { z } from 'zod';
import { PROFILES, type Profile } from '../../../shared/api.js';
import { parseTemplate, templateReferences } from './formula-template.js';

/** Variables every formula gets without declaring them. */
export const BUILTIN_VARIABLES = ['prompt', 'project'] as const;

const stepId = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a step id: lowercase letters, digits, - and _');
const variableSchema = z.strictObject({
  description: z.string().max(500).optional(),
  required: z.boolean().optional(),
  default: z.string().max(10_000).optional(),
});
const stepSchema = z.strictObject({
  id: stepId,
  name: z.string().trim().min(1).max(80),
  prompt: z.string().trim().min(1, 'a step needs a prompt').max(50_000),
  profile: z.enum(PROFILES).default('standard'),
  dependsOn: z.array(z.string().min(1).max(40)).max(30).optional(),
  gate: z.union([z.boolean(), z.strictObject({ message: z.string().trim().min(1).max(1000) })]).optional(),
  verify: z.string().trim().min(1).max(2000).optional(),
});
/** The file format. Unknown keys are errors, so a typo (`depends_on`) does not pass silently. */
export const formulaFileSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().max(1000).optional(),
  variables: z
    .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,39}$/, 'a variable name'), variableSchema.nullable())
    .optional(),
  steps: z.array(stepSchema).min(1, 'a formula needs at least one step').max(30),
});

export interface FormulaVariable {
  name: string;
  description: string | null;
  required: boolean;
  default: string | null;
}

export interface FormulaStep {
  id: string;
  name: string;
  prompt: string;
  profile: Profile;
  /** Steps that must finish first. Omitted in the file: the step listed before it. */
  dependsOn: string[];
  /** A human approves after this step, before the steps after it run. */
  gate: { message: string } | null;
  /** A command that must exit 0 in the worktree for the step to count as done. Never templated. */
  verify: string | null;
}

export interface Formula {
  name: string;
  description: string;
  variables: FormulaVariable[];
  /** In the order they run: dependencies first, otherwise as listed in the file. */
  steps: FormulaStep[];
}

/** One problem, at a field path such as `steps[1].dependsOn[0]`. */
export interface FormulaIssue {
  path: string;
  message: string;
}

export type FormulaValidation = { ok: true; formula: Formula } | { ok: false; issues: FormulaIssue[] };

/**
 * Validates the data of a formula file named `name`.
 * - the schema first (types, required fields, unknown keys); its issues stop validation there;
 * - `name`, when written, must equal the file's name; variables may not redefine a built-in;
 * - step ids are unique; each `dependsOn` entry names another existing step; the graph has no cycle;
 * - each prompt parses as a template whose variables are declared or built in, and whose
 *   `steps.<id>.result` names a step it (transitively) depends on, so that step has run.
 */
export function validateFormula(raw: unknown, name: string): FormulaValidation {
  const parsed = formulaFileSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })),
    };
  }
  const file = parsed.data;
  const issues: FormulaIssue[] = [];
  if (file.name !== undefined && file.name !== name)
    issues.push({ path: 'name', message: `"${file.name}" differs from the file name "${name}"` });

  const variables: FormulaVariable[] = Object.entries(file.variables ?? {}).map(([key, v]) => {
    if ((BUILTIN_VARIABLES as readonly string[]).includes(key))
      issues.push({ path: `variables.${key}`, message: `"${key}" is built in and cannot be declared` });
    if (v?.required === true && v.default !== undefined)
      issues.push({ path: `variables.${key}`, message: 'a required variable cannot have a default' });
    return {
      name: key,
      description: v?.description ?? null,
      required: v?.required ?? v?.default === undefined,
      default: v?.default ?? null,
    };
  });

  const steps: FormulaStep[] = file.steps.map((s, i) => ({
    id: s.id,
    name: s.name,
    prompt: s.prompt,
    profile: s.profile,
    dependsOn: s.dependsOn ?? (i > 0 ? [(file.steps[i - 1] as { id: string }).id] : []),
    gate: s.gate === true ? { message: `Approve "${s.name}" to continue` } : s.gate ? s.gate : null,
    verify: s.verify ?? null,
  }));
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    const first = index.get(s.id);
    if (first === undefined) index.set(s.id, i);
    else
      issues.push({ path: `steps[${i}].id`, message: `duplicate step id "${s.id}" (also steps[${first}])` });
  });
  const ids = [...index.keys()].join(', ');
  steps.forEach((s, i) =>
    s.dependsOn.forEach((d, k) => {
      if (d === s.id)
        issues.push({ path: `steps[${i}].dependsOn[${k}]`, message: 'a step cannot depend on itself' });
      else if (!index.has(d))
        issues.push({ path: `steps[${i}].dependsOn[${k}]`, message: `unknown step "${d}" (steps: ${ids})` });
    }),
  );
  if (issues.length > 0) return { ok: false, issues };

  const cycle = findCycle(steps);
  if (cycle)
    return { ok: false, issues: [{ path: 'steps', message: `dependency cycle: ${cycle.join(' → ')}` }] };

  const known = new Set<string>([...BUILTIN_VARIABLES, ...variables.map((v) => v.name)]);
  const declared = variables.map((v) => v.name).join(', ') || 'none';
  steps.forEach((s, i) => {
    const template = parseTemplate(s.prompt);
    if (!template.ok) {
      issues.push({ path: `steps[${i}].prompt`, message: template.error });
      return;
    }
    const refs = templateReferences(s.prompt);
    for (const v of refs.vars.filter((v) => !known.has(v))) {
      issues.push({
        path: `steps[${i}].prompt`,
        message: `unknown variable "{{${v}}}" (declared: ${declared}; built in: ${BUILTIN_VARIABLES.join(', ')})`,
      });
    }
    const before = ancestors(steps, s.id);
    for (const id of refs.steps.filter((id) => !before.has(id))) {
      issues.push({
        path: `steps[${i}].prompt`,
        message: index.has(id)
          ? `"{{steps.${id}.result}}": step ${s.id} does not depend on ${id}, so ${id} may not have run`
          : `"{{steps.${id}.result}}": unknown step "${id}" (steps: ${ids})`,
      });
    }
  });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    formula: { name, description: file.description ?? '', variables, steps: topologicalOrder(steps) },
  };
}

/** Steps ordered so that each comes after its dependencies, ties kept in listed order (Kahn). */
export function topologicalOrder(steps: FormulaStep[]): FormulaStep[] {
  const done = new Set<string>();
  const out: FormulaStep[] = [];
  while (out.length < steps.length) {
    const next = steps.find((s) => !done.has(s.id) && s.dependsOn.every((d) => done.has(d)));
    if (!next) throw new Error('topologicalOrder: the steps have a cycle or an unknown dependency');
    done.add(next.id);
    out.push(next);
  }
  return out;
}

/** The first cycle found, as ids with the first repeated at the end (`a → b → a`), or null. */
function findCycle(steps: FormulaStep[]): string[] | null {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const d of byId.get(id)?.dependsOn ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const found = visit(s.id);
    // Reported in run order: a dependency before the step that needs it.
    if (found) return found.reverse();
  }
  return null;
}

/** Every step `id` depends on, directly or not. */
function ancestors(steps: FormulaStep[], id: string): Set<string> {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const out = new Set<string>();
  const walk = (at: string) => {
    for (const d of byId.get(at)?.dependsOn ?? []) {
      if (!out.has(d)) {
        out.add(d);
        walk(d);
      }
    }
  };
  walk(id);
  return out;
}

/** zod's message, or for a bad record key the message of the key's own rule. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  return issue.message;
}

/** `['steps', 1, 'dependsOn', 0]` → `steps[1].dependsOn[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>((out, key) => {
      if (typeof key === 'number') return `${out}[${key}]`;
      return out === '' ? String(key) : `${out}.${String(key)}`;
    }, '') || '(root)'
  );
}
