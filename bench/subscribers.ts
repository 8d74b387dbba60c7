/**
 * A separate process holding N WebSocket subscribers to one task, so the benchmark's server does not share
 * its event loop with the clients. Prints `ready`, then one JSON line when it has `expect` events per
 * subscriber (or on SIGTERM): counts, the time the last one arrived, and emit→receive latencies.
 * Usage: node subscribers.js <url> <token> <taskId> <afterSeq> <subscribers> <expectPerSubscriber>
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WS_PROTOCOL, type WsServerMessage } from '../shared/api.js';

const [url, token, taskId, afterSeq, n, expectEach] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const latencies: number[] = [];
let received = 0;
const expected = Number(expectEach) * Number(n);
let lastAt = 0;
let opened = 0;

function finish() {
  latencies.sort((a, b) => a - b);
  const pick = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({ received, lastAt, p50: pick(50), p99: pick(99), samples: latencies.length })}\n`,
  );
  process.exit(0);
}

for (let i = 0; i < Number(n); i++) {
  const ws = new WebSocket(`${url!.replace('http', 'ws')}/api/ws`, [WS_PROTOCOL], {
    headers: { authorization: `Bearer ${token}` },
  });
  ws.on('open', () => {
    ws.send(JSON.stringify({ type: 'subscribe.task', taskId, afterSeq: Number(afterSeq) }));
  });
  ws.on('message', (raw) => {
    const m = JSON.parse(String(raw)) as WsServerMessage;
    if (m.type === 'subscribed' && ++opened === Number(n)) process.stdout.write('ready\n');
    if (m.type !== 'event' || m.event.type !== 'notice') return;
    lastAt = now();
    latencies.push(lastAt - Number(m.event.data.message));
    if (++received === expected) finish();
  });
}
process.on('SIGTERM', finish);
