/**
 * The prompt box's completion triggers: `/command` at the very start of the prompt (Claude Code runs a
 * slash command only there) and `@path` anywhere after a space or a line start. Pure, so the caret
 * arithmetic is tested without a DOM.
 */
import type { SlashCommandDto } from '../../../../shared/api.js';

export interface Trigger {
  kind: 'slash' | 'file';
  /** What the user typed after the `/` or `@`. */
  query: string;
  /** Where the token (including its `/` or `@`) starts and ends. */
  start: number;
  end: number;
}

/**
 * The completion trigger under the caret, if any.
 * Rules: the token is the run of non-space characters that ends at the caret; `/` counts only when the
 * token starts the prompt; `@` counts when the token starts the prompt or follows whitespace.
 */
export function findTrigger(text: string, caret: number): Trigger | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start -= 1;
  const token = text.slice(start, caret);
  let end = caret;
  while (end < text.length && !/\s/.test(text[end]!)) end += 1;
  if (token.startsWith('/') && start === 0 && !token.includes('@'))
    return { kind: 'slash', query: token.slice(1), start, end };
  if (token.startsWith('@')) return { kind: 'file', query: token.slice(1), start, end };
  return null;
}

/** Replaces the trigger's token with the completion and a space; returns the new text and caret. */
export function applyCompletion(
  text: string,
  trigger: Trigger,
  value: string,
): { text: string; caret: number } {
  const prefix = trigger.kind === 'slash' ? '/' : '@';
  const insert = `${prefix}${value} `;
  const rest = text.slice(trigger.end).replace(/^ /, '');
  return { text: `${text.slice(0, trigger.start)}${insert}${rest}`, caret: trigger.start + insert.length };
}

/**
 * Slash commands matching a query.
 * Rules: names starting with the query first, then names containing it, then descriptions containing
 * it; project commands before user ones within each group; at most `limit`.
 */
export function matchCommands(
  commands: readonly SlashCommandDto[],
  query: string,
  limit = 20,
): SlashCommandDto[] {
  const q = query.toLowerCase();
  const rank = (c: SlashCommandDto) => {
    const name = c.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.includes(q)) return 1;
    if (c.description.toLowerCase().includes(q)) return 2;
    return -1;
  };
  return commands
    .map((c) => ({ c, r: rank(c) }))
    .filter((x) => x.r >= 0)
    .sort(
      (a, b) =>
        a.r - b.r ||
        (a.c.scope === b.c.scope ? a.c.name.localeCompare(b.c.name) : a.c.scope === 'project' ? -1 : 1),
    )
    .slice(0, limit)
    .map((x) => x.c);
}
