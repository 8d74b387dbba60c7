/**
 * One client of the WebSocket hub: its frames, its subscriptions and its messages. A task subscription
 * sends the stored backlog from the client's last `seq`, then live events, with no gap and no duplicate —
 * live events that arrive while the backlog is read are held and de-duplicated — and stops reading the
 * backlog once the socket has closed. Failures reach the client as error frames; internal ones only as a
 * generic message (the real one goes to the log).
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { z } from 'zod';
import {
  wsClientMessage,
  type TaskDto,
  type WsClientMessage,
  type WsServerMessage,
} from '../../../shared/api.js';
import { atLeast, installActor, roleIn, strongestRole, type Actor, type Role } from '../domain/actor.js';
import type { GluonEvent } from '../../../shared/events.js';
import { AppError, forbidden } from '../errors.js';
import type { Services } from '../services/index.js';

type Log = (msg: string, err?: unknown) => void;

const BACKLOG_PAGE = 2000;
/** A client this far behind is dropped; it reconnects from its last seq and loses nothing. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Each event is serialised once, however many sockets it goes to. */
const serialised = new WeakMap<GluonEvent, Buffer>();
function eventFrame(e: GluonEvent): Buffer {
  let frame = serialised.get(e);
  if (frame === undefined) {
    frame = Buffer.from(JSON.stringify({ type: 'event', event: e } satisfies WsServerMessage));
    serialised.set(e, frame);
  }
  return frame;
}

/** Each task change is presented once (services/task-views.ts) and serialised once. */
const taskFrames = new WeakMap<TaskDto, Buffer>();
function taskFrame(task: TaskDto): Buffer {
  let frame = taskFrames.get(task);
  if (frame === undefined) {
    frame = Buffer.from(JSON.stringify({ type: 'task.updated', task } satisfies WsServerMessage));
    taskFrames.set(task, frame);
  }
  return frame;
}

interface TaskSub {
  lastSent: number;
  /** Live events held while the backlog is being sent; null once live. */
  held: GluonEvent[] | null;
}

/** What the hub calls on every client: each published event and each changed task. */
export interface HubClient {
  onEvent(e: GluonEvent): void;
  onTask(t: TaskDto): void;
  /** Writes what this turn handed the client now (the hub's drain ends with it), not a turn later. */
  flush(): void;
}

/**
 * The error frame for a failed request of a client: an expected failure (AppError) keeps its code and
 * message; anything else is logged here and reaches the client only as a generic internal error.
 */
export function errorFrame(err: unknown, log: Log): WsServerMessage {
  if (err instanceof AppError) return { type: 'error', error: { code: err.code, message: err.message } };
  log('WebSocket request failed', err);
  return { type: 'error', error: { code: 'internal', message: 'internal error; see the server log' } };
}

/**
 * Sends frames on `socket`. Frames sent within one turn of the event loop are queued and leave together
 * at its end, in one write: a busy stream to many subscribers costs a few system calls per batch instead
 * of one per event and socket, and whoever published the events (an emit of a thousand of them) does not
 * wait while every socket frames each one. `flush` writes them at once (the hub, which already delivers
 * at the end of a turn: a second wait would let the next turn's work, a spawn, run before the write). A
 * closed socket sends nothing; a client too far behind is dropped.
 */
function createFramer(socket: WebSocket): { send(frame: string | Buffer): void; flush(): void } {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  let queued: Array<string | Buffer> | null = null;
  const flush = () => {
    if (!queued) return;
    const frames = queued;
    queued = null;
    raw?.cork();
    for (const frame of frames) {
      if (socket.readyState !== socket.OPEN) break;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
        socket.close(1013, 'too far behind; reconnect with your last seq');
        break;
      }
      socket.send(frame, { binary: false });
    }
    raw?.uncork();
  };
  const send = (frame: string | Buffer) => {
    if (socket.readyState !== socket.OPEN) return;
    if (queued) queued.push(frame);
    else {
      queued = [frame];
      setImmediate(flush);
    }
  };
  return { send, flush };
}

/** A client's message, or the error frame that answers a malformed one. */
function parseMessage(
  raw: unknown,
): { message: z.output<typeof wsClientMessage> } | { error: WsServerMessage } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    return { error: { type: 'error', error: { code: 'invalid_json', message: 'messages must be JSON' } } };
  }
  const msg = wsClientMessage.safeParse(parsed);
  if (msg.success) return { message: msg.data };
  const message = msg.error.issues[0]?.message ?? 'bad message';
  return { error: { type: 'error', error: { code: 'invalid_input', message } } };
}

