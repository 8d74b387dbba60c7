/**
 * Notifications on the web: a toast for every task that needs input, finishes, fails, hits its cost cap,
 * opens its loop breaker or turns red; a browser notification too once the user allowed them.
 * Rules: only changes seen live count (not the first snapshot); one per task and reason until the reason
 * clears.
 */
import { useEffect, useState } from 'react';
import type { TaskDto } from '../../../shared/api.js';
import { inputRequestLines } from '../../../shared/event-text.js';
import { subscribeToPush } from '../api/push-subscription.js';
import { useGluon } from './useGluon.js';

export type NotifyReason = 'input' | 'finished' | 'failed' | 'cost_cap' | 'circuit_open' | 'red';

/** Why a change of a task deserves a notification, or null. */
export function notifyReason(before: TaskDto | undefined, after: TaskDto): NotifyReason | null {
  if (!before) return null;
  if (after.inputRequired && !before.inputRequired) return 'input';
  if (after.health === 'red' && before.health !== 'red') return 'red';
  if (after.status !== before.status) {
    if (after.status === 'failed') return 'failed';
    if (after.status === 'review' && before.status === 'running') {
      if (after.stopReason === 'cost_cap') return 'cost_cap';
      if (after.stopReason === 'circuit_open') return 'circuit_open';
      return 'finished';
    }
  }
  return null;
}

const TEXT: Record<NotifyReason, string> = {
  input: 'needs your input',
  finished: 'finished and waits for review',
  failed: 'failed',
  cost_cap: 'stopped at its cost cap',
  circuit_open: 'stopped: its loop made no progress',
  red: 'looks stuck',
};

export function useNotifications(): {
  permission: NotificationPermission | 'unsupported';
  enable: () => void;
} {
  const { live, toast, api } = useGluon();
  const supported = typeof Notification === 'function';
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(
    supported ? Notification.permission : 'unsupported',
  );
  useEffect(() => {
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
      const title = `${m.task.title} ${TEXT[reason]}`;
      toast(title, reason === 'failed' || reason === 'red' ? 'error' : 'info');
      if (permission !== 'granted') return;
      const pending = m.task.pendingInput;
      const body =
        (pending ? inputRequestLines(pending, { worktreePath: m.task.worktreePath })[0]?.text : undefined) ??
        m.task.healthReason ??
        m.task.error ??
        `${m.task.project} · ${m.task.status}`;
      const n = new Notification(title, { body, tag: `${m.task.id}:${reason}` });
      n.onclick = () => {
        window.focus();
        window.location.assign(`/?task=${m.task.id}`);
      };
    });
  }, [live, permission, toast]);
  // A browser that refuses to ask (no user gesture, or blocked) leaves the permission as it was.
  const keepPermission = () => undefined;
  // Once allowed, also by push: the phone hears of a task with the dashboard closed.
  useEffect(() => {
    if (permission === 'granted') subscribeToPush(api).catch(() => undefined);
  }, [api, permission]);
  return {
    permission,
    enable: () => {
      if (supported) Notification.requestPermission().then(setPermission, keepPermission);
    },
  };
}
