/**
 * Cost reports: sums of the per-run, per-model costs, by period and by dimension.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';

export type CostDimension = 'day' | 'project' | 'task' | 'model' | 'day_model';

export interface CostGroup {
  key: string;
  label: string;
  costUsd: number;
  runs: number;
  day?: string;
  model?: string;
}

export function createCostsRepo(db: Db) {
  return {
    /**
     * Total cost of runs whose day is on or after `sinceDay` (YYYY-MM-DD); all time when omitted. Only
     * the tasks of `projectIds` when given.
     */
    async total(sinceDay?: string, projectIds?: readonly string[]): Promise<number> {
      if (projectIds?.length === 0) return 0;
      let q = db
        .selectFrom('run_costs')
        .innerJoin('tasks', 'tasks.id', 'run_costs.task_id')
        .select((eb) => eb.fn.sum<number>('run_costs.cost_usd').as('total'));
      if (sinceDay) q = q.where('run_costs.day', '>=', sinceDay);
      if (projectIds) q = q.where('tasks.project_id', 'in', projectIds);
      const row = await q.executeTakeFirst();
      return Number(row?.total ?? 0);
    },
    /**
     * Cost grouped by one dimension, largest first (by day: newest first); ties in key order, on both
     * dialects. Only the tasks of `projectIds` when given.
     */
    async groupBy(by: CostDimension, projectIds?: readonly string[]): Promise<CostGroup[]> {
      if (projectIds?.length === 0) return [];
      const joined = db
        .selectFrom('run_costs')
        .innerJoin('tasks', 'tasks.id', 'run_costs.task_id')
        .innerJoin('projects', 'projects.id', 'tasks.project_id');
      const base = projectIds ? joined.where('tasks.project_id', 'in', projectIds) : joined;
      const agg = {
        costUsd: sql<number>`sum(run_costs.cost_usd)`.as('costUsd'),
        runs: sql<number>`count(distinct run_costs.run_id)`.as('runs'),
      };
      switch (by) {
        case 'day':
          return base
            .select(['run_costs.day as key', 'run_costs.day as label', agg.costUsd, agg.runs])
            .groupBy('run_costs.day')
            .orderBy('run_costs.day', 'desc')
            .execute();
        case 'project':
          return base
            .select(['projects.id as key', 'projects.name as label', agg.costUsd, agg.runs])
            .groupBy(['projects.id', 'projects.name'])
            .orderBy('costUsd', 'desc')
            .orderBy('key')
            .execute();
        case 'task':
          return base
            .select(['tasks.id as key', 'tasks.title as label', agg.costUsd, agg.runs])
            .groupBy(['tasks.id', 'tasks.title'])
            .orderBy('costUsd', 'desc')
            .orderBy('key')
            .execute();
        case 'day_model':
          return base
            .select([
              sql<string>`run_costs.day || ' ' || run_costs.model`.as('key'),
              'run_costs.model as label',
              'run_costs.day as day',
              'run_costs.model as model',
              agg.costUsd,
              agg.runs,
            ])
            .groupBy(['run_costs.day', 'run_costs.model'])
            .orderBy('run_costs.day', 'desc')
            .orderBy('run_costs.model')
            .execute();
        case 'model':
          return base
            .select(['run_costs.model as key', 'run_costs.model as label', agg.costUsd, agg.runs])
            .groupBy('run_costs.model')
            .orderBy('costUsd', 'desc')
            .orderBy('key')
            .execute();
      }
    },
    /** Spend of one project since a day, for per-project caps; `exceptRunId`'s own spend left out. */
    async projectTotal(projectId: string, sinceDay: string, exceptRunId?: string): Promise<number> {
      let q = db
        .selectFrom('run_costs')
        .innerJoin('tasks', 'tasks.id', 'run_costs.task_id')
        .select((eb) => eb.fn.sum<number>('run_costs.cost_usd').as('total'))
        .where('tasks.project_id', '=', projectId)
        .where('run_costs.day', '>=', sinceDay);
      if (exceptRunId) q = q.where('run_costs.run_id', '!=', exceptRunId);
      const row = await q.executeTakeFirst();
      return Number(row?.total ?? 0);
    },
  };
}

export type CostsRepo = ReturnType<typeof createCostsRepo>;
