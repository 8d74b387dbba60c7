import { describe, expect, it } from 'vitest';
import { formatPath, validateFormula, type Formula } from './formula.js';

const step = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id[0]!.toUpperCase() + id.slice(1),
  prompt: `Do ${id}.`,
  ...extra,
});
const valid = (raw: unknown, name = 'f'): Formula => {
  const v = validateFormula(raw, name);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.formula;
};

describe('validateFormula: valid formulas', () => {
  it('normalises a minimal formula: defaults, implicit sequential dependencies', () => {
    const f = valid({ steps: [step('plan'), step('build'), step('check')] });
    expect(f).toEqual({
      name: 'f',
      description: '',
      variables: [],
      steps: [
        {
          id: 'plan',
          name: 'Plan',
          prompt: 'Do plan.',
          profile: 'standard',
          dependsOn: [],
          gate: null,
          verify: null,
        },
        {
          id: 'build',
          name: 'Build',
          prompt: 'Do build.',
          profile: 'standard',
          dependsOn: ['plan'],
          gate: null,
          verify: null,
        },
        {
          id: 'check',
          name: 'Check',
          prompt: 'Do check.',
          profile: 'standard',
          dependsOn: ['build'],
          gate: null,
          verify: null,
        },
      ],
    });
  });

  it('reads variables, profiles, gates and verify commands', () => {
    const f = valid({
      name: 'f',
      description: 'A formula.',
      variables: {
        area: { description: 'Where' },
        style: { default: 'terse' },
        opt: { required: false },
        bare: null,
      },
      steps: [
        step('plan', {
          profile: 'planning',
          gate: true,
          prompt: 'Plan {{area}} in {{style}} for {{prompt}} in {{project}}.',
        }),
        step('build', { gate: { message: 'Check the diff' }, verify: 'npm test' }),
      ],
    });
    expect(f.variables).toEqual([
      { name: 'area', description: 'Where', required: true, default: null },
      { name: 'style', description: null, required: false, default: 'terse' },
      { name: 'opt', description: null, required: false, default: null },
      { name: 'bare', description: null, required: true, default: null },
    ]);
    expect(f.steps[0]).toMatchObject({
      profile: 'planning',
      gate: { message: 'Approve "Plan" to continue' },
    });
    expect(f.steps[1]).toMatchObject({ gate: { message: 'Check the diff' }, verify: 'npm test' });
  });

  it('orders steps so dependencies run first, keeping listed order otherwise', () => {
    const f = valid({
      steps: [
        step('review', { dependsOn: ['test'] }),
        step('plan', { dependsOn: [] }),
        step('docs', { dependsOn: ['plan'] }),
        step('implement', { dependsOn: ['plan'] }),
        step('test', { dependsOn: ['implement', 'docs'] }),
      ],
    });
    expect(f.steps.map((s) => s.id)).toEqual(['plan', 'docs', 'implement', 'test', 'review']);
  });

  it('accepts a result reference to a transitive dependency and escaped braces', () => {
    const f = valid({
      steps: [step('a'), step('b'), step('c', { prompt: 'Use {{ steps.a.result }} and \\{{literal}}.' })],
    });
    expect(f.steps[2]?.prompt).toContain('steps.a.result');
  });
});

