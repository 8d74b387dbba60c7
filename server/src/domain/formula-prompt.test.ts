import { describe, expect, it } from 'vitest';
import { validateFormula, type Formula } from './formula.js';
import { buildStepPrompt, resolveVariables } from './formula-prompt.js';

function formula(raw: unknown): Formula {
  const v = validateFormula(raw, 'demo');
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.formula;
}

const demo = formula({
  variables: {
    area: { description: 'the part of the code to change' },
    style: { default: 'small commits' },
    note: { required: false },
  },
  steps: [
    { id: 'plan', name: 'Plan', prompt: 'Plan {{prompt}} in {{area}} ({{project}}).' },
    { id: 'build', name: 'Build', prompt: 'Build it, in {{style}}. The plan:\n{{steps.plan.result}}' },
    { id: 'test', name: 'Test', prompt: 'Test it.{{note}}' },
  ],
});
const builtins = { prompt: 'login by email', project: 'shop' };

describe('resolveVariables', () => {
  const rows: [name: string, given: Record<string, string>, expected: ReturnType<typeof resolveVariables>][] =
    [
      [
        'required given, defaults filled',
        { area: 'auth' },
        { ok: true, values: { ...builtins, area: 'auth', style: 'small commits', note: '' } },
      ],
      [
        'an optional value overrides its default, even blank',
        { area: 'auth', style: '' },
        { ok: true, values: { ...builtins, area: 'auth', style: '', note: '' } },
      ],
      [
        'a required variable missing',
        {},
        {
          ok: false,
          issues: [
            {
              path: 'vars.area',
              message: 'missing required variable "area" (the part of the code to change): --var area=…',
            },
          ],
        },
      ],
      [
        'a required variable given blank',
        { area: '  ' },
        { ok: false, issues: [expect.objectContaining({ path: 'vars.area' })] },
      ],
      [
        'an unknown variable',
        { area: 'auth', aera: 'x' },
        {
          ok: false,
          issues: [{ path: 'vars.aera', message: 'unknown variable "aera" (demo takes: area, style, note)' }],
        },
      ],
      [
        'a built-in given',
        { area: 'auth', prompt: 'x' },
        { ok: false, issues: [{ path: 'vars.prompt', message: '"prompt" is built in and cannot be set' }] },
      ],
    ];
  it.each(rows)('%s', (_name, given, expected) =>
    expect(resolveVariables(demo, given, builtins)).toEqual(expected),
  );

  it('does not take inherited properties for given values', () => {
    const f = formula({
      variables: { toString: {} },
      steps: [{ id: 'a', name: 'A', prompt: '{{toString}}' }],
    });
    expect(resolveVariables(f, {}, builtins).ok).toBe(false);
  });
});

describe('buildStepPrompt', () => {
  const values = { ...builtins, area: 'auth', style: 'small commits', note: '' };

  it('renders the first step with its variables and says where it stands', () => {
    const out = buildStepPrompt({ formula: demo, stepId: 'plan', values, results: {} });
    expect(out).toEqual({
      ok: true,
      prompt:
        'Plan login by email in auth (shop).\n\n(This is step 1 of 3 of the demo workflow: Plan. Do this step only; the steps after it run separately.)\n',
    });
  });

  it('inserts a referenced result in place, not again in the earlier results', () => {
    const out = buildStepPrompt({
      formula: demo,
      stepId: 'build',
      values,
      results: { plan: '1. Add a route' },
    });
    expect(out.ok && out.prompt).toBe(
      'Build it, in small commits. The plan:\n1. Add a route\n\n(This is step 2 of 3 of the demo workflow: Build. Do this step only; the steps after it run separately.)\n',
    );
  });

  it('adds the results of every earlier step the template does not use', () => {
    const out = buildStepPrompt({
      formula: demo,
      stepId: 'test',
      values,
      results: { plan: 'The plan.', build: 'Built the route in src/routes/login.ts.' },
    });
    expect(out.ok && out.prompt).toBe(
      [
        'Test it.',
        '',
        '## Results of earlier steps',
        '',
        '### Step 1: Plan',
        '',
        'The plan.',
        '',
        '### Step 2: Build',
        '',
        'Built the route in src/routes/login.ts.',
        '',
        '(This is step 3 of 3 of the demo workflow: Test. It is the last step.)',
        '',
      ].join('\n'),
    );
  });

  it('skips steps without a result and cuts long ones', () => {
    const out = buildStepPrompt({
      formula: demo,
      stepId: 'test',
      values,
      results: { plan: '   ', build: 'x'.repeat(50) },
      maxResultChars: 10,
    });
    expect(out.ok && out.prompt).not.toContain('Step 1: Plan');
    expect(out.ok && out.prompt).toContain(`### Step 2: Build\n\n${'x'.repeat(9)}…\n`);
  });

  it('fails on an unknown step or a missing variable', () => {
    expect(buildStepPrompt({ formula: demo, stepId: 'nope', values, results: {} })).toEqual({
      ok: false,
      error: 'formula demo has no step "nope"',
    });
    expect(buildStepPrompt({ formula: demo, stepId: 'plan', values: builtins, results: {} })).toEqual({
      ok: false,
      error: 'step plan: no value for the variable "area"',
    });
  });
});
