/**
 * How a notification reads in a chat: a headline, which task and project, why, the cost so far, the link,
 * and the buttons of what it waits for. What is worth notifying is decided in shared/notification-rules.ts.
 */
import type { Notification, NotificationKind } from '../../../shared/notification-rules.js';
import type { Reply } from './reply.js';
import { taskTag } from './reply.js';
import { renderPending, taskLink } from './render.js';
import { formatUsd, oneLine, truncate } from '../../../shared/text.js';

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
