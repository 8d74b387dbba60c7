import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../shared/events.js';
import { createRedactor, REDACTED as R } from '../domain/redact.js';
import { FAKE as F } from '../domain/testing/secret-fakes.js';
import { SdkEventMapper } from './event-mapper.js';

const stream = (event: Record<string, unknown>) => ({
  type: 'stream_event',
  parent_tool_use_id: null,
  event,
});
const start = (id = 'msg_1') => [
  stream({ type: 'message_start', message: { id } }),
  stream({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
];
const delta = (text: string) =>
  stream({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
const stop = () => stream({ type: 'content_block_stop', index: 0 });
const assistant = (text: string) => ({
  type: 'assistant',
  parent_tool_use_id: null,
  message: { id: 'msg_1', content: [{ type: 'text', text }] },
});
const toolResult = (content: unknown) => ({
  type: 'user',
  parent_tool_use_id: null,
  message: { content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content, is_error: false }] },
});

/** Maps messages in order, flushing deltas after each one as the agent's timer would between pieces. */
function run(mapper: SdkEventMapper, messages: unknown[]): NewEvent[] {
  return messages.flatMap((m) => [...mapper.map(m), ...mapper.flushDeltas()]);
}
const deltaText = (events: NewEvent[]) =>
  events
    .filter((e) => e.type === 'agent.delta')
    .map((e) => (e.data as { text: string }).text)
    .join('');

describe('SdkEventMapper redaction', () => {
  const redactor = createRedactor(['gluon-server-token-0123456789abcdef']);

  it('never streams a secret cut in half between two deltas, wherever the cut falls', () => {
    const text = `Use this: Authorization: Bearer ${F.bearer} and ${F.ghp} or gluon-server-token-0123456789abcdef. `;
    for (let cut = 1; cut < text.length; cut++) {
      const events = run(new SdkEventMapper(redactor), [
        ...start(),
        delta(text.slice(0, cut)),
        delta(text.slice(cut)),
      ]);
      const streamed = deltaText(events);
      expect(streamed, `cut at ${cut}`).not.toContain(F.bearer.slice(0, 12));
      expect(streamed, `cut at ${cut}`).not.toContain(F.ghp.slice(4, 16));
      expect(streamed, `cut at ${cut}`).not.toContain('gluon-server-token');
      expect(`Use this: Authorization: Bearer ${R} and ${R} or ${R}. `.startsWith(streamed)).toBe(true);
    }
  });

  it('streams ordinary text piece by piece, holding only the unfinished word', () => {
    const m = new SdkEventMapper(redactor);
    const events = run(m, [
      ...start(),
      delta('Streaming this answer '),
      delta('slowly, one pi'),
      delta('ece at a time.'),
    ]);
    expect(events.map((e) => (e.data as { text: string }).text)).toEqual([
      'Streaming this answer ',
      'slowly, one ',
      'piece at a ',
    ]);
  });

  it('sends a held tail with the next piece, and drops it when the block ends (the full text follows)', () => {
    const m = new SdkEventMapper(redactor);
    const events = run(m, [
      ...start(),
      delta(`see ${F.ghp.slice(0, 10)}`),
      delta(`${F.ghp.slice(10)} done `),
    ]);
    expect(deltaText(events)).toBe(`see ${R} done `);
    expect(run(m, [delta('tail'), stop()]).filter((e) => e.type === 'agent.delta')).toEqual([]);
    expect(run(m, [assistant(`see ${F.ghp} done tail`)])).toEqual([
      { type: 'agent.text', data: { messageId: 'msg_1', text: `see ${F.ghp} done tail`, subagent: null } },
    ]);
    expect(m.lastText).toBe(`see ${R} done tail`);
  });

  it('coalesces pieces into deltas of about 400 characters without waiting for the timer', () => {
    const m = new SdkEventMapper(redactor);
    const events = [...start(), ...Array.from({ length: 50 }, () => delta('word word '))].flatMap((x) =>
      m.map(x),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(deltaText(events).length).toBeGreaterThanOrEqual(400);
  });

  it('redacts tool output before cutting it to 64 KB', () => {
    const key = `${F.rsaKey}\n-----END RSA PRIVATE KEY-----`;
    const filler = 'x'.repeat(64 * 1024 - 200);
    const [event] = new SdkEventMapper(redactor).map(toolResult(`${filler}\n${key}\nmore`));
    const data = event!.data as { output: string; truncated?: boolean };
    expect(data.output).toBe(`${filler}\n${R}\nmore`);
    expect(data.truncated).toBeUndefined();
    // The 64 KB cut falls inside the key: cut first, its END line would be gone and no rule would see it.
    const [cut] = new SdkEventMapper(redactor).map(
      toolResult(`${'y'.repeat(64 * 1024 - 500)}\n${key}\n${filler}`),
    );
    const output = (cut!.data as { output: string }).output;
    expect(output).toContain(R);
    for (const line of F.rsaKey.split('\n')) expect(output).not.toContain(line);
  });

  it('hides a token that straddles the 64 KB cut (cut first, its first half would show)', () => {
    const [event] = new SdkEventMapper(redactor).map(
      toolResult(`${'w'.repeat(64 * 1024 - 20)} ${F.ghp} end`),
    );
    const output = (event!.data as { output: string }).output;
    expect(output.endsWith(` ${R} end`)).toBe(true);
    expect(output).not.toContain(F.ghp.slice(0, 12));
  });

  it('still cuts a long output after redacting it', () => {
    const [event] = new SdkEventMapper(redactor).map(toolResult(`${F.ghp} ${'z'.repeat(70_000)}`));
    const data = event!.data as { output: string; truncated?: boolean };
    expect(data.output.startsWith(`${R} zzz`)).toBe(true);
    expect(data.output.length).toBe(64 * 1024);
    expect(data.truncated).toBe(true);
  });
});
