/**
 * Migration 0009 (issue 13, governance): budgets per project, workspace or user per day or month, the
 * alerts already sent for each period (so a warning goes out once), policies per workspace or project,
 * and who started each task's runs (a user id, when the caller is known), for budgets and reports by user.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const governMigrations: Record<string, Migration> = {
  '0009_governance': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('budgets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('limit_usd', t.real, (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('budgets_target', ['scope', 'scope_id', 'period'])
        .execute();
      await db.schema
        .createTable('budget_alerts')
        .addColumn('budget_id', 'text', (c) => c.notNull())
        .addColumn('period_key', 'text', (c) => c.notNull())
        .addColumn('level', t.integer, (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('budget_alerts_pk', ['budget_id', 'period_key', 'level'])
        .execute();
      await db.schema
        .createTable('policies')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('scope_id', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('policies_pk', ['scope', 'scope_id'])
        .execute();
      await db.schema
        .createTable('task_users')
        .addColumn('task_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('run_users')
        .addColumn('run_id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('run_users_user').on('run_users').columns(['user_id']).execute();
    },
  },
};
