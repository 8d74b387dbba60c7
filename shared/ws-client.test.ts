import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { buildEvent, buildTask } from '../cli/src/testing/fixtures.js';
import type { GluonEvent } from './events.js';
import { SubscriptionError, subscribeBoard, subscribeTask, toWsUrl } from './ws-client.js';

const TASK = 'abcd1234ef';
const stored = Array.from({ length: 20 }, (_, i) =>
  buildEvent(i + 1, 'notice', { message: `event ${i + 1}` }),
);

interface Connection {
  socket: WebSocket;
  request: IncomingMessage;
  index: number;
}

let server: Server | undefined;
let wss: WebSocketServer | undefined;

/** A WebSocket server on 127.0.0.1 that hands each subscription to `onSubscribe`. */
async function startServer(
  onSubscribe: (connection: Connection, afterSeq: number) => void,
  verify?: (request: IncomingMessage) => boolean,
) {
  server = createServer();
  wss = new WebSocketServer({
    server,
    path: '/api/ws',
    verifyClient: verify ? ({ req }, done) => done(verify(req), 401) : undefined,
  });
  let index = 0;
  wss.on('connection', (socket, request) => {
    const connection = { socket, request, index: index++ };
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; afterSeq?: number };
      if (message.type === 'subscribe.task' || message.type === 'subscribe.board')
        onSubscribe(connection, message.afterSeq ?? 0);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const sendEvents = (socket: WebSocket, events: GluonEvent[]) => {
  for (const event of events) socket.send(JSON.stringify({ type: 'event', event }));
};
const between = (from: number, to: number) => stored.filter((e) => e.seq >= from && e.seq <= to);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(async () => {
  for (const client of wss?.clients ?? []) client.terminate();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  wss = undefined;
});

describe('subscribeTask', () => {
  it('delivers every event exactly once, in order, across dropped connections', async () => {
    const subscriptions: number[] = [];
    const headers: (string | undefined)[] = [];
    const baseUrl = await startServer(({ socket, request, index }, afterSeq) => {
      subscriptions.push(afterSeq);
      headers.push(request.headers.authorization, request.headers['sec-websocket-protocol']);
      if (index === 0) {
        // Backlog 1–5, then live 6–8, then the connection dies mid-stream.
        sendEvents(socket, between(1, 5));
        socket.send(JSON.stringify({ type: 'subscribed', taskId: TASK, seq: 5 }));
        sendEvents(socket, between(6, 8));
        setTimeout(() => socket.terminate(), 50);
      } else if (index === 1) {
        // A server going down right after the subscription arrives.
        socket.terminate();
      } else {
        // A sloppy backlog that overlaps what the client already has.
        sendEvents(socket, between(Math.max(1, afterSeq - 3), 14));
        socket.send(JSON.stringify({ type: 'subscribed', taskId: TASK, seq: 14 }));
        sendEvents(socket, [...between(12, 20), buildEvent(3, 'notice', { message: 'stale' })]);
        socket.send(JSON.stringify({ type: 'task.updated', task: buildTask({ status: 'review' }) }));
      }
    });

    const received: number[] = [];
    const errors: SubscriptionError[] = [];
    const subscribed: number[] = [];
    let resolveTask: (status: string) => void = () => undefined;
    const taskUpdated = new Promise<string>((resolve) => (resolveTask = resolve));
    const subscription = subscribeTask({
      baseUrl,
      token: 'tok',
      taskId: TASK,
      afterSeq: 0,
      backoff: { initialMs: 10, maxMs: 50 },
      onEvent: (event) => received.push(event.seq),
      onTask: (task) => resolveTask(task.status),
      onSubscribed: (seq) => subscribed.push(seq),
      onError: (error) => errors.push(error),
    });

    expect(await taskUpdated).toBe('review');
    await sleep(20);
    subscription.close();

    expect(received).toEqual(stored.map((e) => e.seq));
    expect(subscriptions).toEqual([0, 8, 8]);
    expect(subscribed).toEqual([5, 14]);
    expect(headers.slice(0, 2)).toEqual(['Bearer tok', 'gluon.v1']);
    expect(errors.length).toBe(2);
    expect(errors.every((e) => !e.fatal && e.code === 'disconnected')).toBe(true);
  });

  it('gives up without retrying when the server refuses the token', async () => {
    let attempts = 0;
    const baseUrl = await startServer(
      () => undefined,
      () => {
        attempts += 1;
        return false;
      },
    );
    const error = await new Promise<SubscriptionError>((resolve) => {
      subscribeTask({
        baseUrl,
        token: 'wrong',
        taskId: TASK,
        afterSeq: 0,
        backoff: { initialMs: 5 },
        onEvent: () => undefined,
        onError: resolve,
      });
    });
    await sleep(100);
    expect(error).toMatchObject({ code: 'http_401', fatal: true });
    expect(attempts).toBe(1);
  });

  it('stops reconnecting after close() and after maxRetries', async () => {
    const baseUrl = await startServer(({ socket }) => socket.terminate());
    const errors: SubscriptionError[] = [];
    const done = new Promise<void>((resolve) => {
      subscribeTask({
        baseUrl,
        taskId: TASK,
        afterSeq: 0,
        maxRetries: 2,
        backoff: { initialMs: 5 },
        onEvent: () => undefined,
        onError: (error) => {
          errors.push(error);
          if (error.fatal) resolve();
        },
      });
    });
    await done;
    expect(errors.map((e) => e.code)).toEqual(['disconnected', 'disconnected', 'unreachable']);
  });
});

describe('subscribeBoard', () => {
  it('gets a snapshot on every connection and every change between, until a fatal error', async () => {
    const baseUrl = await startServer(({ socket, index }) => {
      const send = (message: unknown) => socket.send(JSON.stringify(message));
      if (index === 0) {
        send({ type: 'board.snapshot', tasks: [buildTask({ id: 'aaaa1111', status: 'queued' })] });
        send({ type: 'task.updated', task: buildTask({ id: 'aaaa1111', status: 'running' }) });
        setTimeout(() => socket.terminate(), 20);
      } else {
        send({ type: 'board.snapshot', tasks: [buildTask({ id: 'aaaa1111', status: 'review' })] });
        send({ type: 'task.removed', taskId: 'aaaa1111' });
        send({ type: 'error', error: { code: 'forbidden', message: 'no longer allowed' } });
      }
    });
    const seen: string[] = [];
    const errors: SubscriptionError[] = [];
    await new Promise<void>((resolve) => {
      subscribeBoard({
        baseUrl,
        backoff: { initialMs: 5 },
        onSnapshot: (tasks) => seen.push(`snapshot ${tasks.map((t) => t.status).join(',')}`),
        onTask: (task) => seen.push(`task ${task.status}`),
        onRemoved: (id) => seen.push(`removed ${id}`),
        onError: (error) => {
          errors.push(error);
          if (error.fatal) resolve();
        },
      });
    });
    expect(seen).toEqual(['snapshot queued', 'task running', 'snapshot review', 'removed aaaa1111']);
    expect(errors.map((e) => [e.code, e.fatal])).toEqual([
      ['disconnected', false],
      ['forbidden', true],
    ]);
  });
});

describe('toWsUrl', () => {
  it('maps http(s) base URLs to the ws endpoint', () => {
    expect(toWsUrl('http://127.0.0.1:45866')).toBe('ws://127.0.0.1:45866/api/ws');
    expect(toWsUrl('https://gluon.example.com/base/')).toBe('wss://gluon.example.com/base/api/ws');
  });
});
