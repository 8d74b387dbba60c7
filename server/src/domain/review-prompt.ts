/**
 * The prompt of a "Send review" resume: every comment anchored (file, lines, the code it points at) and
 * the reviewer's words. Pure.
 */

export interface PromptComment {
  path: string;
  line: number;
  endLine: number;
  /** The code at those lines (as it was when the comment was written, when `outdated`). */
  code: string;
  body: string;
  outdated: boolean;
}

/** A Markdown fence longer than any run of backticks in `text`, so the code cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

const where = (c: PromptComment) => `${c.path}:${c.line === c.endLine ? c.line : `${c.line}-${c.endLine}`}`;

/**
 * Rules: comments in the order given (the caller sorts them by file and line); each names its file and
 * line or range, quotes its code in a fence it cannot break, and says when that code has since changed;
 * an optional summary from the reviewer comes first; the agent is asked to address each one and say
 * which it addressed, or why not.
 */
export function reviewPrompt(comments: readonly PromptComment[], summary?: string | null): string {
  const count = comments.length === 1 ? '1 comment' : `${comments.length} comments`;
  const parts = [`A reviewer read your changes and left ${count} on specific lines.`];
  if (summary?.trim()) parts.push('', 'Their summary:', summary.trim());
  comments.forEach((c, i) => {
    const fence = fenceFor(c.code);
    parts.push(
      '',
      `${i + 1}. ${where(c)}${c.outdated ? ' (this code has changed since the comment was written)' : ''}`,
      fence,
      c.code,
      fence,
      c.body.trim(),
    );
  });
  parts.push(
    '',
    'Address every comment in the code. When you finish, list each comment by its number and say what you ' +
      'changed for it, or why you left it as it is.',
  );
  return parts.join('\n');
}