describe('validateFormula: errors name the field', () => {
  const rows: [name: string, raw: unknown, path: string, message: RegExp][] = [
    ['not an object', 'steps: x', '(root)', /object/i],
    ['no steps', { description: 'x' }, 'steps', /expected array/i],
    ['empty steps', { steps: [] }, 'steps', /at least one step/],
    ['a missing prompt', { steps: [{ id: 'a', name: 'A' }] }, 'steps[0].prompt', /string/i],
    ['a blank prompt', { steps: [step('a', { prompt: '   ' })] }, 'steps[0].prompt', /needs a prompt/],
    ['a bad step id', { steps: [step('Bad Id')] }, 'steps[0].id', /step id/],
    [
      'an unknown profile',
      { steps: [step('a', { profile: 'turbo' })] },
      'steps[0].profile',
      /quick|standard/,
    ],
    ['a typo in a key', { steps: [step('a', { depends_on: ['x'] })] }, 'steps[0]', /depends_on/],
    ['an unknown top-level key', { steps: [step('a')], stepz: [] }, '(root)', /stepz/],
    [
      'a bad variable name',
      { variables: { 'bad-name': {} }, steps: [step('a')] },
      'variables.bad-name',
      /variable name/,
    ],
    ['a gate of the wrong type', { steps: [step('a', { gate: 'yes' })] }, 'steps[0].gate', /./],
    [
      'a name that differs from the file',
      { name: 'other', steps: [step('a')] },
      'name',
      /differs from the file name "f"/,
    ],
    [
      'a built-in redeclared',
      { variables: { prompt: {} }, steps: [step('a')] },
      'variables.prompt',
      /built in/,
    ],
    [
      'required with a default',
      { variables: { x: { required: true, default: 'y' } }, steps: [step('a')] },
      'variables.x',
      /cannot have a default/,
    ],
    [
      'a duplicate id',
      { steps: [step('a'), step('b'), step('a')] },
      'steps[2].id',
      /duplicate step id "a" \(also steps\[0\]\)/,
    ],
    [
      'an unknown dependency',
      { steps: [step('plan'), step('build', { dependsOn: ['plna'] })] },
      'steps[1].dependsOn[0]',
      /unknown step "plna" \(steps: plan, build\)/,
    ],
    ['a self dependency', { steps: [step('a', { dependsOn: ['a'] })] }, 'steps[0].dependsOn[0]', /itself/],
    [
      'a cycle',
      {
        steps: [
          step('a', { dependsOn: ['c'] }),
          step('b', { dependsOn: ['a'] }),
          step('c', { dependsOn: ['b'] }),
        ],
      },
      'steps',
      /dependency cycle: a → b → c → a/,
    ],
    [
      'a cycle beside a valid chain',
      {
        steps: [
          step('x', { dependsOn: [] }),
          step('a', { dependsOn: ['b', 'x'] }),
          step('b', { dependsOn: ['a'] }),
        ],
      },
      'steps',
      /dependency cycle: (a → b → a|b → a → b)/,
    ],
    [
      'an unknown variable',
      { variables: { area: {} }, steps: [step('a', { prompt: 'Fix {{aera}}' })] },
      'steps[0].prompt',
      /unknown variable "\{\{aera\}\}" \(declared: area; built in: prompt, project\)/,
    ],
    [
      'an expression in braces',
      { steps: [step('a', { prompt: 'Run {{ process.exit(1) }}' })] },
      'steps[0].prompt',
      /line 1: .*no expressions/,
    ],
    [
      'an unclosed brace',
      { steps: [step('a', { prompt: 'ok\nFix {{area\n}}' })] },
      'steps[0].prompt',
      /line 2: "\{\{" is not closed/,
    ],
    [
      'a result of a later step',
      { steps: [step('a', { prompt: 'See {{steps.b.result}}' }), step('b')] },
      'steps[0].prompt',
      /step a does not depend on b/,
    ],
    [
      'a result of an independent step',
      { steps: [step('a', { dependsOn: [] }), step('b', { dependsOn: [], prompt: '{{steps.a.result}}' })] },
      'steps[1].prompt',
      /does not depend on a/,
    ],
    [
      'a result of an unknown step',
      { steps: [step('a', { prompt: '{{steps.zz.result}}' })] },
      'steps[0].prompt',
      /unknown step "zz"/,
    ],
  ];
  it.each(rows)('%s', (_name, raw, path, message) => {
    const v = validateFormula(raw, 'f');
    expect(v.ok).toBe(false);
    if (v.ok) return;
    const issue = v.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(v.issues)).toBeDefined();
    expect(issue?.message).toMatch(message);
  });

  it('reports several problems at once', () => {
    const v = validateFormula(
      { steps: [step('a', { dependsOn: ['x'] }), step('a'), step('b', { dependsOn: ['y'] })] },
      'f',
    );
    // The duplicate `a` also depends on the step before it, the first `a`: itself by name.
    expect(v.ok ? [] : v.issues.map((i) => i.path)).toEqual([
      'steps[1].id',
      'steps[0].dependsOn[0]',
      'steps[1].dependsOn[0]',
      'steps[2].dependsOn[0]',
    ]);
  });
});

describe('formatPath', () => {
  it('joins keys and indexes', () => {
    expect(formatPath(['steps', 1, 'dependsOn', 0])).toBe('steps[1].dependsOn[0]');
    expect(formatPath([])).toBe('(root)');
  });
});
