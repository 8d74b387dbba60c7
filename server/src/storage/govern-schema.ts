/**
 * Table types of the governance migration (0009): budgets and their alerts, policies, and who started a
 * task's runs. Kept apart from schema.ts; `governDb` gives a database handle that knows them too.
 */
import type { Db } from './db.js';

export interface BudgetsTable {
  id: string;
  scope: string;
  scope_id: string;
  period: string;
  limit_usd: number;
  created_at: string;
  updated_at: string;
}

export interface BudgetAlertsTable {
  budget_id: string;
  period_key: string;
  level: number;
  at: string;
}

export interface PoliciesTable {
  scope: string;
  scope_id: string;
  policy: string;
  updated_at: string;
}

export interface TaskUsersTable {
  task_id: string;
  user_id: string;
}

export interface RunUsersTable {
  run_id: string;
  user_id: string;
}

export type GovernTables = {
  budgets: BudgetsTable;
  budget_alerts: BudgetAlertsTable;
  policies: PoliciesTable;
  task_users: TaskUsersTable;
  run_users: RunUsersTable;
};

/** The database, with the governance tables known to Kysely. */
export const governDb = (db: Db) => db.withTables<GovernTables>();
