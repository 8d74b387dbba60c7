/**
 * `gluon db copy`: moves a SQLite installation into an empty Postgres database, every table, without loss.
 *
 * Rules:
 * - both sides are first migrated to this version's schema, so they have the same tables and columns;
 * - the tables are the source's own (all but SQLite's and the migrator's bookkeeping), parents before
 *   children by their foreign keys, so a table added by a later migration is copied without a change here;
 * - a target where any of those tables holds a row is refused (`TargetNotEmptyError`), nothing written;
 * - the source is read inside one read transaction (a consistent snapshot even if a server still writes),
 *   the target written inside one transaction;
 * - before that transaction commits, every table's row count and checksum (table-rows.ts) are computed on
 *   both sides; any difference rolls the whole copy back (`CopyMismatchError`), leaving the target empty.
 */
import { sql, type Kysely } from 'kysely';
import type { Db } from './db.js';
import { dialectOf } from './dialect.js';
import { digestTable, readRows, type TableDigest } from './table-rows.js';

export interface TableReport {
  table: string;
  source: TableDigest;
  target: TableDigest;
  ok: boolean;
}

export interface CopyReport {
  tables: TableReport[];
  ok: boolean;
}

/** The target already holds data in these tables. */
export class TargetNotEmptyError extends Error {
  override readonly name = 'TargetNotEmptyError';
  constructor(readonly tables: string[]) {
    super(`the target database is not empty (rows in ${tables.join(', ')})`);
  }
}

/** The copy did not verify; it was rolled back. */
export class CopyMismatchError extends Error {
  override readonly name = 'CopyMismatchError';
  constructor(readonly report: CopyReport) {
    const bad = report.tables.filter((t) => !t.ok).map((t) => t.table);
    super(`the copy did not verify (${bad.join(', ')}); nothing was kept in the target`);
  }
}

interface TableShape {
  name: string;
  columns: string[];
  parents: string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tables are only known at run time here
type AnyDb = Kysely<any>;

/** The source's tables with their columns, parents first. */
async function sourceTables(db: AnyDb): Promise<TableShape[]> {
  const names = await sql<{ name: string }>`select name from sqlite_master where type = 'table'
    and name not like 'sqlite_%' and name not like 'kysely_migration%' order by name`.execute(db);
  const shapes: TableShape[] = [];
  for (const { name } of names.rows) {
    const cols = await sql<{
      name: string;
    }>`select name from pragma_table_info(${name}) order by cid`.execute(db);
    const fks = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(
      db,
    );
    const parents = [...new Set(fks.rows.map((f) => f.table))].filter((p) => p !== name);
    shapes.push({ name, columns: cols.rows.map((c) => c.name), parents });
  }
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  while (ordered.length < shapes.length) {
    const ready = shapes.filter((s) => !placed.has(s.name) && s.parents.every((p) => placed.has(p)));
    if (ready.length === 0) throw new Error('the source tables reference each other in a cycle');
    for (const s of ready) {
      ordered.push(s);
      placed.add(s.name);
    }
  }
  return ordered;
}

async function nonEmptyTables(db: AnyDb, tables: TableShape[]): Promise<string[]> {
  const found: string[] = [];
  for (const t of tables) {
    const row = await db
      .selectFrom(t.name)
      .select(sql`1`.as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row) found.push(t.name);
  }
  return found;
}

/** Rows per INSERT: well under Postgres's 65,535 parameters. */
const batchSize = (columns: number) => Math.max(1, Math.min(1000, Math.floor(30_000 / columns)));

async function copyTable(src: AnyDb, dst: AnyDb, t: TableShape): Promise<void> {
  const size = batchSize(t.columns.length);
  for await (const page of readRows(src, t.name, t.columns, size)) {
    await dst.insertInto(t.name).values(page).execute();
  }
}

/**
 * Copies every table of a SQLite database into an empty Postgres database and verifies the copy (see the
 * rules above). Both must already be migrated to this version.
 */
export async function copyDatabase(source: Db, target: Db): Promise<CopyReport> {
  if (dialectOf(source) !== 'sqlite' || dialectOf(target) !== 'postgres') {
    throw new Error('gluon db copy reads a SQLite database and writes a Postgres one');
  }
  const tables = await sourceTables(source as AnyDb);
  const known = new Map((await target.introspection.getTables()).map((t) => [t.name, t.columns]));
  const missing = tables.flatMap((t) =>
    t.columns.filter((c) => !known.get(t.name)?.some((k) => k.name === c)).map((c) => `${t.name}.${c}`),
  );
  if (missing.length > 0) {
    throw new Error(`the target has no ${missing.join(', ')}: is it migrated by the same Gluon version?`);
  }
  return (source as AnyDb).transaction().execute((src) =>
    (target as AnyDb).transaction().execute(async (dst) => {
      const busy = await nonEmptyTables(dst, tables);
      if (busy.length > 0) throw new TargetNotEmptyError(busy);
      for (const t of tables) await copyTable(src, dst, t);
      const reports: TableReport[] = [];
      for (const t of tables) {
        const from = await digestTable(src, t.name, t.columns);
        const to = await digestTable(dst, t.name, t.columns);
        reports.push({
          table: t.name,
          source: from,
          target: to,
          ok: from.rows === to.rows && from.checksum === to.checksum,
        });
      }
      const report = { tables: reports, ok: reports.every((r) => r.ok) };
      if (!report.ok) throw new CopyMismatchError(report);
      return report;
    }),
  );
}
