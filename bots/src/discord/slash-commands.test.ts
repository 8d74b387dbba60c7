import { describe, expect, it } from 'vitest';
import { commandOf, SLASH_COMMANDS } from './slash-commands.js';

const invoke = (name: string, options: Record<string, unknown> = {}, linked = false) =>
  commandOf({ name, options: Object.entries(options).map(([n, value]) => ({ name: n, value })) }, { linked });

describe('slash commands', () => {
  it('are valid definitions: required options first, names Discord accepts', () => {
    for (const command of SLASH_COMMANDS) {
      expect(command.name).toMatch(/^[a-z_-]{1,32}$/);
      expect(command.description.length).toBeLessThanOrEqual(100);
      const required = (command.options as { required: boolean }[]).map((o) => o.required);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it.each([
    ['board', {}, { kind: 'board' }],
    ['status', { id: '#ABCD1234' }, { kind: 'status', id: 'abcd1234' }],
    ['deny', { id: 'abcd', reason: 'no' }, { kind: 'deny', id: 'abcd', reason: 'no' }],
    ['resume', { id: 'abcd', feedback: 'more tests' }, { kind: 'resume', id: 'abcd', text: 'more tests' }],
    ['answer', { id: 'abcd', text: 'blue' }, { kind: 'answer', id: 'abcd', text: 'blue' }],
    ['link', { project: 'sample' }, { kind: 'link', project: 'sample' }],
    ['pair', { code: 'ABCD-EFGH' }, { kind: 'pair', code: 'ABCD-EFGH' }],
    [
      'new',
      { prompt: 'fix it', project: 'sample', profile: 'quick', ralph: true, max_cost: 3, approval: 'strict' },
      {
        kind: 'new',
        project: 'sample',
        prompt: 'fix it',
        profile: 'quick',
        ralph: true,
        maxCostUsd: 3,
        approval: 'strict',
      },
    ],
  ])('/%s %j', (name, options, command) => {
    expect(invoke(name, options)).toEqual({ ok: true, command });
  });

  it.each([
    ['new', { prompt: 'x' }, 'not linked'],
    ['new', { prompt: 'x', project: 'p', profile: 'huge' }, 'profile is one of'],
    ['new', { prompt: 'x', project: 'p', approval: 'yolo' }, 'approval is one of'],
    ['status', { id: '../x' }, 'give a task id'],
    ['answer', { id: 'abcd' }, 'the answer is missing'],
    ['rm', {}, 'unknown command'],
  ])('/%s %j is refused', (name, options, message) => {
    const parsed = invoke(name, options);
    expect(!parsed.ok && parsed.error).toContain(message);
  });

  it('/new in a linked channel needs no project', () => {
    expect(invoke('new', { prompt: 'fix it' }, true)).toEqual({
      ok: true,
      command: { kind: 'new', project: null, prompt: 'fix it' },
    });
  });
});
