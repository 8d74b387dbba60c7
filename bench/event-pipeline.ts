/**
 * (b) The event pipeline: events per second persisted (SQLite, WAL, batched) and fanned out over the
 * WebSocket to 20 subscribers, with the latency from emit to each subscriber, against raw SQLite inserts
 * measured in the same run, in the same process, right before each burst (medians of three).
 */
import Sqlite from 'better-sqlite3';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startGluon, tempDir, type Gluon } from '../test/e2e/harness.js';
import { median } from './stats.js';

/** Baseline: plain prepared inserts in one transaction, no framework, no fan-out. */
export function rawSqliteInsertsPerSecond(n: number): number {
  const db = new Sqlite(path.join(tempDir('bench-raw'), 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'create table events (task_id text, seq integer, type text, ts text, data text, primary key (task_id, seq))',
  );
  const insert = db.prepare('insert into events values (?, ?, ?, ?, ?)');
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 1; i <= n; i++)
      insert.run('t', i, 'agent.text', new Date().toISOString(), JSON.stringify({ text: `event ${i}` }));
  })();
  const s = (performance.now() - t0) / 1000;
  db.close();
  return n / s;
}

interface SubscriberReport {
  received: number;
  lastAt: number;
  p50: number;
  p99: number;
  samples: number;
}

/** Starts the subscriber process (bench/subscribers.ts) and waits until all its sockets are subscribed. */
async function startSubscribers(
  url: string,
  token: string,
  taskId: string,
  afterSeq: number,
  n: number,
  expectEach: number,
) {
  const script = fileURLToPath(new URL('./subscribers.js', import.meta.url));
  const child = spawn(
    process.execPath,
    [script, url, token, taskId, String(afterSeq), String(n), String(expectEach)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.value !== 'ready') throw new Error(`subscribers did not start: ${String(first.value)}`);
  return {
    child,
    async report(): Promise<SubscriberReport> {
      const next = await iterator.next();
      return JSON.parse(String(next.value)) as SubscriberReport;
    },
  };
}

const now = () => performance.timeOrigin + performance.now();

/**
 * One burst: `total` events emitted as fast as the pipeline takes them (in batches of 100, as a busy
 * agent's coalesced stream would), to a task `subscribers` clients (in another process) follow: how fast
 * they are durable, and how fast all the clients have them.
 */
async function measureBurst(g: Gluon, taskId: string, total: number, subscribers: number) {
  const seq = (await g.client.getTask(taskId)).lastEventSeq;
  const burst = await startSubscribers(g.server.url, g.server.token, taskId, seq, subscribers, total);
  const t0 = now();
  const persisted: Promise<unknown>[] = [];
  for (let i = 0; i < total; i += 100) persisted.push(emitNotices(g, taskId, 100));
  await Promise.all(persisted);
  const persistSeconds = (now() - t0) / 1000;
  const fanout = await burst.report();
  return {
    persistedPerSecond: total / persistSeconds,
    deliveredPerSecond: fanout.received / ((fanout.lastAt - t0) / 1000),
  };
}

const emitNotices = (g: Gluon, taskId: string, count: number) =>
  g.server.services.events.emit(
    taskId,
    Array.from({ length: count }, () => ({ type: 'notice' as const, data: { message: String(now()) } })),
  );

/**
 * Throughput, `rounds` times (medians): a burst (see `measureBurst`), each right after raw SQLite inserts
 * of as many rows in the same process, with the server up: both in the same state of the machine and of
 * the process (a single pair of measures moved the ratio between 30 and 60 %). Latency: a steady stream
 * of `rate` events per second, from emit to each subscriber.
 */
export async function measureEventPipeline(total = 20_000, subscribers = 20, rate = 2_000, rounds = 3) {
  const g = await startGluon();
  try {
    const task = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=a content=a]] a',
    });
    await g.client.cancel(task.id);
    // Measure a quiet server: the cancelled run wound down and the pool of ready worktrees refilled (its
    // git processes would otherwise share the CPU with the burst).
    while (['queued', 'running'].includes((await g.client.getTask(task.id)).status))
      await new Promise((r) => setTimeout(r, 50));
    await g.server.services.workspaces.poolIdle();

    const raw: number[] = [];
    const bursts: Array<{ persistedPerSecond: number; deliveredPerSecond: number }> = [];
    for (let round = 0; round < rounds; round++) {
      raw.push(rawSqliteInsertsPerSecond(total));
      bursts.push(await measureBurst(g, task.id, total, subscribers));
    }

    const perTick = Math.max(1, Math.round(rate / 100));
    const seq = (await g.client.getTask(task.id)).lastEventSeq;
    const steady = await startSubscribers(
      g.server.url,
      g.server.token,
      task.id,
      seq,
      subscribers,
      perTick * 200,
    );
    const steadyEmits: Promise<unknown>[] = [];
    for (let tick = 0; tick < 200; tick++) {
      steadyEmits.push(emitNotices(g, task.id, perTick));
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(steadyEmits);
    const latency = await steady.report();
    return {
      rawPerSecond: median(raw),
      persistedPerSecond: median(bursts.map((b) => b.persistedPerSecond)),
      deliveredPerSecond: median(bursts.map((b) => b.deliveredPerSecond)),
      p50: latency.p50,
      p99: latency.p99,
      samples: latency.samples,
    };
  } finally {
    await g.close();
  }
}
