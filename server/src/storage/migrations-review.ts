/**
 * Migration of the review loop (issue 14): `reviews` (a batch of comments sent to the agent together)
 * and `review_comments` (a comment on a line or a range of a task's diff, with the code it pointed at when
 * written, so it can be re-anchored by content after later commits). A comment without a review is
 * pending. `task_dependencies`: a queued task waits until every task it names reaches review or done.
 * Merged into the list of migrations.ts; `ifNotExists` keeps it harmless to apply twice.
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const reviewMigrations: Record<string, Migration> = {
  '0006_review_loop': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('reviews')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('body', 'text')
        .addColumn('head_sha', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reviews_task')
        .ifNotExists()
        .on('reviews')
        .columns(['task_id', 'sent_at'])
        .execute();
      await db.schema
        .createTable('review_comments')
        .ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('review_id', 'text', (c) => c.references('reviews.id'))
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('line', t.integer, (c) => c.notNull())
        .addColumn('end_line', t.integer, (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('commit_sha', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema
        .createIndex('review_comments_task')
        .ifNotExists()
        .on('review_comments')
        .columns(['task_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('task_dependencies')
        .ifNotExists()
        .addColumn('task_id', 'text', (c) => c.notNull().references('tasks.id'))
        .addColumn('depends_on', 'text', (c) => c.notNull().references('tasks.id'))
        .addPrimaryKeyConstraint('task_dependencies_pk', ['task_id', 'depends_on'])
        .execute();
    },
  },
};
