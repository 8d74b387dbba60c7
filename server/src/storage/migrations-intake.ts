/**
 * Migration of work that arrives by itself (0008): GitHub issues that became tasks (one row per issue,
 * keyed by GitHub's issue id so a redelivery or a restart never makes a second task, with what Gluon has
 * said on the issue), schedules (a cron line, a prompt, its failures in a row) and which task each run of
 * a schedule made, and the browsers subscribed to Web Push.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const intakeMigrations: Record<string, Migration> = {
  '0008_intake': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('issue_tasks')
        .addColumn('issue_id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull().unique().references('tasks.id'))
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('repo', 'text', (c) => c.notNull())
        .addColumn('number', t.integer, (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('review_commented', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('pr_commented', t.integer)
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('prompt', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('failures', t.integer, (c) => c.notNull().defaultTo(0))
        .addColumn('paused_reason', 'text')
        .addColumn('next_run_at', 'text')
        .addColumn('last_run_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('schedule_runs')
        .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id'))
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('schedules.id'))
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('schedule_runs_due')
        .on('schedule_runs')
        .columns(['schedule_id', 'due_at'])
        .unique()
        .execute();
      await db.schema
        .createTable('push_subscriptions')
        .addColumn('endpoint', 'text', (c) => c.primaryKey())
        .addColumn('p256dh', 'text', (c) => c.notNull())
        .addColumn('auth', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
};
