/**
 * Budgets (migration 0009): a spending limit per project, workspace or user, per day or per month; the
 * alerts sent for each budget's period; and what each scope has spent since a day.
 */
import { sql } from 'kysely';
import type { Db } from './db.js';
import { governDb, type BudgetsTable } from './govern-schema.js';

export type BudgetScope = 'project' | 'workspace' | 'user';
export type BudgetPeriod = 'day' | 'month';

export interface BudgetRecord {
  id: string;
  scope: BudgetScope;
  /** The project's or workspace's id, or the user's id. */
  scopeId: string;
  period: BudgetPeriod;
  limitUsd: number;
  createdAt: string;
  updatedAt: string;
}

const toRecord = (r: BudgetsTable): BudgetRecord => ({
  id: r.id,
  scope: r.scope as BudgetScope,
  scopeId: r.scope_id,
  period: r.period as BudgetPeriod,
  limitUsd: Number(r.limit_usd),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function createBudgetsRepo(base: Db) {
  const db = governDb(base);
  return {
    async list(): Promise<BudgetRecord[]> {
      const rows = await db.selectFrom('budgets').selectAll().orderBy('scope').orderBy('scope_id').execute();
      return rows.map(toRecord);
    },
    /** The budgets of any of these scopes. */
    async forScopes(scopes: { scope: BudgetScope; scopeId: string }[]): Promise<BudgetRecord[]> {
      if (scopes.length === 0) return [];
      const rows = await db
        .selectFrom('budgets')
        .selectAll()
        .where((eb) =>
          eb.or(scopes.map((s) => eb.and([eb('scope', '=', s.scope), eb('scope_id', '=', s.scopeId)]))),
        )
        .execute();
      return rows.map(toRecord);
    },
    /** Sets the limit of a scope's budget for a period (one budget per scope and period). */
    async upsert(b: BudgetRecord): Promise<BudgetRecord> {
      const row: BudgetsTable = {
        id: b.id,
        scope: b.scope,
        scope_id: b.scopeId,
        period: b.period,
        limit_usd: b.limitUsd,
        created_at: b.createdAt,
        updated_at: b.updatedAt,
      };
      await db
        .insertInto('budgets')
        .values(row)
        .onConflict((oc) =>
          oc
            .columns(['scope', 'scope_id', 'period'])
            .doUpdateSet({ limit_usd: b.limitUsd, updated_at: b.updatedAt }),
        )
        .execute();
      const stored = await db
        .selectFrom('budgets')
        .selectAll()
        .where('scope', '=', b.scope)
        .where('scope_id', '=', b.scopeId)
        .where('period', '=', b.period)
        .executeTakeFirstOrThrow();
      return toRecord(stored);
    },
    async remove(id: string): Promise<boolean> {
      const r = await db.deleteFrom('budgets').where('id', '=', id).executeTakeFirst();
      await db.deleteFrom('budget_alerts').where('budget_id', '=', id).execute();
      return Number(r.numDeletedRows) > 0;
    },
    /** Records an alert for a budget's period; false when it was recorded before (sent once). */
    async markAlert(budgetId: string, periodKey: string, level: number, at: string): Promise<boolean> {
      const r = await db
        .insertInto('budget_alerts')
        .values({ budget_id: budgetId, period_key: periodKey, level, at })
        .onConflict((oc) => oc.columns(['budget_id', 'period_key', 'level']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** What a scope has spent on runs whose day is on or after `sinceDay` (leaving out `exceptRunId`). */
    async spent(
      scope: BudgetScope,
      scopeId: string,
      sinceDay: string,
      exceptRunId?: string,
    ): Promise<number> {
      const total = sql<number>`sum(run_costs.cost_usd)`.as('total');
      const row =
        scope === 'user'
          ? await db
              .selectFrom('run_costs')
              .innerJoin('run_users', 'run_users.run_id', 'run_costs.run_id')
              .select(total)
              .where('run_users.user_id', '=', scopeId)
              .where('run_costs.day', '>=', sinceDay)
              .where('run_costs.run_id', '!=', exceptRunId ?? '')
              .executeTakeFirst()
          : await db
              .selectFrom('run_costs')
              .innerJoin('tasks', 'tasks.id', 'run_costs.task_id')
              .innerJoin('projects', 'projects.id', 'tasks.project_id')
              .select(total)
              .where(scope === 'project' ? 'projects.id' : 'projects.workspace_id', '=', scopeId)
              .where('run_costs.day', '>=', sinceDay)
              .where('run_costs.run_id', '!=', exceptRunId ?? '')
              .executeTakeFirst();
      return Number(row?.total ?? 0);
    },
  };
}

export type BudgetsRepo = ReturnType<typeof createBudgetsRepo>;
