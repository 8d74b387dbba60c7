/**
 * What is worth notifying, decided from a task alone (no I/O), the same way on every surface: the bots
 * send it to chats, the web shows it as a toast. Each notification has a key naming the condition (the
 * request, or the run's end), so it is sent once even when the same state is seen again — after a
 * reconnect's snapshot or a restart — and a surface that compares two states of a task hears of a
 * change only when the key changes.
 */
import type { TaskDto } from './api.js';
import type { EventDataMap } from './events.js';
import { formatUsd } from './text.js';
import { toolCallText } from './tool-text.js';

export type NotificationKind =
  'input_required' | 'review' | 'failed' | 'cost_cap' | 'circuit_open' | 'health_red';

export interface Notification {
  /** Names the condition: the same key is never sent twice to a surface. */
  key: string;
  kind: NotificationKind;
  task: TaskDto;
  reason: string;
  /** When the condition began (ms since the epoch), as far as the task tells. */
  since: number;
}

/** A running task whose health is red: stuck, dead or looping (a task that is not running cannot be stuck). */
export function isStuck(task: TaskDto): boolean {
  return task.status === 'running' && task.health === 'red';
}

/** A task a human should look at now: it waits for input, or it is stuck. */
export function needsHuman(task: TaskDto): boolean {
  return task.inputRequired || isStuck(task);
}

/** The key prefix of a red-health condition, forgotten once the task is healthy again so a relapse is news. */
export const redKey = (taskId: string) => `red:${taskId}`;

/**
 * The notification a task calls for now, or null.
 * Rules, first match wins:
 * 1. it waits for a human (a question or an approval) → input_required, keyed by the request;
 * 2. it runs with red health → health_red, keyed by the task (until it is no longer red);
 * 3. failed → failed; review after a cost cap → cost_cap; after an open breaker → circuit_open; any other
 *    review → review; each keyed by the moment the run ended;
 * 4. anything else (queued, running fine, done, cancelled: the user's own doing) → nothing.
 */
export function notificationFor(task: TaskDto): Notification | null {
  const ended = task.finishedAt ?? task.updatedAt;
  const at = (iso: string) => Date.parse(iso) || 0;
  if (task.inputRequired && task.pendingInput) {
    const p = task.pendingInput;
    const reason =
      p.kind === 'approval'
        ? `wants to run ${p.toolName ? toolCallText(p.toolName, p.toolInput) : 'a tool'}${p.reason ? ` (${p.reason})` : ''}`
        : `asks: ${questionText(task)}`;
    return build(task, 'input_required', `input:${task.id}:${p.requestId}`, reason, at(p.createdAt));
  }
  if (isStuck(task))
    return build(
      task,
      'health_red',
      redKey(task.id),
      task.healthReason ?? 'the agent looks stuck',
      at(task.updatedAt),
    );
  if (task.status === 'failed')
    return build(task, 'failed', `failed:${task.id}:${ended}`, task.error ?? 'the run failed', at(ended));
  if (task.status !== 'review') return null;
  if (task.stopReason === 'cost_cap') {
    const cap = task.maxCostUsd === null ? '' : ` of ${formatUsd(task.maxCostUsd)}`;
    return build(
      task,
      'cost_cap',
      `cost_cap:${task.id}:${ended}`,
      `stopped at its cost cap${cap}`,
      at(ended),
    );
  }
  if (task.stopReason === 'circuit_open') {
    const why = task.error ?? 'the loop made no progress, so its circuit breaker opened';
    return build(task, 'circuit_open', `circuit_open:${task.id}:${ended}`, why, at(ended));
  }
  return build(task, 'review', `review:${task.id}:${ended}`, reviewReason(task), at(ended));
}

/**
 * The phrase after a task's title that says what happened ("Fix the login is ready for review"), for a
 * toast or a push; the server's `notification` events use the same kinds.
 */
export const NOTIFICATION_HEADINGS: Record<EventDataMap['notification']['kind'], string> = {
  input_required: 'needs your input',
  review: 'is ready for review',
  failed: 'failed',
  cost_cap: 'hit its cost cap',
  circuit_open: 'stopped: its loop made no progress',
  health_red: 'looks stuck',
  done: 'is done',
  budget_warning: 'is near its budget',
};

/**
 * The notification a change of a task calls for: the one its new state calls for, unless its old state
 * already called for the same (null for a first sighting: only changes seen live count).
 */
export function notificationOnChange(before: TaskDto | undefined, after: TaskDto): Notification | null {
  if (!before) return null;
  const n = notificationFor(after);
  return n && n.key !== notificationFor(before)?.key ? n : null;
}

function build(
  task: TaskDto,
  kind: NotificationKind,
  key: string,
  reason: string,
  since: number,
): Notification {
  return { key, kind, task, reason, since };
}

function questionText(task: TaskDto): string {
  const p = task.pendingInput;
  const asked = p?.text ?? p?.questions?.map((q) => q.question).join(' / ') ?? '';
  return asked || 'a question';
}

/** Why a task is in review, by the reason its last run stopped. */
const REVIEW_REASONS: Partial<Record<NonNullable<TaskDto['stopReason']>, string>> = {
  max_iterations: 'the loop reached its iteration limit',
  verify_failed: 'the verify command still fails',
  error: 'the run ended with an error',
  interrupted: 'the run was interrupted',
};

function reviewReason(task: TaskDto): string {
  if (task.stopReason === 'error' && task.error) return task.error;
  return (task.stopReason && REVIEW_REASONS[task.stopReason]) || 'the agent finished';
}
