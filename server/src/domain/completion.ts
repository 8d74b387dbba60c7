/**
 * Completion detection for the Ralph loop: does this iteration end the loop as done? A done claim is the
 * agent's EXIT_SIGNAL, and it stands only with a second, independent signal (reliability.md: heuristic
 * exits while work remains) and, when the task has a verify command, only when that command exits 0.
 */
import { parseStatusBlock, type StatusBlock } from './status-block.js';

/** What the verify command did (run by the caller in the worktree, with a time limit). */
export interface VerifyResult {
  /** null when it did not exit by itself (killed on timeout, or by a signal). */
  exitCode: number | null;
  /** stdout and stderr together, as captured. */
  output: string;
  timedOut?: boolean;
}

/** Progress of the agent's own checklist (its last TodoWrite), see {@link checklistFromTodos}. */
export interface Checklist {
  done: number;
  total: number;
}

export interface CompletionInput {
  /** The iteration being judged (1-based). */
  iteration: number;
  /**
   * This iteration's final agent text, tagged with the iteration that produced it; null when the agent
   * said nothing. The tag makes a stale signal (text kept from an earlier run) a visible mismatch.
   */
  output: { iteration: number; text: string } | null;
  /** Present when the task has a verify command; `result` null when it was not run. */
  verify?: { command: string; result: VerifyResult | null } | null;
  checklist?: Checklist | null;
}

export type CompletionReason =
  | 'completed'
  | 'no_status_block'
  | 'stale_signal'
  | 'not_claimed'
  | 'contradicted'
  | 'uncorroborated'
  | 'verify_not_run'
  | 'verify_failed';

export interface CompletionDecision {
  done: boolean;
  reason: CompletionReason;
  /** One line for the iteration record and the Loop tab. */
  detail: string;
  /** What the next iteration's prompt should tell the agent, when there is something to tell. */
  feedback?: string;
  /** The block read from this iteration's text (null when none or stale). */
  block: StatusBlock | null;
}

/** The verify output fed back is cut to this many characters (its head and, mostly, its tail). */
export const MAX_VERIFY_FEEDBACK = 4000;

/**
 * Decides whether the loop is done after this iteration.
 * - text from another iteration is stale and never counts;
 * - no status block → not done (the agent is reminded of the protocol);
 * - EXIT_SIGNAL false → not done;
 * - EXIT_SIGNAL true with STATUS IN_PROGRESS or BLOCKED contradicts itself → not done;
 * - with a verify command: done only when it ran and exited 0 (a passing check is the corroboration);
 *   any other outcome → not done, its trimmed output as feedback;
 * - without one: done only with corroboration — the recommendation names no remaining work, the
 *   checklist is complete, or TESTS_STATUS is PASSING — and never with TESTS_STATUS FAILING.
 */
export function decideCompletion(input: CompletionInput): CompletionDecision {
  const { output, iteration } = input;
  if (output !== null && output.iteration !== iteration) {
    return notDone('stale_signal', `ignored text from iteration ${output.iteration}`, null);
  }
  const block = output === null ? null : parseStatusBlock(output.text);
  if (block === null) {
    return notDone(
      'no_status_block',
      'no status block',
      null,
      'Your last session ended without the status block. End this one with it.',
    );
  }
  if (!block.exitSignal) return notDone('not_claimed', describe(block), block);
  if (block.status === 'in_progress' || block.status === 'blocked') {
    return notDone(
      'contradicted',
      `EXIT_SIGNAL true but STATUS ${block.status.toUpperCase()}`,
      block,
      `Your last status block said EXIT_SIGNAL: true with STATUS: ${block.status.toUpperCase()}. Only claim to be done when the work is COMPLETE.`,
    );
  }
  if (input.verify) {
    const { command, result } = input.verify;
    if (result === null) return notDone('verify_not_run', `verify command not run: ${command}`, block);
    if (result.exitCode === 0 && !result.timedOut) return done(`verify passed: ${command}`, block);
    const how = result.timedOut
      ? 'timed out'
      : result.exitCode === null
        ? 'was killed'
        : `exited ${result.exitCode}`;
    return notDone(
      'verify_failed',
      `verify ${how}: ${command}`,
      block,
      `You claimed the work is done, but the verify command \`${command}\` ${how}. Its output:\n\n${fence(trimOutput(result.output))}\n\nFix what it reports before claiming again.`,
    );
  }
  const evidence = corroboration(block, input.checklist ?? null);
  if (evidence === null) {
    return notDone(
      'uncorroborated',
      'EXIT_SIGNAL true without corroboration',
      block,
      'You set EXIT_SIGNAL: true, but nothing confirmed it: run the tests (TESTS_STATUS: PASSING), finish every checklist item, and make sure your RECOMMENDATION names no remaining work.',
    );
  }
  return done(evidence, block);
}

/**
 * Whether the caller should run the verify command now: only on a fresh, self-consistent done claim
 * (running it every iteration would cost time for nothing).
 */
