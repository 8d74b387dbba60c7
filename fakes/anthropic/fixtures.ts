/**
 * Builders for Messages API conversations shaped like Claude Code's, for unit tests of the fake's
 * step logic: the first user message carries `<system-reminder>` blocks before the human text, and
 * tool results carry an appended reminder.
 */
import type { ApiMessage } from './conversation.js';

export const FIXTURE_CWD = '/tmp/fixture-wd';

const ENV_REMINDER = `<system-reminder>\n# Environment\n - Primary working directory: ${FIXTURE_CWD}\n - Platform: linux\n</system-reminder>`;
const TOKENS_REMINDER =
  '<system-reminder>\n<total_tokens>1000 tokens left</total_tokens>\n</system-reminder>';

/** The first user message of a session: reminders, then the prompt. */
export function firstUser(prompt: string): ApiMessage {
  return {
    role: 'user',
    content: [
      { type: 'text', text: ENV_REMINDER },
      { type: 'text', text: TOKENS_REMINDER },
      { type: 'text', text: prompt },
    ],
  };
}

/** A later human message (a resume reply). */
export function humanReply(text: string): ApiMessage {
  return { role: 'user', content: [{ type: 'text', text }] };
}

/** An assistant message; the fake only counts them, so the content is a token gesture. */
export function assistant(text = 'ok'): ApiMessage {
  return { role: 'assistant', content: [{ type: 'text', text }] };
}

/** A user message answering a tool call, with Claude Code's appended reminder. */
export function toolResult(text: string, isError = false): ApiMessage {
  return {
    role: 'user',
    content: [{ type: 'tool_result', content: `${text}\n\n${TOKENS_REMINDER}`, is_error: isError }],
  };
}
