/**
 * Turns the Claude Agent SDK's messages into Gluon events. Text and thinking stream as coalesced
 * `agent.delta` events while the model writes; the complete block follows as `agent.text` /
 * `agent.thinking` when it ends; tool calls and results as `tool.called` / `tool.result`.
 * Streamed text and cut tool output are redacted here, where they are cut: the event log redacts every
 * event too, but by then a secret split between two deltas, or cut off at the size limit, no longer looks
 * like one.
 */
import type { NewEvent } from '../../../shared/events.js';
import { createRedactor, type Redactor } from '../domain/redact.js';
import { cutStream } from '../domain/redact-stream.js';

const MAX_TOOL_OUTPUT = 64 * 1024;
const DELTA_FLUSH_CHARS = 400;

/** A streaming block: `pending` is text not sent yet, of which the first `held` characters were held back. */
type Block = { kind: 'text' | 'thinking'; messageId: string; index: number; pending: string; held: number };

// SDK messages are typed loosely here on purpose: the mapper must survive fields it does not know.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null;

function toolOutput(content: unknown, redact: Redactor): { output: string; truncated: boolean } {
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    text = content
      .map((c) =>
        isObj(c) && c.type === 'text' ? String(c.text ?? '') : isObj(c) ? `[${String(c.type)}]` : '',
      )
      .join('\n');
  }
  // Claude Code appends reminders meant for the model; they are noise for a human.
  text = text.replace(/\n*<system-reminder>[\s\S]*?<\/system-reminder>\s*/g, '').trimEnd();
  // Redact, then cut: a key cut before its end no longer matches the rule that would hide it.
  text = redact(text);
  if (text.length <= MAX_TOOL_OUTPUT) return { output: text, truncated: false };
  return { output: text.slice(0, MAX_TOOL_OUTPUT), truncated: true };
}

export class SdkEventMapper {
  /** Open streaming blocks, by stream (subagents stream on their own) and index. */
  private blocks = new Map<string, Block>();
  private currentMessage = new Map<string, string>();
  /** The main agent's last complete text, redacted (its summary or its question). */
  lastText: string | null = null;

  /** `redact` should know Gluon's secret values; without one only secret shapes are hidden. */
  constructor(private readonly redact: Redactor = createRedactor([])) {}

  /** Events for one SDK message (deltas are held back until `flushDeltas` or enough text gathers). */
  map(msg: unknown): NewEvent[] {
    if (!isObj(msg)) return [];
    const stream = String(msg.parent_tool_use_id ?? 'main');
    const subagent = (msg.parent_tool_use_id as string | null | undefined) ?? null;
    switch (msg.type) {
      case 'stream_event':
        return this.mapStream(stream, msg);
      case 'assistant':
        return this.mapAssistant(msg, subagent);
      case 'user':
        return this.mapUser(msg);
      default:
        return [];
    }
  }

  /**
   * Gathered streaming text that has not been sent yet, as delta events (redacted). The end of it may be
   * held back until the next piece (redact-stream.ts); what is still held when the block ends is not
   * sent as a delta, as the complete block follows.
   */
  flushDeltas(): NewEvent[] {
    const out: NewEvent[] = [];
    for (const b of this.blocks.values()) {
      if (b.pending.length > b.held) out.push(...this.send(b));
    }
    return out;
  }

  private send(b: Block): NewEvent[] {
    const { send, keep } = cutStream(b.pending, this.redact);
    b.pending = keep;
    b.held = keep.length;
    if (!send) return [];
    return [
      { type: 'agent.delta', data: { messageId: b.messageId, index: b.index, kind: b.kind, text: send } },
    ];
  }

  private mapStream(stream: string, msg: Obj): NewEvent[] {
    const ev = msg.event;
    if (!isObj(ev)) return [];
    if (ev.type === 'message_start' && isObj(ev.message)) {
      this.currentMessage.set(stream, String(ev.message.id ?? msg.api_message_id ?? ''));
      return [];
    }
    const key = `${stream}:${String(ev.index ?? 0)}`;
    if (ev.type === 'content_block_start' && isObj(ev.content_block)) {
      const t = ev.content_block.type;
      if (t === 'text' || t === 'thinking') {
        const messageId = String(msg.api_message_id ?? this.currentMessage.get(stream) ?? '');
        this.blocks.set(key, { kind: t, messageId, index: Number(ev.index ?? 0), pending: '', held: 0 });
      }
      return [];
    }
    if (ev.type === 'content_block_delta' && isObj(ev.delta)) {
      const block = this.blocks.get(key);
      if (!block) return [];
      const d = ev.delta;
      const piece = d.type === 'text_delta' ? d.text : d.type === 'thinking_delta' ? d.thinking : undefined;
      if (typeof piece !== 'string') return [];
      block.pending += piece;
      return block.pending.length - block.held < DELTA_FLUSH_CHARS ? [] : this.send(block);
    }
    if (ev.type === 'content_block_stop') {
      // The complete block arrives with the assistant message; what is still pending is in it.
      this.blocks.delete(key);
    }
    return [];
  }

  /**
   * A complete block arrived: what is still pending of its stream is in it. Claude Code may send the
   * complete block before the stream's `content_block_stop`, and a flush in between would send text after
   * it. Blocks stream one at a time, so the open one of that message and kind is this one (Claude Code
   * sends each block as a message of its own: its place there is not its index in the stream).
   */
  private completed(messageId: string, kind: 'text' | 'thinking'): void {
    for (const [key, b] of this.blocks)
      if (b.messageId === messageId && b.kind === kind) this.blocks.delete(key);
  }

  private mapAssistant(msg: Obj, subagent: string | null): NewEvent[] {
    const message = msg.message;
    if (!isObj(message) || !Array.isArray(message.content)) return [];
    const messageId = String(message.id ?? '');
    const out: NewEvent[] = [];
    for (const block of message.content) {
      if (!isObj(block)) continue;
      if (block.type === 'text' || block.type === 'thinking') this.completed(messageId, block.type);
      if (block.type === 'text' && typeof block.text === 'string' && block.text.trim()) {
        out.push({ type: 'agent.text', data: { messageId, text: block.text, subagent } });
        if (!subagent) this.lastText = this.redact(block.text);
      } else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) {
        out.push({ type: 'agent.thinking', data: { messageId, text: block.thinking, subagent } });
      } else if (block.type === 'tool_use') {
        out.push({
          type: 'tool.called',
          data: {
            toolUseId: String(block.id ?? ''),
            name: String(block.name ?? 'unknown'),
            input: block.input ?? {},
            subagent,
          },
        });
      }
    }
    return out;
  }

  private mapUser(msg: Obj): NewEvent[] {
    const message = msg.message;
    if (!isObj(message) || !Array.isArray(message.content)) return [];
    const out: NewEvent[] = [];
    for (const block of message.content) {
      if (!isObj(block) || block.type !== 'tool_result') continue;
      const { output, truncated } = toolOutput(block.content, this.redact);
      out.push({
        type: 'tool.result',
        data: {
          toolUseId: String(block.tool_use_id ?? ''),
          output,
          isError: block.is_error === true,
          ...(truncated ? { truncated } : {}),
        },
      });
    }
    return out;
  }
}
