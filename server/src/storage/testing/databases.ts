/**
 * Test helper: fresh databases of either dialect. A SQLite file in a temporary directory, or a new Postgres
 * database (127.0.0.1:5432, trust authentication, as the OS user or else `postgres`; `GLUON_TEST_PG_URL`
 * overrides) with a unique name, dropped afterwards. Not a product module.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DialectName } from '../dialect.js';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase {
  dialect: DialectName;
  /** What `openStorage` takes: a file path or a Postgres URL. */
  location: string;
  /** Removes the database (the Postgres one even while connections remain). */
  drop(): Promise<void>;
}

let admin: Promise<string> | undefined;

/** The URL of a database to run CREATE/DROP DATABASE from, found once per test file. */
export function postgresAdminUrl(): Promise<string> {
  admin ??= (async () => {
    const candidates = process.env.GLUON_TEST_PG_URL
      ? [process.env.GLUON_TEST_PG_URL]
      : [os.userInfo().username, 'postgres'].map((u) => `postgres://${u}@127.0.0.1:5432/postgres`);
    const failures: string[] = [];
    for (const url of candidates) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
        await client.query('select 1');
        return url;
      } catch (err) {
        failures.push(`${url}: ${(err as Error).message}`);
      } finally {
        await client.end().catch(() => {});
      }
    }
    throw new Error(`PostgreSQL is not reachable (start it as .ci/run does): ${failures.join('; ')}`);
  })();
  return admin;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: await postgresAdminUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A URL for a new, empty Postgres database with a unique name built from `label`. */
export async function createPostgresDatabase(label: string): Promise<TestDatabase> {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  const name = `gluon_test_${slug}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(`create database "${name}"`);
  const url = new URL(await postgresAdminUrl());
  url.pathname = `/${name}`;
  return {
    dialect: 'postgres',
    location: url.toString(),
    drop: () => adminQuery(`drop database if exists "${name}" with (force)`),
  };
}

/** A path for a new SQLite file in its own temporary directory. */
export function createSqliteDatabase(label: string): TestDatabase {
  const dir = mkdtempSync(path.join(os.tmpdir(), `gluon-${label}-`));
  return {
    dialect: 'sqlite',
    location: path.join(dir, 'gluon.db'),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh database of `dialect`. */
export async function createTestDatabase(dialect: DialectName, label: string): Promise<TestDatabase> {
  return dialect === 'postgres' ? createPostgresDatabase(label) : createSqliteDatabase(label);
}
