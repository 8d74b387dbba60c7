/**
 * Migration of the git lifecycle (issue 3): one table `task_git` beside `tasks`, holding what Gluon knows
 * about a task's pull request and the files its last rebase left conflicted. Merged into the list of
 * migrations.ts; `ifNotExists` keeps it harmless to apply twice (tests apply it directly).
 */
import type { Kysely, Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const gitMigrations: Record<string, Migration> = {
  '0002_git_lifecycle': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('task_git')
        .ifNotExists()
        .addColumn('task_id', 'text', (c) => c.primaryKey().references('tasks.id'))
        .addColumn('pr_repo', 'text')
        .addColumn('pr_number', t.integer)
        .addColumn('pr_url', 'text')
        .addColumn('pr_state', 'text')
        .addColumn('pr_checks', 'text')
        .addColumn('pr_head_sha', 'text')
        .addColumn('conflict_files', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('task_git_pr_state')
        .ifNotExists()
        .on('task_git')
        .column('pr_state')
        .execute();
    },
  },
};
