/**
 * (g) What one Postgres carries: events persisted per second through the events repository (batches of
 * 50, 4 writers at once, as several workers write), and the size of the tables per 1,000 tasks of 60
 * events each (tool calls with their inputs and results, text, costs). The figures docs/SCALING.md uses.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openStorage } from '../server/src/storage/index.js';
import { buildEvent, insertProject, insertTask } from '../server/src/storage/testing/factories.js';
import { createPostgresDatabase } from '../server/src/storage/testing/databases.js';
import type { GluonEvent } from '../shared/events.js';

const EVENTS_PER_TASK = 60;
const BATCH = 50;

/** A plausible event of a run: every third a tool call, a tool result or a cost update. */
function eventOf(taskId: string, seq: number): GluonEvent {
  const kind = seq % 3;
  if (kind === 0)
    return buildEvent(taskId, seq, {
      type: 'tool.called',
      data: { toolUseId: `toolu_${seq}`, name: 'Bash', input: { command: `npm test -- --grep case-${seq}` } },
    } as Partial<GluonEvent>);
  if (kind === 1)
    return buildEvent(taskId, seq, {
      type: 'tool.result',
      data: { toolUseId: `toolu_${seq}`, output: 'ok '.repeat(120), isError: false },
    } as Partial<GluonEvent>);
  return buildEvent(taskId, seq, {
    type: 'cost.updated',
    data: { taskCostUsd: seq / 1000, runCostUsd: seq / 1000, final: false },
  } as Partial<GluonEvent>);
}

export async function measurePostgresCapacity(tasks = 1000) {
  const db = await createPostgresDatabase('bench_capacity');
  const storage = await openStorage(db.location);
  try {
    const project = await insertProject(storage, { name: 'bench' });
    const ids: string[] = [];
    for (let i = 0; i < tasks; i++) ids.push((await insertTask(storage, { projectId: project.id })).id);
    const t0 = performance.now();
    let next = 0;
    const writer = async () => {
      for (let i = next++; i < ids.length; i = next++) {
        for (let seq = 1; seq <= EVENTS_PER_TASK; seq += BATCH) {
          const batch = [];
          for (let s = seq; s < Math.min(seq + BATCH, EVENTS_PER_TASK + 1); s++)
            batch.push(eventOf(ids[i]!, s));
          await storage.events.append(batch);
        }
      }
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    const seconds = (performance.now() - t0) / 1000;
    const size = async (table: string) =>
      Number(
        (await sql<{ n: string }>`select pg_total_relation_size(${table}::regclass) as n`.execute(storage.db))
          .rows[0]!.n,
      );
    const perThousand = (bytes: number) => (bytes / (1024 * 1024)) * (1000 / tasks);
    return {
      eventsPerSecond: (tasks * EVENTS_PER_TASK) / seconds,
      eventsMbPer1000Tasks: perThousand(await size('events')),
      tasksMbPer1000Tasks: perThousand(await size('tasks')),
    };
  } finally {
    await storage.close();
    await db.drop();
  }
}
