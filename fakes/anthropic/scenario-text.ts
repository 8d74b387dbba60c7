/** The report of a failed last step, which most scenarios end with. */
import type { Conversation } from './conversation.js';

/** The text a final step reports when the last tool call failed, else null. */
export function failure(c: Conversation): string | null {
  return c.toolResult?.isError ? `The last step failed: ${c.toolResult.text}` : null;
}
