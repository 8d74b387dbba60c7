import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../shared/client.js';
import { serveStdio } from './stdio.js';

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
};
const INITIALIZED = { jsonrpc: '2.0', method: 'notifications/initialized' };
const listTasks = (id: number) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'list_tasks', arguments: {} },
});

/** A server on piped streams whose API answers only when `release` is called. */
function setup() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let output = '';
  stdout.on('data', (d: Buffer) => (output += d.toString()));
  const held: (() => void)[] = [];
  const fetch = (() =>
    new Promise<Response>((resolve) =>
      held.push(() => resolve(Response.json([]))),
    )) as typeof globalThis.fetch;
  const client = createClient({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch });
  const abort = new AbortController();
  const logs: string[] = [];
  const served = serveStdio({
    client,
    version: '9.9.9',
    stdin,
    stdout,
    log: (l) => logs.push(l),
    signal: abort.signal,
  });
  const send = (...messages: object[]) => {
    for (const m of messages) stdin.write(`${JSON.stringify(m)}\n`);
  };
  const messages = () =>
    output
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id?: number; result?: { content?: { text: string }[] } });
  const release = () => held.splice(0).forEach((go) => go());
  return { stdin, send, messages, release, served, abort, logs, held };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('serveStdio', () => {
  it('answers a call still in flight when stdin ends, then resolves; stdout holds only JSON-RPC', async () => {
    const s = setup();
    s.send(INIT, INITIALIZED, listTasks(2));
    while (s.held.length === 0) await tick();
    s.stdin.end();
    let done = false;
    const finished = s.served.then(() => (done = true));
    await tick();
    expect(done).toBe(false);
    s.release();
    await finished;
    const answers = s.messages();
    expect(answers.map((m) => m.id)).toEqual([1, 2]);
    expect(answers[1]?.result?.content?.[0]?.text).toBe('No tasks match.');
    expect(answers.every((m) => (m as { jsonrpc?: string }).jsonrpc === '2.0')).toBe(true);
  });

  it('does not wait for a call the client cancelled', async () => {
    const s = setup();
    s.send(INIT, INITIALIZED, listTasks(2));
    while (s.held.length === 0) await tick();
    s.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2 } });
    s.stdin.end();
    await s.served;
    expect(s.messages().map((m) => m.id)).toEqual([1]);
  });

  it('stops at once when aborted, and reports unreadable input on the log, not stdout', async () => {
    const s = setup();
    s.stdin.write('not json\n');
    s.send(INIT);
    await tick();
    s.abort.abort();
    await s.served;
    expect(s.messages().map((m) => m.id)).toEqual([1]);
    expect(s.logs.join('\n')).toMatch(/protocol error/);
  });
});
