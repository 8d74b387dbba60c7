/**
 * The text of a tool call: a one-line summary of its input (the command, the file, the pattern…) and its
 * result folded to a line. Paths inside the task's worktree are shown relative to it. Shared by every
 * surface, so `Bash: npm test` reads the same in the terminal, the chat and the dashboard.
 */
import { foldLines, oneLine, plural, truncate } from './text.js';

/** Where a tool's text is shown: paths under `worktreePath` become relative; summaries are cut at `max`. */
export interface ToolTextOptions {
  worktreePath?: string | null;
  /** The longest summary, 120 characters by default. */
  max?: number;
}

/** The input field that says the most about a call of each well-known tool. */
const SUMMARY_KEYS: Record<string, string[]> = {
  Bash: ['command'],
  Glob: ['pattern'],
  Grep: ['pattern'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description'],
  Agent: ['description'],
};
/** For any other tool (MCP tools included): the first of these that it has. */
const FALLBACK_KEYS = [
  'command',
  'file_path',
  'notebook_path',
  'path',
  'pattern',
  'url',
  'query',
  'description',
  'prompt',
];

/**
 * A short human summary of a tool's input.
 * Rules: TodoWrite → how many todos; AskUserQuestion → its first question; a well-known tool → its key
 * field; else the first known field that is a non-empty string; else compact JSON (nothing for `{}`).
 */
export function summarizeToolInput(name: string, input: unknown, options: ToolTextOptions = {}): string {
  const max = options.max ?? 120;
  const show = (text: string) => truncate(oneLine(relativeTo(text, options.worktreePath)), max);
  if (input === null || typeof input !== 'object') return input === undefined ? '' : show(String(input));
  const record = input as Record<string, unknown>;
  if (name === 'TodoWrite' && Array.isArray(record.todos)) return plural(record.todos.length, 'todo');
  if (name === 'AskUserQuestion' && Array.isArray(record.questions)) {
    const first = record.questions[0] as { question?: unknown } | undefined;
    if (typeof first?.question === 'string') return show(first.question);
  }
  for (const key of SUMMARY_KEYS[name] ?? FALLBACK_KEYS) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return show(value);
  }
  const json = JSON.stringify(input);
  return json === '{}' ? '' : truncate(json, max);
}

/** `Bash: npm test`, `(explorer) Read: src/a.ts`, or the bare name when the input says nothing. */
export function toolCallText(
  name: string,
  input: unknown,
  options: ToolTextOptions & { subagent?: string | null } = {},
): string {
  const summary = summarizeToolInput(name, input, options);
  return `${options.subagent ? `(${options.subagent}) ` : ''}${name}${summary ? `: ${summary}` : ''}`;
}

/** A tool's output folded to one line: `done`, `a.txt (+2 lines)`, `(no output)`. */
export function toolResultText(output: string, options: ToolTextOptions = {}): string {
  const { first, count } = foldLines(relativeTo(output, options.worktreePath));
  if (count === 0) return '(no output)';
  const more = count > 1 ? ` (+${plural(count - 1, 'line')})` : '';
  return `${truncate(first, 160)}${more}`;
}

/** `text` with every `<worktreePath>/` prefix removed. */
export function relativeTo(text: string, worktreePath: string | null | undefined): string {
  return worktreePath ? text.split(`${worktreePath.replace(/\/+$/, '')}/`).join('') : text;
}
