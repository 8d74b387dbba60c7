import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type Db } from './db.js';
import { describeLocation, dialectOf, isPostgresUrl, isUniqueViolation } from './dialect.js';
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from './testing/databases.js';

describe('database locations', () => {
  it('tells a Postgres URL from a SQLite path', () => {
    expect(isPostgresUrl('postgres://u@h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://u@h/db')).toBe(true);
    expect(isPostgresUrl('/home/me/.gluon/gluon.db')).toBe(false);
    expect(isPostgresUrl('./postgres://x')).toBe(false);
  });

  it('describes a location without the password', () => {
    expect(describeLocation('/d/gluon.db')).toBe('SQLite /d/gluon.db');
    expect(describeLocation('postgres://gluon:s3cr%40t@db.example:5432/gluon')).toBe(
      'PostgreSQL postgres://gluon:***@db.example:5432/gluon',
    );
    expect(describeLocation('postgres://gluon@db.example/gluon')).toBe(
      'PostgreSQL postgres://gluon@db.example/gluon',
    );
  });

  it('knows a unique violation on either dialect and nothing else', () => {
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe(true);
    expect(isUniqueViolation({ code: '23503' })).toBe(false);
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
  });
});

describe('a SQLite connection', () => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(() => {
    database = createSqliteDatabase('dialect');
    db = connectDatabase(database.location);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('runs in WAL mode with foreign keys on and a busy timeout', async () => {
    expect(dialectOf(db)).toBe('sqlite');
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });
});

describe('a Postgres pool', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createPostgresDatabase('dialect');
  });
  afterAll(async () => database?.drop());

  it('cancels a statement that runs past the timeout', async () => {
    const db = connectDatabase(database.location, { statementTimeoutMs: 200 });
    try {
      expect(dialectOf(db)).toBe('postgres');
      await expect(sql`select pg_sleep(3)`.execute(db)).rejects.toThrow(/statement timeout/);
      expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('survives the server dropping its idle connections, and reconnects', async () => {
    const lost: string[] = [];
    const db = connectDatabase(database.location, { log: (msg) => lost.push(msg) });
    const admin = connectDatabase(database.location);
    try {
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db)));
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`.execute(admin);
      // Each of the three idle connections hears it is gone; the pool drops them all.
      for (let i = 0; i < 250 && lost.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
      expect(lost).toHaveLength(3);
      expect(lost[0]).toContain('database connection lost');
      expect(
        (await sql<{ n: number }>`select count(*) as n from pg_class where relname = 'pg_class'`.execute(db))
          .rows,
      ).toEqual([{ n: 1 }]);
    } finally {
      await db.destroy();
      await admin.destroy();
    }
  });
});
