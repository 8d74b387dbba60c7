/**
 * Browser notifications when a task needs input, finishes (reaches review or done) or fails.
 * Rules: only changes seen live count (not the first snapshot); one notification per task and reason
 * until the reason clears; nothing without the user's permission.
 */
import { useEffect, useState } from 'react';
import type { TaskDto } from '../../../shared/api.js';
import { useGluon } from './useGluon.js';

export type NotifyReason = 'input' | 'finished' | 'failed';

/** Why a change of a task deserves a notification, or null. */
export function notifyReason(before: TaskDto | undefined, after: TaskDto): NotifyReason | null {
  if (!before) return null;
  if (after.inputRequired && !before.inputRequired) return 'input';
  if (after.status !== before.status) {
    if (after.status === 'failed') return 'failed';
    if (after.status === 'review' && before.status === 'running') return 'finished';
  }
  return null;
}

const TEXT: Record<NotifyReason, string> = {
  input: 'needs your input',
  finished: 'finished and waits for review',
  failed: 'failed',
};

export function useNotifications(): {
  permission: NotificationPermission | 'unsupported';
  enable: () => void;
} {
  const { live } = useGluon();
  const supported = typeof Notification === 'function';
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(
    supported ? Notification.permission : 'unsupported',
  );
  useEffect(() => {
    if (permission !== 'granted') return;
    const known = new Map<string, TaskDto>();
    return live.watchBoard((m) => {
      if (m.type === 'board.snapshot') {
        for (const t of m.tasks) known.set(t.id, t);
        return;
      }
      if (m.type !== 'task.updated') return;
      const reason = notifyReason(known.get(m.task.id), m.task);
      known.set(m.task.id, m.task);
      if (!reason) return;
      const body = m.task.pendingInput?.text ?? m.task.error ?? `${m.task.project} · ${m.task.status}`;
      const n = new Notification(`${m.task.title} ${TEXT[reason]}`, { body, tag: `${m.task.id}:${reason}` });
      n.onclick = () => {
        window.focus();
        window.location.assign(`/?task=${m.task.id}`);
      };
    });
  }, [live, permission]);
  return {
    permission,
    enable: () => {
      if (supported) void Notification.requestPermission().then(setPermission);
    },
  };
}
