import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../server/src/storage/db.js';
import { openStorage } from '../../../server/src/storage/index.js';
import { createPostgresDatabase, type TestDatabase } from '../../../server/src/storage/testing/databases.js';
import { buildProject, buildTask } from '../../../server/src/storage/testing/suite.js';
import { runGluon } from '../testing/run-cli.js';

import { migrationProvider } from '../../../server/src/storage/migrations.js';

const NAMES = Object.keys(await migrationProvider.getMigrations()).sort();
const MIGRATIONS = NAMES.join(', ');
const APPLIED = `Applied ${NAMES.length} of ${NAMES.length} migrations: ${MIGRATIONS}.`;
const dbs: TestDatabase[] = [];
const homes: string[] = [];
const newHome = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gluon-db-cli-'));
  homes.push(dir);
  return join(dir, 'home');
};
const newPostgres = async () => {
  const db = await createPostgresDatabase('db_cli');
  dbs.push(db);
  return db.location;
};
afterAll(async () => {
  for (const db of dbs) await db.drop();
  for (const dir of homes) rmSync(dir, { recursive: true, force: true });
});

/** Row count of a table in a Postgres database. */
async function count(url: string, table: string): Promise<number> {
  const db = connectDatabase(url);
  try {
    const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db);
    return rows[0]!.n;
  } finally {
    await db.destroy();
  }
}

describe('gluon db migrate', () => {
  it('creates and migrates the SQLite database in $GLUON_HOME, then has nothing to do', async () => {
    const home = newHome();
    const first = await runGluon(['db', 'migrate'], { GLUON_HOME: home });
    expect(first).toEqual({
      code: 0,
      stdout: `Database: SQLite ${join(home, 'gluon.db')}\n${APPLIED}\n`,
      stderr: '',
    });
    expect(existsSync(join(home, 'gluon.db'))).toBe(true);
    const again = await runGluon(['db', 'migrate'], { GLUON_HOME: home });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `Nothing to apply: the schema is up to date (${NAMES.length} migrations).`,
    );
  });

  it('migrates the Postgres database of GLUON_DATABASE_URL or config.json, never printing its password', async () => {
    const url = new URL(await newPostgres());
    url.password = 'hunter2-secret';
    const home = newHome();
    const viaEnv = await runGluon(['db', 'migrate'], {
      GLUON_HOME: home,
      GLUON_DATABASE_URL: url.toString(),
    });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toContain(`${APPLIED}`);
    expect(viaEnv.stdout).toContain('Database: PostgreSQL postgres://');
    expect(viaEnv.stdout + viaEnv.stderr).not.toContain('hunter2');
    expect(existsSync(join(home, 'gluon.db'))).toBe(false);
    expect(await count(url.toString(), 'kysely_migration')).toBe(NAMES.length);

    const configured = newHome();
    mkdirSync(configured, { recursive: true });
    writeFileSync(join(configured, 'config.json'), JSON.stringify({ database: { url: url.toString() } }));
    const viaFile = await runGluon(['db', 'migrate'], { GLUON_HOME: configured });
    expect(viaFile.code).toBe(0);
    expect(viaFile.stdout).toContain('Nothing to apply');
    expect(viaFile.stdout).toContain('PostgreSQL');
  });

  it('says which database it could not reach and exits 1; a bad URL is a usage error', async () => {
    const home = newHome();
    const down = await runGluon(['db', 'migrate'], {
      GLUON_HOME: home,
      GLUON_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/nothing',
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^gluon: PostgreSQL postgres:\/\/nobody@127\.0\.0\.1:1\/nothing: .+\n$/);
    expect(down.stderr).not.toContain('unexpected');
    const bad = await runGluon(['db', 'migrate'], { GLUON_HOME: home, GLUON_DATABASE_URL: 'mysql://x' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('postgres:// URL');
  });
});

describe('gluon db copy', () => {
  let home: string;
  beforeAll(async () => {
    home = newHome();
    mkdirSync(home, { recursive: true });
    const storage = await openStorage(join(home, 'gluon.db'));
    const project = await buildProject(storage, { name: 'copied' });
    for (let i = 0; i < 3; i++) await buildTask(storage, project, { title: `task ${i}` });
    await storage.close();
  });
  const copy = (...args: string[]) => runGluon(['db', 'copy', ...args], { GLUON_HOME: home });

  it('copies into an empty Postgres database and prints what it verified', async () => {
    const url = await newPostgres();
    const result = await copy('--to', url);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Copying SQLite ${join(home, 'gluon.db')} → PostgreSQL`);
    expect(result.stdout).toMatch(/^tasks\s+3\s+[0-9a-f]{32}\s+ok$/m);
    expect(result.stdout).toMatch(/^projects\s+1\s+[0-9a-f]{32}\s+ok$/m);
    expect(result.stdout).toMatch(/^events\s+0\s+0{32}\s+ok$/m);
    expect(result.stdout).toMatch(/Verified \d+ tables: row counts and checksums match/);
    expect(await count(url, 'tasks')).toBe(3);

    const again = await copy('--to', url);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^gluon: the target database is not empty \(rows in workspaces, .*\n$/);
    expect(await count(url, 'tasks')).toBe(3);
  });

  it('exits 1 and keeps nothing when a table does not verify', async () => {
    const url = await newPostgres();
    const db = connectDatabase(url);
    try {
      await runGluon(['db', 'migrate'], { GLUON_HOME: newHome(), GLUON_DATABASE_URL: url });
      await sql`create function tamper() returns trigger language plpgsql as $$
        begin new.title := upper(new.title); return new; end $$`.execute(db);
      await sql`create trigger tamper before insert on tasks for each row execute function tamper()`.execute(
        db,
      );
    } finally {
      await db.destroy();
    }
    const result = await copy('--to', url);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^tasks\s+3\s+[0-9a-f]{32}\s+MISMATCH: target has 3 rows, checksum [0-9a-f]{32}$/m,
    );
    expect(result.stdout).toMatch(/^projects\s+1\s+[0-9a-f]{32}\s+ok$/m);
    expect(result.stderr).toBe('gluon: the copy did not verify (tasks); nothing was kept in the target\n');
    expect(await count(url, 'tasks')).toBe(0);
    expect(await count(url, 'projects')).toBe(0);
  });

  it('refuses a target that is not a Postgres URL, a missing source, and a missing --to', async () => {
    expect((await copy('--to', '/tmp/x.db')).code).toBe(2);
    const missing = await copy('--to', 'postgres://127.0.0.1/x', '--from', join(home, 'nope.db'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no SQLite database at');
    expect((await copy()).code).toBe(2);
  });
});
