/**
 * Renders a scripted reply in the Responses API streaming format: `response.created`,
 * `response.in_progress`, then per output item `response.output_item.added`, its deltas
 * (`response.output_text.delta`, `response.reasoning_summary_text.delta`,
 * `response.function_call_arguments.delta`, `response.custom_tool_call_input.delta`) and
 * `response.output_item.done`, and finally `response.completed` carrying `usage` (or `response.failed`).
 * Every event carries a growing `sequence_number`, as the real service sends them.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { halves, newId, pause, sendEvent, splitText } from '../shared/sse.js';
import type { OutputItem, ResponseReply, Usage } from './replies.js';

type Wire = Record<string, unknown>;
type Send = (type: string, data: Wire) => void;

/** The opening of every stream: the headers, then `response.created` and `response.in_progress`. */
export function openStream(res: ServerResponse, model: string): { send: Send; response: Wire } {
  let sequence = 0;
  const send: Send = (type, data) => sendEvent(res, type, { type, sequence_number: sequence++, ...data });
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': newId('req'),
    'openai-processing-ms': '12',
  });
  const response = {
    id: newId('resp'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    model,
    output: [],
    parallel_tool_calls: true,
    usage: null,
  };
  send('response.created', { response });
  send('response.in_progress', { response });
  return { send, response };
}

/** Streams a whole response; stops quietly if the client goes away (a cancel). */
export async function streamResponse(
  res: ServerResponse,
  reply: ResponseReply,
  model: string,
): Promise<void> {
  const { send, response } = openStream(res, model);
  const output: Wire[] = [];
  for (const [index, item] of reply.items.entries()) {
    if (res.destroyed) return;
    const wire = toWireItem(item);
    send('response.output_item.added', { output_index: index, item: pending(wire) });
    if (!(await streamItem(res, send, index, wire, reply.streamMs))) return;
    send('response.output_item.done', { output_index: index, item: wire });
    output.push(wire);
  }
  send('response.completed', {
    response: { ...response, status: 'completed', output, usage: wireUsage(reply.usage) },
  });
  if (!res.writableEnded) res.end();
}

/** A stream that fails after it started, the way the service reports an error mid-response. */
export function streamFailure(res: ServerResponse, model: string, code: string, message: string): void {
  const { send, response } = openStream(res, model);
  send('response.failed', { response: { ...response, status: 'failed', error: { code, message } } });
  res.end();
}

async function streamItem(
  res: ServerResponse,
  send: Send,
  index: number,
  wire: Wire,
  streamMs: number | undefined,
): Promise<boolean> {
  const at = { item_id: wire.id, output_index: index };
  if (wire.type === 'message') {
    const text = (wire.content as { text: string }[])[0]?.text ?? '';
    const part = { type: 'output_text', text: '', annotations: [] };
    send('response.content_part.added', { ...at, content_index: 0, part });
    const pieces = splitText(text, streamMs !== undefined);
    for (const delta of pieces) {
      if (streamMs !== undefined && !(await pause(streamMs / pieces.length, res))) return false;
      send('response.output_text.delta', { ...at, content_index: 0, delta, logprobs: [] });
    }
    send('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] });
    send('response.content_part.done', { ...at, content_index: 0, part: { ...part, text } });
  } else if (wire.type === 'reasoning') {
    const text = (wire.summary as { text: string }[])[0]?.text ?? '';
    const part = { type: 'summary_text', text: '' };
    send('response.reasoning_summary_part.added', { ...at, summary_index: 0, part });
    for (const delta of splitText(text, false))
      send('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta });
    send('response.reasoning_summary_text.done', { ...at, summary_index: 0, text });
    send('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { ...part, text } });
  } else if (wire.type === 'function_call') {
    const args = String(wire.arguments);
    for (const delta of halves(args)) send('response.function_call_arguments.delta', { ...at, delta });
    send('response.function_call_arguments.done', { ...at, arguments: args });
  } else {
    const input = String(wire.input);
    for (const delta of halves(input)) send('response.custom_tool_call_input.delta', { ...at, delta });
    send('response.custom_tool_call_input.done', { ...at, input });
  }
  return true;
}

function toWireItem(item: OutputItem): Wire {
  switch (item.type) {
    case 'message':
      return {
        type: 'message',
        id: newId('msg'),
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: item.text, annotations: [] }],
      };
    case 'reasoning':
      return {
        type: 'reasoning',
        id: newId('rs'),
        summary: [{ type: 'summary_text', text: item.summary }],
        encrypted_content: randomBytes(24).toString('base64'),
      };
    case 'function_call':
      return {
        type: 'function_call',
        id: newId('fc'),
        call_id: newId('call'),
        name: item.name,
        arguments: JSON.stringify(item.arguments),
        status: 'completed',
      };
    case 'custom_tool_call':
      return {
        type: 'custom_tool_call',
        id: newId('ctc'),
        call_id: newId('call'),
        name: item.name,
        input: item.input,
        status: 'completed',
      };
  }
}

/** The item as `response.output_item.added` shows it: in progress, its content still empty. */
function pending(wire: Wire): Wire {
  switch (wire.type) {
    case 'message':
      return { ...wire, status: 'in_progress', content: [] };
    case 'reasoning':
      return { ...wire, summary: [] };
    case 'function_call':
      return { ...wire, status: 'in_progress', arguments: '' };
    default:
      return { ...wire, status: 'in_progress', input: '' };
  }
}

function wireUsage(u: Usage): Wire {
  return {
    input_tokens: u.input,
    input_tokens_details: { cached_tokens: u.cached },
    output_tokens: u.output,
    output_tokens_details: { reasoning_tokens: u.reasoning },
    total_tokens: u.input + u.output,
  };
}
