import { describe, expect, it } from 'vitest';
import { buildEvent } from '../../../cli/src/testing/fixtures.js';
import { eventLines, MAX_LINE } from './log-lines.js';

const wt = '/data/worktrees/wt-abcd';

describe('eventLines', () => {
  it.each([
    [
      buildEvent(1, 'tool.called', { toolUseId: 't', name: 'Bash', input: { command: 'npm   test' } }),
      ['🔧 Bash: npm test'],
    ],
    [
      buildEvent(1, 'tool.called', { toolUseId: 't', name: 'Edit', input: { file_path: `${wt}/src/a.ts` } }),
      ['🔧 Edit: src/a.ts'],
    ],
    [
      buildEvent(1, 'tool.result', { toolUseId: 't', output: 'one\ntwo\nthree\n', isError: false }),
      ['   ↳ one (3 lines)'],
    ],
    [buildEvent(1, 'tool.result', { toolUseId: 't', output: '', isError: false }), []],
    [buildEvent(1, 'tool.result', { toolUseId: 't', output: 'boom\nstack', isError: true }), ['   ✗ boom']],
    [
      buildEvent(1, 'agent.text', { messageId: 'm', text: 'Done.\nAll good.\n' }),
      ['💬 Done.', '   All good.'],
    ],
    [
      buildEvent(1, 'status.changed', { from: 'running', to: 'review', reason: 'the agent finished' }),
      ['▶ review (the agent finished)'],
    ],
    [
      buildEvent(1, 'input.requested', {
        requestId: 'r',
        kind: 'approval',
        toolName: 'Bash',
        toolInput: { command: 'rm -rf build' },
      }),
      ['✋ approval needed: Bash: rm -rf build'],
    ],
    [
      buildEvent(1, 'input.requested', {
        requestId: 'r',
        kind: 'question',
        questions: [{ question: 'Tabs?', options: [] }],
      }),
      ['❓ Tabs?'],
    ],
    [
      buildEvent(1, 'git.committed', { sha: '0123456789abcdef', message: 'x', files: ['a', 'b'] }),
      ['📦 commit 01234567 (2 files)'],
    ],
    [
      buildEvent(1, 'run.ended', { runId: 'r', stopReason: 'completed', costUsd: 0.0042 }),
      ['⏹ run ended: completed · $0.0042'],
    ],
    [buildEvent(1, 'cost.updated', { taskCostUsd: 1, runCostUsd: 1, final: false }), []],
    [buildEvent(1, 'agent.thinking', { messageId: 'm', text: 'hmm' }), []],
  ])('%#: %j', (event, lines) => {
    expect(eventLines(event, wt)).toEqual(lines);
  });

  it('never makes a line longer than MAX_LINE', () => {
    const event = buildEvent(1, 'agent.text', { messageId: 'm', text: 'x'.repeat(10_000) });
    expect(eventLines(event)[0]!.length).toBe(MAX_LINE);
  });
});
