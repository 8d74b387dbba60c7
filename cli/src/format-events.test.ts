import { describe, expect, it } from 'vitest';
import { buildEvent } from './testing/fixtures.js';
import { describeEvent, summarizeToolInput } from './format-events.js';
import { createStyle } from './format.js';

const plain = { style: createStyle(false), worktreePath: '/wt/task' };
const lines = (event: Parameters<typeof describeEvent>[0]) => describeEvent(event, plain);

describe('describeEvent', () => {
  it('shows tool calls with their command or file, relative to the worktree', () => {
    expect(
      lines(buildEvent(1, 'tool.called', { toolUseId: 't1', name: 'Bash', input: { command: 'npm test' } })),
    ).toEqual(['[tool] Bash: npm test']);
    expect(
      lines(
        buildEvent(2, 'tool.called', {
          toolUseId: 't2',
          name: 'Write',
          input: { file_path: '/wt/task/src/x.ts', content: '…' },
        }),
      ),
    ).toEqual(['[tool] Write: src/x.ts']);
    expect(
      lines(
        buildEvent(3, 'tool.called', {
          toolUseId: 't3',
          name: 'Read',
          input: { file_path: '/etc/hosts' },
          subagent: 'explorer',
        }),
      ),
    ).toEqual(['(explorer) [tool] Read: /etc/hosts']);
  });

  it('folds tool results to one line', () => {
    const result = (output: string, isError = false) =>
      lines(buildEvent(1, 'tool.result', { toolUseId: 't', output, isError }));
    expect(result('a\nb\nc\n')).toEqual(['  ↳ 3 lines: a']);
    expect(result('done')).toEqual(['  ↳ done']);
    expect(result('')).toEqual(['  ↳ (no output)']);
    expect(result('File created at: /wt/task/src/x.ts')).toEqual(['  ↳ File created at: src/x.ts']);
    expect(result('Exit code 1\nnpm ERR! missing script', true)).toEqual([
      '  ✗ error: Exit code 1 (+1 lines)',
    ]);
  });

  it('shows status changes, costs, commits and run ends', () => {
    expect(lines(buildEvent(1, 'status.changed', { from: 'queued', to: 'running' }))).toEqual([
      '[status] queued → running',
    ]);
    expect(
      lines(buildEvent(2, 'cost.updated', { taskCostUsd: 0.0123, runCostUsd: 0.01, final: false })),
    ).toEqual(['[cost] $0.0123']);
    expect(
      lines(
        buildEvent(3, 'git.committed', {
          sha: '0123456789abcdef',
          message: 'fix: auth\n\nbody',
          files: ['a'],
        }),
      ),
    ).toEqual(['[commit] 01234567 fix: auth (1 file)']);
    expect(
      lines(buildEvent(4, 'run.ended', { runId: 'r', stopReason: 'cost_cap', costUsd: 2, error: 'cap hit' })),
    ).toEqual(['[run] ended: cost_cap · $2.00 — cap hit']);
  });

  it('shows a question with its options and the command that answers it', () => {
    const event = buildEvent(1, 'input.requested', {
      requestId: 'q1',
      kind: 'question',
      questions: [
        {
          question: 'Which database?',
          header: 'DB',
          options: [{ label: 'SQLite' }, { label: 'Postgres', description: 'server' }],
        },
      ],
    });
    expect(lines(event)).toEqual([
      '[question] DB: Which database?',
      '    1. SQLite',
      '    2. Postgres — server',
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
      '  destructive command',
      '  → gluon approve abcd1234ef   or   gluon deny abcd1234ef [reason]',
    ]);
  });

  it('dims thinking and uses no escapes when colour is off', () => {
    const event = buildEvent(1, 'agent.thinking', { messageId: 'm', text: 'hmm\n' });
    expect(lines(event)).toEqual(['[thinking] hmm']);
    expect(describeEvent(event, { style: createStyle(true) })).toEqual(['\u001b[2m[thinking] hmm\u001b[22m']);
    expect(
      lines(buildEvent(2, 'agent.delta', { messageId: 'm', index: 0, kind: 'text', text: 'x' })),
    ).toEqual([]);
  });
});

describe('summarizeToolInput', () => {
  it('falls back to known keys, then compact JSON', () => {
    expect(summarizeToolInput('Grep', { pattern: 'TODO', path: 'src' })).toBe('TODO');
    expect(summarizeToolInput('TodoWrite', { todos: [1, 2] })).toBe('2 todos');
    expect(summarizeToolInput('mcp__x__y', { url: 'https://x' })).toBe('https://x');
    expect(summarizeToolInput('mcp__x__z', { n: 1 })).toBe('{"n":1}');
    expect(summarizeToolInput('Bash', { command: 'a\n  b' })).toBe('a b');
  });
});
