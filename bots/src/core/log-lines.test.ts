import { describe, expect, it } from 'vitest';
import { buildEvent } from '../../../cli/src/testing/fixtures.js';
import { decorate, eventLines, MAX_LINE } from './log-lines.js';

const wt = '/data/worktrees/wt-abcd';

describe('eventLines', () => {
  it.each([
    [
      buildEvent(1, 'tool.called', { toolUseId: 't', name: 'Edit', input: { file_path: `${wt}/src/a.ts` } }),
      ['🔧 Edit: src/a.ts'],
    ],
    [
      buildEvent(1, 'tool.result', { toolUseId: 't', output: 'one\ntwo\nthree\n', isError: false }),
      ['   ↳ one (+2 lines)'],
    ],
    [
      buildEvent(1, 'tool.result', { toolUseId: 't', output: 'boom\nstack', isError: true }),
      ['   ✗ boom (+1 line)'],
    ],
    [
      buildEvent(1, 'agent.text', { messageId: 'm', text: 'Done.\nAll good.\n' }),
      ['💬 Done.', '   All good.'],
    ],
    [
      buildEvent(1, 'status.changed', { from: 'running', to: 'review', reason: 'the agent finished' }),
      ['▶ running → review (the agent finished)'],
    ],
    [
      buildEvent(1, 'input.requested', {
        requestId: 'r',
        kind: 'question',
        questions: [{ question: 'Tabs?', options: [{ label: 'Tabs' }] }],
        reason: 'style',
      }),
      ['❓ Tabs?', '   1. Tabs', '   style'],
    ],
    [
      buildEvent(1, 'git.committed', { sha: '0123456789abcdef', message: 'x', files: ['a', 'b'] }),
      ['📦 commit 01234567 x (2 files)'],
    ],
    [
      buildEvent(1, 'run.ended', { runId: 'r', stopReason: 'completed', costUsd: 0.0042 }),
      ['⏹ run ended: completed · $0.0042'],
    ],
    [buildEvent(1, 'cost.updated', { taskCostUsd: 1, runCostUsd: 1, final: false }), []],
    [buildEvent(1, 'agent.thinking', { messageId: 'm', text: 'hmm' }), []],
    [buildEvent(1, 'run.started', { runId: 'r', kind: 'initial', model: 'm' }), []],
  ])('%#: %j', (event, lines) => {
    expect(eventLines(event, wt)).toEqual(lines);
  });

  it('never makes a line longer than MAX_LINE', () => {
    const event = buildEvent(1, 'agent.text', { messageId: 'm', text: 'x'.repeat(10_000) });
    expect(eventLines(event)[0]!.length).toBe(MAX_LINE);
  });

  it('gives every tag a prefix', () => {
    expect(decorate({ tag: 'loop', text: 'iteration 1: stop', tone: 'info' })).toEqual([
      '🔁 iteration 1: stop',
    ]);
    expect(decorate({ tag: 'approval', text: 'Bash waits for approval', tone: 'warn' })).toEqual([
      '✋ Bash waits for approval',
    ]);
  });
});
