import { describe, expect, it } from 'vitest';
import { buildEvent } from './testing/fixtures.js';
import { decorate, describeEvent, describePendingInput } from './format-events.js';
import { createStyle } from './format.js';

const plain = { style: createStyle(false), worktreePath: '/wt/task' };
const lines = (event: Parameters<typeof describeEvent>[0]) => describeEvent(event, plain);

describe('describeEvent', () => {
  it('tags each line and folds tool results under their call, relative to the worktree', () => {
    expect(
      lines(
        buildEvent(1, 'tool.called', {
          toolUseId: 't1',
          name: 'Write',
          input: { file_path: '/wt/task/src/x.ts' },
        }),
      ),
    ).toEqual(['[tool] Write: src/x.ts']);
    const result = (output: string, isError = false) =>
      lines(buildEvent(1, 'tool.result', { toolUseId: 't', output, isError }));
    expect(result('a\nb\nc\n')).toEqual(['  ↳ a (+2 lines)']);
    expect(result('Exit code 1\nnpm ERR! missing script', true)).toEqual(['  ✗ Exit code 1 (+1 line)']);
    expect(lines(buildEvent(2, 'agent.text', { messageId: 'm', text: 'Done.\n' }))).toEqual(['Done.']);
    expect(lines(buildEvent(3, 'status.changed', { from: 'queued', to: 'running' }))).toEqual([
      '[status] queued → running',
    ]);
  });

  it('shows a question with its options and the command that answers it', () => {
    const event = buildEvent(1, 'input.requested', {
      requestId: 'q1',
      kind: 'question',
      questions: [{ question: 'Which database?', header: 'DB', options: [{ label: 'SQLite' }] }],
    });
    expect(lines(event)).toEqual([
      '[question] DB: Which database?',
      '    1. SQLite',
      '  → gluon answer abcd1234ef <text...>',
    ]);
  });

  it('shows an approval with the commands that approve or deny it', () => {
    const event = buildEvent(1, 'input.requested', {
      requestId: 'a1',
      kind: 'approval',
      toolName: 'Bash',
      toolInput: { command: 'rm -rf build' },
      reason: 'destructive command',
    });
    expect(lines(event)).toEqual([
      '[approval] Bash waits for approval: rm -rf build',
      '    destructive command',
      '  → gluon approve abcd1234ef   or   gluon deny abcd1234ef [reason]',
    ]);
  });
});

describe('decorate', () => {
  const color = createStyle(true);
  it.each([
    [{ tag: 'thinking', text: 'hmm', tone: 'muted' }, '\u001b[2m[thinking] hmm\u001b[22m'],
    [{ tag: 'error', text: 'boom', tone: 'error' }, '\u001b[31m[error] boom\u001b[39m'],
    [{ tag: 'commit', text: 'abc x', tone: 'good' }, '\u001b[32m[commit]\u001b[39m abc x'],
    [{ tag: 'step', text: '1/2 a', tone: 'info' }, '\u001b[34m[step]\u001b[39m 1/2 a'],
    [
      { tag: 'cost', text: 'warning: x', tone: 'warn' },
      '\u001b[33m\u001b[1m[cost] warning: x\u001b[22m\u001b[39m',
    ],
    [{ tag: 'text', text: 'said', tone: 'plain' }, 'said'],
    [{ tag: 'option', text: '1. a', tone: 'plain', detail: true }, '    1. a'],
  ] as const)('%j', (line, shown) => {
    expect(decorate(line, color)).toBe(shown);
  });
});

describe('describePendingInput', () => {
  it('lists what waits and the commands, each labelled', () => {
    const pending = {
      requestId: 'a',
      kind: 'approval',
      live: true,
      toolName: 'Bash',
      createdAt: '',
    } as const;
    expect(describePendingInput('t1', pending, plain)).toEqual([
      '[approval] Bash waits for approval',
      '  approve: gluon approve t1',
      '  deny:    gluon deny t1 [reason]',
    ]);
  });
});
