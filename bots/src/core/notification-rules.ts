/**
 * Which notification a task's current state calls for, decided from the task alone (no I/O). Each one has
 * a key naming the condition (the request, or the run's end), so it is sent once per surface even when
 * the same state is seen again — after a reconnect's snapshot or a restart.
 */
import type { TaskDto } from '../../../shared/api.js';
import type { Reply } from './reply.js';
import { taskTag } from './reply.js';
import { renderPending, taskLink } from './render.js';
import { formatUsd, oneLine, truncate } from '../../../shared/text.js';
import { toolCallText } from '../../../shared/tool-text.js';

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
  if (task.status === 'running' && task.health === 'red')
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

const HEADLINES: Record<NotificationKind, string> = {
  input_required: '❓ Needs your input',
  review: '👀 Ready for review',
  failed: '❌ Failed',
  cost_cap: '💸 Hit its cost cap',
  circuit_open: '🛑 Loop stopped',
  health_red: '🔴 Looks stuck',
};

/** The message of a notification: what, which task and project, why, the cost so far, the link. */
export function renderNotification(n: Notification, publicUrl: string): Reply {
  const { task } = n;
  const lines = [
    `${HEADLINES[n.kind]} — ${taskTag(task.id)} ${truncate(oneLine(task.title), 120)}`,
    `Project: ${task.project} · Cost so far: ${formatUsd(task.costUsd)}`,
    `Why: ${truncate(oneLine(n.reason), 600)}`,
  ];
  let buttons: Reply['buttons'];
  if (n.kind === 'input_required' && task.pendingInput) {
    buttons = renderPending(task.id, task.pendingInput).buttons;
    if (task.pendingInput.kind === 'question') lines.push('Reply to this message to answer.');
  }
  lines.push(taskLink(publicUrl, task.id));
  return { text: lines.join('\n'), buttons };
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
