/**
 * The part of reading a conversation both scripted LLM fakes do alike, whatever the wire format: which
 * messages a human wrote, which of them carries the scenario directive, and what follows from that.
 * Each fake says what a human message is (`humanParts`) and reads steps, tool results and the rest itself.
 *
 * Rules:
 * - The anchor is the latest human message carrying a directive, else the first human message; its
 *   text minus the directive is the `prompt`.
 * - `turn` = human messages after the anchor (0 on the first run, 1+ after each resume).
 */
import { findDirective, stripDirective, type Directive } from './directive.js';

/** What both fakes' views of a conversation start with. */
export interface ConversationBase {
  directive: Directive | null;
  prompt: string;
  /** Text of the latest human message (the reply, on a resume). */
  humanText: string;
  turn: number;
}

export interface Anchor extends ConversationBase {
  /** Where the anchor (prompt) message and the latest human message stand in the conversation. */
  anchorIndex: number;
  latestIndex: number;
}

export type AnchorResult = { ok: true; anchor: Anchor } | { ok: false; error: string };

/**
 * Finds the anchor among `items`; `humanParts` gives the human-written texts of an item (none for
 * anything else), `where` names the list in the error (`messages`, `input`).
 */
export function readAnchor<T>(items: T[], humanParts: (item: T) => string[], where: string): AnchorResult {
  const humans = items.flatMap((item, index) => (humanParts(item).length > 0 ? [index] : []));
  const text = (index: number): string => humanParts(items[index]!).join('\n');
  const latest = humans.at(-1);
  if (latest === undefined) return { ok: false, error: `no human-written user message in ${where}` };
  let anchor = humans[0] ?? latest;
  let directive: Directive | null = null;
  for (const index of [...humans].reverse()) {
    const found = findDirective(text(index));
    if (!found.ok) return { ok: false, error: found.error };
    if (found.directive) {
      anchor = index;
      directive = found.directive;
      break;
    }
  }
  return {
    ok: true,
    anchor: {
      directive,
      prompt: stripDirective(text(anchor), directive),
      humanText: text(latest).trim(),
      turn: humans.filter((index) => index > anchor).length,
      anchorIndex: anchor,
      latestIndex: latest,
    },
  };
}
