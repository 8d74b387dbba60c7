/**
 * The Ralph status block: how an agent in a loop reports, at the end of each iteration, where the work
 * stands. The instructions below are appended to every iteration's prompt; `parseStatusBlock` reads the
 * agent's reply. The framing (`---GLUON_STATUS---` … `---END_GLUON_STATUS---`) is shared with the fake
 * Anthropic API's `status-block` scenario; Ralph's own (`---RALPH_STATUS---` … `---END_RALPH_STATUS---`,
 * same fields) is read too, so prompts written for Ralph keep working.
 */

export const STATUS_BLOCK_START = '---GLUON_STATUS---';
export const STATUS_BLOCK_END = '---END_GLUON_STATUS---';

export type WorkStatus = 'in_progress' | 'complete' | 'blocked';
export type TestsStatus = 'passing' | 'failing' | 'not_run';

/** One parsed block. Fields the agent left out or garbled are null (EXIT_SIGNAL: false). */
export interface StatusBlock {
  status: WorkStatus | null;
  tasksCompletedThisLoop: number | null;
  filesModified: number | null;
  testsStatus: TestsStatus | null;
  /** As written, lowercased: implementation, testing, documentation, refactoring, … */
  workType: string | null;
  /** True only when the agent wrote `true` (or `yes`): anything else is not a claim of being done. */
  exitSignal: boolean;
  recommendation: string | null;
}

/**
 * Appended to every loop prompt. The template's values are placeholders in angle brackets, so an agent
 * that echoes the template verbatim has not claimed anything (`<true or false>` is not `true`).
 */
export const STATUS_BLOCK_INSTRUCTIONS = [
  'End your reply with this status block, exactly once, as the very last thing you write:',
  '',
  STATUS_BLOCK_START,
  'STATUS: <IN_PROGRESS, COMPLETE or BLOCKED>',
  'TASKS_COMPLETED_THIS_LOOP: <number of tasks you finished in this session>',
  'FILES_MODIFIED: <number of files you changed in this session>',
  'TESTS_STATUS: <PASSING, FAILING or NOT_RUN>',
  'WORK_TYPE: <IMPLEMENTATION, TESTING, DOCUMENTATION or REFACTORING>',
  'EXIT_SIGNAL: <true or false>',
  'RECOMMENDATION: <one line: what should happen next>',
  STATUS_BLOCK_END,
  '',
  'Set EXIT_SIGNAL: true only when the whole objective is done: nothing is left to implement, the tests',
  'pass (or there are none to run) and your RECOMMENDATION names no remaining work. Otherwise set',
  'EXIT_SIGNAL: false and say in RECOMMENDATION what the next session should do.',
].join('\n');

const START = /-{3,}\s*(?:GLUON|RALPH)[_ ]STATUS\s*-{3,}/gi;
const END = /-{3,}\s*END[_ ](?:GLUON|RALPH)[_ ]STATUS\s*-{3,}/i;
/** `KEY: value`, tolerating list bullets, bold or backticks around the key, and `=` for `:`. */
const FIELD = /^\s*(?:[-*+]\s+)?[*_`]*([A-Za-z][A-Za-z _]*?)[*_`]*\s*[:=]\s*(.*)$/;

const STATUSES: Record<string, WorkStatus> = {
  in_progress: 'in_progress',
  inprogress: 'in_progress',
  working: 'in_progress',
  complete: 'complete',
  completed: 'complete',
  done: 'complete',
  blocked: 'blocked',
};
const TESTS: Record<string, TestsStatus> = {
  passing: 'passing',
  pass: 'passing',
  passed: 'passing',
  failing: 'failing',
  fail: 'failing',
  failed: 'failing',
  not_run: 'not_run',
  notrun: 'not_run',
  none: 'not_run',
  skipped: 'not_run',
};

/**
 * Reads the status block at the end of an agent's reply, or null when there is none.
 * - only the LAST start marker counts, `---GLUON_STATUS---` or Ralph's `---RALPH_STATUS---` (an earlier
 *   block, or one quoted from the prompt, is superseded); its block runs to the next end marker of either
 *   framing (`---END_GLUON_STATUS---`, `---END_RALPH_STATUS---`), or to the end of the text when unterminated;
 * - markers and keys are matched without case, with any spacing, inside markdown fences, bullets or bold;
 * - a block without any known field is no block (null); a known field with a garbled value reads as null;
 * - RECOMMENDATION may continue over the lines after it until the next field.
 */
export function parseStatusBlock(text: string): StatusBlock | null {
  if (typeof text !== 'string') return null;
  const starts = [...text.matchAll(START)];
  const last = starts[starts.length - 1];
  if (last?.index === undefined) return null;
  let body = text.slice(last.index + last[0].length);
  const end = END.exec(body);
  if (end) body = body.slice(0, end.index);

  const fields = new Map<string, string>();
  let current: string | null = null;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || /^(```|~~~)/.test(line)) continue;
    const field = FIELD.exec(line);
    const key = field ? normaliseKey(field[1] as string) : null;
    if (field && key !== null && KNOWN_KEYS.has(key)) {
      current = key;
      fields.set(key, cleanValue(field[2] as string));
    } else if (current === 'recommendation') {
      fields.set(current, `${fields.get(current) ?? ''} ${cleanValue(line)}`.trim());
    }
  }

  if (fields.size === 0) return null;
  return {
    status: lookup(STATUSES, fields.get('status')),
    tasksCompletedThisLoop: count(fields.get('tasks_completed_this_loop')),
    filesModified: count(fields.get('files_modified')),
    testsStatus: lookup(TESTS, fields.get('tests_status')),
    workType: fields.get('work_type')?.toLowerCase() || null,
    exitSignal: /^(true|yes)$/i.test(fields.get('exit_signal') ?? ''),
    recommendation: fields.get('recommendation') || null,
  };
}

/**
 * The reply without its status blocks (for summaries of earlier iterations: a block copied into the next
 * prompt could be echoed back and read as a fresh signal).
 */
export function stripStatusBlocks(text: string): string {
  let out = text;
  for (;;) {
    START.lastIndex = 0;
    const start = START.exec(out);
    if (!start) break;
    const rest = out.slice(start.index + start[0].length);
    const end = END.exec(rest);
    out = out.slice(0, start.index) + (end ? rest.slice(end.index + end[0].length) : '');
  }
  // A block the agent fenced leaves an empty fence behind.
  return out.replace(/(```|~~~)[\w-]*[ \t]*\n\s*\1[ \t]*/g, '').trim();
}

const KNOWN_KEYS = new Set([
  'status',
  'tasks_completed_this_loop',
  'files_modified',
  'tests_status',
  'work_type',
  'exit_signal',
  'recommendation',
]);

function normaliseKey(key: string): string {
  return key.trim().toLowerCase().replace(/\s+/g, '_');
}

/** Strips quotes, backticks and emphasis around a value. */
function cleanValue(value: string): string {
  return value
    .trim()
    .replace(/^[*_`"'\s]+|[*_`"'\s]+$/g, '')
    .trim();
}

function lookup<T>(table: Record<string, T>, value: string | undefined): T | null {
  if (value === undefined) return null;
  const key = value
    .toLowerCase()
    .replace(/[\s-]+/g, '_')
    .replace(/[.!]+$/, '');
  return table[key] ?? table[key.replace(/_/g, '')] ?? null;
}

/** A leading whole number (`3`, `3 files`); anything else is unknown. */
function count(value: string | undefined): number | null {
  const match = /^(\d{1,6})\b/.exec(value ?? '');
  return match ? Number(match[1]) : null;
}
