import { describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { keepRow, OutputModel, toolCategory } from './output-model.js';

let seq = 0;
const ev = <T extends GluonEvent['type']>(
  type: T,
  data: Extract<GluonEvent, { type: T }>['data'],
): GluonEvent =>
  ({ seq: ++seq, taskId: 't1', runId: 'r1', ts: '2024-01-01T00:00:00Z', type, data }) as GluonEvent;

describe('OutputModel', () => {
  it('pairs tool calls with their results and builds streamed text until the block completes', () => {
    const m = new OutputModel();
    const events: GluonEvent[] = [
      ev('run.started', { runId: 'r1', kind: 'initial', model: 'claude-sonnet-4-5' }),
      ev('agent.delta', { messageId: 'm1', index: 0, kind: 'text', text: 'Let me ' }),
      ev('agent.delta', { messageId: 'm1', index: 0, kind: 'text', text: 'look' }),
    ];
    m.update(events);
    expect(m.rows.map((r) => r.kind)).toEqual(['info', 'text']);
    expect(m.rows[1]).toMatchObject({ text: 'Let me look', streaming: true });
    events.push(
      ev('agent.text', { messageId: 'm1', text: 'Let me look around.' }),
      ev('tool.called', { toolUseId: 'u1', name: 'Bash', input: { command: 'ls' } }),
      ev('cost.updated', { taskCostUsd: 0.1, runCostUsd: 0.1, final: false }),
      ev('tool.called', { toolUseId: 'u2', name: 'Write', input: { file_path: 'a.txt' } }),
      ev('tool.result', { toolUseId: 'u1', output: 'a.txt', isError: false }),
      ev('tool.result', { toolUseId: 'u2', output: 'denied', isError: true }),
      ev('run.error', { message: 'boom', stack: 'Error: boom\n  at x', retryable: false }),
    );
    expect(m.update(events)).toBe(true);
    expect(m.rows.map((r) => r.kind)).toEqual(['info', 'text', 'tool', 'tool', 'error']);
    expect(m.rows[1]).toMatchObject({ text: 'Let me look around.', streaming: false });
    expect(m.rows[2]).toMatchObject({ name: 'Bash', category: 'bash', output: 'a.txt', isError: false });
    expect(m.rows[3]).toMatchObject({ name: 'Write', category: 'file', isError: true });
    expect(m.errorCount).toBe(2);
    expect(m.update(events)).toBe(false); // nothing new
  });

  it('filters by tool type, errors, and the conversation', () => {
    const m = new OutputModel();
    m.update([
      ev('agent.text', { messageId: 'm2', text: 'hi' }),
      ev('tool.called', { toolUseId: 'a', name: 'Read', input: {} }),
      ev('tool.called', { toolUseId: 'b', name: 'Bash', input: {} }),
      ev('tool.called', { toolUseId: 'c', name: 'WebFetch', input: {} }),
      ev('tool.result', { toolUseId: 'c', output: 'x', isError: true }),
      ev('status.changed', { from: 'running', to: 'review' }),
    ]);
    const kinds = (view: Parameters<typeof keepRow>[1]) => m.rows.filter((r) => keepRow(r, view)).length;
    expect(kinds('all')).toBe(5);
    expect(kinds('file')).toBe(1);
    expect(kinds('bash')).toBe(1);
    expect(kinds('other')).toBe(1);
    expect(kinds('errors')).toBe(1);
    expect(kinds('messages')).toBe(4);
    expect(toolCategory('Grep')).toBe('file');
  });

  it('shows tool summaries, questions and status lines in the shared event text', () => {
    const m = new OutputModel({ worktreePath: '/wt/t1' });
    m.update([
      ev('tool.called', { toolUseId: 'w', name: 'Write', input: { file_path: '/wt/t1/src/a.ts' } }),
      ev('input.requested', {
        requestId: 'q',
        kind: 'question',
        questions: [{ question: 'Tabs?', options: [{ label: 'Tabs' }] }],
      }),
      ev('status.changed', { from: 'running', to: 'failed', reason: 'boom' }),
      ev('git.committed', { sha: '0123456789', message: 'fix', files: ['a'] }),
    ]);
    expect(m.rows[0]).toMatchObject({ kind: 'tool', summary: 'src/a.ts' });
    expect(m.rows[1]).toMatchObject({
      kind: 'input',
      requested: true,
      lines: [
        { tag: 'question', text: 'Tabs?' },
        { tag: 'option', text: '1. Tabs', detail: true },
      ],
    });
    expect(m.rows.slice(2)).toMatchObject([
      { kind: 'info', label: 'status', detail: 'running → failed (boom)', tone: 'error' },
      { kind: 'info', label: 'commit', detail: '01234567 fix (1 file)', tone: 'good' },
    ]);
  });

  it('reads 100,000 events incrementally', () => {
    const m = new OutputModel();
    const events: GluonEvent[] = [];
    for (let i = 0; i < 50_000; i += 1) {
      events.push(ev('tool.called', { toolUseId: `t${i}`, name: 'Bash', input: { command: `echo ${i}` } }));
      events.push(ev('tool.result', { toolUseId: `t${i}`, output: String(i), isError: false }));
    }
    m.update(events.slice(0, 60_000));
    m.update(events);
    expect(m.rows).toHaveLength(50_000);
    expect(m.rows[49_999]).toMatchObject({ output: '49999' });
  });
});
