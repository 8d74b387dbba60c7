/**
 * The live protocol of the Gluon WebSocket, for every client: one connection that follows the board and
 * any number of tasks, resumes each task after the last `seq` it delivered (so every event arrives once
 * and in order across drops and restarts), reconnects with backoff and pings to find dead connections.
 * It knows no WebSocket library: the browser passes its `WebSocket`, Node an adapter over `ws`.
 */
import type { TaskDto, WsClientMessage, WsServerMessage } from './api.js';
import type { GluonEvent } from './events.js';
import {
  FATAL_CODES,
  FATAL_UPGRADE_STATUSES,
  parseServerMessage,
  SubscriptionError,
  type SocketLike,
  type Timers,
} from './live-socket.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export type BoardMessage = Extract<
  WsServerMessage,
  { type: 'board.snapshot' | 'task.updated' | 'task.removed' }
>;

export interface TaskListener {
  onEvent(event: GluonEvent): void;
  /** The backlog up to `seq` has been delivered; what follows is live. Called after every (re)subscription. */
  onSubscribed?(seq: number): void;
  /** The task changed (status, cost, pending input). */
  onTask?(task: TaskDto): void;
  onError?(error: SubscriptionError): void;
}

export interface LiveOptions {
  /** `ws(s)://host/api/ws` (see {@link toWsUrl}). */
  url: string;
  /** Opens a socket to `url`, carrying the token its platform's way (a subprotocol, a header). */
  createSocket(url: string): SocketLike;
  /** Reconnect delays: `initialMs` doubling up to `maxMs` (250 ms → 10 s by default). */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Give up (a fatal `unreachable`) after this many failed connections in a row; unlimited by default. */
  maxRetries?: number;
  /** Ping this often; a connection that answered nothing in between is dropped (25 s by default). */
  pingIntervalMs?: number;
  timers?: Timers;
  /** Every problem: a lost connection (`disconnected`, retried), a refused one, a server error. */
  onError?(error: SubscriptionError): void;
}

const OPEN = 1;

interface TaskSub {
  lastSeq: number;
  listener: TaskListener;
}

/**
 * One live connection and its subscriptions.
 * Rules: every (re)connection sends the board subscription (if anyone watches the board) and each task's
 * with the last `seq` it delivered; events at or below that are dropped. A connection that closes is
 * retried after `initialMs · 2^n` (capped), n counting the connections in a row on which the server
 * said nothing; an upgrade refused with 400/401/403/404, or `maxRetries` failures in a row, ends it.
 */
export class LiveConnection {
  private socket: SocketLike | null = null;
  private stateValue: ConnectionState = 'closed';
  private stopped = true;
  private failures = 0;
  private heard = false;
  private retryHandle: unknown = null;
  private pingHandle: unknown = null;
  private readonly boardListeners = new Set<(m: BoardMessage) => void>();
  private readonly tasks = new Map<string, TaskSub>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly timers: Timers;

  constructor(private readonly options: LiveOptions) {
    this.timers = options.timers ?? {
      set: (fn, ms) => setTimeout(fn, ms),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
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
    this.timers.clear(this.retryHandle);
    this.timers.clear(this.pingHandle);
    const socket = this.detach();
    socket?.close(1000);
    this.setState('closed');
  }

  /** Reconnects now instead of waiting out the backoff (the browser came back online). */
  reconnectNow(): void {
    if (this.stopped || this.stateValue === 'open') return;
    this.timers.clear(this.retryHandle);
    this.failures = 0;
    this.detach()?.close();
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
    const socket = this.options.createSocket(this.options.url);
    this.socket = socket;
    this.heard = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.heard = true;
      this.setState('open');
      if (this.boardListeners.size > 0) this.send({ type: 'subscribe.board' });
      for (const [taskId, sub] of this.tasks)
        this.send({ type: 'subscribe.task', taskId, afterSeq: sub.lastSeq });
      this.schedulePing(socket);
    };
    socket.onmessage = (ev) => {
      if (this.socket !== socket) return;
      // The server answered on this connection: it is up, so the next drop starts the backoff over.
      this.heard = true;
      this.failures = 0;
      const message = parseServerMessage(ev.data);
      if (message) this.handle(message);
    };
    socket.onerror = () => {
      // Always followed by onclose, where the reconnect is planned.
    };
    socket.onclose = (ev) => {
      if (this.socket !== socket) return;
      this.detach();
      const status = ev?.refusedStatus;
      if (status !== undefined && FATAL_UPGRADE_STATUSES.has(status))
        return this.fail(
          new SubscriptionError(`http_${status}`, `the server refused the stream (HTTP ${status})`, true),
        );
      this.retry();
    };
  }

  /** Plans the next connection, or gives up after `maxRetries` failures in a row. */
  private retry(): void {
    if (this.stopped) return;
    const { maxRetries, backoff } = this.options;
    if (maxRetries !== undefined && this.failures >= maxRetries)
      return this.fail(
        new SubscriptionError(
          'unreachable',
          `lost the stream from ${this.options.url} and could not reconnect`,
          true,
        ),
      );
    const delay = Math.min(backoff?.maxMs ?? 10_000, (backoff?.initialMs ?? 250) * 2 ** this.failures);
    this.failures += 1;
    this.setState('connecting');
    this.options.onError?.(
      new SubscriptionError('disconnected', `stream lost, reconnecting in ${delay} ms`, false),
    );
    this.retryHandle = this.timers.set(() => this.connect(), delay);
  }

  private schedulePing(socket: SocketLike): void {
    this.pingHandle = this.timers.set(() => {
      if (this.socket !== socket) return;
      // Nothing came back since the last ping: the connection is dead even if the platform thinks not.
      if (!this.heard) {
        this.detach();
        socket.close();
        return this.retry();
      }
      this.heard = false;
      this.send({ type: 'ping' });
      this.schedulePing(socket);
    }, this.options.pingIntervalMs ?? 25_000);
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
      case 'task.updated':
        this.tasks.get(message.task.id)?.listener.onTask?.(message.task);
        for (const listener of this.boardListeners) listener(message);
        return;
      case 'board.snapshot':
      case 'task.removed':
        for (const listener of this.boardListeners) listener(message);
        return;
      case 'error': {
        const error = new SubscriptionError(
          message.error.code,
          message.error.message,
          FATAL_CODES.has(message.error.code),
        );
        for (const sub of this.tasks.values()) sub.listener.onError?.(error);
        this.options.onError?.(error);
        return;
      }
      case 'pong':
        return;
    }
  }

  /** Ends a fatal problem: stops, then says why. */
  private fail(error: SubscriptionError): void {
    this.stop();
    this.options.onError?.(error);
  }

  /** Forgets the current socket (its late events are ignored) and returns it. */
  private detach(): SocketLike | null {
    const socket = this.socket;
    this.socket = null;
    this.timers.clear(this.pingHandle);
    return socket;
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
