/**
 * A task as text for an agent that plans work: one line on the board, or a block with everything needed
 * to decide the next step (status and why it stopped, what waits for a human, cost against its cap), and
 * which tool does that next step.
 */
import type { PendingInput, TaskDto } from '../../shared/api.js';
import { inputRequestLines } from '../../shared/event-text.js';
import { formatUsd, oneLine, truncate } from '../../shared/text.js';

/** One board line: id, status, flags, title, project, profile and cost. */
export function taskLine(task: TaskDto): string {
  const flags = [
    task.inputRequired ? 'INPUT REQUIRED' : null,
    task.health && task.health !== 'green' && task.status === 'running' ? `health ${task.health}` : null,
    task.step ? `step ${task.step.index}/${task.step.total} ${task.step.name}` : null,
  ].filter((f): f is string => f !== null);
  const flagText = flags.length ? ` [${flags.join(', ')}]` : '';
  return `${task.id}  ${task.status}${flagText}  ${truncate(oneLine(task.title), 80)} · ${task.project} · ${task.profile} · ${formatUsd(task.costUsd)}`;
}

/** The full description of a task, line by line. */
export function taskDetails(task: TaskDto): string[] {
  const stopped = task.stopReason ? ` (last run stopped: ${task.stopReason})` : '';
  const cap = task.maxCostUsd === null ? '' : ` of a ${formatUsd(task.maxCostUsd)} cap`;
  const lines = [
    `Task ${task.id}: ${oneLine(task.title)}`,
    `status: ${task.status}${stopped}`,
    `project: ${task.project} (workspace ${task.workspace}) · profile ${task.profile} (${task.model}) · approval ${task.approval}`,
    `cost: ${formatUsd(task.costUsd)}${cap}`,
    `branch: ${task.branch ?? '—'} (from ${task.baseBranch}) · worktree: ${task.worktreePath ?? '—'}`,
  ];
  if (task.step) lines.push(`formula step ${task.step.index}/${task.step.total}: ${task.step.name}`);
  if (task.loop)
    lines.push(
      `loop: iteration ${task.iterations} of at most ${task.loop.maxIterations} · breaker ${task.loop.breaker}`,
    );
  if (task.health && task.status === 'running')
    lines.push(`health: ${task.health}${task.healthReason ? ` (${task.healthReason})` : ''}`);
  if (task.error) lines.push(`error: ${truncate(oneLine(task.error), 500)}`);
  if (task.conflictFiles?.length) lines.push(`rebase conflicts in: ${task.conflictFiles.join(', ')}`);
  if (task.pr) lines.push(`pull request: #${task.pr.number} ${task.pr.state} ${task.pr.url}`);
  if (task.pendingInput) lines.push(...pendingLines(task, task.pendingInput));
  lines.push(`prompt: ${truncate(task.prompt, 1000)}`);
  const next = nextStep(task);
  if (next) lines.push(`next: ${next}`);
  return lines;
}

/** What waits for a human (the shared text of the request, details indented), then the tools that answer it. */
function pendingLines(task: TaskDto, input: PendingInput): string[] {
  const asks = inputRequestLines(input, { worktreePath: task.worktreePath, max: 300 }).map((line) =>
    line.detail
      ? `    ${line.tag === 'reason' ? 'why: ' : ''}${truncate(line.text, 1000)}`
      : `  ${truncate(line.text, 1000)}`,
  );
  return input.kind === 'approval'
    ? [
        'WAITING FOR APPROVAL:',
        ...asks,
        `  → approve_task id=${task.id}, or deny_task id=${task.id} with a reason`,
      ]
    : ['WAITING FOR AN ANSWER:', ...asks, `  → answer_task id=${task.id} with the answer`];
}

/**
 * The tool that moves the task on.
 * Rules: a pending input comes first (its own lines say how); queued or running needs only waiting;
 * review invites reading the diff and resuming with feedback; failed or cancelled can be resumed only when
 * a session exists; done needs nothing.
 */
function nextStep(task: TaskDto): string | null {
  if (task.pendingInput) return null;
  switch (task.status) {
    case 'queued':
    case 'running':
      return 'wait and call show_task again; cancel_task stops it';
    case 'review':
      return 'read the work with task_diff; resume_task with feedback asks for changes';
    case 'failed':
    case 'cancelled':
      return task.sessionId ? 'resume_task with instructions continues the same session' : null;
    case 'done':
      return null;
  }
}
