/**
 * Schema migrations, in order. Written with Kysely's schema builder so the same steps serve SQLite and
 * Postgres; integer and float columns take their type from `columnTypes` (on SQLite exactly the `integer`
 * and `real` they always had). Never edit a migration that has shipped: add a new one.
 */
import { type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { columnTypes } from './dialect.js';
import { agentMigrations } from './migrations-agent.js';
import { gitMigrations } from './migrations-git.js';
import { governMigrations } from './migrations-govern.js';
import { intakeMigrations } from './migrations-intake.js';
import { prAutofixMigrations } from './migrations-pr-autofix.js';
import { workerMigrations } from './migrations-workers.js';
import { reviewMigrations } from './migrations-review.js';
import { teamMigrations } from './migrations-team.js';
import { mergeMigrations } from './migrations-merge.js';
import { oidcMigrations } from './migrations-oidc.js';
import { sandboxMigrations } from './migrations-sandbox.js';

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('workspaces')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('default_branch', 'text', (c) => c.notNull())
        .addColumn('remote_url', 'text')
        .addColumn('github', 'text')
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('approval', 'text', (c) => c.notNull())
        .addColumn('use_worktree', t.integer, (c) => c.notNull())
        .addColumn('branch', 'text')
        .addColumn('base_branch', 'text', (c) => c.notNull())
        .addColumn('base_sha', 'text')
        .addColumn('worktree_path', 'text')
        .addColumn('cost_usd', t.real, (c) => c.notNull().defaultTo(0))
        .addColumn('max_cost_usd', t.real)
        .addColumn('input_required', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('pending_input', 'text')
        .addColumn('stop_reason', 'text')
        .addColumn('error', 'text')
        .addColumn('iterations', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('session_id', 'text')
        .addColumn('health', 'text')
        .addColumn('health_reason', 'text')
        .addColumn('next_prompt', 'text')
        .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('last_seq', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('queued_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema.createIndex('tasks_status').on('tasks').columns(['status', 'queued_at']).execute();
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stop_reason', 'text')
        .addColumn('cost_usd', t.real, (c) => c.notNull().defaultTo(0))
        .addColumn('sdk_total_usd', t.real)
        .addColumn('error', 'text')
        .addColumn('pid', t.integer)
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('ended_at', 'text')
        .execute();
      await db.schema.createIndex('runs_task').on('runs').columns(['task_id', 'started_at']).execute();
      await db.schema
        .createTable('run_costs')
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('cost_usd', t.real, (c) => c.notNull())
        .addColumn('input_tokens', t.integer, (c) => c.notNull())
        .addColumn('output_tokens', t.integer, (c) => c.notNull())
        .addColumn('cache_write_tokens', t.integer, (c) => c.notNull())
        .addColumn('cache_read_tokens', t.integer, (c) => c.notNull())
        .addColumn('final', t.integer, (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_costs_pk', ['run_id', 'model'])
        .execute();
      await db.schema.createIndex('run_costs_day').on('run_costs').column('day').execute();
      await db.schema
        .createTable('events')
        .addColumn('task_id', 'text', (c) => c.notNull())
        .addColumn('seq', t.integer, (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('ts', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['task_id', 'seq'])
        .execute();
    },
  },
};

const modes: Record<string, Migration> = {
  '0003_task_modes': {
    async up(db: Kysely<unknown>) {
      // The state of a task's mode (Ralph loop, formula, planning) between its runs.
      await db.schema.alterTable('tasks').addColumn('mode_state', 'text').execute();
      // A run's place in its task: "Iteration 3", "Step 2/4 Implement", "Plan".
      await db.schema.alterTable('runs').addColumn('label', 'text').execute();
    },
  },
};

/** Supplies the migrations above to Kysely's Migrator (applied in name order). */
export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({
    ...migrations,
    ...gitMigrations,
    ...modes,
    ...agentMigrations,
    ...workerMigrations,
    ...reviewMigrations,
    ...teamMigrations,
    ...intakeMigrations,
    ...governMigrations,
    ...mergeMigrations,
    ...prAutofixMigrations,
    ...oidcMigrations,
    ...sandboxMigrations,
  }),
};
