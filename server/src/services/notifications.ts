/**
 * Notifications: what a human should hear about, on every surface. Each one is an event (persisted, with
 * its task's `seq`), so the web, the bots and any later surface see it exactly once, also after a restart.
 */
import type { Storage } from '../storage/index.js';
import type { EventLog } from './event-log.js';
import type { NotificationKind } from '../domain/run-ending.js';

export type { NotificationKind };

export function createNotifier(storage: Storage, events: EventLog) {
  return {
    /** Announces `kind` for a task, naming it, the reason and what it has cost so far. */
    async notify(taskId: string, kind: NotificationKind, reason: string): Promise<void> {
      const task = await storage.tasks.findById(taskId);
      if (!task) return;
      await events.emit(taskId, {
        type: 'notification',
        data: { kind, title: task.title, reason, costUsd: task.costUsd },
      });
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
