/**
 * The one WebSocket endpoint (/api/ws). A client subscribes to the board (snapshot, then every task
 * change) and to tasks with the last `seq` it saw: it gets the stored backlog, then live events, with no
 * gap and no duplicate — live events that arrive while the backlog is read are held and de-duplicated.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { WS_PROTOCOL, wsClientMessage, type WsServerMessage } from '../../../shared/api.js';
import type { TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import type { Services } from '../services/index.js';

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

export function registerWsHub(app: FastifyInstance, s: Services): void {
  const sockets = new Set<{
    send: (m: WsServerMessage) => void;
    onEvent: (e: GluonEvent) => void;
    onTask: (t: TaskDto) => void;
  }>();
  s.events.subscribe((e) => sockets.forEach((c) => c.onEvent(e)));
  s.views.onChange((t) => sockets.forEach((c) => c.onTask(t)));

  app.get('/api/ws', { websocket: true }, (socket: WebSocket) => {
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
      onTask(t: TaskDto) {
        if (board || subs.has(t.id)) sendFrame(taskFrame(t));
      },
    };
    sockets.add(client);
    socket.on('close', () => sockets.delete(client));

    async function subscribeTask(taskId: string, afterSeq: number) {
      const task = await s.tasks.get(taskId);
      const sub: TaskSub = { lastSent: afterSeq, held: [] };
      subs.set(task.id, sub);
      for (;;) {
        const page = await s.events.backlog(task.id, sub.lastSent, BACKLOG_PAGE);
        for (const e of page) deliver(sub, e);
        if (page.length < BACKLOG_PAGE) break;
      }
      const held = sub.held ?? [];
      sub.held = null;
      for (const e of held) deliver(sub, e);
      send({ type: 'subscribed', taskId: task.id, seq: sub.lastSent });
      send({ type: 'task.updated', task: await s.views.one(task) });
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
            .then(s.views.many)
            .then((tasks) => send({ type: 'board.snapshot', tasks }))
            .catch(() =>
              send({ type: 'error', error: { code: 'internal', message: 'could not read the board' } }),
            );
          return;
        case 'subscribe.task':
          subscribeTask(m.taskId, m.afterSeq).catch((err: Error & { code?: string }) =>
            send({ type: 'error', error: { code: err.code ?? 'internal', message: err.message } }),
          );
          return;
        case 'unsubscribe.task':
          subs.delete(m.taskId);
          return;
      }
    });
  });
}

/** Picks our subprotocol when the client offers it (browsers also offer the token one; never echo that). */
export function handleProtocols(protocols: Set<string>): string | false {
  return protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}
