/**
 * Reads a Messages API request body the way the fake needs it: which scenario, which step, what the
 * human said and what the last tool returned. Pure, so the step logic is testable on crafted bodies.
 *
 * Rules (the fake is stateless, so everything comes from `messages`; the anchor, prompt and turn are
 * read as fakes/shared/conversation.ts says):
 * - A "human" message is a user message with at least one text block that does not start with
 *   `<system-reminder>` and is not Claude Code's own interruption marker. Tool results don't count.
 * - `step` = assistant messages after the latest human message.
 */
import { readAnchor, type ConversationBase } from '../shared/conversation.js';

export interface ContentBlock {
  type: string;
  text?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface ApiMessage {
  role: string;
  content: string | ContentBlock[];
}

export interface ToolResult {
  text: string;
  isError: boolean;
}

export interface Conversation extends ConversationBase {
  step: number;
  /** The tool result in the last message, if the last message answers a tool call. */
  toolResult: ToolResult | null;
  /** Claude Code's working directory, read from its environment reminder, to make paths absolute. */
  cwd: string | null;
  /** Media types of the images in the anchor (prompt) message, in order. */
  images: string[];
}

export type ConversationResult = { ok: true; conversation: Conversation } | { ok: false; error: string };

const REMINDER = '<system-reminder>';
const REMINDER_BLOCK = /<system-reminder>[\s\S]*?<\/system-reminder>/g;
const INTERRUPTED = '[Request interrupted by user';
const CWD_LINE = /Primary working directory: (.+)/;

/** Analyzes `messages` (already checked to be an array of objects) into the fake's view of the run. */
export function readConversation(messages: ApiMessage[], system?: unknown): ConversationResult {
  const read = readAnchor(messages, humanBlocks, 'messages');
  if (!read.ok) return read;
  const { anchorIndex, latestIndex, ...anchor } = read.anchor;
  const conversation: Conversation = {
    ...anchor,
    step: messages.slice(latestIndex + 1).filter((m) => m.role === 'assistant').length,
    toolResult: lastToolResult(messages.at(-1)),
    cwd: findCwd(messages, system),
    images: imagesOf(messages[anchorIndex]),
  };
  return { ok: true, conversation };
}

/** Text of a tool result with Claude Code's appended reminders removed. */
export function toolResultText(content: unknown): string {
  const raw =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((b: ContentBlock) => (b.type === 'text' ? (b.text ?? '') : '')).join('\n')
        : '';
  return raw.replace(REMINDER_BLOCK, '').trim();
}

function blocksOf(message: ApiMessage | undefined): ContentBlock[] {
  if (!message) return [];
  return typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
}

function humanBlocks(message: ApiMessage | undefined): string[] {
  if (message?.role !== 'user') return [];
  return blocksOf(message)
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text ?? '')
    .filter((t) => !t.startsWith(REMINDER) && !t.startsWith(INTERRUPTED));
}

function lastToolResult(message: ApiMessage | undefined): ToolResult | null {
  if (message?.role !== 'user') return null;
  const result = blocksOf(message).findLast((b) => b.type === 'tool_result');
  return result ? { text: toolResultText(result.content), isError: result.is_error === true } : null;
}

function findCwd(messages: ApiMessage[], system: unknown): string | null {
  const systemTexts = typeof system === 'string' ? [system] : Array.isArray(system) ? system : [];
  // Claude Code states the environment in the first message, and again in the newest one when a session
  // is resumed or forked in another directory: the newest statement is where it runs now.
  const stated = [...messages].reverse().flatMap((m) => (m.role === 'user' ? blocksOf(m) : []));
  const texts = [...stated, ...systemTexts].map((b: unknown) =>
    typeof b === 'string' ? b : String((b as ContentBlock | null)?.text ?? ''),
  );
  for (const text of texts) {
    const match = CWD_LINE.exec(text);
    // A session continued elsewhere says `Primary working directory: /new (was /old)`.
    if (match?.[1]) return match[1].replace(/ \(was .*\)$/, '').trim();
  }
  return null;
}

/** The media types of a message's image blocks. */
function imagesOf(message: ApiMessage | undefined): string[] {
  const content = (message as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(content)) return [];
  return content.flatMap((b: unknown) => {
    const block = b as { type?: unknown; source?: { media_type?: unknown } };
    return block?.type === 'image' ? [String(block.source?.media_type ?? 'unknown')] : [];
  });
}
