/**
 * (f) A fleet on Postgres next to one machine on SQLite: dispatch latency (task created → running on a
 * worker, seen on the board), throughput (tasks started per minute, one tool call each, 3 workers × 3),
 * and how late an event written by a worker reaches a WebSocket subscriber of another server.
 */
import { performance } from 'node:perf_hooks';
import type { TaskDto } from '../shared/api.js';
import type { GluonClient } from '../shared/client.js';
import { subscribeBoard, subscribeTask } from '../shared/ws-client.js';
import { startFleet, TOKEN } from '../test/e2e/fleet-harness.js';
import { startGluon } from '../test/e2e/harness.js';
import { percentile } from './stats.js';

const ONE_TOOL = (i: number) => `[[scenario:write-file path=f-${i}.txt content="${i}"]] Write f-${i}.txt`;

export interface DispatchFigures {
  p50: number;
  p99: number;
  /** Tasks started per minute with `burst` created at once. */
  startedPerMinute: number;
}

/** Watches a board for tasks reaching `running`; `when(id)` resolves with the moment it was seen. */
function runningWatch(baseUrl: string, token: string) {
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  const sub = subscribeBoard({
    baseUrl,
    token,
    onSnapshot: () => {},
    onTask: (t: TaskDto) => {
      if (t.status !== 'running' || seen.has(t.id)) return;
      const at = performance.now();
      seen.set(t.id, at);
      waiting.get(t.id)?.(at);
    },
  });
  return {
    when: (id: string) =>
      seen.has(id) ? Promise.resolve(seen.get(id)!) : new Promise<number>((r) => waiting.set(id, r)),
    close: () => sub.close(),
  };
}

async function measureDispatch(
  client: GluonClient,
  watch: ReturnType<typeof runningWatch>,
  samples: number,
  burst: number,
): Promise<DispatchFigures> {
  const latencies: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const t = await client.createTask({ project: 'sample', prompt: ONE_TOOL(i) });
    latencies.push((await watch.when(t.id)) - t0);
  }
  const t0 = performance.now();
  const tasks = await Promise.all(
    Array.from({ length: burst }, (_, i) =>
      client.createTask({ project: 'sample', prompt: ONE_TOOL(100 + i) }),
    ),
  );
  const last = Math.max(...(await Promise.all(tasks.map((t) => watch.when(t.id)))));
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    startedPerMinute: (burst / (last - t0)) * 60_000,
  };
}

export async function measureFleet(samples = 10, burst = 30) {
  const fleet = await startFleet('bench_fleet');
  try {
    const b = await fleet.startServer();
    for (const name of ['w1', 'w2', 'w3']) await fleet.startWorker(name, { capacity: 3 });
    const a = fleet.servers[0]!;
    const watch = runningWatch(`http://127.0.0.1:${a.port}`, TOKEN);
    const dispatch = await measureDispatch(a.client, watch, samples, burst);
    watch.close();
    // Events a worker writes, as a subscriber of the other server receives them.
    const lags: number[] = [];
    const task = await a.client.createTask({
      project: 'sample',
      prompt: '[[scenario:steps n=20 delay=50]] Write twenty steps',
    });
    await new Promise<void>((resolve) => {
      const sub = subscribeTask({
        baseUrl: `http://127.0.0.1:${b.port}`,
        token: TOKEN,
        taskId: task.id,
        afterSeq: 0,
        onEvent: (e) => {
          if (e.runId) lags.push(Date.now() - Date.parse(e.ts));
          if (e.type === 'run.ended') {
            sub.close();
            resolve();
          }
        },
      });
    });
    lags.sort((x, y) => x - y);
    return {
      dispatch,
      eventLagP50: percentile(lags, 50),
      eventLagP99: percentile(lags, 99),
      events: lags.length,
    };
  } finally {
    await fleet.close();
  }
}

export async function measureSqliteDispatch(samples = 10, burst = 30): Promise<DispatchFigures> {
  const g = await startGluon();
  try {
    const watch = runningWatch(g.server.url, g.server.token);
    const figures = await measureDispatch(g.client, watch, samples, burst);
    watch.close();
    return figures;
  } finally {
    await g.close();
  }
}
