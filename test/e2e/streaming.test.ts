import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, type WsServerMessage } from '../../shared/api.js';
import type { GluonEvent } from '../../shared/events.js';
import { subscribeTask } from '../../shared/ws-client.js';
import { settled, startGluon, waitForTask, type Gluon } from './harness.js';

/** Opens a raw WebSocket with the token and collects what the server sends. */
function openSocket(g: Gluon) {
  const ws = new WebSocket(`${g.server.url.replace('http', 'ws')}/api/ws`, [WS_PROTOCOL], {
    headers: { authorization: `Bearer ${g.server.token}` },
  });
  const messages: WsServerMessage[] = [];
  ws.on('message', (raw) => messages.push(JSON.parse(String(raw)) as WsServerMessage));
  return {
    ws,
    messages,
    opened: new Promise<void>((r, j) => (ws.once('open', () => r()), ws.once('error', j))),
  };
}

describe('live streaming over the WebSocket', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  it('streams text while the model writes it, before the run ends', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:slow ms=3000]] tell me slowly',
    });
    const s = openSocket(g);
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'subscribe.task', taskId: created.id, afterSeq: 0 }));
    await waitForTask(g.client, created.id, settled, 'the slow task');
    s.ws.close();
    const events = s.messages
      .filter((m): m is { type: 'event'; event: GluonEvent } => m.type === 'event')
      .map((m) => m.event);
    const deltas = events.filter((e) => e.type === 'agent.delta');
    const text = events.find((e) => e.type === 'agent.text');
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(text).toBeDefined();
    // The first piece of text was persisted (and sent) well before the complete block.
    expect(Date.parse(text!.ts) - Date.parse(deltas[0]!.ts)).toBeGreaterThan(500);
    const seqs = events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('a client that drops mid-run and reconnects with its last seq gets every event exactly once', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=30]] keep ticking',
    });
    // Raw sockets (no client-side de-duplication): whatever the server sends twice would show here.
    const received: GluonEvent[] = [];
    const connect = async () => {
      const s = openSocket(g);
      await s.opened;
      s.ws.send(
        JSON.stringify({ type: 'subscribe.task', taskId: created.id, afterSeq: received.at(-1)?.seq ?? 0 }),
      );
      s.ws.on('message', (raw) => {
        const m = JSON.parse(String(raw)) as WsServerMessage;
        if (m.type === 'event') received.push(m.event);
      });
      return s;
    };
    let s = await connect();
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 300));
      s.ws.terminate();
      await new Promise((r) => setTimeout(r, 100));
      s = await connect();
    }
    await g.client.cancel(created.id);
    const final = await g.client.getTask(created.id);
    await waitFor(() => (received.at(-1)?.seq ?? 0) >= final.lastEventSeq);
    s.ws.close();
    const seqs = received.map((e) => e.seq);
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    const { events: stored } = await g.client.events(created.id, { limit: 10_000 });
    expect(stored.map((e) => e.seq)).toEqual(seqs);
  });

  it('the typed client resubscribes by itself after the server drops it', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=y.txt content=y]] y',
    });
    const received: GluonEvent[] = [];
    const sub = subscribeTask({
      baseUrl: g.server.url,
      token: g.server.token,
      taskId: created.id,
      afterSeq: 0,
      onEvent: (e) => received.push(e),
      backoff: { initialMs: 50 },
    });
    const done = await waitForTask(g.client, created.id, settled, 'the task');
    await waitFor(() => (received.at(-1)?.seq ?? 0) >= done.lastEventSeq);
    sub.close();
    expect(received.map((e) => e.seq)).toEqual(received.map((_, i) => i + 1));
  });

  it('the board subscription gets a snapshot, then task updates as they happen', async () => {
    const s = openSocket(g);
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'subscribe.board' }));
    await waitFor(() => s.messages.some((m) => m.type === 'board.snapshot'));
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=x.txt content=x]] x',
    });
    await waitForTask(g.client, created.id, settled, 'the task');
    await waitFor(() =>
      s.messages.some(
        (m) => m.type === 'task.updated' && m.task.id === created.id && m.task.status === 'review',
      ),
    );
    const statuses = s.messages
      .filter((m) => m.type === 'task.updated' && m.task.id === created.id)
      .map((m) => (m as { task: { status: string } }).task.status);
    expect(statuses).toContain('running');
    s.ws.close();
  });

  it('answers malformed messages with an error and keeps the connection', async () => {
    const s = openSocket(g);
    await s.opened;
    s.ws.send('not json');
    s.ws.send(JSON.stringify({ type: 'subscribe.task', taskId: '../../etc' }));
    s.ws.send(JSON.stringify({ type: 'subscribe.task', taskId: 'zzzzzzzz', afterSeq: 0 }));
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await waitFor(() => s.messages.some((m) => m.type === 'pong'));
    await waitFor(() => s.messages.filter((m) => m.type === 'error').length >= 3);
    const codes = s.messages
      .filter((m) => m.type === 'error')
      .map((m) => (m as { error: { code: string } }).error.code);
    expect(codes).toEqual(expect.arrayContaining(['invalid_json', 'invalid_input', 'not_found']));
    s.ws.close();
  });
});

async function waitFor(pred: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
