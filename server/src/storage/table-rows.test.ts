import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from './db.js';
import { createDigest, digestTable, readRows } from './table-rows.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './testing/databases.js';

const COLUMNS = ['id', 'label', 'amount'];

describe('table digests', () => {
  it('do not depend on row order, and change with any value, row or type', () => {
    const digest = (rows: Record<string, unknown>[]) => {
      const d = createDigest(COLUMNS);
      for (const r of rows) d.add(r);
      return d.result();
    };
    const rows = [
      { id: 1, label: 'a', amount: 0.5 },
      { id: 2, label: null, amount: 3 },
      { id: 3, label: 'ünï', amount: -1e-9 },
    ];
    const base = digest(rows);
    expect(base.rows).toBe(3);
    expect(digest([...rows].reverse())).toEqual(base);
    expect(digest([rows[0]!, rows[1]!, { ...rows[2]!, amount: -2e-9 }]).checksum).not.toBe(base.checksum);
    expect(digest(rows.slice(0, 2))).not.toEqual(base);
    expect(digest([rows[0]!, { ...rows[1]!, label: 'null' }, rows[2]!]).checksum).not.toBe(base.checksum);
    expect(digest([rows[0]!, { ...rows[1]!, amount: '3' }, rows[2]!]).checksum).not.toBe(base.checksum);
    expect(digest([rows[0]!, { ...rows[1]!, amount: Infinity }, rows[2]!]).checksum).not.toBe(
      digest([rows[0]!, { ...rows[1]!, amount: null }, rows[2]!]).checksum,
    );
  });
});

describe.each(DIALECTS)('reading whole tables on %s', (dialect) => {
  let database: TestDatabase;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a scratch table outside the schema
  let db: Kysely<any>;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, 'table_rows');
    db = connectDatabase(database.location);
    await sql`create table things (id integer primary key, label text, amount ${sql.raw(dialect === 'postgres' ? 'double precision' : 'real')})`.execute(
      db,
    );
    for (let i = 1; i <= 25; i++) {
      await db
        .insertInto('things')
        .values({ id: i, label: i % 5 ? `thing ${i}` : null, amount: i / 3 })
        .execute();
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('reads every row once, in pages, inside a transaction', async () => {
    const pages = await db.transaction().execute(async (trx) => {
      const out: Record<string, unknown>[][] = [];
      for await (const page of readRows(trx, 'things', COLUMNS, 10)) out.push(page);
      return out;
    });
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    const rows = pages.flat().sort((a, b) => Number(a.id) - Number(b.id));
    expect(rows[4]).toEqual({ id: 5, label: null, amount: 5 / 3 });
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('gives the same digest as the rows computed by hand (the same on both dialects)', async () => {
    const expected = createDigest(COLUMNS);
    for (let i = 1; i <= 25; i++) expected.add({ id: i, label: i % 5 ? `thing ${i}` : null, amount: i / 3 });
    const got = await db.transaction().execute((trx) => digestTable(trx, 'things', COLUMNS));
    expect(got).toEqual(expected.result());
  });

  it('pages without a transaction only on SQLite (a Postgres cursor needs one)', async () => {
    const first = readRows(db, 'things', COLUMNS).next();
    if (dialect === 'postgres') await expect(first).rejects.toThrow(/transaction/);
    else expect((await first).value).toHaveLength(25);
  });
});
