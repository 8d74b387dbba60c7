/**
 * What a scenario step answers, and builders for the tool calls the real Codex CLI executes. Tool
 * inputs follow Codex's own tool schemas: `exec_command` takes `{ cmd }` (a shell script run by the
 * user's shell), `apply_patch` is a freeform tool whose input is a patch in Codex's envelope format.
 */
import type { ReplyTiming } from '../shared/script.js';

export type OutputItem =
  | { type: 'message'; text: string }
  | { type: 'reasoning'; summary: string }
  | { type: 'function_call'; name: string; arguments: Record<string, unknown> }
  | { type: 'custom_tool_call'; name: string; input: string };

/** Token counts of one response. `input` includes `cached`; `output` includes `reasoning`, as the API counts. */
export interface Usage {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

/** A response; its `delayMs` comes before `response.created`. */
export interface ResponseReply extends ReplyTiming {
  kind: 'response';
  items: OutputItem[];
  usage: Usage;
}

/** An HTTP error with the API's JSON body (`{error:{message,type,param,code}}`). */
export interface ErrorReply {
  kind: 'error';
  status: number;
  message: string;
  type: string;
  code: string | null;
  /** Sent as `retry-after` (seconds) with the `x-ratelimit-*` headers of a rate limit. */
  retryAfterSeconds?: number;
}

/** A stream that starts well and then fails: `response.created`, then `response.failed` with this error. */
export interface StreamFailureReply {
  kind: 'stream_failure';
  code: string;
  message: string;
}

/** `response.created`, then nothing: a model that never answers (the connection stays open). */
export interface HangReply {
  kind: 'hang';
}

export type Reply = ResponseReply | ErrorReply | StreamFailureReply | HangReply;

/**
 * Every response costs this unless a scenario or the `input_tokens`/`cached_tokens`/`output_tokens`/
 * `reasoning_tokens` params say otherwise: at gpt-5.5 prices ($5/M input, $0.50/M cached, $30/M output)
 * 600 × 5 + 400 × 0.5 + 100 × 30 = $0.0062 per response.
 */
export const DEFAULT_USAGE: Usage = { input: 1000, cached: 400, output: 100, reasoning: 40 };

/** A response that ends the turn with `text`, optionally after reasoning or other items. */
export function finish(text: string, before: OutputItem[] = []): ResponseReply {
  return { kind: 'response', items: [...before, { type: 'message', text }], usage: DEFAULT_USAGE };
}

/** A response that runs `cmd` through Codex's `exec_command` tool (the model's shell). */
export function shell(cmd: string, before: OutputItem[] = []): ResponseReply {
  return {
    kind: 'response',
    items: [...before, { type: 'function_call', name: 'exec_command', arguments: { cmd } }],
    usage: DEFAULT_USAGE,
  };
}

/** A response that adds a file through Codex's freeform `apply_patch` tool (a `file_change` in its events). */
export function addFilePatch(path: string, content: string): ResponseReply {
  const lines = content.replace(/\n$/, '').split('\n');
  const patch = ['*** Begin Patch', `*** Add File: ${path}`, ...lines.map((l) => `+${l}`), '*** End Patch'];
  return {
    kind: 'response',
    items: [{ type: 'custom_tool_call', name: 'apply_patch', input: `${patch.join('\n')}\n` }],
    usage: DEFAULT_USAGE,
  };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'invalid_request_error',
  404: 'invalid_request_error',
  429: 'requests',
};

const ERROR_CODES: Record<number, string | null> = {
  401: 'invalid_api_key',
  429: 'rate_limit_exceeded',
};

/** An API error answered as the real API does; type and code follow from the status unless given. */
export function apiError(
  status: number,
  message: string,
  extra: { code?: string | null; type?: string; retryAfterSeconds?: number } = {},
): ErrorReply {
  const reply: ErrorReply = {
    kind: 'error',
    status,
    message,
    type: extra.type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error'),
    code: extra.code !== undefined ? extra.code : (ERROR_CODES[status] ?? null),
  };
  if (extra.retryAfterSeconds !== undefined) reply.retryAfterSeconds = extra.retryAfterSeconds;
  return reply;
}
