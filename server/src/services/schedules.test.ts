import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createFakeAgent, error, text, type FakeAgent } from '../runner/testing/fake-agent.js';
import { createSchedulesRepo } from '../storage/schedules-repo.js';
import { insertProject, openTestStorage, type TestStorage } from '../storage/testing/factories.js';
import { createServices, type Services } from './index.js';
import { createSchedules, type Schedules } from './schedules.js';

/** A clock the test moves by hand: no test waits for a real minute. */
const clock = { t: new Date('2026-12-04T22:00:00.000Z') };
const setClock = (iso: string) => (clock.t = new Date(iso));

let db: TestStorage;
let agent: FakeAgent;
let services: Services;
let schedules: Schedules;
let repoDir: string;
const logged: string[] = [];

/** Resolves when `taskId` reaches one of `statuses` (its status.changed event), or already has. */
function settled(taskId: string, statuses = ['review', 'failed']): Promise<string> {
  return new Promise((resolve, reject) => {
    const stop = services.events.subscribe((e) => {
      if (e.taskId === taskId && e.type === 'status.changed' && statuses.includes(e.data.to)) {
        stop();
        resolve(e.data.to);
      }
    });
    db.storage.tasks.findById(taskId).then((t) => {
      if (t && statuses.includes(t.status)) {
        stop();
        resolve(t.status);
      }
    }, reject);
  });
}

/** Resolves once the run that made `taskId` has its outcome recorded (the listener works after the event). */
async function waitForOutcome(taskId: string): Promise<void> {
  while (!(await createSchedulesRepo(db.storage.db).runOfTask(taskId))?.outcome)
    await new Promise((r) => setImmediate(r));
}

beforeEach(async () => {
  db = await openTestStorage();
  repoDir = mkdtempSync(path.join(os.tmpdir(), 'gluon-sched-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repoDir, ...args]);
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'start');
  agent = createFakeAgent({ plan: () => [text('Done.')] });
  services = createServices({
    config: loadConfig(db.dir, { port: 0 }, {}),
    storage: db.storage,
    agents: { get: () => agent },
    serverEnv: {},
    secrets: [],
    log: () => {},
  });
  await insertProject(db.storage, { name: 'app', path: repoDir });
  schedules = createSchedules({
    storage: db.storage,
    repo: createSchedulesRepo(db.storage.db),
    projects: services.projects,
    tasks: services.tasks,
    events: services.events,
    now: () => clock.t,
    timezone: 'UTC',
    log: (m) => logged.push(m),
  });
  setClock('2026-12-04T22:00:00.000Z');
});

afterEach(async () => {
  schedules.stop();
  services.intake.stop();
  services.scheduler.stop();
  await services.runs.shutdown();
  await services.events.flush();
  // The pool of ready worktrees refills in the background after a start: let it finish first.
  await services.workspaces.poolIdle();
  await db.close();
  rmSync(repoDir, { recursive: true, force: true });
});

describe('schedules', () => {
  it('refuses a cron line that is not five fields, and an unknown project', async () => {
    await expect(schedules.create({ project: 'app', cron: '0 7 * * 1-5 2026', prompt: 'x' })).rejects.toThrow(
      /five fields/,
    );
    await expect(schedules.create({ project: 'app', cron: '0 25 * * *', prompt: 'x' })).rejects.toThrow(
      /not a cron line/,
    );
    await expect(schedules.create({ project: 'nope', cron: '0 7 * * *', prompt: 'x' })).rejects.toThrow(
      /project nope not found/,
    );
  });

  it('makes a task when due, once per due time, linked to the schedule; catches up once after downtime', async () => {
    const s = await schedules.create({ project: 'app', cron: '0 7 * * 1-5', prompt: 'triage the inbox' });
    expect(s.nextRunAt).toBe('2026-12-07T07:00:00.000Z');
    setClock('2026-12-06T12:00:00.000Z');
    expect(await schedules.tick()).toBe(0);
    setClock('2026-12-07T07:00:30.000Z');
    // A second process over the same database: the guarded claim lets one of them start the run.
    const other = createSchedules({
      storage: db.storage,
      repo: createSchedulesRepo(db.storage.db),
      projects: services.projects,
      tasks: services.tasks,
      events: services.events,
      now: () => clock.t,
      timezone: 'UTC',
      log: () => {},
    });
    const [a, b] = await Promise.all([schedules.tick(), other.tick()]);
    other.stop();
    expect(a + b).toBe(1);
    expect(await schedules.runs(s.id)).toHaveLength(1);
    expect(await schedules.tick()).toBe(0);
    const [run] = await schedules.runs(s.id);
    expect(run).toMatchObject({ scheduleId: s.id, dueAt: '2026-12-07T07:00:00.000Z' });
    const task = (await db.storage.tasks.findById(run!.taskId))!;
    expect(task.prompt).toBe('triage the inbox');
    expect(await settled(task.id)).toBe('review');
    await waitForOutcome(task.id);
    expect((await schedules.runs(s.id))[0]!.outcome).toBe('succeeded');
    const after = await schedules.get(s.id);
    expect(after).toMatchObject({ nextRunAt: '2026-12-08T07:00:00.000Z', failures: 0, status: 'active' });
    // Down from Tuesday to Friday noon: one run, then the next weekday morning.
    setClock('2026-12-11T12:00:00.000Z');
    expect(await schedules.tick()).toBe(1);
    expect((await schedules.get(s.id)).nextRunAt).toBe('2026-12-14T07:00:00.000Z');
    const dto = await schedules.present(await schedules.get(s.id), true);
    expect(dto.runs?.map((r) => r.dueAt)).toEqual(['2026-12-08T07:00:00.000Z', '2026-12-07T07:00:00.000Z']);
  });

  it('pauses after three failed runs in a row; a success in between resets the count; resume starts afresh', async () => {
    const s = await schedules.create({ project: 'app', cron: '30 6 * * *', prompt: 'nightly check' });
    const runDay = async (day: number, fail: boolean) => {
      if (fail) agent.enqueue([error('the build is broken')]);
      setClock(`2026-12-${String(day).padStart(2, '0')}T06:31:00.000Z`);
      expect(await schedules.tick()).toBe(1);
      const [latest] = await schedules.runs(s.id);
      expect(await settled(latest!.taskId)).toBe(fail ? 'failed' : 'review');
      await services.events.flush();
      await waitForOutcome(latest!.taskId);
    };
    await runDay(5, true);
    await runDay(6, true);
    await runDay(7, false);
    expect((await schedules.get(s.id)).failures).toBe(0);
    await runDay(8, true);
    await runDay(9, true);
    expect(await schedules.get(s.id)).toMatchObject({ failures: 2, status: 'active' });
    await runDay(10, true);
    expect(await schedules.get(s.id)).toMatchObject({
      failures: 3,
      status: 'paused',
      pausedReason: 'paused after 3 failed runs in a row',
    });
    setClock('2026-12-11T06:31:00.000Z');
    expect(await schedules.tick()).toBe(0);
    const resumed = await schedules.resume(s.id.slice(0, 6));
    expect(resumed).toMatchObject({ status: 'active', failures: 0, nextRunAt: '2026-12-12T06:30:00.000Z' });
    await schedules.remove(s.id);
    expect(await schedules.list()).toEqual([]);
    await expect(schedules.get(s.id)).rejects.toThrow(/not found/);
  });
});
