import { describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../shared/events.js';
import { createStyle } from './format.js';
import { LogPrinter } from './log-printer.js';
import { buildEvent } from './testing/fixtures.js';

function printAll(events: GluonEvent[], streamDeltas: boolean): string {
  let out = '';
  const printer = new LogPrinter({
    style: createStyle(false),
    write: (chunk) => (out += chunk),
    streamDeltas,
  });
  for (const event of events) printer.print(event);
  printer.end();
  return out;
}

const delta = (seq: number, text: string, index = 0, kind: 'text' | 'thinking' = 'text') =>
  buildEvent(seq, 'agent.delta', { messageId: 'm1', index, kind, text });

describe('LogPrinter', () => {
  const streamed = [
    delta(1, 'Let me ', 0, 'thinking'),
    delta(2, 'think.', 0, 'thinking'),
    buildEvent(3, 'agent.thinking', { messageId: 'm1', text: 'Let me think.' }),
    delta(4, 'Hello ', 1),
    delta(5, 'wor', 1),
    buildEvent(6, 'agent.text', { messageId: 'm1', text: 'Hello world.' }),
    buildEvent(7, 'tool.called', { toolUseId: 't', name: 'Bash', input: { command: 'ls' } }),
  ];

  it('streams deltas inline and prints the final text only once', () => {
    expect(printAll(streamed, true)).toBe('[thinking] Let me think.\nHello world.\n[tool] Bash: ls\n');
  });

  it('prints only final blocks when not streaming', () => {
    expect(printAll(streamed, false)).toBe('[thinking] Let me think.\nHello world.\n[tool] Bash: ls\n');
  });

  it('ends an unfinished streamed line before the next event', () => {
    const out = printAll([delta(1, 'partial'), buildEvent(2, 'notice', { message: 'hi' })], true);
    expect(out).toBe('partial\n[notice] hi\n');
  });

  it('continues a block whose line was ended by an interruption, without repeating it', () => {
    let out = '';
    const printer = new LogPrinter({
      style: createStyle(false),
      write: (chunk) => (out += chunk),
      streamDeltas: true,
    });
    printer.print(delta(1, 'All '));
    printer.end();
    out += '<notice>\n';
    printer.print(delta(2, 'good.'));
    printer.print(buildEvent(3, 'agent.text', { messageId: 'm1', text: 'All good.' }));
    expect(out).toBe('All \n<notice>\ngood.\n');
  });

  it('skips a cost update that repeats the figure already shown', () => {
    const cost = (seq: number, taskCostUsd: number, final = false) =>
      buildEvent(seq, 'cost.updated', { taskCostUsd, runCostUsd: taskCostUsd, final });
    const out = printAll([cost(1, 0.002), cost(2, 0.00201), cost(3, 0.003), cost(4, 0.003, true)], false);
    expect(out).toBe('[cost] $0.0020\n[cost] $0.0030\n[cost] $0.0030 (final)\n');
  });

  it('prints the final text in full when it does not continue what was streamed', () => {
    const out = printAll(
      [delta(1, 'tail only'), buildEvent(2, 'agent.text', { messageId: 'm1', text: 'Full text' })],
      true,
    );
    expect(out).toBe('tail only\nFull text\n');
  });

  it('prints a final text without deltas as it is', () => {
    const out = printAll([buildEvent(1, 'agent.text', { messageId: 'm9', text: 'a\nb\n' })], true);
    expect(out).toBe('a\nb\n');
  });
});
