/**
 * Following a task until it stops running, for a log that ends by itself (`gluon logs -f`, a chat's
 * `/logs`): the live events after what was already shown, the task's newest state, and the moment to stop.
 */
import type { TaskDto } from './api.js';
import type { GluonClient } from './client.js';
import type { GluonEvent } from './events.js';
import type { SubscriptionError } from './live-socket.js';
import {
  subscribeTask,
  type StreamOptions,
  type SubscribeTaskOptions,
  type Subscription,
} from './ws-client.js';

/** How long to wait for the events a stopped task reported (`lastEventSeq`) before giving up on them. */
const TRAILING_EVENTS_GRACE_MS = 2_000;

/** Whether the task may still produce events (a log follows it while it is). */
export function isActive(task: Pick<TaskDto, 'status'>): boolean {
  return task.status === 'queued' || task.status === 'running';
}

export interface FollowTaskOptions extends Omit<StreamOptions, 'onError'> {
  client: Pick<GluonClient, 'getTask'>;
  /** The task as last read. */
  task: TaskDto;
  /** The last `seq` already shown. */
  afterSeq: number;
  onEvent(event: GluonEvent): void;
  /** The task's newest state. */
  onTask?(task: TaskDto): void;
  /** The stream was lost and is being reconnected (once per loss). */
  onReconnecting?(error: SubscriptionError): void;
  /** The stream is back after a loss. */
  onReconnected?(): void;
  graceMs?: number;
  /** Opens the stream (tests pass a fake). */
  subscribe?: (options: SubscribeTaskOptions) => Subscription;
}

export interface TaskFollower {
  /** The task once it stopped and its last event arrived (or the grace passed, or `stop()`); rejects on a fatal error. */
  done: Promise<TaskDto>;
  stop(): void;
}

/**
 * Follows a task's live stream from `afterSeq`.
 * Rules: the task's state comes from `task.updated` messages and from a fresh GET after each
 * (re)subscription (it may have stopped before the stream began); the newest `updatedAt` wins; once it is
 * no longer active, wait until its `lastEventSeq` arrived (or `graceMs` passed), then end.
 */
export function followTask(options: FollowTaskOptions): TaskFollower {
  let latest = options.task;
  let lastSeq = options.afterSeq;
  let reconnecting = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let closeStream = () => {};
  let settle: { resolve(task: TaskDto): void; reject(error: Error): void } | undefined;
  const done = new Promise<TaskDto>((resolve, reject) => (settle = { resolve, reject }));

  const end = (error?: Error) => {
    clearTimeout(graceTimer);
    closeStream();
    if (error) settle?.reject(error);
    else settle?.resolve(latest);
    settle = undefined;
  };
  const check = () => {
    if (isActive(latest)) return;
    if (lastSeq >= latest.lastEventSeq) return end();
    graceTimer ??= setTimeout(() => end(), options.graceMs ?? TRAILING_EVENTS_GRACE_MS);
  };
  const update = (task: TaskDto) => {
    if (task.updatedAt < latest.updatedAt) return check();
    latest = task;
    options.onTask?.(task);
    check();
  };

  const { client, task, onEvent, subscribe = subscribeTask } = options;
  const subscription = subscribe({
    baseUrl: options.baseUrl,
    token: options.token,
    backoff: options.backoff,
    maxRetries: options.maxRetries,
    pingIntervalMs: options.pingIntervalMs,
    taskId: task.id,
    afterSeq: options.afterSeq,
    onEvent: (event) => {
      lastSeq = Math.max(lastSeq, event.seq);
      onEvent(event);
      check();
    },
    onTask: update,
    onSubscribed: () => {
      if (reconnecting) options.onReconnected?.();
      reconnecting = false;
      client.getTask(task.id).then(update, () => undefined);
    },
    onError: (error) => {
      if (error.fatal) return end(error);
      if (!reconnecting) options.onReconnecting?.(error);
      reconnecting = true;
    },
  });
  closeStream = () => subscription.close();
  // A stream that failed at once ended the follower before it could be closed.
  if (!settle) closeStream();
  return { done, stop: () => end() };
}
