/**
 * Renders a scripted reply in the Messages API wire format: the SSE event sequence for
 * `stream: true`, or one JSON message otherwise.
 *
 * Like the real API, `message_start` carries the input side of usage with `output_tokens: 1`, and
 * the real output count arrives only in `message_delta`.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { halves, newId, pause, sendEvent, splitText } from '../shared/sse.js';
import type { MessageReply, ReplyBlock } from './replies.js';

type WireBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

/** Writes the reply as an SSE stream; stops quietly if the client goes away (a cancel). */
export async function streamReply(res: ServerResponse, reply: MessageReply, model: string): Promise<void> {
  const gone = (): boolean => res.destroyed || res.writableEnded;
  const send = (type: string, data: Record<string, unknown>): void => sendEvent(res, type, { type, ...data });
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'request-id': newId('req'),
  });
  const message = toMessage(reply, model);
  send('message_start', {
    message: { ...message, content: [], stop_reason: null, usage: { ...message.usage, output_tokens: 1 } },
  });
  send('ping', {});
  for (const [index, block] of message.content.entries()) {
    if (gone()) return;
    send('content_block_start', { index, content_block: emptyBlock(block) });
    const list = deltas(block, reply.streamMs !== undefined);
    for (const delta of list) {
      if (reply.streamMs !== undefined && !(await pause(reply.streamMs / list.length, res))) return;
      send('content_block_delta', { index, delta });
    }
    send('content_block_stop', { index });
  }
  send('message_delta', {
    delta: { stop_reason: reply.stopReason, stop_sequence: null },
    usage: { output_tokens: reply.usage.output },
  });
  send('message_stop', {});
  if (!gone()) res.end();
}

/** The reply as a complete Messages API message (the non-streaming answer). */
export function toMessage(reply: MessageReply, model: string) {
  return {
    id: newId('msg'),
    type: 'message' as const,
    role: 'assistant' as const,
    model,
    content: reply.blocks.map(toWireBlock),
    stop_reason: reply.stopReason,
    stop_sequence: null,
    usage: {
      input_tokens: reply.usage.input,
      output_tokens: reply.usage.output,
      cache_creation_input_tokens: reply.usage.cacheWrite,
      cache_read_input_tokens: reply.usage.cacheRead,
    },
  };
}

function toWireBlock(block: ReplyBlock): WireBlock {
  switch (block.type) {
    case 'text':
      return block;
    case 'thinking':
      return { ...block, signature: randomBytes(24).toString('base64') };
    case 'tool_use':
      return { ...block, id: newId('toolu') };
  }
}

function emptyBlock(block: WireBlock): WireBlock {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: '' };
    case 'thinking':
      return { type: 'thinking', thinking: '', signature: '' };
    case 'tool_use':
      return { ...block, input: {} };
  }
}

function deltas(block: WireBlock, slow: boolean): Record<string, string>[] {
  switch (block.type) {
    case 'text':
      return splitText(block.text, slow).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...splitText(block.thinking, false).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'tool_use':
      return halves(JSON.stringify(block.input)).map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      }));
  }
}
