import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, integrityCheck, migrateDatabase, type Db } from '../db.js';
import { gitMigrations } from '../migrations-git.js';
import type { ProjectRecord } from '../projects-repo.js';
import { createTasksRepo } from '../tasks-repo.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { DIALECTS, taskRecord } from '../testing/suite.js';

const ALL = [
  '0001_initial',
  '0002_git_lifecycle',
  '0003_task_modes',
  '0004_task_agent',
  '0005_workers',
  '0006_review_loop',
  '0007_team',
  '0008_intake',
  '0009_governance',
  '0010_merge_queue',
  '0011_pr_autofix',
  '0012_audit_head',
  '0013_oidc_pending',
];

/** Declared type of each column of a table, as the database reports it. */
async function columnTypes(db: Db, dialect: string, table: string): Promise<Record<string, string>> {
  const rows =
    dialect === 'postgres'
      ? (
          await sql<{ name: string; type: string }>`select column_name as name, data_type as type
            from information_schema.columns where table_name = ${table}`.execute(db)
        ).rows
      : (
          await sql<{
            name: string;
            type: string;
          }>`select name, type from pragma_table_info(${table})`.execute(db)
        ).rows;
  return Object.fromEntries(rows.map((r) => [r.name, r.type.toLowerCase()]));
}

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(dialect, 'migrations');
    db = connectDatabase(database.location);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('applies every migration once, then has nothing to do', async () => {
    expect(await migrateDatabase(db)).toEqual({ applied: ALL, known: ALL });
    expect(await migrateDatabase(db)).toEqual({ applied: [], known: ALL });
    // The git migration is also applied directly by some tests: a second time is harmless.
    await gitMigrations['0002_git_lifecycle']!.up(db as unknown as Kysely<unknown>);
    expect(await integrityCheck(db)).toBe('ok');
  });

  it('still refuses a database that has applied a migration this version does not know', async () => {
    await migrateDatabase(db);
    const at = new Date().toISOString();
    await sql`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', ${at})`.execute(
      db,
    );
    await expect(migrateDatabase(db)).rejects.toThrow(/database migration failed/);
    await sql`delete from kysely_migration where name = '9999_from_the_future'`.execute(db);
    expect(await migrateDatabase(db)).toEqual({ applied: [], known: ALL });
  });

  it('gives 64-bit integers and 8-byte floats on both; SQLite keeps its original declarations', async () => {
    const costs = await columnTypes(db, dialect, 'run_costs');
    const tasks = await columnTypes(db, dialect, 'tasks');
    if (dialect === 'postgres') {
      expect(costs).toMatchObject({
        cost_usd: 'double precision',
        input_tokens: 'bigint',
        final: 'bigint',
        day: 'text',
      });
      expect(tasks).toMatchObject({
        cost_usd: 'double precision',
        last_seq: 'bigint',
        use_worktree: 'bigint',
      });
    } else {
      // A shipped migration's SQLite schema never changes.
      expect(costs).toEqual({
        run_id: 'text',
        task_id: 'text',
        model: 'text',
        cost_usd: 'real',
        input_tokens: 'integer',
        output_tokens: 'integer',
        cache_write_tokens: 'integer',
        cache_read_tokens: 'integer',
        final: 'integer',
        day: 'text',
      });
      expect(tasks).toMatchObject({
        cost_usd: 'real',
        last_seq: 'integer',
        use_worktree: 'integer',
        mode_state: 'text',
      });
    }
  });

  it('keeps full float precision and integers past 32 bits, read back as numbers', async () => {
    await db.insertInto('workspaces').values({ id: 'w', name: 'w', created_at: 'now' }).execute();
    const project = {
      id: 'p',
      workspace_id: 'w',
      name: 'p',
      path: '/p',
      default_branch: 'main',
      created_at: 'now',
    };
    await db
      .insertInto('projects')
      .values({ ...project, remote_url: null, github: null, settings: '{}' })
      .execute();
    const tasks = createTasksRepo(db);
    const task = taskRecord({ id: 'p' } as ProjectRecord, { costUsd: 0.123456789012345, maxCostUsd: 1e-12 });
    await tasks.insert(task);
    const stored = await tasks.findById(task.id);
    expect([stored!.costUsd, stored!.maxCostUsd]).toEqual([0.123456789012345, 1e-12]);
    await db
      .insertInto('events')
      .values({ task_id: task.id, seq: 5_000_000_000, run_id: null, type: 'x', ts: 'now', data: '{}' })
      .execute();
    const max = await db
      .selectFrom('events')
      .select((eb) => [eb.fn.max('seq').as('max'), eb.fn.countAll().as('n')])
      .executeTakeFirstOrThrow();
    expect(max).toEqual({ max: 5_000_000_000, n: 1 });
  });
});
