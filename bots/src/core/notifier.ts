/**
 * The notifier: watches the board over the WebSocket and sends each notification once to every configured
 * chat surface. Questions and approvals escalate to a chat after a delay (3 minutes by default: someone at
 * the dashboard may answer first) — at once on the surface that started the task. What was sent is kept on
 * disk, so a reconnect's snapshot or a restart sends nothing twice.
 */
import type { TaskDto } from '../../../shared/api.js';
import type { GluonClient } from '../../../shared/client.js';
import { subscribeBoard, type Subscription, type SubscribeBoardOptions } from '../../../shared/ws-client.js';
import { isStuck, notificationFor, redKey, type Notification } from '../../../shared/notification-rules.js';
import type { SurfaceName } from './reply.js';
import type { SentStore } from './sent-store.js';

/** A chat surface that can deliver a notification (throws when it could not). */
export interface NotifySurface {
  name: SurfaceName;
  send(notification: Notification): Promise<void>;
}

export interface NotifierOptions {
  client: Pick<GluonClient, 'getTask'>;
  stream: { baseUrl: string; token?: string };
  surfaces: NotifySurface[];
  store: SentStore;
  /** How long a question or approval waits before it reaches a chat that did not start the task. */
  escalateAfterMs: number;
  /**
   * How long a task must stay red before it is announced (20 s by default): a red that clears at once, or
   * that ends in a failure (announced as such), is not worth a message of its own.
   */
  confirmRedMs?: number;
  log: (message: string, error?: unknown) => void;
  now?: () => number;
  /** Delays between delivery attempts; its length is the number of retries. */
  retryDelaysMs?: number[];
  subscribe?: (options: SubscribeBoardOptions) => Subscription;
}

export interface Notifier {
  /** Remembers that a surface started this task (its questions reach that surface at once). */
  noteOrigin(surface: SurfaceName, taskId: string): Promise<void>;
  close(): void;
}

const ENDINGS = new Set(['review', 'failed', 'cost_cap', 'circuit_open']);

export function startNotifier(opts: NotifierOptions): Notifier {
  const now = opts.now ?? Date.now;
  const retryDelays = opts.retryDelaysMs ?? [1000, 5000];
  const confirmRedMs = opts.confirmRedMs ?? 20_000;
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;
  const logWriteError = (error: unknown) => opts.log('could not record a notification on disk', error);
  // `deliver` logs its own failures; this catches what escapes it (a surface that throws oddly).
  const logDeliveryFailure = (error: unknown) => opts.log('could not deliver a notification', error);
  for (const surface of opts.surfaces) opts.store.since(surface.name);

  async function deliver(surface: NotifySurface, n: Notification): Promise<void> {
    if (closed || opts.store.has(surface.name, n.key)) return;
    // On disk before it goes out: after a crash a notification may be missing, never doubled.
    await opts.store.mark(surface.name, n.key).catch(logWriteError);
    for (let attempt = 0; ; attempt++) {
      try {
        await surface.send(n);
        return;
      } catch (error) {
        if (closed || attempt >= retryDelays.length) {
          opts.log(`could not send a ${n.kind} notification of task ${n.task.id} to ${surface.name}`, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelays[attempt]));
      }
    }
  }

  function later(surface: NotifySurface, n: Notification, dueAt: number): void {
    const id = `${surface.name}|${n.key}`;
    if (timers.has(id)) return;
    const timer = setTimeout(
      () => {
        timers.delete(id);
        // Still the same condition? The human may have answered on another surface meanwhile.
        opts.client.getTask(n.task.id).then(
          (fresh) => {
            const again = notificationFor(fresh);
            if (again?.key === n.key) deliver(surface, again).catch(logDeliveryFailure);
          },
          (error: unknown) => opts.log(`could not re-check task ${n.task.id} before notifying`, error),
        );
      },
      Math.max(0, dueAt - now()),
    );
    timers.set(id, timer);
  }

  /**
   * Decides what one task state sends.
   * Rules: a condition already sent to a surface is not sent again; an ending older than the surface
   * itself is not news (recorded, not sent); a question or approval waits `escalateAfterMs` from the
   * moment it was asked, except on the surface that started the task; red health waits `confirmRedMs`
   * and is sent only if the task is still red then; a task no longer red forgets its red condition, so a
   * relapse is news.
   */
  function evaluate(task: TaskDto): void {
    if (closed) return;
    const red = redKey(task.id);
    if (!isStuck(task)) {
      if (opts.surfaces.some((s) => opts.store.has(s.name, red)))
        void opts.store.forget(red).catch(logWriteError);
    }
    const n = notificationFor(task);
    if (!n) return;
    for (const surface of opts.surfaces) {
      if (opts.store.has(surface.name, n.key)) continue;
      if (ENDINGS.has(n.kind) && n.since < opts.store.since(surface.name)) {
        void opts.store.mark(surface.name, n.key).catch(logWriteError);
        continue;
      }
      const escalates = n.kind === 'input_required' && !opts.store.isOrigin(surface.name, task.id);
      const dueAt = escalates
        ? n.since + opts.escalateAfterMs
        : n.kind === 'health_red'
          ? n.since + confirmRedMs
          : 0;
      if (dueAt > now()) later(surface, n, dueAt);
      else deliver(surface, n).catch(logDeliveryFailure);
    }
  }

  const subscription = (opts.subscribe ?? subscribeBoard)({
    baseUrl: opts.stream.baseUrl,
    token: opts.stream.token,
    onSnapshot: (tasks) => tasks.forEach(evaluate),
    onTask: evaluate,
    onError: (error) => {
      if (error.fatal) opts.log(`the notifier lost the board stream: ${error.message}`);
    },
  });

  return {
    noteOrigin: (surface, taskId) => opts.store.noteOrigin(surface, taskId),
    close() {
      closed = true;
      subscription.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
