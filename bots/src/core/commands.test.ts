import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';

const unlinked = { linked: false };
const linked = { linked: true };

describe('parseCommand', () => {
  it.each([
    ['board', '', { kind: 'board' }],
    ['Tasks', '', { kind: 'tasks' }],
    ['status', '#ABCD1234', { kind: 'status', id: 'abcd1234' }],
    ['logs', 'abcd', { kind: 'logs', id: 'abcd' }],
    ['approve', 'abcd', { kind: 'approve', id: 'abcd' }],
    ['deny', 'abcd not now', { kind: 'deny', id: 'abcd', reason: 'not now' }],
    ['deny', 'abcd', { kind: 'deny', id: 'abcd' }],
    ['cancel', 'abcd', { kind: 'cancel', id: 'abcd' }],
    ['resume', 'abcd add tests\nand docs', { kind: 'resume', id: 'abcd', text: 'add tests\nand docs' }],
    ['answer', 'abcd  spaces, two', { kind: 'answer', id: 'abcd', text: 'spaces, two' }],
    ['cost', '', { kind: 'cost' }],
    ['link', 'sample', { kind: 'link', project: 'sample' }],
    ['link', '', { kind: 'link', project: null }],
    ['start', '', { kind: 'help' }],
    ['start', 'abcd-efgh', { kind: 'pair', code: 'abcd-efgh' }],
  ])('/%s %j', (name, args, command) => {
    expect(parseCommand(name, args, unlinked)).toEqual({ ok: true, command });
  });

  it('parses /new with the project first and flags anywhere', () => {
    expect(parseCommand('new', 'sample fix the bug --profile deep --ralph --max-cost 2.5', unlinked)).toEqual(
      {
        ok: true,
        command: {
          kind: 'new',
          project: 'sample',
          prompt: 'fix the bug',
          profile: 'deep',
          ralph: true,
          maxCostUsd: 2.5,
        },
      },
    );
    expect(parseCommand('new', '--approval=careful sample [[scenario:danger]] clean', unlinked)).toEqual({
      ok: true,
      command: { kind: 'new', project: 'sample', prompt: '[[scenario:danger]] clean', approval: 'careful' },
    });
  });

  it('keeps the prompt verbatim: line breaks, quotes, and everything after a lone --', () => {
    const parsed = parseCommand('new', 'sample line one\nline "two" -- --ralph is text here', unlinked);
    expect(parsed).toEqual({
      ok: true,
      command: { kind: 'new', project: 'sample', prompt: 'line one\nline "two" --ralph is text here' },
    });
  });

  it('in a linked chat the whole text is the prompt unless --project says otherwise', () => {
    expect(parseCommand('new', 'fix the bug', linked)).toEqual({
      ok: true,
      command: { kind: 'new', project: null, prompt: 'fix the bug' },
    });
    expect(parseCommand('new', 'fix it --project other', linked)).toEqual({
      ok: true,
      command: { kind: 'new', project: 'other', prompt: 'fix it' },
    });
  });

  it.each([
    ['new', '', 'usage: /new <project> <prompt>'],
    ['new', 'sample', 'the prompt is missing'],
    ['new', 'sample x --profile huge', '--profile is one of'],
    ['new', 'sample x --max-cost -1', '--max-cost is an amount'],
    ['new', 'sample x --approval never', '--approval is one of'],
    ['status', '', 'usage: /status <id>'],
    ['status', 'ab', 'usage: /status <id>'],
    ['resume', 'abcd', 'usage: /resume <id> <feedback>'],
    ['answer', '', 'usage: /answer <id> <text>'],
    ['frobnicate', '', 'unknown command /frobnicate'],
  ])('/%s %j is an error', (name, args, message) => {
    const parsed = parseCommand(name, args, unlinked);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(message);
  });
});
