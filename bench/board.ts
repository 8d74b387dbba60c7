/**
 * The board under load: 50 queued tasks and 8 running agents (the real binary against the fake API) on
 * this machine, with one board subscriber. Two kinds of update are timed to the subscriber: a change the
 * server makes to a running task (from its `updatedAt` stamp), and a task a user creates (from the request).
 * The server runs as its own process (`gluon serve`), as a user runs it: the fake API and the subscriber
 * stay in the bench's process, off the server's event loop.
 */
import { performance } from 'node:perf_hooks';
import { subscribeBoard } from '../shared/ws-client.js';
import { makeRepo } from '../test/e2e/harness.js';
import { serveGluon } from './served.js';
import { percentile } from './stats.js';

const wallNow = () => performance.timeOrigin + performance.now();
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureBoard(
  running = 8,
  queued = 50,
  creates = 60,
): Promise<{ p50: number; p99: number; samples: number }> {
  const g = await serveGluon('bench-board', { GLUON_MAX_CONCURRENT: String(running) });
  const { url, token, client } = g;
  await client.addProject({ path: await makeRepo(), name: 'sample' });
  const latencies: number[] = [];
  const pendingCreates = new Map<string, number>();
  let measuring = false;
  const sub = subscribeBoard({
    baseUrl: url,
    token,
    onSnapshot: () => {},
    onTask: (t) => {
      if (!measuring) return;
      const now = wallNow();
      const sent = pendingCreates.get(t.prompt);
      if (sent !== undefined) {
        pendingCreates.delete(t.prompt);
        latencies.push(now - sent);
      } else if (t.status === 'running') latencies.push(now - Date.parse(t.updatedAt));
    },
  });
  try {
    for (let i = 0; i < running + queued; i++)
      await client.createTask({ project: 'sample', prompt: `[[scenario:loop-forever delay=300]] ${i}` });
    for (;;) {
      const busy = await client.listTasks({ status: 'running' });
      if (busy.length === running && busy.every((t) => t.costUsd > 0)) break;
      await settle(250);
    }
    measuring = true;
    for (let i = 0; i < creates; i++) {
      const prompt = `[[scenario:loop-forever delay=300]] late ${i}`;
      pendingCreates.set(prompt, wallNow());
      await client.createTask({ project: 'sample', prompt });
      await settle(100);
    }
    measuring = false;
    const all = await client.listTasks({});
    await Promise.all(all.map((t) => client.cancel(t.id).catch(() => null)));
  } finally {
    sub.close();
    await g.close();
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), samples: latencies.length };
}
