/**
 * Claude Code's messages as Gluon events: streamed text and thinking held back and coalesced, complete
 * blocks, tool calls and their results (cleaned and capped), subagents on their own streams, and messages
 * the mapper does not know left alone. Message shapes are the SDK's, as recorded against the fake API.
 */
import { describe, expect, it } from 'vitest';
import { SdkEventMapper } from './event-mapper.js';

const stream = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'stream_event',
  parent_tool_use_id: null,
  event,
  ...extra,
});
const start = (id: string, extra: Record<string, unknown> = {}) =>
  stream({ type: 'message_start', message: { id, model: 'claude-sonnet-4-5' } }, extra);
const blockStart = (index: number, type: string, extra: Record<string, unknown> = {}) =>
  stream({ type: 'content_block_start', index, content_block: { type } }, extra);
const textDelta = (index: number, text: string, extra: Record<string, unknown> = {}) =>
  stream({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }, extra);
const blockStop = (index: number) => stream({ type: 'content_block_stop', index });
const assistant = (content: unknown[], parent: string | null = null, id = 'msg_1') => ({
  type: 'assistant',
  parent_tool_use_id: parent,
  message: { id, role: 'assistant', content },
});
const toolResult = (content: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'user',
  parent_tool_use_id: null,
  message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content, ...extra }] },
});

// Streamed text is held back at an unfinished word (a secret may continue in the next delta, see
// event-mapper-redaction.test.ts), so the pieces here end at a word boundary.
describe('SdkEventMapper: streaming', () => {
  it('holds text deltas back until flushed, then sends them once as one slice of their block', () => {
    const m = new SdkEventMapper();
    expect(m.map(start('msg_1'))).toEqual([]);
    expect(m.map(blockStart(0, 'text'))).toEqual([]);
    expect(m.map(textDelta(0, 'Hello '))).toEqual([]);
    expect(m.map(textDelta(0, 'world. '))).toEqual([]);
    expect(m.flushDeltas()).toEqual([
      { type: 'agent.delta', data: { messageId: 'msg_1', index: 0, kind: 'text', text: 'Hello world. ' } },
    ]);
    expect(m.flushDeltas()).toEqual([]);
  });

  it('sends a slice as soon as 400 characters gather, without waiting for the flush', () => {
    const m = new SdkEventMapper();
    m.map(start('msg_1'));
    m.map(blockStart(1, 'thinking'));
    const thinking = (t: string) =>
      stream({ type: 'content_block_delta', index: 1, delta: { type: 'thinking_delta', thinking: t } });
    expect(m.map(thinking('a '.repeat(199)))).toEqual([]);
    expect(m.map(thinking('b '))).toEqual([
      {
        type: 'agent.delta',
        data: { messageId: 'msg_1', index: 1, kind: 'thinking', text: `${'a '.repeat(199)}b ` },
      },
    ]);
    expect(m.flushDeltas()).toEqual([]);
  });

  it('drops what is pending when the block stops: the complete block follows in the assistant message', () => {
    const m = new SdkEventMapper();
    m.map(start('msg_1'));
    m.map(blockStart(0, 'text'));
    m.map(textDelta(0, 'partial'));
    expect(m.map(blockStop(0))).toEqual([]);
    expect(m.flushDeltas()).toEqual([]);
  });

  it('drops what is pending when the complete block arrives before the block stops (a busy machine)', () => {
    const m = new SdkEventMapper();
    m.map(start('msg_1'));
    m.map(blockStart(1, 'text'));
    m.map(textDelta(1, 'The last step failed. '));
    expect(m.map(assistant([{ type: 'text', text: 'The last step failed. ' }]))).toEqual([
      { type: 'agent.text', data: { messageId: 'msg_1', text: 'The last step failed. ', subagent: null } },
    ]);
    // The flush timer fires before the stream's content_block_stop: nothing follows the complete text.
    expect(m.flushDeltas()).toEqual([]);
    expect(m.map(blockStop(1))).toEqual([]);
  });

  it('prefers the api_message_id of the frame, and ignores deltas of blocks it did not see start', () => {
    const m = new SdkEventMapper();
    m.map(start('msg_stream'));
    m.map(blockStart(0, 'text', { api_message_id: 'msg_api' }));
    m.map(textDelta(0, 'x '));
    expect(m.map(textDelta(5, 'orphan '))).toEqual([]);
    m.map(blockStart(2, 'tool_use'));
    expect(
      m.map(
        stream({
          type: 'content_block_delta',
          index: 2,
          delta: { type: 'input_json_delta', partial_json: '{' },
        }),
      ),
    ).toEqual([]);
    expect(m.flushDeltas()).toEqual([
      { type: 'agent.delta', data: { messageId: 'msg_api', index: 0, kind: 'text', text: 'x ' } },
    ]);
  });

  it('keeps a subagent stream apart from the main one, even at the same block index', () => {
    const m = new SdkEventMapper();
    const sub = { parent_tool_use_id: 'toolu_task' };
    m.map(start('msg_main'));
    m.map(start('msg_sub', sub));
    m.map(blockStart(0, 'text'));
    m.map(blockStart(0, 'text', sub));
    m.map(textDelta(0, 'main '));
    m.map(textDelta(0, 'sub ', sub));
    expect(m.flushDeltas().map((e) => e.data)).toEqual([
      { messageId: 'msg_main', index: 0, kind: 'text', text: 'main ' },
      { messageId: 'msg_sub', index: 0, kind: 'text', text: 'sub ' },
    ]);
  });
});

