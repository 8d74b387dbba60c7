/**
 * Reads a Responses API request body the way the fake needs it: which scenario, which step, what the
 * human said and what the last tool returned. Pure, so the step logic is testable on crafted bodies.
 *
 * Rules (the fake is stateless; Codex sends the whole history in `input` since it does not store
 * responses; the anchor, prompt and turn are read as fakes/shared/conversation.ts says):
 * - A "human" message is a `user` message with a text part that is not one of Codex's own context
 *   blocks: a whole `<tag>…</tag>` block (environment context, user instructions, an aborted turn) or
 *   the `# AGENTS.md instructions` preamble.
 * - `step` = tool calls (`function_call`, `custom_tool_call`) after the latest human message.
 */
import { readAnchor, type ConversationBase } from '../shared/conversation.js';

export interface InputItem {
  type?: string;
  role?: string;
  content?: unknown;
  output?: unknown;
  name?: string;
  arguments?: string;
  input?: string;
}

export interface ToolResult {
  text: string;
  /** The command's exit code when the output says it (exec_command), else null. */
  exitCode: number | null;
  isError: boolean;
}

export interface Conversation extends ConversationBase {
  step: number;
  /** The tool output in the last item, if the last item answers a tool call. */
  toolResult: ToolResult | null;
  /** Codex's working directory, read from its environment context. */
  cwd: string | null;
  /** Image parts in the anchor (prompt) message. */
  images: number;
}

export type ConversationResult = { ok: true; conversation: Conversation } | { ok: false; error: string };

const CONTEXT_BLOCK = /^<([a-z_][a-z_ ]*)>[\s\S]*<\/\1>$/;
const AGENTS_MD = '# AGENTS.md instructions';
const CWD = /<cwd>([^<]+)<\/cwd>/;
const EXIT_CODE = /Process exited with code (-?\d+)/;

/** Analyzes `input` (already checked to be an array of objects) into the fake's view of the run. */
export function readConversation(input: InputItem[]): ConversationResult {
  const read = readAnchor(input, humanParts, 'input');
  if (!read.ok) return read;
  const { anchorIndex, latestIndex, ...anchor } = read.anchor;
  const conversation: Conversation = {
    ...anchor,
    step: input
      .slice(latestIndex + 1)
      .filter((i) => i.type === 'function_call' || i.type === 'custom_tool_call').length,
    toolResult: toolResultOf(input.at(-1)),
    cwd: findCwd(input),
    images: parts(input[anchorIndex]).filter((p) => p.type === 'input_image').length,
  };
  return { ok: true, conversation };
}

/** What a command printed, without the header Codex puts above it (chunk id, wall time, exit code). */
export function commandOutput(result: ToolResult | null): string {
  if (!result) return '';
  const at = result.text.indexOf('\nOutput:\n');
  return (at < 0 ? result.text : result.text.slice(at + '\nOutput:\n'.length)).trim();
}

type Part = { type?: string; text?: string };

function parts(item: InputItem | undefined): Part[] {
  if (!item) return [];
  if (typeof item.content === 'string') return [{ type: 'input_text', text: item.content }];
  return Array.isArray(item.content)
    ? (item.content as Part[]).filter((p) => p && typeof p === 'object')
    : [];
}

function humanParts(item: InputItem | undefined): string[] {
  if (item?.type !== 'message' || item.role !== 'user') return [];
  return parts(item)
    .filter((p) => p.type === 'input_text' && typeof p.text === 'string')
    .map((p) => p.text ?? '')
    .filter((t) => !CONTEXT_BLOCK.test(t.trim()) && !t.startsWith(AGENTS_MD));
}

function toolResultOf(item: InputItem | undefined): ToolResult | null {
  if (item?.type !== 'function_call_output' && item?.type !== 'custom_tool_call_output') return null;
  const text =
    typeof item.output === 'string'
      ? item.output
      : Array.isArray(item.output)
        ? (item.output as Part[]).map((p) => p?.text ?? '').join('\n')
        : JSON.stringify(item.output ?? '');
  const code = EXIT_CODE.exec(text)?.[1];
  const exitCode = code === undefined ? null : Number(code);
  return { text, exitCode, isError: exitCode !== null && exitCode !== 0 };
}

function findCwd(input: InputItem[]): string | null {
  for (const item of input) {
    if (item.type !== 'message' || item.role !== 'user') continue;
    for (const p of parts(item)) {
      const match = CWD.exec(p.text ?? '');
      if (match?.[1]) return match[1].trim();
    }
  }
  return null;
}
