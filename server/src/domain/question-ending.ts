/**
 * Plain questions: the agent ends its turn asking the user something and waits. Read from the closing
 * paragraph of its final text (question-asks.ts decides what asks).
 */
import { asks, sentences } from './question-asks.js';

/** A question longer than this is cut to its last sentences: surfaces show it in a notification. */
const MAX_QUESTION_LENGTH = 400;
const FENCE = /^\s*(```|~~~)/;
const LIST_ITEM = /^\s*([-*+]|\d{1,2}[.)])\s+\S/;

/**
 * The question the agent ended its turn with, or null.
 * - fenced code blocks at the very end are set aside (an agent often asks, then shows the diff);
 * - the closing paragraph asks when its last sentence asks (a question, a request for an answer or a
 *   decision, a statement that it waits for one) and is no courtesy ("Let me know if you need anything
 *   else."): "Question: formal or casual? Please answer before I continue." asks, "Done. All tests pass."
 *   does not;
 * - a closing list of choices counts when the line or paragraph before it asks (`Which one?`, `Choose:`),
 *   and is returned with it;
 * - a closing paragraph that asks brings along the paragraph before it when that one lists choices
 *   ("1. A / 2. B" then "Which one?"), or, for a request without its own `?`, when that one asks
 *   ("Formal or casual?" then "Please answer before I continue.");
 * - markdown emphasis, heading and quote markers are removed; a long question keeps its last sentences.
 */
export function extractTrailingQuestion(finalText: string): string | null {
  if (typeof finalText !== 'string') return null;
  const lines = withoutTrailingCode(finalText.replace(/\r\n?/g, '\n').split('\n'));
  const paragraph = lastParagraph(lines);
  if (paragraph.length === 0) return null;
  const before = lines.slice(0, lines.length - paragraph.length);

  const text = clean(paragraph);
  const ask = closingAsks(text);
  if (ask) {
    const previous = lastParagraph(before);
    const choices = previous.length > 0 && startOfTrailingList(previous) < previous.length;
    const asked =
      ask === 'request' && !text.includes('?') && previous.length > 0 && closingAsks(clean(previous));
    return choices || asked ? `${shorten(clean(previous))}\n${shorten(text)}` : shorten(text);
  }
  const listStart = startOfTrailingList(paragraph);
  if (listStart === paragraph.length) return null;
  const lead = clean(listStart > 0 ? paragraph.slice(0, listStart) : lastParagraph(before));
  return lead !== '' && closingAsks(lead) ? `${shorten(lead)}\n${clean(paragraph.slice(listStart))}` : null;
}

/** How the last sentence of `text` asks, if it does. */
function closingAsks(text: string) {
  const all = sentences(text);
  return all.length === 0 ? null : asks(all[all.length - 1]!);
}

function startOfTrailingList(paragraph: string[]): number {
  let start = paragraph.length;
  while (start > 0 && LIST_ITEM.test(paragraph[start - 1]!)) start--;
  return start;
}

/** Drops trailing blank lines and fenced code blocks that close the text. */
function withoutTrailingCode(lines: string[]): string[] {
  const out = [...lines];
  const trim = () => {
    while (out.length > 0 && out[out.length - 1]!.trim() === '') out.pop();
  };
  trim();
  while (out.length > 0 && FENCE.test(out[out.length - 1]!)) {
    let open = out.length - 2;
    while (open >= 0 && !FENCE.test(out[open]!)) open--;
    out.length = Math.max(open, 0);
    trim();
  }
  return out;
}

/** The last run of non-blank lines. */
function lastParagraph(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end--;
  let start = end;
  while (start > 0 && lines[start - 1]!.trim() !== '') start--;
  return lines.slice(start, end);
}

/** Removes heading and quote markers and emphasis wrapping each line. */
function clean(lines: string[]): string {
  return lines
    .map((l) =>
      l
        .replace(/^\s*(>\s*)+/, '')
        .replace(/^#{1,6}\s+/, '')
        .replace(/(\*\*|__|~~)(.+?)\1/g, '$2')
        .replace(/(^|\s)[*_](\S(?:.*?\S)?)[*_](?=\s|$|[?.!,])/g, '$1$2')
        .trim(),
    )
    .filter((l) => l !== '')
    .join('\n');
}

/** Keeps the last sentences that fit the limit (at least one, even if long). */
function shorten(text: string): string {
  if (text.length <= MAX_QUESTION_LENGTH) return text;
  const parts = text.split(/(?<=[.!?\uff1f])\s+/);
  let out = parts.pop() ?? text;
  while (parts.length > 0 && out.length + parts[parts.length - 1]!.length < MAX_QUESTION_LENGTH) {
    out = `${parts.pop()!} ${out}`;
  }
  return out;
}
