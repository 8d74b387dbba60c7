import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../../shared/events.js';
import { copyDatabase, CopyMismatchError, TargetNotEmptyError } from './copy.js';
import { openDatabase } from './db.js';
import { openStorage, type Storage } from './index.js';
import { createPullRequestsRepo } from './pull-requests-repo.js';
import { createPostgresDatabase, createSqliteDatabase, type TestDatabase } from './testing/databases.js';
import { buildProject, buildTask } from './testing/suite.js';

/** Every table of the schema (the copy is generic: a table a migration adds is copied without a change here). */
const TABLES = [
  'api_tokens',
  'audit_head',
  'audit_log',
  'budget_alerts',
  'budgets',
  'events',
  'issue_tasks',
  'merge_queues',
  'oidc_pending',
  'policies',
  'pr_autofix_batches',
  'pr_autofix_items',
  'projects',
  'push_subscriptions',
  'review_comments',
  'reviews',
  'run_costs',
  'run_users',
  'runs',
  'schedule_runs',
  'schedules',
  'sessions',
  'task_dependencies',
  'task_forks',
  'task_git',
  'task_users',
  'tasks',
  'user_links',
  'user_roles',
  'users',
  'workers',
  'workspaces',
];

/** A SQLite installation with rows in every table, awkward values included. */
async function seed(storage: Storage): Promise<void> {
  const project = await buildProject(storage, { name: 'prj', settings: { caps: { dailyUsd: 0.3 } } });
  await buildProject(storage, { name: 'other', workspaceName: 'team ✓' });
  const task = await buildTask(storage, project, {
    title: 'Ünïcødé "quotes" \\ and \n newlines',
    costUsd: 0.1 + 0.2,
    options: { ralph: true, vars: { k: 'v' } },
    modeState: { mode: 'planning', phase: 'executing', plan: 'step 1' },
    inputRequired: true,
  });
  const other = await buildTask(storage, project, { status: 'review' });
  await storage.runs.insert({
    id: 'run1',
    taskId: task.id,
    kind: 'initial',
    model: 'claude-sonnet-4-5',
    prompt: 'do it',
    sessionId: 'sess',
    status: 'ended',
    stopReason: 'completed',
    costUsd: 0.00105,
    sdkTotalUsd: 0.0010500000000000002,
    error: null,
    pid: 2_147_483_648,
    label: 'Plan',
    startedAt: '2026-01-02T00:00:00.000Z',
    endedAt: '2026-01-02T00:01:00.000Z',
  });
  const byModel = (model: string, costUsd: number) => ({
    model,
    costUsd,
    inputTokens: 3_000_000_001,
    outputTokens: 5,
    cacheWriteTokens: 0,
    cacheReadTokens: 7,
  });
  await storage.runs.setModelCosts(
    { id: 'run1', taskId: task.id, day: '2026-01-02' },
    [byModel('a', 1e-9), byModel('b', 12.5)],
    true,
  );
  const events = Array.from(
    { length: 2500 },
    (_, i) =>
      ({
        seq: i + 1,
        taskId: i % 2 ? task.id : other.id,
        runId: i % 3 ? 'run1' : null,
        ts: '2026-01-02T00:00:00.000Z',
        type: 'agent.text',
        data: { messageId: `m${i}`, text: `event ${i} ✓ ${i / 7}` },
      }) as GluonEvent,
  ).map((e, i) => ({ ...e, seq: Math.floor(i / 2) + 1 }));
  await storage.events.append(events);
  const prs = createPullRequestsRepo(storage.db);
  await prs.setPullRequest(other.id, {
    repo: 'o/r',
    number: 3,
    url: 'https://x/3',
    state: 'open',
    checks: null,
    headSha: null,
  });
  await prs.setConflicts(task.id, ['a.ts']);
}

