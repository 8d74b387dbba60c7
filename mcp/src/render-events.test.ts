import { describe, expect, it } from 'vitest';
import type { EventDataMap, EventType, GluonEvent } from '../../shared/events.js';
import { describeEvent, eventLine } from './render-events.js';

function ev<K extends EventType>(type: K, data: EventDataMap[K], seq = 7): GluonEvent {
  return {
    seq,
    taskId: 'abcd00000001',
    runId: 'r1',
    ts: '2024-05-01T10:00:00.000Z',
    type,
    data,
  } as GluonEvent;
}

describe('describeEvent', () => {
  it.each<[string, GluonEvent, string]>([
    ['agent text, trimmed', ev('agent.text', { messageId: 'm', text: 'Done.\n\n' }), 'Done.'],
    ['a subagent', ev('agent.text', { messageId: 'm', text: 'hi', subagent: 'explorer' }), '(explorer) hi'],
    [
      'thinking on one line',
      ev('agent.thinking', { messageId: 'm', text: 'first\nsecond' }),
      '[thinking] first second',
    ],
    [
      'a Bash call by its command',
      ev('tool.called', { toolUseId: 't', name: 'Bash', input: { command: 'npm test', description: 'x' } }),
      '[tool] Bash: npm test',
    ],
    [
      'a Write call by its path',
      ev('tool.called', { toolUseId: 't', name: 'Write', input: { file_path: '/w/a.txt', content: 'x' } }),
      '[tool] Write: /w/a.txt',
    ],
    [
      'another call as JSON',
      ev('tool.called', { toolUseId: 't', name: 'mcp__x__y', input: { a: 1 } }),
      '[tool] mcp__x__y: {"a":1}',
    ],
    [
      'a result folded to its first line, with the count of the others',
      ev('tool.result', { toolUseId: 't', output: 'a\nb\nc\n', isError: false }),
      '  [result] a (+2 lines)',
    ],
    [
      'an empty result',
      ev('tool.result', { toolUseId: 't', output: '', isError: false }),
      '  [result] (no output)',
    ],
    [
      'a failed tool',
      ev('tool.result', { toolUseId: 't', output: 'EACCES', isError: true }),
      '  [tool error] EACCES',
    ],
    [
      'the final cost',
      ev('cost.updated', { taskCostUsd: 0.0042, runCostUsd: 0.0042, final: true }),
      '[cost] $0.0042 (final)',
    ],
    [
      'a status change with its reason',
      ev('status.changed', { from: 'running', to: 'review', reason: 'completed' }),
      '[status] running → review (completed)',
    ],
    [
      'a run that ended in error',
      ev('run.ended', { runId: 'r', stopReason: 'error', costUsd: 0, error: 'boom\nat x' }),
      '[run] ended: error · $0.00 — boom at x',
    ],
    [
      'a commit, by its subject',
      ev('git.committed', { sha: '0123456789abcdef', message: 'Add a\n\nbody', files: ['a', 'b'] }),
      '[commit] 01234567 Add a (2 files)',
    ],
    [
      'an approval request',
      ev('input.requested', {
        requestId: 'q',
        kind: 'approval',
        toolName: 'Bash',
        toolInput: { command: 'rm -rf build' },
      }),
      '[approval] Bash waits for approval: rm -rf build',
    ],
    [
      'a question with its options',
      ev('input.requested', {
        requestId: 'q',
        kind: 'question',
        questions: [{ question: 'Red or blue?', options: [{ label: 'red' }] }],
      }),
      '[question] Red or blue?\n    1. red',
    ],
    [
      'an answer',
      ev('input.resolved', { requestId: 'q', kind: 'question', decision: 'answered', text: 'blue' }),
      '[question] answered: blue',
    ],
    [
      'a loop iteration',
      ev('loop.iteration', {
        iteration: 2,
        filesChanged: ['a'],
        commits: [],
        errors: [],
        costUsd: 0.5,
        exitSignal: false,
        status: null,
        breaker: 'closed',
        decision: 'continue',
      }),
      '[loop] iteration 2: continue · 1 file · 0 commits · $0.5000 · breaker closed',
    ],
  ])('%s', (_what, event, line) => {
    expect(describeEvent(event)).toBe(line);
  });

  it('leaves out streaming slices and running cost ticks', () => {
    expect(
      describeEvent(ev('agent.delta', { messageId: 'm', index: 0, kind: 'text', text: 'par' })),
    ).toBeNull();
    expect(describeEvent(ev('cost.updated', { taskCostUsd: 1, runCostUsd: 1, final: false }))).toBeNull();
  });

  it('caps a long agent message and a long tool result', () => {
    const long = describeEvent(ev('agent.text', { messageId: 'm', text: 'x'.repeat(5000) }))!;
    expect(long.length).toBe(1500);
    expect(long.endsWith('…')).toBe(true);
    const result = describeEvent(
      ev('tool.result', { toolUseId: 't', output: 'y'.repeat(5000), isError: false }),
    )!;
    expect(result.length).toBeLessThan(260);
  });

  it('numbers a shown event with its seq', () => {
    expect(eventLine(ev('notice', { message: 'rebased' }, 42))).toBe('#42 [notice] rebased');
    expect(
      eventLine(ev('agent.delta', { messageId: 'm', index: 0, kind: 'text', text: 'x' }, 43)),
    ).toBeNull();
  });
});
