import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, templateReferences } from './formula-template.js';

const ctx = { vars: { area: 'auth', empty: '' }, results: { plan: '  1. Do X\n2. Do Y  ' } };

describe('renderTemplate', () => {
  const rows: [name: string, template: string, expected: string][] = [
    ['plain text', 'Fix the bug.', 'Fix the bug.'],
    ['a variable', 'Fix {{area}}.', 'Fix auth.'],
    ['spaces inside the braces', 'Fix {{  area }}.', 'Fix auth.'],
    ['an empty value', '[{{empty}}]', '[]'],
    ['a step result, trimmed', 'Plan:\n{{steps.plan.result}}\nGo.', 'Plan:\n1. Do X\n2. Do Y\nGo.'],
    ['a step without a result', '{{steps.test.result}}', '(no result from step test)'],
    ['an escaped brace', 'Use \\{{area}} literally, then {{area}}.', 'Use {{area}} literally, then auth.'],
    ['single braces pass through', 'const o = { a: 1 }; ${x} {x}', 'const o = { a: 1 }; ${x} {x}'],
    ['a lone closing pair', 'a }} b', 'a }} b'],
  ];
  it.each(rows)('%s', (_name, template, expected) =>
    expect(renderTemplate(template, ctx)).toMatchObject({ ok: true, text: expected }),
  );

  it('inserts values in one pass, never expanding braces inside them', () => {
    const out = renderTemplate('A {{a}} B {{steps.s.result}}', {
      vars: { a: '{{b}}', b: 'SECRET' },
      results: { s: '{{a}} and {{steps.s.result}}' },
    });
    expect(out).toEqual({ ok: true, text: 'A {{b}} B {{a}} and {{steps.s.result}}', usedSteps: ['s'] });
  });

  it('does not read inherited properties as variables', () => {
    expect(renderTemplate('{{constructor}}', { vars: {}, results: {} })).toEqual({
      ok: false,
      error: 'no value for the variable "constructor"',
    });
  });

  it('lists the step results it used, once each', () => {
    const out = renderTemplate('{{steps.a.result}} {{steps.b.result}} {{steps.a.result}}', {
      vars: {},
      results: { a: 'x' },
    });
    expect(out).toMatchObject({ usedSteps: ['a', 'b'] });
  });
});

describe('parseTemplate errors', () => {
  const rows: [name: string, template: string, error: RegExp][] = [
    ['an expression', '{{ a + b }}', /line 1: "\{\{a \+ b\}\}" is not a variable name/],
    ['a function call', '{{ require("fs") }}', /no expressions/],
    ['a filter', '{{ area | upper }}', /no expressions/],
    ['a dotted variable', '{{ env.HOME }}', /no expressions/],
    ['a step field other than result', '{{ steps.plan.prompt }}', /no expressions/],
    ['empty braces', '{{}}', /is not a variable name/],
    ['unclosed at the end', 'Fix {{area', /line 1: "\{\{" is not closed/],
    ['closed on another line', 'a\nb {{area\n}}', /line 2: "\{\{" is not closed/],
  ];
  it.each(rows)('%s', (_name, template, error) => {
    const parsed = parseTemplate(template);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
    expect(renderTemplate(template, ctx).ok).toBe(false);
  });
});

describe('templateReferences', () => {
  it('lists variables and steps once each', () => {
    expect(templateReferences('{{a}} {{b}} {{a}} {{steps.x.result}} \\{{c}}')).toEqual({
      vars: ['a', 'b'],
      steps: ['x'],
    });
  });

  it('is empty for a template that does not parse', () => {
    expect(templateReferences('{{a')).toEqual({ vars: [], steps: [] });
  });
});
