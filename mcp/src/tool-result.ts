/**
 * What a Gluon tool answers: plain text for the calling agent, and failures as MCP tool errors (the result
 * with `isError`), never a protocol error or a crash, so the agent reads why and can correct its call.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError } from '../../shared/client.js';

/** A successful answer made of one text block. */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

/** A tool error carrying `message` as its text. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * The message an agent gets for a failed call.
 * Rules: the API's own message comes first, with its code and HTTP status so the agent can tell a bad
 * input (4xx) from a conflict; 401 says the token was refused and where tokens come from; an unreachable
 * server says so as is; anything else is reported as unexpected, with its message.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return error.message;
    if (error.status === 401)
      return 'Gluon refused the token (HTTP 401): set GLUON_TOKEN or check $GLUON_HOME/token';
    return `Gluon refused: ${error.message} (${error.code}, HTTP ${error.status})`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error: ${message}`;
}

/** Wraps a tool body that returns text: its failures become tool errors with {@link describeFailure}. */
export function guarded<A>(body: (args: A) => Promise<string>): (args: A) => Promise<CallToolResult> {
  return async (args: A) => {
    try {
      return textResult(await body(args));
    } catch (error) {
      return errorResult(describeFailure(error));
    }
  };
}
