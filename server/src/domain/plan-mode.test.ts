import { describe, expect, it } from 'vitest';
import {
  EXIT_PLAN_MODE_TOOL,
  MAX_PLAN_CHARS,
  approvedPlanPrompt,
  findPlan,
  planFromExitPlanMode,
  revisePlanPrompt,
  type FoundPlan,
} from './plan-mode.js';

const exit = (input: unknown) => ({ name: EXIT_PLAN_MODE_TOOL, input });
const read = { name: 'Read', input: { file_path: '/w/a.ts' } };

describe('planFromExitPlanMode', () => {
  const rows: [name: string, input: unknown, expected: ReturnType<typeof planFromExitPlanMode>][] = [
    ['a plan from the model', { plan: '  1. Do X  ' }, { plan: '1. Do X', planFilePath: null }],
    [
      'a plan injected from the plan file',
      { plan: '# Plan', planFilePath: '/h/.claude/plans/p.md', allowedPrompts: [] },
      { plan: '# Plan', planFilePath: '/h/.claude/plans/p.md' },
    ],
    [
      'only the file',
      { planFilePath: '/h/.claude/plans/p.md' },
      { plan: null, planFilePath: '/h/.claude/plans/p.md' },
    ],
    ['an empty input', {}, { plan: null, planFilePath: null }],
    ['a blank plan', { plan: '   ' }, { plan: null, planFilePath: null }],
    ['a plan of the wrong type', { plan: 42 }, { plan: null, planFilePath: null }],
    ['not an object', 'plan', null],
    ['an array', [{ plan: 'x' }], null],
    ['null', null, null],
  ];
  it.each(rows)('%s', (_name, input, expected) => expect(planFromExitPlanMode(input)).toEqual(expected));

  it('cuts a huge plan', () => {
    const plan = planFromExitPlanMode({ plan: 'x'.repeat(MAX_PLAN_CHARS + 10) })?.plan;
    expect(plan?.length).toBe(MAX_PLAN_CHARS);
    expect(plan?.endsWith('…')).toBe(true);
  });
});

describe('findPlan', () => {
  const rows: [
    name: string,
    toolCalls: { name: string; input: unknown }[],
    finalText: string | null,
    expected: FoundPlan | null,
  ][] = [
    [
      'an ExitPlanMode plan',
      [read, exit({ plan: 'Plan A' })],
      'Here is my plan.',
      { source: 'exit_plan_mode', plan: 'Plan A' },
    ],
    [
      'the last plan wins',
      [exit({ plan: 'Plan A' }), read, exit({ plan: 'Plan B' })],
      null,
      { source: 'exit_plan_mode', plan: 'Plan B' },
    ],
    [
      'a later file-only call does not hide an earlier text',
      [exit({ plan: 'Plan A' }), exit({ planFilePath: '/p.md' })],
      null,
      { source: 'exit_plan_mode', plan: 'Plan A' },
    ],
    [
      'only a plan file',
      [exit({ planFilePath: '/h/p.md' })],
      'text',
      { source: 'plan_file', planFilePath: '/h/p.md' },
    ],
    [
      'no ExitPlanMode: the final text',
      [read],
      '  1. Change X\n2. Test  ',
      { source: 'final_text', plan: '1. Change X\n2. Test' },
    ],
    [
      'an empty ExitPlanMode and a final text',
      [exit({})],
      'The plan.',
      { source: 'final_text', plan: 'The plan.' },
    ],
    ['nothing at all', [read], '  ', null],
    ['no calls, no text', [], null, null],
  ];
  it.each(rows)('%s', (_name, toolCalls, finalText, expected) =>
    expect(findPlan({ toolCalls, finalText })).toEqual(expected),
  );
});

describe('resume prompts', () => {
  it('approves, with an optional note', () => {
    expect(approvedPlanPrompt()).toMatch(/^Your plan is approved\. Carry it out now/);
    expect(approvedPlanPrompt('  keep it small ')).toMatch(/A note from the reviewer: keep it small$/);
    expect(approvedPlanPrompt('  ')).not.toContain('note');
  });

  it('asks for a revision with the feedback', () => {
    const prompt = revisePlanPrompt('  Use Postgres, not SQLite.\n');
    expect(prompt).toContain('\n\nUse Postgres, not SQLite.\n\n');
    expect(prompt).toContain('ExitPlanMode');
  });
});
