/**
 * The prompt of each Ralph loop iteration. Every iteration is a fresh agent session, so its prompt carries
 * everything it needs: the objective, a short (bounded) account of the iterations before it, what the
 * last one was told (a failing verify command's output, a missing status block), and the status block
 * protocol it must end with.
 */
import { STATUS_BLOCK_INSTRUCTIONS, stripStatusBlocks, type TestsStatus } from './status-block.js';

/** What an earlier iteration did, as recorded by the loop. */
export interface IterationRecap {
  iteration: number;
  /** The agent's final text (its status block is removed here); null when it said nothing. */
  summary: string | null;
  filesChanged: number;
  commits: number;
  error: string | null;
  testsStatus?: TestsStatus | null;
  /** How the verify command went, when it ran after this iteration. */
  verify?: 'passed' | 'failed' | null;
}

export interface LoopPromptInput {
  objective: string;
  /** The iteration this prompt starts (1-based). */
  iteration: number;
  maxIterations: number;
  /** Earlier iterations, in any order. */
  previous: IterationRecap[];
  /** Feedback on the previous iteration (CompletionDecision.feedback), if any. */
  feedback?: string | null;
  /** Budget for the progress section, in characters (default 3000). */
  maxProgressChars?: number;
}

export const DEFAULT_PROGRESS_CHARS = 3000;
/** Each iteration's summary is cut to this many characters before the budget is shared out. */
const MAX_SUMMARY_CHARS = 400;

/** Builds the prompt of one iteration. */
export function buildLoopPrompt(input: LoopPromptInput): string {
  const sections = [
    `# Objective\n\n${input.objective.trim()}`,
    [
      `# How this session works`,
      '',
      `This is iteration ${input.iteration} of at most ${input.maxIterations} of an autonomous loop working`,
      'on the objective above. Each iteration is a fresh session: you do not remember earlier ones, but',
      'their work is in this worktree (read `git log` and `git status` to see it). Pick the most important',
      'piece of work that remains, do it, and check it (run the tests when there are any). Whatever you',
      'leave uncommitted is committed for you when the session ends.',
    ].join('\n'),
  ];
  const progress = summarizeProgress(input.previous, input.maxProgressChars ?? DEFAULT_PROGRESS_CHARS);
  if (progress !== '') sections.push(`# Progress so far\n\n${progress}`);
  const feedback = input.feedback?.trim();
  if (feedback) sections.push(`# Feedback on the last session\n\n${feedback}`);
  sections.push(`# Status block\n\n${STATUS_BLOCK_INSTRUCTIONS}`);
  return `${sections.join('\n\n')}\n`;
}

/**
 * A bounded account of earlier iterations, oldest first.
 * - the newest iterations get one line each (their summary, cut to 400 characters, status blocks removed)
 *   for as long as the budget lasts;
 * - the older ones are folded into a single line of totals;
 * - an empty list gives an empty string.
 */
export function summarizeProgress(previous: IterationRecap[], maxChars = DEFAULT_PROGRESS_CHARS): string {
  const sorted = [...previous].sort((a, b) => a.iteration - b.iteration);
  const lines: string[] = [];
  let used = 0;
  let cut = sorted.length;
  // Keep room for the folded line of totals.
  const budget = Math.max(0, maxChars - 120);
  for (let i = sorted.length - 1; i >= 0; i--) {
    const line = recapLine(sorted[i] as IterationRecap);
    if (lines.length > 0 && used + line.length + 1 > budget) break;
    lines.unshift(line.length > budget ? `${line.slice(0, Math.max(0, budget - 1))}…` : line);
    used += line.length + 1;
    cut = i;
  }
  const older = sorted.slice(0, cut);
  if (older.length > 0) lines.unshift(foldedLine(older));
  return lines.join('\n');
}

function recapLine(r: IterationRecap): string {
  const facts = [
    r.filesChanged > 0 || r.commits > 0
      ? [plural(r.filesChanged, 'file') + ' changed', plural(r.commits, 'commit')].join(', ')
      : 'no changes',
    r.testsStatus ? `tests ${r.testsStatus.replace('_', ' ')}` : null,
    r.verify ? `verify ${r.verify}` : null,
    r.error ? `error: ${oneLine(r.error).slice(0, 200)}` : null,
  ].filter((f) => f !== null);
  const summary = r.summary === null ? '' : oneLine(stripStatusBlocks(r.summary));
  const text = summary === '' ? '(no summary)' : cutAt(summary, MAX_SUMMARY_CHARS);
  return `- Iteration ${r.iteration}: ${text} (${facts.join('; ')})`;
}

function foldedLine(older: IterationRecap[]): string {
  const first = older[0] as IterationRecap;
  const last = older[older.length - 1] as IterationRecap;
  const files = older.reduce((n, r) => n + r.filesChanged, 0);
  const commits = older.reduce((n, r) => n + r.commits, 0);
  const errors = older.filter((r) => r.error !== null).length;
  const span =
    older.length === 1 ? `Iteration ${first.iteration}` : `Iterations ${first.iteration}–${last.iteration}`;
  return `- ${span}: ${plural(files, 'file')} changed and ${plural(commits, 'commit')} in all, ${plural(errors, 'error')}`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function cutAt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
