/**
 * What a scenario step answers, and small builders for the tool calls Claude Code really executes.
 * Tool inputs follow Claude Code's own tool schemas (Bash `command`, Write `file_path` + `content`,
 * AskUserQuestion `questions`).
 */
import { isAbsolute, join } from 'node:path';
import type { ReplyTiming } from '../shared/script.js';

export type ReplyBlock =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string }
  | { type: 'tool_use'; name: string; input: Record<string, unknown> };

export type StopReason = 'end_turn' | 'tool_use';

export interface Usage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A response; its `delayMs` comes before `message_start`. */
export interface MessageReply extends ReplyTiming {
  kind: 'message';
  blocks: ReplyBlock[];
  stopReason: StopReason;
  usage: Usage;
}

export interface ErrorReply {
  kind: 'error';
  status: number;
  message: string;
  /** Sent as `x-should-retry`; `false` makes Claude Code give up at once instead of backing off. */
  shouldRetry?: boolean;
}

export type Reply = MessageReply | ErrorReply;

/**
 * Every response costs this unless a scenario or the `input_tokens`/`output_tokens`/`cache_read`/
 * `cache_write` params say otherwise: at Sonnet prices ($3/M in, $15/M out) exactly $0.00105.
 */
export const DEFAULT_USAGE: Usage = { input: 100, output: 50, cacheRead: 0, cacheWrite: 0 };

/** A response that ends the turn with `text`. */
export function finish(text: string, extra: ReplyBlock[] = []): MessageReply {
  return {
    kind: 'message',
    blocks: [...extra, { type: 'text', text }],
    stopReason: 'end_turn',
    usage: DEFAULT_USAGE,
  };
}

/** A response that calls one tool, optionally preceded by thinking or text blocks. */
export function callTool(
  name: string,
  input: Record<string, unknown>,
  before: ReplyBlock[] = [],
): MessageReply {
  return {
    kind: 'message',
    blocks: [...before, { type: 'tool_use', name, input }],
    stopReason: 'tool_use',
    usage: DEFAULT_USAGE,
  };
}

/** A Bash tool call. */
export function bash(command: string, description: string, before: ReplyBlock[] = []): MessageReply {
  return callTool('Bash', { command, description }, before);
}

/** A Write tool call; Write wants an absolute path, so relative ones are resolved against Claude's cwd. */
export function write(
  path: string,
  content: string,
  cwd: string | null,
  before: ReplyBlock[] = [],
): MessageReply {
  const filePath = isAbsolute(path) || !cwd ? path : join(cwd, path);
  return callTool('Write', { file_path: filePath, content }, before);
}

/** An AskUserQuestion tool call with a single-choice question. */
export function askUser(question: string, header: string, options: string[]): MessageReply {
  return callTool('AskUserQuestion', {
    questions: [
      {
        question,
        header,
        options: options.map((label) => ({ label, description: `Use ${label}.` })),
        multiSelect: false,
      },
    ],
  });
}

/** An API error answered as the real API does; the error `type` follows from the status. */
export function apiError(status: number, message: string, shouldRetry?: boolean): ErrorReply {
  return shouldRetry === undefined
    ? { kind: 'error', status, message }
    : { kind: 'error', status, message, shouldRetry };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/** The Messages API error type for an HTTP status (`api_error` for other 5xx). */
export function errorType(status: number): string {
  return ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}
