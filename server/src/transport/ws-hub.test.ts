/**
 * The WebSocket hub on a real listening server (127.0.0.1) with a `ws` client, over the real services on
 * a SQLite file: backlog then live with no gap and no duplicate while events keep coming during the
 * backlog read, unsubscribe, the board, and bad messages answered without dropping the connection.
 */
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, type WsClientMessage, type WsServerMessage } from '../../../shared/api.js';
import type { NewEvent } from '../../../shared/events.js';
import { loadConfig } from '../config.js';
import { createFakeAgent } from '../runner/testing/fake-agent.js';
const fakeAgent = createFakeAgent();
import { createServices, type Services } from '../services/index.js';
import {
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from '../storage/testing/factories.js';
import { handleProtocols, registerWsHub } from './ws-hub.js';

let db: TestStorage;
let services: Services;
let app: FastifyInstance;
let url: string;
let projectId: string;
const clients: WebSocket[] = [];

beforeEach(async () => {
  db = await openTestStorage();
  const config = loadConfig(db.dir, { port: 0 }, {});
  services = createServices({
    config,
    storage: db.storage,
    agents: { get: () => fakeAgent },
    serverEnv: {},
    secrets: [],
    log: () => {},
  });
  app = Fastify();
  await app.register(websocket, { options: { handleProtocols } });
  registerWsHub(app, services, () => {});
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/ws`;
  projectId = (await insertProject(db.storage, { name: 'web' })).id;
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.terminate();
  await services.events.flush();
  await app.close();
  await db.close();
});

interface Client {
  messages: WsServerMessage[];
  send(m: WsClientMessage | string): void;
  /** The first message (received or to come) that `pred` accepts. */
  until(pred: (m: WsServerMessage) => boolean): Promise<WsServerMessage>;
}

async function connect(): Promise<Client> {
  const ws = new WebSocket(url, [WS_PROTOCOL]);
  clients.push(ws);
  const messages: WsServerMessage[] = [];
  const waiters: { pred: (m: WsServerMessage) => boolean; resolve: (m: WsServerMessage) => void }[] = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as WsServerMessage;
    messages.push(m);
    for (const w of waiters.filter((w) => w.pred(m))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    messages,
    send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
    until: (pred) =>
      new Promise((resolve) => {
        const seen = messages.find(pred);
        if (seen) resolve(seen);
        else waiters.push({ pred, resolve });
      }),
  };
}

const notices = (from: number, n: number): NewEvent[] =>
  Array.from({ length: n }, (_, i) => ({ type: 'notice', data: { message: `n${from + i}` } }));
const eventSeqs = (c: Client, taskId: string) =>
  c.messages.flatMap((m) => (m.type === 'event' && m.event.taskId === taskId ? [m.event.seq] : []));
const isEvent = (taskId: string, seq: number) => (m: WsServerMessage) =>
  m.type === 'event' && m.event.taskId === taskId && m.event.seq === seq;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('WebSocket hub', () => {
  it('sends the backlog then live events, with no gap and no duplicate, while events arrive mid-backlog', async () => {
    const task = await insertTask(db.storage, { projectId });
    for (let i = 0; i < 4500; i += 500) await services.events.emit(task.id, notices(i, 500));
    // Every page read of the backlog lets 20 more events in: some land in later pages, the last ones
    // only in what the hub held back while it read.
    const read = services.events.backlog;
    services.events.backlog = async (taskId, afterSeq, limit) => {
      const page = await read(taskId, afterSeq, limit);
      await services.events.emit(taskId, notices(0, 20));
      return page;
    };
    const c = await connect();
    c.send({ type: 'subscribe.task', taskId: task.id, afterSeq: 0 });
    const subscribed = await c.until((m) => m.type === 'subscribed');
    services.events.backlog = read;
    await services.events.emit(task.id, notices(0, 30));
    const last = 4500 + 3 * 20 + 30;
    await c.until(isEvent(task.id, last));
    expect(subscribed).toMatchObject({ taskId: task.id, seq: 4560 });
    expect(eventSeqs(c, task.id)).toEqual(range(1, last));
  });

  it('resumes after the seq a client saw, and two clients each get every event once', async () => {
    const task = await insertTask(db.storage, { projectId });
    await services.events.emit(task.id, notices(0, 10));
    const [a, b] = await Promise.all([connect(), connect()]);
    a.send({ type: 'subscribe.task', taskId: task.id, afterSeq: 7 });
    b.send({ type: 'subscribe.task', taskId: task.id });
    await Promise.all([a.until((m) => m.type === 'subscribed'), b.until((m) => m.type === 'subscribed')]);
    await services.events.emit(task.id, notices(10, 2));
    await Promise.all([a.until(isEvent(task.id, 12)), b.until(isEvent(task.id, 12))]);
    expect(eventSeqs(a, task.id)).toEqual(range(8, 12));
    expect(eventSeqs(b, task.id)).toEqual(range(1, 12));
  });

  it('writes what is published at the end of that turn, before work queued after the publication', async () => {
    const task = await insertTask(db.storage, { projectId });
    const c = await connect();
    c.send({ type: 'subscribe.task', taskId: task.id });
    await c.until((m) => m.type === 'subscribed');
    const [socket] = [...app.websocketServer.clients];
    let sent = 0;
    const send = socket!.send.bind(socket);
    socket!.send = ((...args: Parameters<typeof send>) => (sent++, send(...args))) as typeof send;
    // What runs a turn after hearing of an event (a start's deferred spawns) finds it already written.
    const sentBy = new Promise<number>((resolve) => {
      const off = services.events.subscribe(
        () => {
          off();
          setImmediate(() => resolve(sent));
        },
        { remote: true }, // heard after the hub, as the emit's caller hears of it
      );
    });
    await services.events.emit(task.id, notices(0, 1));
    expect(await sentBy).toBe(1);
    await c.until(isEvent(task.id, 1));
  });

  it('stops sending a task once unsubscribed, and keeps sending the others', async () => {
    const [one, two] = [
      await insertTask(db.storage, { projectId }),
      await insertTask(db.storage, { projectId }),
    ];
    const c = await connect();
    for (const t of [one, two]) {
      c.send({ type: 'subscribe.task', taskId: t.id });
      await c.until((m) => m.type === 'subscribed' && m.taskId === t.id);
    }
    await services.events.emit(one.id, notices(0, 1));
    await c.until(isEvent(one.id, 1));
    c.send({ type: 'unsubscribe.task', taskId: one.id });
    c.send({ type: 'ping' });
    await c.until((m) => m.type === 'pong');
    await services.events.emit(one.id, notices(1, 1));
    await services.events.emit(two.id, notices(0, 1));
    await c.until(isEvent(two.id, 1));
    expect(eventSeqs(c, one.id)).toEqual([1]);
  });

  it('sends the board snapshot, then task changes; a task subscriber hears of its own task only', async () => {
    const mine = await insertTask(db.storage, { projectId, title: 'Mine' });
    const other = await insertTask(db.storage, { projectId, title: 'Other' });
    const [board, single] = await Promise.all([connect(), connect()]);
    board.send({ type: 'subscribe.board' });
    const snapshot = await board.until((m) => m.type === 'board.snapshot');
    expect(snapshot.type === 'board.snapshot' && snapshot.tasks.map((t) => t.title).sort()).toEqual([
      'Mine',
      'Other',
    ]);
    single.send({ type: 'subscribe.task', taskId: mine.id });
    await single.until((m) => m.type === 'subscribed');
    await services.state.update(other.id, { title: 'Other, renamed' });
    await services.state.update(mine.id, { title: 'Mine, renamed' });
    await board.until((m) => m.type === 'task.updated' && m.task.title === 'Mine, renamed');
    await single.until((m) => m.type === 'task.updated' && m.task.title === 'Mine, renamed');
    const titles = single.messages.flatMap((m) => (m.type === 'task.updated' ? [m.task.title] : []));
    expect(titles).not.toContain('Other, renamed');
    expect(board.messages.some((m) => m.type === 'task.updated' && m.task.title === 'Other, renamed')).toBe(
      true,
    );
  });

  it('answers bad messages with an error and keeps the connection', async () => {
    const c = await connect();
    const errors = () => c.messages.flatMap((m) => (m.type === 'error' ? [m.error.code] : []));
    c.send('not json');
    c.send({ type: 'subscribe.everything' } as unknown as WsClientMessage);
    c.send({ type: 'subscribe.task', taskId: '../../etc' });
    c.send({ type: 'subscribe.task', taskId: 'zzzz0000zzzz' });
    await c.until((m) => m.type === 'error' && m.error.code === 'not_found');
    c.send({ type: 'ping' });
    await c.until((m) => m.type === 'pong');
    expect(errors()).toEqual(['invalid_json', 'invalid_input', 'invalid_input', 'not_found']);
  });
});
