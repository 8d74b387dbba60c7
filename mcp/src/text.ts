/** Cutting long tool answers (a diff, a log) at a line boundary; the rest of the text helpers are shared/text.ts. */

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
