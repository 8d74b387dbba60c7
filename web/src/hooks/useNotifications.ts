/**
 * Notifications on the web: a toast for every task that needs input, finishes, fails, hits its cost cap,
 * opens its loop breaker or turns red; a browser notification too once the user allowed them.
 * What is worth it is decided as the bots decide it (shared/notification-rules.ts): only changes seen live
 * count (not the first snapshot); one per condition (a request, a run's end, a red spell).
 */
import { useEffect, useState } from 'react';
import type { TaskDto } from '../../../shared/api.js';
import { NOTIFICATION_HEADINGS, notificationOnChange } from '../../../shared/notification-rules.js';
import { subscribeToPush } from '../api/push-subscription.js';
import { useGluon } from './useGluon.js';

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
      const due = notificationOnChange(known.get(m.task.id), m.task);
      known.set(m.task.id, m.task);
      if (!due) return;
      const title = `${m.task.title} ${NOTIFICATION_HEADINGS[due.kind]}`;
      toast(title, due.kind === 'failed' || due.kind === 'health_red' ? 'error' : 'info');
      if (permission !== 'granted') return;
      const n = new Notification(title, { body: due.reason, tag: `${m.task.id}:${due.kind}` });
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
