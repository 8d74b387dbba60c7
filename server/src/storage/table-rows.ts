/**
 * Reading whole tables, on either dialect, for `gluon db copy`: every row in pages, and a checksum of a
 * table computed the same way on both sides.
 *
 * The checksum: each row becomes the JSON array of its values in a fixed column order (numbers as JSON
 * numbers, text as strings, null as null; non-finite numbers, bigints and bytes spelled out so they cannot
 * collide with those), hashed with SHA-256; the first 128 bits of every row's hash are summed modulo
 * 2^128. A sum does not depend on the order rows come in, which differs between SQLite (rowid) and
 * Postgres (heap order, collations), and a changed, missing or extra row changes it.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.js';

export type Row = Record<string, unknown>;

export interface TableDigest {
  rows: number;
  /** 32 hex digits. */
  checksum: string;
}

const MOD = 1n << 128n;
let cursors = 0;

/**
 * Yields the rows of `table` (only `columns`) in pages. On Postgres it must run inside a transaction (a
 * cursor); on SQLite it pages by rowid, so inside a transaction every page sees the same snapshot.
 */
export async function* readRows<DB>(
  db: Kysely<DB>,
  table: string,
  columns: readonly string[],
  pageSize = 1000,
): AsyncGenerator<Row[]> {
  const list = sql.join(columns.map((c) => sql.ref(c)));
  if (dialectOf(db) === 'postgres') {
    if (!db.isTransaction) throw new Error('reading a Postgres table in pages needs a transaction');
    const cursor = `gluon_rows_${++cursors}`;
    await sql`declare ${sql.id(cursor)} no scroll cursor for select ${list} from ${sql.table(table)}`.execute(
      db,
    );
    for (;;) {
      const { rows } = await sql<Row>`fetch forward ${sql.lit(pageSize)} from ${sql.id(cursor)}`.execute(db);
      if (rows.length === 0) break;
      yield rows;
    }
    await sql`close ${sql.id(cursor)}`.execute(db);
    return;
  }
  let after = 0;
  for (;;) {
    const { rows } = await sql<
      Row & { __rowid: number }
    >`select rowid as __rowid, ${list} from ${sql.table(table)}
      where rowid > ${after} order by rowid limit ${pageSize}`.execute(db);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.__rowid;
    yield rows.map(({ __rowid: _, ...row }) => row);
  }
}

function canonicalValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { number: String(value) };
  if (typeof value === 'bigint') return { number: value.toString() };
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Uint8Array) return { hex: Buffer.from(value).toString('hex') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  return { json: value };
}

/** The digest accumulator: add rows in any order, then read the count and checksum. */
export function createDigest(columns: readonly string[]) {
  let rows = 0;
  let sum = 0n;
  return {
    add(row: Row): void {
      const canonical = JSON.stringify(columns.map((c) => canonicalValue(row[c])));
      const hash = createHash('sha256').update(canonical).digest('hex');
      sum = (sum + BigInt(`0x${hash.slice(0, 32)}`)) % MOD;
      rows += 1;
    },
    result(): TableDigest {
      return { rows, checksum: sum.toString(16).padStart(32, '0') };
    },
  };
}

/** Count and checksum of a table over `columns` (inside a transaction on Postgres). */
export async function digestTable<DB>(
  db: Kysely<DB>,
  table: string,
  columns: readonly string[],
): Promise<TableDigest> {
  const digest = createDigest(columns);
  for await (const page of readRows(db, table, columns)) for (const row of page) digest.add(row);
  return digest.result();
}
