/**
 * The counts a Prometheus scrape reads: tasks and runs by status, running tasks per worker and by health,
 * and cost and tokens per model. Read on each scrape, so every process sharing the database reports the
 * same figures.
 */
import { sql } from 'kysely';
import type { ModelCost } from '../domain/pricing.js';
import type { Db } from './db.js';

export interface CountRow {
  key: string;
  count: number;
}

/** A model's cost and tokens over all runs: the same figures a run reports per model. */
export type ModelTotals = ModelCost;

export function createMetricsRepo(db: Db) {
  const counted = (rows: { key: string | null; count: number | string | bigint }[]): CountRow[] =>
    rows.map((r) => ({ key: r.key ?? '', count: Number(r.count) }));
  return {
    async tasksByStatus(): Promise<CountRow[]> {
      const rows = await db
        .selectFrom('tasks')
        .select(['status as key', sql<number>`count(*)`.as('count')])
        .groupBy('status')
        .execute();
      return counted(rows);
    },
    /** Runs by their status and, once ended, why they stopped (`running/`, `ended/cost_cap`). */
    async runsByStatus(): Promise<CountRow[]> {
      const rows = await db
        .selectFrom('runs')
        .select([
          sql<string>`runs.status || '/' || coalesce(runs.stop_reason, '')`.as('key'),
          sql<number>`count(*)`.as('count'),
        ])
        .groupBy(['status', 'stop_reason'])
        .execute();
      return counted(rows);
    },
    /** Running tasks per worker (empty key: the server's own runs). */
    async runningByWorker(): Promise<CountRow[]> {
      const rows = await db
        .selectFrom('tasks')
        .select(['worker as key', sql<number>`count(*)`.as('count')])
        .where('status', '=', 'running')
        .groupBy('worker')
        .execute();
      return counted(rows);
    },
    /** Running tasks by health (green, yellow, red). */
    async healthOfRunning(): Promise<CountRow[]> {
      const rows = await db
        .selectFrom('tasks')
        .select(['health as key', sql<number>`count(*)`.as('count')])
        .where('status', '=', 'running')
        .groupBy('health')
        .execute();
      return counted(rows);
    },
    async totalsByModel(): Promise<ModelTotals[]> {
      const rows = await db
        .selectFrom('run_costs')
        .select([
          'model',
          sql<number>`sum(cost_usd)`.as('costUsd'),
          sql<number>`sum(input_tokens)`.as('inputTokens'),
          sql<number>`sum(output_tokens)`.as('outputTokens'),
          sql<number>`sum(cache_write_tokens)`.as('cacheWriteTokens'),
          sql<number>`sum(cache_read_tokens)`.as('cacheReadTokens'),
        ])
        .groupBy('model')
        .execute();
      return rows.map((r) => ({
        model: r.model,
        costUsd: Number(r.costUsd),
        inputTokens: Number(r.inputTokens),
        outputTokens: Number(r.outputTokens),
        cacheWriteTokens: Number(r.cacheWriteTokens),
        cacheReadTokens: Number(r.cacheReadTokens),
      }));
    },
  };
}

export type MetricsRepo = ReturnType<typeof createMetricsRepo>;
