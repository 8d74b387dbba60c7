/**
 * Migration 0010 (issue 14, parts 4 and 5): `merge_queues`, one row per merge queue with each task's
 * outcome (JSON); a partial unique index lets a project have one `running` queue at a time, on SQLite and
 * Postgres alike (the insert of a second one fails). `task_forks`: which task was forked from which.
 */
import { sql, type Kysely, type Migration } from 'kysely';

export const mergeMigrations: Record<string, Migration> = {
  '0010_merge_queue': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('merge_queues')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('base_branch', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('entries', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('merge_queues_one_running')
        .ifNotExists()
        .unique()
        .on('merge_queues')
        .column('project_id')
        .where(sql.ref('status'), '=', sql.lit('running'))
        .execute();
      await db.schema
        .createTable('task_forks')
        .ifNotExists()
        .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id'))
        .addColumn('forked_from', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('task_forks_from')
        .ifNotExists()
        .on('task_forks')
        .columns(['forked_from', 'created_at'])
        .execute();
    },
  },
};