/** The minimum role of each client message: a new message type must name one (deny by default). */
export const MESSAGE_ROLES: Record<WsClientMessage['type'], Role> = {
  ping: 'viewer',
  'subscribe.board': 'viewer',
  'subscribe.task': 'viewer',
  'unsubscribe.task': 'viewer',
};

/**
 * Serves one connected socket for `actor` (who opened it); the hub feeds the returned client until the
 * socket closes. The actor sees only the tasks of workspaces it has a role in.
 */
export function serveClient(
  socket: WebSocket,
  s: Services,
  log: Log,
  actor: Actor = installActor('api'),
  /** Hands this client what the hub has queued but not yet delivered (see ws-hub.ts). */
  drainHub: () => void = () => {},
): HubClient {
  const sees = (workspace: string) => atLeast(roleIn(actor, workspace), 'viewer');
  const subs = new Map<string, TaskSub>();
  let board = false;
  const framer = createFramer(socket);
  const sendFrame = framer.send;
  const send = (m: WsServerMessage) => sendFrame(JSON.stringify(m));
  const fail = (err: unknown) => send(errorFrame(err, log));
  const deliver = (sub: TaskSub, e: GluonEvent) => {
    if (e.seq <= sub.lastSent) return;
    sub.lastSent = e.seq;
    sendFrame(eventFrame(e));
  };
  /** Sends the stored events after what the client has, page by page, then what arrived meanwhile. */
  async function catchUp(taskId: string, sub: TaskSub): Promise<void> {
    for (;;) {
      // A closed socket, or a client that unsubscribed (or subscribed again) meanwhile, reads no further.
      if (socket.readyState !== socket.OPEN || subs.get(taskId) !== sub) return;
      const page = await s.events.backlog(taskId, sub.lastSent, BACKLOG_PAGE);
      for (const e of page) deliver(sub, e);
      if (page.length < BACKLOG_PAGE) break;
    }
    drainHub();
    const held = sub.held ?? [];
    sub.held = null;
    for (const e of held) deliver(sub, e);
  }
  const client: HubClient = {
    onEvent(e) {
      const sub = subs.get(e.taskId);
      if (!sub) return;
      if (sub.held) sub.held.push(e);
      else if (e.seq > sub.lastSent + 1) {
        // Another process wrote the seqs in between (several servers on one database): read them first.
        sub.held = [e];
        catchUp(e.taskId, sub).catch(fail);
      } else deliver(sub, e);
    },
    onTask(t) {
      if ((board || subs.has(t.id)) && sees(t.workspace)) sendFrame(taskFrame(t));
    },
    flush: framer.flush,
  };

  async function subscribeTask(taskId: string, afterSeq: number) {
    const task = await s.tasks.get(taskId);
    const dto = await s.views.one(task);
    if (!sees(dto.workspace)) throw forbidden(`this needs a role in workspace '${dto.workspace}'`);
    const sub: TaskSub = { lastSent: afterSeq, held: [] };
    subs.set(task.id, sub);
    await catchUp(task.id, sub);
    if (socket.readyState !== socket.OPEN || subs.get(task.id) !== sub) return;
    send({ type: 'subscribed', taskId: task.id, seq: sub.lastSent });
    send({ type: 'task.updated', task: dto });
  }

  async function sendBoard() {
    const tasks = await s.views.many(await s.tasks.list({}));
    send({ type: 'board.snapshot', tasks: tasks.filter((t) => sees(t.workspace)) });
  }

  socket.on('message', (raw) => {
    const parsed = parseMessage(raw);
    if ('error' in parsed) return send(parsed.error);
    const m = parsed.message;
    const min = MESSAGE_ROLES[m.type];
    if (!atLeast(strongestRole(actor), min))
      return send({
        type: 'error',
        error: { code: 'forbidden_role', message: `this needs the ${min} role` },
      });
    switch (m.type) {
      case 'ping':
        return send({ type: 'pong' });
      case 'subscribe.board':
        board = true;
        sendBoard().catch(fail);
        return;
      case 'subscribe.task':
        subscribeTask(m.taskId, m.afterSeq).catch(fail);
        return;
      case 'unsubscribe.task':
        subs.delete(m.taskId);
        return;
    }
  });
  return client;
}
