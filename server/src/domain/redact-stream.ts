/**
 * Redaction of streamed text (an agent's deltas): a secret cut in two between pieces matches no rule in
 * either half, so the end of what has arrived is held back until the next piece shows whether a secret
 * goes on there. What is sent is redacted; what is held is sent later, or dropped when the complete text
 * follows by other means (the agent's final message).
 */
import type { Redactor } from './redact.js';

/** How far back from the end a cue (`password`, `Bearer`, `-----BEGIN`) holds the text after it. */
export const CUE_WINDOW = 256;
/** Past this much held text everything is sent (redacted): a stream must not stall forever. */
export const MAX_HOLD = 16 * 1024;

export interface StreamCut {
  /** Redacted text to send now (may be empty). */
  send: string;
  /** Raw text to keep until more arrives. */
  keep: string;
}

/**
 * Splits streamed text that has not been sent yet into what is safe to send and what must wait.
 * Rules:
 * - the unfinished last word is held: a token may go on in the next piece;
 * - a cue word in the last 256 characters holds itself and everything after it: the secret may follow;
 * - a secret found that runs into the held part, or up to the end of the text (white space aside), is
 *   held whole from its start: it may grow (a private key whose END line has not come yet);
 * - `final` sends everything; so does a hold that would exceed 16 KB.
 */
export function cutStream(text: string, redactor: Redactor, final = false): StreamCut {
  if (final || text.length === 0) return { send: redactor(text), keep: '' };
  let cut = text.length;
  while (cut > 0 && !/\s/.test(text[cut - 1]!)) cut--;
  cut = Math.min(cut, cueStart(text, redactor.cues));
  const end = text.trimEnd().length;
  for (const span of redactor.spans(text)) {
    if (span.start < cut && (span.end > cut || span.end >= end)) cut = span.start;
  }
  if (text.length - cut > MAX_HOLD) cut = text.length;
  return { send: cut === 0 ? '' : redactor(text.slice(0, cut)), keep: text.slice(cut) };
}

/** Where the word holding the first cue of the last `CUE_WINDOW` characters starts (else the end). */
function cueStart(text: string, cues: readonly string[]): number {
  const from = Math.max(0, text.length - CUE_WINDOW);
  // ASCII lower case only: a full `toLowerCase` may change the length (`İ`) and shift positions.
  const window = text.slice(from).replace(/[A-Z]+/g, (w) => w.toLowerCase());
  let first = window.length;
  for (const cue of cues) {
    const at = window.indexOf(cue);
    if (at !== -1 && at < first) first = at;
  }
  if (first === window.length) return text.length;
  let start = from + first;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  return start;
}
