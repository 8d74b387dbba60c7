/**
 * Migration 0012 (issue 13): the head of the audit chain (its last `seq` and hash), kept apart from the
 * audit rows, so that deleting the newest rows shows: the log then ends before its head.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes } from './dialect.js';

export const sandboxMigrations: Record<string, Migration> = {
  '0012_audit_head': {
    async up(db: Kysely<unknown>) {
      const t = columnTypes(db);
      await db.schema
        .createTable('audit_head')
        .addColumn('id', t.integer, (c) => c.primaryKey())
        .addColumn('seq', t.integer, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      // An installation that already keeps an audit log: its last row is the head.
      await sql`insert into audit_head (id, seq, hash)
        select 1, seq, hash from audit_log order by seq desc limit 1`.execute(db);
    },
  },
};
