/**
 * Migration of the agent choice (issue 15): which coding agent runs a task. Tasks from before it ran
 * Claude Code, hence the column's default. Merged into the list of migrations.ts.
 */
import type { Kysely, Migration } from 'kysely';

export const agentMigrations: Record<string, Migration> = {
  '0004_task_agent': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('tasks')
        .addColumn('agent', 'text', (c) => c.notNull().defaultTo('claude'))
        .execute();
    },
  },
};
