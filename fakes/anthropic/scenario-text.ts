/** Text the scenarios share: the report of a failed last step, a prompt's first line. */
import type { Conversation } from './conversation.js';

/** The text a final step reports when the last tool call failed, else null. */
export function failure(c: Conversation): string | null {
  return c.toolResult?.isError ? `The last step failed: ${c.toolResult.text}` : null;
}

export function firstLine(text: string): string {
  return text.split('\n')[0]?.slice(0, 200) || '(no prompt)';
}
