/**
 * Several processes writing one Postgres database: each writer here has its own connection pool, as a
 * second `gluon serve` or a worker would. (SQLite has one writer at a time by construction.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../../shared/events.js';
import { connectDatabase, migrateDatabase } from '../db.js';
import { SeqConflictError } from '../events-repo.js';
import { openStorage, type Storage } from '../index.js';
import { createPostgresDatabase, type TestDatabase } from '../testing/databases.js';
import { buildProject, buildTask } from '../testing/suite.js';

const event = (taskId: string, seq: number, writer: number, n: number): GluonEvent =>
  ({
    seq,
    taskId,
    runId: null,
    ts: '2026-01-01T00:00:00.000Z',
    type: 'agent.text',
    data: { text: `${writer}:${n}` },
  }) as GluonEvent;

describe('several writers on one Postgres database', () => {
  let database: TestDatabase;
  let writers: Storage[] = [];
  beforeAll(async () => {
    database = await createPostgresDatabase('concurrency');
    writers = [await openStorage(database.location)];
    writers.push(await openStorage(database.location), await openStorage(database.location));
  });
  afterAll(async () => {
    await Promise.all(writers.map((w) => w.close()));
    await database?.drop();
  });

  it('lets exactly one guarded status write win per task', async () => {
    const project = await buildProject(writers[0]!);
    for (let round = 0; round < 20; round++) {
      const task = await buildTask(writers[0]!, project);
      const results = await Promise.all(
        writers.map((w, i) => w.tasks.transition(task.id, 'queued', 'running', { error: `writer ${i}` })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await writers[1]!.tasks.findById(task.id);
      expect(stored).toMatchObject({ status: 'running', error: `writer ${results.indexOf(true)}` });
    }
  });

  it('stores one of two batches that claim the same seqs, whole, and rejects the other whole', async () => {
    const project = await buildProject(writers[0]!);
    for (let round = 0; round < 10; round++) {
      const task = await buildTask(writers[0]!, project);
      const outcomes = await Promise.allSettled(
        writers.slice(0, 2).map((w, i) => w.events.append([1, 2, 3].map((s) => event(task.id, s, i, s)))),
      );
      const won = outcomes.findIndex((o) => o.status === 'fulfilled');
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(won).toBeGreaterThanOrEqual(0);
      expect(lost?.reason).toBeInstanceOf(SeqConflictError);
      const stored = await writers[2]!.events.listAfter(task.id, 0, 100);
      expect(stored.map((e) => (e.data as { text: string }).text)).toEqual(
        [1, 2, 3].map((s) => `${won}:${s}`),
      );
      expect((await writers[2]!.tasks.findById(task.id))!.lastSeq).toBe(3);
    }
  });

  it('numbers every event exactly once when writers renumber from the store after a conflict', async () => {
    const task = await buildTask(writers[0]!, await buildProject(writers[0]!));
    const batches = 20;
    const perBatch = 3;
    let conflicts = 0;
    const write = async (w: Storage, writer: number) => {
      let next = 1;
      for (let b = 0; b < batches; b++) {
        for (;;) {
          const batch = Array.from({ length: perBatch }, (_, k) =>
            event(task.id, next + k, writer, b * perBatch + k),
          );
          try {
            await w.events.append(batch);
            next += perBatch;
            break;
          } catch (err) {
            if (!(err instanceof SeqConflictError)) throw err;
            conflicts += 1;
            next = (await w.events.maxSeq(task.id)) + 1;
          }
        }
      }
    };
    await Promise.all(writers.map((w, i) => write(w, i)));
    const total = writers.length * batches * perBatch;
    const stored = await writers[0]!.events.listAfter(task.id, 0, 10_000);
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const texts = stored.map((e) => (e.data as { text: string }).text);
    expect(new Set(texts).size).toBe(total);
    for (let i = 0; i < writers.length; i++) {
      const mine = texts.filter((t) => t.startsWith(`${i}:`)).map((t) => Number(t.split(':')[1]));
      expect(mine).toEqual(Array.from({ length: batches * perBatch }, (_, k) => k));
    }
    expect((await writers[0]!.tasks.findById(task.id))!.lastSeq).toBe(total);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('upserts cost rows from racing writers without a duplicate-key failure', async () => {
    const task = await buildTask(writers[0]!, await buildProject(writers[0]!));
    const run = { id: `run-${task.id}`, taskId: task.id, day: '2026-01-01' };
    await writers[0]!.runs.insert({
      id: run.id,
      taskId: task.id,
      kind: 'initial',
      model: 'm',
      prompt: 'p',
      sessionId: null,
      status: 'running',
      stopReason: null,
      costUsd: 0,
      sdkTotalUsd: null,
      error: null,
      pid: null,
      label: null,
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: null,
    });
    for (let round = 1; round <= 10; round++) {
      await Promise.all(
        writers.map((w, i) =>
          w.runs.setModelCosts(
            run,
            ['a', 'b'].map((model) => ({
              model,
              costUsd: round + i / 10,
              inputTokens: round,
              outputTokens: 0,
              cacheWriteTokens: 0,
              cacheReadTokens: 0,
            })),
            false,
          ),
        ),
      );
    }
    const rows = await writers[0]!.db
      .selectFrom('run_costs')
      .select(['model', 'input_tokens'])
      .where('run_id', '=', run.id)
      .orderBy('model')
      .execute();
    expect(rows).toEqual([
      { model: 'a', input_tokens: 10 },
      { model: 'b', input_tokens: 10 },
    ]);
  });

  it('migrates a fresh database once when several processes start at the same moment', async () => {
    const fresh = await createPostgresDatabase('concurrent_migrate');
    const dbs = [0, 1, 2].map(() => connectDatabase(fresh.location));
    try {
      const outcomes = await Promise.all(dbs.map((db) => migrateDatabase(db)));
      expect(outcomes.flatMap((o) => o.applied).sort()).toEqual(outcomes[0]!.known);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
      await fresh.drop();
    }
  });
});