export function shouldRunVerify(input: Pick<CompletionInput, 'iteration' | 'output'>): boolean {
  if (input.output === null || input.output.iteration !== input.iteration) return false;
  const block = parseStatusBlock(input.output.text);
  return block !== null && block.exitSignal && block.status !== 'in_progress' && block.status !== 'blocked';
}

/**
 * The second signal behind a done claim, or null.
 * - TESTS_STATUS FAILING vetoes everything;
 * - then TESTS_STATUS PASSING, a complete checklist (at least one item), or a recommendation that names
 *   no remaining work, in that order.
 */
function corroboration(block: StatusBlock, checklist: Checklist | null): string | null {
  if (block.testsStatus === 'failing') return null;
  if (block.testsStatus === 'passing') return 'done: tests passing';
  if (checklist && checklist.total > 0 && checklist.done >= checklist.total)
    return 'done: checklist complete';
  if (block.recommendation !== null && !namesRemainingWork(block.recommendation))
    return 'done: no remaining work named';
  return null;
}

/** Phrases that say nothing is left; removed before looking for remaining work ("no remaining work"). */
const NOTHING_LEFT = new RegExp(
  [
    String.raw`\bnothing( (else|more))?( (is|left|remaining|remains|pending|outstanding))*( to (do|be done))?`,
    String.raw`\bno (more|further|remaining|outstanding|open|pending) (work|tasks?|steps?|changes?|items?|todos?)( (is |are )?(left|remaining|remain|needed))?`,
    String.raw`\ball (the )?(tasks |work |items |steps )?(are |is )?(done|complete|completed|finished)`,
    String.raw`\b(the )?(work|task|objective|everything|implementation) (is )?(now )?(complete|completed|done|finished)`,
    String.raw`\bnone (left|remaining)`,
  ].join('|'),
  'gi',
);
const WORK_LEFT =
  /\b(continue|next (step|task|iteration|session)|remaining|remains?|still (need|to|has|have|missing|failing)|todo|to-?do|not (yet|done|finished)|pending|left to|unfinished|incomplete|then (add|implement|fix|write|run)|(should|must|need to|needs to) (now )?(add|implement|fix|write|handle|finish|update|refactor))\b/i;

/**
 * Whether a recommendation names work still to do.
 * - phrases saying nothing is left ("No remaining work", "Nothing left to do", "All tasks done") are set
 *   aside first, and a bare "None" / "N/A" names nothing;
 * - then any phrase of remaining work in the rest counts ("Continue with…", "Still need to…", "Next step");
 * - anything else ("Ready for review", "Ship it") names none.
 */
export function namesRemainingWork(recommendation: string): boolean {
  if (/^\s*(none|n\/a|-+)\s*[.!]?\s*$/i.test(recommendation)) return false;
  return WORK_LEFT.test(recommendation.replace(NOTHING_LEFT, ' '));
}

/**
 * The agent's checklist from the input of its last TodoWrite call (`{ todos: [{ status }] }`), or null
 * when the input does not have that shape.
 */
export function checklistFromTodos(input: unknown): Checklist | null {
  if (typeof input !== 'object' || input === null) return null;
  const todos = (input as { todos?: unknown }).todos;
  if (!Array.isArray(todos)) return null;
  const statuses = todos.map((t) =>
    typeof t === 'object' && t !== null ? (t as { status?: unknown }).status : null,
  );
  return { done: statuses.filter((s) => s === 'completed').length, total: statuses.length };
}

/**
 * Cuts command output for a prompt: ANSI colours removed, trimmed, and when longer than `max` the first
 * fifth and the last four fifths kept around a marker (errors and summaries are usually at the end).
 */
export function trimOutput(output: string, max = MAX_VERIFY_FEEDBACK): string {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').trim();
  if (text.length <= max) return text || '(no output)';
  const head = Math.floor(max / 5);
  const tail = max - head;
  return `${text.slice(0, head)}\n… ${text.length - max} characters cut …\n${text.slice(-tail)}`;
}

/** A fenced block that the text cannot close early: the fence is longer than any backtick run inside. */
export function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}\n${text}\n${marks}`;
}

function describe(block: StatusBlock): string {
  const parts = [
    block.status ? `status ${block.status}` : null,
    block.testsStatus ? `tests ${block.testsStatus}` : null,
    block.recommendation ? `next: ${block.recommendation}` : null,
  ].filter((p) => p !== null);
  return parts.length > 0 ? parts.join('; ') : 'no exit signal';
}

function done(detail: string, block: StatusBlock): CompletionDecision {
  return { done: true, reason: 'completed', detail, block };
}

function notDone(
  reason: CompletionReason,
  detail: string,
  block: StatusBlock | null,
  feedback?: string,
): CompletionDecision {
  return feedback === undefined
    ? { done: false, reason, detail, block }
    : { done: false, reason, detail, block, feedback };
}
