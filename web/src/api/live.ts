/**
 * The browser's one WebSocket to the server: the board stream and any number of task streams over a
 * single connection. The token travels as a subprotocol (`gluon-token.<token>`), never in the URL.
 * It reconnects by itself (backoff, at once when the browser comes back online) and resubscribes each
 * task after the last `seq` it delivered, dropping anything at or below it: every event exactly once.
 */
import {
  WS_PROTOCOL,
  WS_TOKEN_PROTOCOL_PREFIX,
  type TaskDto,
  type WsClientMessage,
  type WsServerMessage,
} from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type BoardMessage =
  | { type: 'board.snapshot'; tasks: TaskDto[] }
  | { type: 'task.updated'; task: TaskDto }
  | { type: 'task.removed'; taskId: string };

export interface TaskListener {
  onEvent(event: GluonEvent): void;
  /** The backlog has been delivered up to `seq`; what follows is live. */
  onSubscribed?(seq: number): void;
  onError?(error: { code: string; message: string }): void;
}

/** The part of the browser's WebSocket this module uses (tests pass a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface LiveOptions {
  url: string;
  token: string;
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  /** Reconnect delays: `initialMs` doubling up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  pingIntervalMs?: number;
  timers?: { set: (fn: () => void, ms: number) => unknown; clear: (handle: unknown) => void };
}

const OPEN = 1;

interface TaskSub {
  lastSeq: number;
  listener: TaskListener;
}

/** `http(s)://host` → `ws(s)://host/api/ws`. */
export function wsUrlFor(origin: string): string {
  const url = new URL('/api/ws', origin);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export class LiveConnection {
  private socket: SocketLike | null = null;
  private stateValue: ConnectionState = 'closed';
  private attempt = 0;
  private stopped = true;
  private retryHandle: unknown = null;
  private pingHandle: unknown = null;
  private heard = true;
  private readonly boardListeners = new Set<(m: BoardMessage) => void>();
  private readonly tasks = new Map<string, TaskSub>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly opts: Required<Omit<LiveOptions, 'createSocket'>> & Pick<LiveOptions, 'createSocket'>;

  constructor(options: LiveOptions) {
    this.opts = {
      backoff: { initialMs: 250, maxMs: 10_000 },
      pingIntervalMs: 25_000,
      timers: { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as number) },
      ...options,
    };
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.opts.timers.clear(this.retryHandle);
    this.opts.timers.clear(this.pingHandle);
    this.socket?.close(1000);
    this.socket = null;
    this.setState('closed');
  }

  /** Reconnects now instead of waiting out the backoff (the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.stateValue === 'open') return;
    this.opts.timers.clear(this.retryHandle);
    this.attempt = 0;
    this.socket?.close();
    this.connect();
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Follows the board: a snapshot on every (re)connection, then each task change. */
  watchBoard(listener: (m: BoardMessage) => void): () => void {
    this.boardListeners.add(listener);
    // Each new listener needs a snapshot to start from; the others just take it again.
    this.send({ type: 'subscribe.board' });
    return () => this.boardListeners.delete(listener);
  }

  /** Follows one task's events after `afterSeq`; one listener per task (a store shares it). */
  watchTask(taskId: string, afterSeq: number, listener: TaskListener): () => void {
    const sub: TaskSub = { lastSeq: afterSeq, listener };
    this.tasks.set(taskId, sub);
    this.send({ type: 'subscribe.task', taskId, afterSeq });
    return () => {
      if (this.tasks.get(taskId) !== sub) return;
      this.tasks.delete(taskId);
      this.send({ type: 'unsubscribe.task', taskId });
    };
  }

  private connect(): void {
    this.setState('connecting');
    const protocols = [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${this.opts.token}`];
    const socket = this.opts.createSocket
      ? this.opts.createSocket(this.opts.url, protocols)
      : (new WebSocket(this.opts.url, protocols) as unknown as SocketLike);
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState('open');
      if (this.boardListeners.size > 0) this.send({ type: 'subscribe.board' });
      for (const [taskId, sub] of this.tasks)
        this.send({ type: 'subscribe.task', taskId, afterSeq: sub.lastSeq });
      this.heard = true;
      this.schedulePing(socket);
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      this.heard = true;
      const message = parse(ev.data);
      if (message) this.handle(message);
    };
    socket.onerror = () => {
      // Always followed by onclose, where the reconnect is planned.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.opts.timers.clear(this.pingHandle);
      if (this.stopped) return;
      this.setState('connecting');
      const { initialMs, maxMs } = this.opts.backoff;
      const delay = Math.min(maxMs, initialMs * 2 ** this.attempt);
      this.attempt += 1;
      this.retryHandle = this.opts.timers.set(() => this.connect(), delay);
    };
  }

  private schedulePing(socket: SocketLike): void {
    this.pingHandle = this.opts.timers.set(() => {
      if (this.socket !== socket) return;
      // Nothing came back since the last ping: the connection is dead even if the browser thinks not.
      if (!this.heard) return socket.close();
      this.heard = false;
      this.send({ type: 'ping' });
      this.schedulePing(socket);
    }, this.opts.pingIntervalMs);
  }

  private handle(message: WsServerMessage): void {
    switch (message.type) {
      case 'event': {
        const sub = this.tasks.get(message.event.taskId);
        if (!sub || message.event.seq <= sub.lastSeq) return;
        sub.lastSeq = message.event.seq;
        sub.listener.onEvent(message.event);
        return;
      }
      case 'subscribed':
        this.tasks.get(message.taskId)?.listener.onSubscribed?.(message.seq);
        return;
      case 'board.snapshot':
      case 'task.updated':
      case 'task.removed':
        for (const listener of this.boardListeners) listener(message);
        return;
      case 'error':
        for (const sub of this.tasks.values()) sub.listener.onError?.(message.error);
        return;
      case 'pong':
        return;
    }
  }

  private send(message: WsClientMessage): void {
    if (this.socket?.readyState === OPEN) this.socket.send(JSON.stringify(message));
  }

  private setState(state: ConnectionState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

function parse(data: unknown): WsServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && 'type' in value ? (value as WsServerMessage) : null;
  } catch {
    return null;
  }
}