describe('SdkEventMapper: complete messages', () => {
  it('maps text, thinking and tool calls in order; blank text and empty thinking say nothing', () => {
    const m = new SdkEventMapper();
    const events = m.map(
      assistant([
        { type: 'thinking', thinking: 'Let me look.' },
        { type: 'thinking', thinking: '' },
        { type: 'text', text: '  \n' },
        { type: 'text', text: 'I will list the files.' },
        { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
        { type: 'image', source: {} },
      ]),
    );
    expect(events).toEqual([
      { type: 'agent.thinking', data: { messageId: 'msg_1', text: 'Let me look.', subagent: null } },
      { type: 'agent.text', data: { messageId: 'msg_1', text: 'I will list the files.', subagent: null } },
      {
        type: 'tool.called',
        data: { toolUseId: 'toolu_1', name: 'Bash', input: { command: 'ls' }, subagent: null },
      },
    ]);
    expect(m.lastText).toBe('I will list the files.');
  });

  it("labels a subagent's messages with its tool call, and its text is not the run's last word", () => {
    const m = new SdkEventMapper();
    m.map(assistant([{ type: 'text', text: 'Main says.' }]));
    const events = m.map(
      assistant([{ type: 'text', text: 'Sub says.' }, { type: 'tool_use' }], 'toolu_task'),
    );
    expect(events).toEqual([
      { type: 'agent.text', data: { messageId: 'msg_1', text: 'Sub says.', subagent: 'toolu_task' } },
      { type: 'tool.called', data: { toolUseId: '', name: 'unknown', input: {}, subagent: 'toolu_task' } },
    ]);
    expect(m.lastText).toBe('Main says.');
  });

  it('maps tool results: text parts joined, other parts named, reminders removed, errors kept', () => {
    const m = new SdkEventMapper();
    expect(m.map(toolResult('plain output\n'))).toEqual([
      { type: 'tool.result', data: { toolUseId: 'toolu_1', output: 'plain output', isError: false } },
    ]);
    const parts = [
      { type: 'text', text: 'line 1' },
      { type: 'image', source: {} },
      { type: 'text', text: 'line 2\n\n<system-reminder>\nmeant for the model\n</system-reminder>\n' },
    ];
    expect(m.map(toolResult(parts, { is_error: true }))).toEqual([
      {
        type: 'tool.result',
        data: { toolUseId: 'toolu_1', output: 'line 1\n[image]\nline 2', isError: true },
      },
    ]);
  });

  it('cuts a tool result at 64 KiB and says so', () => {
    const [event] = new SdkEventMapper().map(toolResult('x'.repeat(64 * 1024 + 10)));
    expect(event?.type === 'tool.result' && event.data.output.length).toBe(64 * 1024);
    expect(event?.data).toMatchObject({ truncated: true });
  });

  it('ignores what it does not know: other message types, missing content, non-objects', () => {
    const m = new SdkEventMapper();
    const ignored = [
      null,
      'text',
      { type: 'system', subtype: 'init', session_id: 's' },
      { type: 'result', subtype: 'success', result: 'done' },
      { type: 'assistant', message: { id: 'm' } },
      { type: 'user', message: { content: 'a plain prompt' } },
      { type: 'user', message: { content: [{ type: 'text', text: 'not a tool result' }] } },
      stream({ type: 'message_delta', usage: { output_tokens: 5 } }),
      { type: 'stream_event', event: 'nope' },
    ];
    for (const msg of ignored) expect(m.map(msg)).toEqual([]);
    expect(m.lastText).toBeNull();
  });
});
