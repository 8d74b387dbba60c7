/**
 * Opens the SQLite database (WAL, foreign keys, busy timeout) behind Kysely and applies migrations.
 */
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';

export type Db = Kysely<Database>;

/** Opens (creating if needed) the database file and brings its schema up to date. */
export async function openDatabase(file: string): Promise<Db> {
  const sqlite = new Sqlite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(
      `database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`,
    );
  }
  return db;
}

/** Runs SQLite's integrity check; 'ok' when the file is sound. */
export async function integrityCheck(db: Db): Promise<string> {
  const res = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return res.rows.map((r) => r.integrity_check).join('; ');
}
