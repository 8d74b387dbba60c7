/**
 * Where a review comment points after the code moved: re-anchoring by content. Pure; the service reads the
 * file at the branch tip and hands its lines here.
 */

export interface CommentAnchor {
  /** 1-based first and last line when the comment was written. */
  line: number;
  endLine: number;
  /** The lines it pointed at, joined with `\n`. */
  code: string;
}

export interface AnchoredPosition {
  line: number;
  endLine: number;
  /** The code is gone (or the file is): the position is where it used to be. */
  outdated: boolean;
}

const same = (a: string, b: string) => a.trimEnd() === b.trimEnd();

function matchesAt(lines: readonly string[], code: readonly string[], start: number): boolean {
  if (start < 0 || start + code.length > lines.length) return false;
  return code.every((c, i) => same(c, lines[start + i]!));
}

/**
 * Finds the comment's code in the file as it is now.
 * Rules:
 * - the file is gone (`lines` null) → outdated, at the old position;
 * - the code is still at its old lines → there (trailing whitespace is ignored everywhere);
 * - the code occurs elsewhere → the occurrence nearest the old line, the earlier one on a tie;
 * - the code occurs nowhere → outdated, at the old position.
 */
export function anchorComment(anchor: CommentAnchor, lines: readonly string[] | null): AnchoredPosition {
  const stale = { line: anchor.line, endLine: anchor.endLine, outdated: true };
  if (lines === null) return stale;
  const code = anchor.code.split('\n');
  const at = (start: number) => ({ line: start + 1, endLine: start + code.length, outdated: false });
  const old = anchor.line - 1;
  if (matchesAt(lines, code, old)) return at(old);
  for (let distance = 1, far = Math.max(old, lines.length); distance <= far; distance += 1) {
    if (matchesAt(lines, code, old - distance)) return at(old - distance);
    if (matchesAt(lines, code, old + distance)) return at(old + distance);
  }
  return stale;
}

/** Splits file text into lines as an editor numbers them (a final newline ends the last line). */
export function fileLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
