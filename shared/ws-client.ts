/**
 * Node-only live subscriptions over the Gluon WebSocket (`ws` package): one task's event stream, and the
 * board. Both reconnect with backoff. A task subscription resumes after the last `seq` it delivered and
 * drops anything at or below it, so the consumer sees every event exactly once and in order, across drops
 * and server restarts; a board subscription gets a fresh snapshot after every reconnection.
 */
import WebSocket from 'ws';
import { WS_PROTOCOL, type TaskDto, type WsClientMessage, type WsServerMessage } from './api.js';
import type { GluonEvent } from './events.js';

/** A problem on the stream. `fatal` ones (bad token, unknown task) end the subscription. */
export class SubscriptionError extends Error {
  override readonly name = 'SubscriptionError';
  constructor(
    readonly code: string,
    message: string,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** What every stream needs: where the server is, how to report problems, how to reconnect. */
export interface StreamOptions {
  baseUrl: string;
  token?: string;
  onError?: (error: SubscriptionError) => void;
  /** Reconnect delays: `initialMs` doubling up to `maxMs` (250 ms → 10 s by default). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Give up (a fatal `unreachable` error) after this many failed reconnects in a row; unlimited by default. */
  maxRetries?: number;
  /** Send a ping this often and reconnect when nothing came back in two intervals (25 s by default). */
  pingIntervalMs?: number;
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

export interface Subscription {
  close(): void;
}

/** HTTP answers to the upgrade request after which retrying cannot help. */
const FATAL_UPGRADE_STATUSES = new Set([400, 401, 403, 404]);
/** Server error codes after which retrying cannot help. */
const FATAL_CODES = new Set(['unauthorized', 'forbidden', 'not_found', 'invalid_input']);

/** Subscribes to a task's events (backlog, then live) and keeps the subscription alive until `close()`. */
export function subscribeTask(options: SubscribeTaskOptions): Subscription {
  let lastSeq = options.afterSeq;
  return keepStream(options, {
    subscribe: () => ({ type: 'subscribe.task', taskId: options.taskId, afterSeq: lastSeq }),
    handle(message, fail, subscribed) {
      switch (message.type) {
        case 'event':
          if (message.event.taskId !== options.taskId || message.event.seq <= lastSeq) return;
          lastSeq = message.event.seq;
          options.onEvent(message.event);
          return;
        case 'subscribed':
          subscribed();
          options.onSubscribed?.(message.seq);
          return;
        case 'task.updated':
          if (message.task.id === options.taskId) options.onTask?.(message.task);
          return;
        case 'error':
          fail(message.error);
          return;
        case 'board.snapshot':
        case 'task.removed':
        case 'pong':
          return;
      }
    },
  });
}

export interface SubscribeBoardOptions extends StreamOptions {
  /** Every task as it is now; sent on every (re)connection, so consumers can reconcile what they missed. */
  onSnapshot: (tasks: TaskDto[]) => void;
  /** A task was created or changed. */
  onTask: (task: TaskDto) => void;
  onRemoved?: (taskId: string) => void;
}

/** Subscribes to the board (a snapshot, then every task change) and keeps it alive until `close()`. */
export function subscribeBoard(options: SubscribeBoardOptions): Subscription {
  return keepStream(options, {
    subscribe: () => ({ type: 'subscribe.board' }),
    handle(message, fail, subscribed) {
      switch (message.type) {
        case 'board.snapshot':
          subscribed();
          options.onSnapshot(message.tasks);
          return;
        case 'task.updated':
          options.onTask(message.task);
          return;
        case 'task.removed':
          options.onRemoved?.(message.taskId);
          return;
        case 'error':
          fail(message.error);
          return;
        case 'event':
        case 'subscribed':
        case 'pong':
          return;
      }
    },
  });
}

interface StreamHooks {
  /** The message that (re)subscribes after each connection. */
  subscribe(): WsClientMessage;
  /** Handles one server message; `fail` reports a server error, `subscribed` resets the backoff. */
  handle(
    message: WsServerMessage,
    fail: (error: { code: string; message: string }) => void,
    subscribed: () => void,
  ): void;
}

/**
 * One WebSocket connection kept alive: connect, send the subscription, ping, and reconnect with backoff.
 * Rules: an upgrade refused with 400/401/403/404 or a server error with a fatal code ends it; a lost
 * connection is retried (up to `maxRetries` failed attempts in a row, then a fatal `unreachable`).
 */
function keepStream(options: StreamOptions, hooks: StreamHooks): Subscription {
  const url = toWsUrl(options.baseUrl);
  const initialMs = options.backoff?.initialMs ?? 250;
  const maxMs = options.backoff?.maxMs ?? 10_000;
  const pingIntervalMs = options.pingIntervalMs ?? 25_000;
  let attempt = 0;
  let closed = false;
  let socket: WebSocket | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let pingTimer: NodeJS.Timeout | undefined;

  const fail = (error: SubscriptionError) => {
    if (error.fatal) stop();
    options.onError?.(error);
  };
  const failWith = (error: { code: string; message: string }) =>
    fail(new SubscriptionError(error.code, error.message, FATAL_CODES.has(error.code)));
  const subscribed = () => {
    attempt = 0;
  };

  const connect = () => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const ws = new WebSocket(url, [WS_PROTOCOL], { headers });
    socket = ws;
    let heardSincePing = true;

    ws.on('open', () => {
      send(ws, hooks.subscribe());
      pingTimer = setInterval(() => {
        if (!heardSincePing) return ws.terminate();
        heardSincePing = false;
        send(ws, { type: 'ping' });
      }, pingIntervalMs);
    });
    ws.on('message', (raw) => {
      heardSincePing = true;
      const message = parseMessage(raw.toString());
      if (message && !closed) hooks.handle(message, failWith, subscribed);
    });
    ws.on('unexpected-response', (_request, response) => {
      const status = response.statusCode ?? 0;
      response.resume();
      const message = `the server refused the stream (HTTP ${status})`;
      if (FATAL_UPGRADE_STATUSES.has(status)) fail(new SubscriptionError(`http_${status}`, message, true));
      ws.terminate();
    });
    ws.on('error', () => {
      // Always followed by 'close', where the reconnect is scheduled.
    });
    ws.on('close', () => {
      clearInterval(pingTimer);
      if (closed || socket !== ws) return;
      if (options.maxRetries !== undefined && attempt >= options.maxRetries) {
        fail(
          new SubscriptionError('unreachable', `lost the stream from ${url} and could not reconnect`, true),
        );
        return;
      }
      const delay = Math.min(maxMs, initialMs * 2 ** attempt);
      attempt += 1;
      options.onError?.(
        new SubscriptionError('disconnected', `stream lost, reconnecting in ${delay} ms`, false),
      );
      retryTimer = setTimeout(connect, delay);
    });
  };

  const stop = () => {
    closed = true;
    clearTimeout(retryTimer);
    clearInterval(pingTimer);
    socket?.close(1000);
  };

  connect();
  return { close: stop };
}

/** `http(s)://host[:port][/]` → `ws(s)://host[:port]/api/ws`. */
export function toWsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/ws`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

function send(ws: WebSocket, message: WsClientMessage): void {
  if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
}

function parseMessage(text: string): WsServerMessage | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && 'type' in value ? (value as WsServerMessage) : undefined;
  } catch {
    return undefined;
  }
}
