/**
 * Plain-text building blocks every surface shares: money, folding and cutting text. Lengths are UTF-16
 * code units (what browsers, terminals' JS and chat platforms' limits count), and a cut never splits a
 * surrogate pair.
 */

/** `$0.0123` under a dollar (agent runs cost cents), `$12.34` above; never hides a small cost as `$0.00`. */
export function formatUsd(amount: number): string {
  if (!Number.isFinite(amount)) return '$?';
  if (amount === 0) return '$0.00';
  return `$${amount.toFixed(Math.abs(amount) < 1 ? 4 : 2)}`;
}

/** Collapses whitespace runs (newlines included) to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to at most `max` UTF-16 units, ending with an ellipsis, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (end > 0 && code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The first non-empty line of `text` (trimmed) and how many lines it has, blank ones around it aside. */
export function foldLines(text: string): { first: string; count: number } {
  const trimmed = text.trim();
  if (trimmed === '') return { first: '', count: 0 };
  const lines = trimmed.split(/\r?\n/);
  return { first: lines[0]!.trim(), count: lines.length };
}

/** `1 file`, `3 files`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
