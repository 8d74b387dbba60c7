/**
 * The prompt of a run that continues a task on another worker after the one running it was lost: a
 * fresh agent session (the old one lived on the lost machine) told the objective, what was done so far
 * (the commits on the task's branch) and what happened last (the last events, as text), and that the
 * files in the worktree are the last pushed state, uncommitted work included.
 */

export interface ContinuationInput {
  /** The task's objective: its prompt, or the prompt its run was last given. */
  objective: string;
  lostWorker: string;
  /** Commit subjects on the task's branch, oldest first. */
  commits: readonly string[];
  /** The last things that happened, one line each, oldest first. */
  recent: readonly string[];
}

const MAX_RECENT = 20;
const MAX_LINE = 300;

/** The continuation prompt. */
export function continuationPrompt(input: ContinuationInput): string {
  const recent = input.recent
    .slice(-MAX_RECENT)
    .map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE - 1)}…` : l));
  return [
    `You are continuing a task that another machine (worker ${input.lostWorker}) was working on when it was lost.`,
    'The worktree holds the last state it pushed, uncommitted changes included; at most its last tool call may',
    'be missing. Check the state of the files, then carry on until the task is done.',
    '',
    '## Objective',
    input.objective.trim(),
    '',
    '## Progress so far',
    input.commits.length ? input.commits.map((c) => `- ${c}`).join('\n') : '- no commits yet',
    '',
    '## The last things that happened',
    recent.length ? recent.map((l) => `- ${l}`).join('\n') : '- nothing recorded',
  ].join('\n');
}
