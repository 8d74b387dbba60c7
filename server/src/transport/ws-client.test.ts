/**
 * The WebSocket hub of a real server: a backlog replay stops when its socket closes, and a failure inside
 * the server reaches the client as a generic error (the real one goes to the log) without taking the
 * server down.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WsServerMessage } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import { insertTask } from '../services/testing/git-services.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

const until = async (what: string, pred: () => boolean) => {
  while (!pred()) await new Promise((r) => setTimeout(r, 5));
  return what;
};
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('a WebSocket hub client', () => {
  let live: LiveApp;
  let taskId: string;
  beforeAll(async () => {
    live = await startLiveApp();
    const project = (await live.services.projects.find('sample'))!;
    taskId = (await insertTask(live.storage, project)).id;
    const events: GluonEvent[] = Array.from({ length: 9000 }, (_, i) => ({
      seq: i + 1,
      taskId,
      runId: null,
      ts: new Date().toISOString(),
      type: 'notice',
      data: { message: `event ${i + 1}` },
    }));
    await live.storage.events.append(events);
  });
  afterAll(async () => live?.close());

  function connect(): Promise<{ ws: WebSocket; messages: WsServerMessage[] }> {
    const ws = new WebSocket(`ws://127.0.0.1:${live.port}/api/ws`, ['gluon.v1', `gluon-token.${live.token}`]);
    const messages: WsServerMessage[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(String(d)) as WsServerMessage));
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve({ ws, messages }));
      ws.once('error', reject);
    });
  }

  it('stops reading the backlog once the socket has closed', async () => {
    const original = live.services.events.backlog;
    const reads: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let secondDone!: Promise<unknown>;
    live.services.events.backlog = (id, after, limit) => {
      reads.push(after);
      if (reads.length !== 2) return original(id, after, limit);
      // The second page waits until the client has gone.
      secondDone = held.then(() => original(id, after, limit));
      return secondDone as Promise<GluonEvent[]>;
    };
    try {
      const { ws } = await connect();
      ws.send(JSON.stringify({ type: 'subscribe.task', taskId, afterSeq: 0 }));
      await until('the second page', () => reads.length === 2);
      ws.terminate();
      await until('the server saw the close', () => live.app.websocketServer.clients.size === 0);
      release();
      await secondDone;
      await ticks(20);
      expect(reads).toEqual([0, 2000]);
    } finally {
      live.services.events.backlog = original;
    }
  });

  it('sends expected failures as they are, and internal ones as a generic error', async () => {
    const { ws, messages } = await connect();
    ws.send(JSON.stringify({ type: 'subscribe.task', taskId: 'zzzzzzzzzzzz', afterSeq: 0 }));
    await until('not found', () => messages.some((m) => m.type === 'error'));
    expect(messages).toContainEqual({
      type: 'error',
      error: { code: 'not_found', message: 'task zzzzzzzzzzzz not found' },
    });
    messages.length = 0;
    // The database fails under the hub: its message names tables and must stay in the server log.
    await sql`ALTER TABLE tasks RENAME TO tasks_hidden`.execute(live.storage.db);
    try {
      ws.send(JSON.stringify({ type: 'subscribe.task', taskId, afterSeq: 0 }));
      ws.send(JSON.stringify({ type: 'subscribe.board' }));
      await until('two errors', () => messages.filter((m) => m.type === 'error').length === 2);
    } finally {
      await sql`ALTER TABLE tasks_hidden RENAME TO tasks`.execute(live.storage.db);
    }
    const generic = {
      type: 'error',
      error: { code: 'internal', message: 'internal error; see the server log' },
    };
    expect(messages).toEqual([generic, generic]);
    expect(JSON.stringify(messages)).not.toMatch(/tasks|sqlite|no such table/i);
    expect(live.logs.map((l) => String(l.err))).toEqual(
      expect.arrayContaining([expect.stringMatching(/no such table: tasks/)]),
    );
    ws.send(JSON.stringify({ type: 'ping' }));
    await until('pong', () => messages.some((m) => m.type === 'pong'));
    ws.close();
  });
});