describe('gluon db copy: SQLite → Postgres', () => {
  let source: TestDatabase;
  let sourceStorage: Storage;
  const targets: TestDatabase[] = [];
  const newTarget = async () => {
    const t = await createPostgresDatabase('copy');
    targets.push(t);
    return t;
  };
  beforeAll(async () => {
    source = createSqliteDatabase('copy-source');
    sourceStorage = await openStorage(source.location);
    await seed(sourceStorage);
  });
  afterAll(async () => {
    await sourceStorage?.close();
    await source?.drop();
    for (const t of targets) await t.drop();
  });

  it('copies every table, verified by counts and checksums, and reads back the same', async () => {
    const target = await newTarget();
    const dst = await openDatabase(target.location);
    try {
      const report = await copyDatabase(sourceStorage.db, dst);
      expect(report.ok).toBe(true);
      expect(report.tables.map((t) => t.table).sort()).toEqual(TABLES);
      // Parents before children.
      const order = report.tables.map((t) => t.table);
      expect(order.indexOf('workspaces')).toBeLessThan(order.indexOf('projects'));
      expect(order.indexOf('tasks')).toBeLessThan(order.indexOf('runs'));
      expect(order.indexOf('runs')).toBeLessThan(order.indexOf('run_costs'));
      for (const t of report.tables) {
        const { n } = await sourceStorage.db
          .selectFrom(t.table as 'tasks')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        expect(t.source).toEqual(t.target);
        expect(t.target.rows).toBe(Number(n));
        expect(t.target.checksum).toMatch(/^[0-9a-f]{32}$/);
      }
      expect(report.tables.find((t) => t.table === 'events')!.target.rows).toBe(2500);
    } finally {
      await dst.destroy();
    }
    const copied = await openStorage(target.location);
    try {
      for (const task of await sourceStorage.tasks.list()) {
        expect(await copied.tasks.findById(task.id)).toEqual(task);
        expect(await copied.events.listAfter(task.id, 0, 10_000)).toEqual(
          await sourceStorage.events.listAfter(task.id, 0, 10_000),
        );
        expect(await copied.runs.listByTask(task.id)).toEqual(await sourceStorage.runs.listByTask(task.id));
        expect(await createPullRequestsRepo(copied.db).get(task.id)).toEqual(
          await createPullRequestsRepo(sourceStorage.db).get(task.id),
        );
      }
      expect(await copied.projects.list()).toEqual(await sourceStorage.projects.list());
      for (const by of ['day', 'model', 'task', 'project'] as const) {
        expect(await copied.costs.groupBy(by)).toEqual(await sourceStorage.costs.groupBy(by));
      }
    } finally {
      await copied.close();
    }
  });

  it('refuses a target that already holds data, and writes nothing', async () => {
    const target = await newTarget();
    const busy = await openStorage(target.location);
    try {
      await busy.projects.insertWorkspace({ id: 'w0', name: 'existing', createdAt: 'now' });
      const failure = await copyDatabase(sourceStorage.db, busy.db).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(TargetNotEmptyError);
      expect((failure as TargetNotEmptyError).tables).toEqual(['workspaces']);
      expect(await busy.db.selectFrom('tasks').select('id').execute()).toEqual([]);
      expect((await busy.projects.listWorkspaces()).map((w) => w.name)).toEqual(['existing']);
    } finally {
      await busy.close();
    }
  });

  it('rolls everything back when a table does not verify', async () => {
    const target = await newTarget();
    const dst = await openDatabase(target.location);
    try {
      // Something in the target alters what arrives: the checksums must catch it.
      await sql`create function tamper() returns trigger language plpgsql as $$
        begin if new.seq = 1000 then new.data := new.data || ' '; end if; return new; end $$`.execute(dst);
      await sql`create trigger tamper before insert on events for each row execute function tamper()`.execute(
        dst,
      );
      const failure = await copyDatabase(sourceStorage.db, dst).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(CopyMismatchError);
      const report = (failure as CopyMismatchError).report;
      expect(report.tables.filter((t) => !t.ok).map((t) => t.table)).toEqual(['events']);
      const events = report.tables.find((t) => t.table === 'events')!;
      expect(events.target.rows).toBe(events.source.rows);
      expect(events.target.checksum).not.toBe(events.source.checksum);
      for (const table of TABLES) {
        const rows = await dst
          .selectFrom(table as 'tasks')
          .select(sql`1`.as('one'))
          .execute();
        expect(rows, table).toEqual([]);
      }
    } finally {
      await dst.destroy();
    }
  });
});
