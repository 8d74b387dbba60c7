/**
 * Node's live subscriptions (the CLI's `logs -f`, the bots): the shared protocol (live.ts) over the `ws`
 * package, one connection per subscription. A task subscription delivers every event once and in order
 * across drops and server restarts; a board subscription gets a fresh snapshot after every reconnection.
 * A fatal error (a refused token, an unknown task, the server gone for good) ends the subscription.
 */
import WebSocket from 'ws';
import { WS_PROTOCOL, type TaskDto } from './api.js';
import type { GluonEvent } from './events.js';
import { LiveConnection, type LiveOptions } from './live.js';
import { SubscriptionError, toWsUrl, type SocketLike } from './live-socket.js';

export { SubscriptionError, toWsUrl };

/** What every stream needs: where the server is, how to report problems, how to reconnect. */
export interface StreamOptions extends Pick<LiveOptions, 'backoff' | 'maxRetries' | 'pingIntervalMs'> {
  baseUrl: string;
  token?: string;
  onError?: (error: SubscriptionError) => void;
}

export interface SubscribeTaskOptions extends StreamOptions {
  /** The full task id. */
  taskId: string;
  /** Deliver events with `seq` greater than this (0 = from the beginning). */
  afterSeq: number;
  onEvent: (event: GluonEvent) => void;
  onTask?: (task: TaskDto) => void;
  /** The backlog up to `seq` has been delivered; called after every (re)subscription. */
  onSubscribed?: (seq: number) => void;
}

export interface SubscribeBoardOptions extends StreamOptions {
  /** Every task as it is now; sent on every (re)connection, so consumers can reconcile what they missed. */
  onSnapshot: (tasks: TaskDto[]) => void;
  /** A task was created or changed. */
  onTask: (task: TaskDto) => void;
  onRemoved?: (taskId: string) => void;
}

export interface Subscription {
  close(): void;
}

/** Subscribes to a task's events (backlog, then live) and keeps the subscription alive until `close()`. */
export function subscribeTask(options: SubscribeTaskOptions): Subscription {
  const live = connect(options);
  live.watchTask(options.taskId, options.afterSeq, {
    onEvent: options.onEvent,
    onSubscribed: options.onSubscribed,
    onTask: options.onTask,
  });
  live.start();
  return { close: () => live.stop() };
}

/** Subscribes to the board (a snapshot, then every task change) and keeps it alive until `close()`. */
export function subscribeBoard(options: SubscribeBoardOptions): Subscription {
  const live = connect(options);
  live.watchBoard((message) => {
    if (message.type === 'board.snapshot') options.onSnapshot(message.tasks);
    else if (message.type === 'task.updated') options.onTask(message.task);
    else options.onRemoved?.(message.taskId);
  });
  live.start();
  return { close: () => live.stop() };
}

/** A connection of its own for one subscription, so a fatal error of the subscription ends it. */
function connect(options: StreamOptions): LiveConnection {
  const live: LiveConnection = new LiveConnection({
    url: toWsUrl(options.baseUrl),
    createSocket: (url) => openSocket(url, options.token),
    backoff: options.backoff,
    maxRetries: options.maxRetries,
    pingIntervalMs: options.pingIntervalMs,
    onError: (error) => {
      if (error.fatal) live.stop();
      options.onError?.(error);
    },
  });
  return live;
}

/** A `ws` socket seen as the protocol's socket: the token in a header, a refused upgrade's status on close. */
function openSocket(url: string, token: string | undefined): SocketLike {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const ws = new WebSocket(url, [WS_PROTOCOL], { headers });
  let refusedStatus: number | undefined;
  const socket: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code) => (code === undefined ? ws.terminate() : ws.close(code)),
    onopen: null,
    onclose: null,
    onmessage: null,
    onerror: null,
  };
  ws.on('open', () => socket.onopen?.({}));
  ws.on('message', (raw) => socket.onmessage?.({ data: raw.toString() }));
  ws.on('unexpected-response', (_request, response) => {
    refusedStatus = response.statusCode;
    response.resume();
    ws.terminate();
  });
  ws.on('error', (error) => socket.onerror?.(error));
  ws.on('close', () => socket.onclose?.({ refusedStatus }));
  return socket;
}
