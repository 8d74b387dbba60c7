/**
 * Opens the database behind Kysely — SQLite in a file, or PostgreSQL at a `postgres://` URL (see
 * dialect.ts) — and applies migrations.
 */
import { Kysely, Migrator, sql } from 'kysely';
import type { Database } from './schema.js';
import { createDialect, dialectOf, dialectPlugins, type ConnectOptions } from './dialect.js';
import { migrationProvider } from './migrations.js';

export type Db = Kysely<Database>;

export interface MigrationOutcome {
  /** Migrations applied now, in order. */
  applied: string[];
  /** Every migration this version knows. */
  known: string[];
}

/** Connects to a SQLite file (created if needed) or a Postgres URL, without touching the schema. */
export function connectDatabase(location: string, opts: ConnectOptions = {}): Db {
  return new Kysely<Database>({ dialect: createDialect(location, opts), plugins: dialectPlugins(location) });
}

/**
 * Brings the schema up to date. On Postgres several processes may start at once: Kysely's migrator takes
 * a lock row first, and applies everything in one transaction.
 */
export async function migrateDatabase(db: Db): Promise<MigrationOutcome> {
  const known = Object.keys(await migrationProvider.getMigrations()).sort();
  if (await upToDate(db, known)) return { applied: [], known };
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new Error(`database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${cause}`);
  }
  return { applied: (results ?? []).map((r) => r.migrationName), known };
}

/**
 * Whether the database has applied exactly the migrations this version knows: one query, where Kysely's
 * migrator would read the tables' metadata, create its lock table and sort what it finds (a start then
 * does no migration work). Anything else (a new database, a migration to apply, one this version does not
 * know) goes to the migrator, which applies or refuses as before.
 */
async function upToDate(db: Db, known: string[]): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const applied = new Set(rows.map((r) => r.name));
    return applied.size === known.length && known.every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** Opens the database and brings its schema up to date. */
export async function openDatabase(location: string, opts: ConnectOptions = {}): Promise<Db> {
  const db = connectDatabase(location, opts);
  try {
    await migrateDatabase(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/**
 * SQLite's integrity check: 'ok' when the file is sound. Postgres keeps its own pages consistent; there the
 * check is that the database answers a query over our tables.
 */
export async function integrityCheck(db: Db): Promise<string> {
  if (dialectOf(db) === 'postgres') {
    await db.selectFrom('tasks').select('id').limit(1).execute();
    return 'ok';
  }
  const res = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
  return res.rows.map((r) => r.integrity_check).join('; ');
}
