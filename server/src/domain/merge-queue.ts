/**
 * Merging tasks in order (issue 14, part 4): which tasks a merge queue accepts, where their work lands,
 * what a failed verify tells the agent, and whether a forked task's run forks its source's session. Pure.
 */

type Status = 'queued' | 'running' | 'review' | 'done' | 'failed' | 'cancelled';

export interface MergeCandidate {
  id: string;
  title: string;
  status: Status;
  projectId: string;
  branch: string | null;
}

export type MergeRequestCheck =
  { ok: true } | { ok: false; status: 409 | 422; code: string; message: string };

const name = (t: MergeCandidate) => `“${t.title}” (${t.id.slice(0, 8)})`;

/**
 * Whether a merge queue may take these tasks, in this order, before anything runs.
 * Rules: a task named twice is refused (422 `duplicate_task`); every task must belong to the same
 * project (422 `mixed_projects`: one queue merges into one base); each must be in review (409
 * `task_not_in_review`, naming the first that is not); each must have a branch of its own (409
 * `no_branch`: it ran in the user's checkout, there is nothing to merge).
 */
export function checkMergeRequest(tasks: readonly MergeCandidate[]): MergeRequestCheck {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.id))
      return { ok: false, status: 422, code: 'duplicate_task', message: `${name(t)} is named twice` };
    seen.add(t.id);
  }
  if (new Set(tasks.map((t) => t.projectId)).size > 1)
    return {
      ok: false,
      status: 422,
      code: 'mixed_projects',
      message: 'the tasks belong to different projects; merge each project’s tasks on their own',
    };
  const notReady = tasks.find((t) => t.status !== 'review');
  if (notReady)
    return {
      ok: false,
      status: 409,
      code: 'task_not_in_review',
      message: `${name(notReady)} is ${notReady.status}, not in review; only reviewed work is merged`,
    };
  const noBranch = tasks.find((t) => t.branch === null);
  if (noBranch)
    return {
      ok: false,
      status: 409,
      code: 'no_branch',
      message: `${name(noBranch)} has no branch of its own (it ran without a worktree)`,
    };
  return { ok: true };
}

/**
 * The branch a task's work lands on.
 * Rules: its base branch, unless that is another task's branch (`--on`): then the project's default
 * branch, where the work it was built on lands too.
 */
export function mergeTarget(baseBranch: string, defaultBranch: string): string {
  return baseBranch.startsWith('gluon-task/') ? defaultBranch : baseBranch;
}

/** The last `maxLines` lines of `text`, at most `maxChars` characters (from the end), trimmed. */
export function outputTail(text: string, maxLines = 60, maxChars = 4000): string {
  const lines = text.trimEnd().split('\n');
  const tail = lines.slice(-maxLines).join('\n');
  return tail.length > maxChars ? `…${tail.slice(-maxChars)}` : tail;
}

export interface VerifyFailure {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  output: string;
}

/** Why a verify failed, in a few words: its exit code, a timeout, or a command that did not start. */
export function verifyFailureReason(v: Omit<VerifyFailure, 'output'>): string {
  if (v.timedOut) return `verify \`${v.command}\` ran out of time`;
  if (v.exitCode === null) return `verify \`${v.command}\` could not run`;
  return `verify \`${v.command}\` exited ${v.exitCode}`;
}

/**
 * The prompt of the resume that sends a task back from the merge queue after its verify failed: the
 * command, how it ended, and the tail of its output.
 */
export function verifyFailurePrompt(v: VerifyFailure, target: string): string {
  return [
    `Gluon's merge queue rebased your branch onto ${target} and ran the project's verify command; it failed ` +
      `(${verifyFailureReason(v)}), so your work was not merged. The end of its output:`,
    '',
    '```',
    outputTail(v.output) || '(no output)',
    '```',
    '',
    'Please fix the cause, commit nothing yourself that you do not mean to keep, and make sure the ' +
      'command passes. The task goes back to review when you finish; merge it again from there.',
  ].join('\n');
}

/**
 * Whether a forked task's next run forks its source's session rather than continuing it.
 * Rules: only a task forked from another (`forkedFrom` with the session it was forked at), and only while
 * its session still is that one: once its first run started a session of its own, it resumes that.
 */
export function forksSession(task: {
  sessionId: string | null;
  forkedFrom?: { sessionId: string | null } | null;
}): boolean {
  const from = task.forkedFrom?.sessionId ?? null;
  return from !== null && task.sessionId === from;
}
