/**
 * The one WebSocket endpoint (/api/ws). A client subscribes to the board (snapshot, then every task
 * change) and to tasks with the last `seq` it saw: it gets the stored backlog, then live events, with no
 * gap and no duplicate — live events that arrive while the backlog is read are held and de-duplicated.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { WS_PROTOCOL, wsClientMessage, type WsServerMessage } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import { AppError } from '../errors.js';
import type { Services } from '../services/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { needs } from './access.js';
import { presentTask } from './presenters.js';

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

interface TaskSub {
  lastSent: number;
  /** Live events held while the backlog is being sent; null once live. */
  held: GluonEvent[] | null;
}

/**
 * The error frame for a failed request of a client: an expected failure (AppError) keeps its code and
 * message; anything else is logged here and reaches the client only as a generic internal error.
 */
export function errorFrame(err: unknown, log: (msg: string, err?: unknown) => void): WsServerMessage {
  if (err instanceof AppError) return { type: 'error', error: { code: err.code, message: err.message } };
  log('WebSocket request failed', err);
  return { type: 'error', error: { code: 'internal', message: 'internal error; see the server log' } };
}

export function registerWsHub(
  app: FastifyInstance,
  s: Services,
  log: (msg: string, err?: unknown) => void,
): void {
  const sockets = new Set<{
    send: (m: WsServerMessage) => void;
    onEvent: (e: GluonEvent) => void;
    onTask: (t: TaskRecord) => void;
  }>();
  s.events.subscribe((e) => sockets.forEach((c) => c.onEvent(e)));
  s.state.onChange((t) => sockets.forEach((c) => c.onTask(t)));

  app.route({
    method: 'GET',
    url: '/api/ws',
    ...needs('token'),
    // A plain request to the WebSocket address: say what it takes, in the API's error shape.
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ error: { code: 'upgrade_required', message: 'this address speaks WebSocket only' } }),
    wsHandler: (socket: WebSocket) => {
      const subs = new Map<string, TaskSub>();
      let board = false;
      // Frames sent within one turn of the event loop leave in one write: a busy stream to many
      // subscribers costs a few system calls per batch instead of one per event and socket.
      const raw = (socket as unknown as { _socket?: Socket })._socket;
      let corked = false;
      const sendFrame = (frame: string | Buffer) => {
        if (socket.readyState !== socket.OPEN) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          socket.close(1013, 'too far behind; reconnect with your last seq');
          return;
        }
        if (raw && !corked) {
          corked = true;
          raw.cork();
          setImmediate(() => {
            corked = false;
            raw.uncork();
          });
        }
        socket.send(frame, { binary: false });
      };
      const send = (m: WsServerMessage) => sendFrame(JSON.stringify(m));
      const deliver = (sub: TaskSub, e: GluonEvent) => {
        if (e.seq <= sub.lastSent) return;
        sub.lastSent = e.seq;
        sendFrame(eventFrame(e));
      };
      const client = {
        send,
        onEvent(e: GluonEvent) {
          const sub = subs.get(e.taskId);
          if (!sub) return;
          if (sub.held) sub.held.push(e);
          else deliver(sub, e);
        },
        onTask(t: TaskRecord) {
          if (!board && !subs.has(t.id)) return;
          Promise.all([s.projects.find(t.projectId), s.pullRequests.gitState(t.id)]).then(
            ([p, git]) => send({ type: 'task.updated', task: presentTask(t, p, git) }),
            (err: unknown) => send(errorFrame(err, log)),
          );
        },
      };
      sockets.add(client);
      socket.on('close', () => sockets.delete(client));

      async function subscribeTask(taskId: string, afterSeq: number) {
        const task = await s.tasks.get(taskId);
        const sub: TaskSub = { lastSent: afterSeq, held: [] };
        subs.set(task.id, sub);
        for (;;) {
          // A closed socket, or a client that unsubscribed meanwhile, reads no further page.
          if (socket.readyState !== socket.OPEN || subs.get(task.id) !== sub) return;
          const page = await s.events.backlog(task.id, sub.lastSent, BACKLOG_PAGE);
          for (const e of page) deliver(sub, e);
          if (page.length < BACKLOG_PAGE) break;
        }
        const held = sub.held ?? [];
        sub.held = null;
        for (const e of held) deliver(sub, e);
        send({ type: 'subscribed', taskId: task.id, seq: sub.lastSent });
        client.onTask(task);
      }

      socket.on('message', (raw) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(raw));
        } catch {
          return send({ type: 'error', error: { code: 'invalid_json', message: 'messages must be JSON' } });
        }
        const msg = wsClientMessage.safeParse(parsed);
        if (!msg.success)
          return send({
            type: 'error',
            error: { code: 'invalid_input', message: msg.error.issues[0]?.message ?? 'bad message' },
          });
        const m = msg.data;
        switch (m.type) {
          case 'ping':
            return send({ type: 'pong' });
          case 'subscribe.board':
            board = true;
            s.tasks
              .list({})
              .then(async (tasks) => {
                const projects = new Map((await s.projects.list()).map((p) => [p.id, p]));
                const git = await s.pullRequests.gitStates(tasks.map((t) => t.id));
                send({
                  type: 'board.snapshot',
                  tasks: tasks.map((t) => presentTask(t, projects.get(t.projectId), git.get(t.id))),
                });
              })
              .catch((err: unknown) => send(errorFrame(err, log)));
            return;
          case 'subscribe.task':
            subscribeTask(m.taskId, m.afterSeq).catch((err: unknown) => send(errorFrame(err, log)));
            return;
          case 'unsubscribe.task':
            subs.delete(m.taskId);
            return;
        }
      });
    },
  });
}

/** Picks our subprotocol when the client offers it (browsers also offer the token one; never echo that). */
export function handleProtocols(protocols: Set<string>): string | false {
  return protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}
