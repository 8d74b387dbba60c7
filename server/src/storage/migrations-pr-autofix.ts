/**
 * Migration of pull requests that fix themselves (0011, issue 14): `pr_autofix_items` remembers every
 * review comment, comment and failed check run seen on a task's pull request (keyed by task and GitHub's
 * id, so a poll and a webhook that see the same one process it once) and the batch that took it;
 * `pr_autofix_batches` is one auto-resume (or one refused for the cost cap), with its trigger and the run
 * it became. Merged into the list of migrations.ts.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const prAutofixMigrations: Record<string, Migration> = {
  '0011_pr_autofix': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('pr_autofix_batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('pr_number', t.integer, (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('run_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('pr_autofix_batches_task')
        .on('pr_autofix_batches')
        .columns(['task_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('pr_autofix_items')
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('pr_number', t.integer, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('author', 'text')
        .addColumn('path', 'text')
        .addColumn('line', t.integer)
        .addColumn('name', 'text')
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'text', (c) => c.references('pr_autofix_batches.id'))
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pr_autofix_items_pk', ['task_id', 'item_key'])
        .execute();
    },
  },
};
