/** Small text helpers for what the tools answer: money, one-line summaries, caps on long text. */

/** `$0.0042` under a dollar, `$12.50` above; `$?` for a value that is not a number. */
export function usd(amount: number): string {
  if (!Number.isFinite(amount)) return '$?';
  if (amount === 0) return '$0.00';
  return `$${amount.toFixed(Math.abs(amount) < 1 ? 4 : 2)}`;
}

/** Collapses whitespace runs (newlines included) to single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Cuts `text` to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Cuts `text` to at most `max` characters at a line boundary (a single over-long first line is cut
 * inside), and says whether anything was cut.
 */
export function capLines(text: string, max: number): { text: string; cut: boolean } {
  if (text.length <= max) return { text, cut: false };
  const head = text.slice(0, max);
  const end = head.lastIndexOf('\n');
  return { text: end > 0 ? head.slice(0, end + 1) : head, cut: true };
}
