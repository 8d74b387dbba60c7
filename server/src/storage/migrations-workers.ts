/**
 * Migration of the worker fleet (several machines on Postgres): the `workers` table (who runs agents,
 * where, with what capacity, and when each last heartbeated) and, on a task, the worker that runs or last
 * ran it and the queue job that dispatched its current run.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const workerMigrations: Record<string, Migration> = {
  '0005_workers': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('workers')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', t.integer, (c) => c.notNull())
        .addColumn('capacity', t.integer, (c) => c.notNull())
        .addColumn('projects', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'text', (c) => c.notNull())
        .addColumn('lost_at', 'text')
        .addColumn('stopped_at', 'text')
        .execute();
      await db.schema.alterTable('tasks').addColumn('worker', 'text').execute();
      await db.schema.alterTable('tasks').addColumn('dispatch_job', 'text').execute();
      await db.schema.createIndex('tasks_worker').on('tasks').columns(['worker', 'status']).execute();
    },
  },
};
