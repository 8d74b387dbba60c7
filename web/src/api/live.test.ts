import { describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../shared/events.js';
import { LiveConnection, wsUrlFor, type SocketLike } from './live.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.readyState = 3;
    this.onclose?.({});
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const event = (seq: number): GluonEvent =>
  ({ seq, taskId: 't1', runId: null, ts: '', type: 'notice', data: { message: `n${seq}` } }) as GluonEvent;

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const live = new LiveConnection({
    url: 'ws://127.0.0.1:1/api/ws',
    token: 'tok',
    createSocket: (url, protocols) => {
      const s = new FakeSocket(url, protocols);
      sockets.push(s);
      return s;
    },
    timers: { set: (fn, ms) => timers.push({ fn, ms }), clear: () => {} },
  });
  return { live, sockets, timers };
}

describe('LiveConnection', () => {
  it('authenticates with subprotocols, never with the URL', () => {
    const { live, sockets } = setup();
    live.start();
    expect(sockets[0]!.protocols).toEqual(['gluon.v1', 'gluon-token.tok']);
    expect(sockets[0]!.url).not.toContain('tok');
    expect(wsUrlFor('https://host:8443/')).toBe('wss://host:8443/api/ws');
  });

  it('delivers each event once and resubscribes after the last seq it delivered', () => {
    const { live, sockets, timers } = setup();
    const got: number[] = [];
    const states: string[] = [];
    live.onState((s) => states.push(s));
    live.start();
    live.watchTask('t1', 0, { onEvent: (e) => got.push(e.seq) });
    sockets[0]!.open();
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe.task', taskId: 't1', afterSeq: 0 }]);
    for (const seq of [1, 2, 2, 3]) sockets[0]!.receive({ type: 'event', event: event(seq) });
    sockets[0]!.close();
    expect(states).toEqual(['connecting', 'open', 'connecting']);
    const retry = timers.find((t) => t.ms === 250)!;
    retry.fn();
    sockets[1]!.open();
    expect(sockets[1]!.sent).toEqual([{ type: 'subscribe.task', taskId: 't1', afterSeq: 3 }]);
    for (const seq of [3, 4]) sockets[1]!.receive({ type: 'event', event: event(seq) });
    expect(got).toEqual([1, 2, 3, 4]);
  });

  it('backs off exponentially, and reconnects at once when asked (back online)', () => {
    const { live, sockets, timers } = setup();
    live.start();
    sockets[0]!.close();
    timers.at(-1)!.fn();
    sockets[1]!.close();
    expect(timers.map((t) => t.ms)).toEqual([250, 500]);
    live.reconnectNow();
    expect(sockets).toHaveLength(3);
  });

  it('sends the board snapshot request for each board listener and passes board messages on', () => {
    const { live, sockets } = setup();
    const seen: string[] = [];
    live.start();
    sockets[0]!.open();
    live.watchBoard((m) => seen.push(m.type));
    live.watchBoard(() => {});
    expect(sockets[0]!.sent).toEqual([{ type: 'subscribe.board' }, { type: 'subscribe.board' }]);
    sockets[0]!.receive({ type: 'board.snapshot', tasks: [] });
    sockets[0]!.receive({ type: 'pong' });
    expect(seen).toEqual(['board.snapshot']);
  });

  it('closes a connection that stopped answering pings', () => {
    const { live, sockets, timers } = setup();
    live.start();
    sockets[0]!.open();
    const ping = timers.find((t) => t.ms === 25_000)!;
    ping.fn(); // sends a ping
    expect(sockets[0]!.sent).toEqual([{ type: 'ping' }]);
    timers
      .filter((t) => t.ms === 25_000)
      .at(-1)!
      .fn(); // nothing came back
    expect(sockets[0]!.readyState).toBe(3);
  });
});
