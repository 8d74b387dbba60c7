import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../../shared/api.js';
import { createDirs, raw, repoWith, withRemote } from './testing/git-fixtures.js';
import { sweepRepository, type SweepTask } from './worktree-sweep.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

const FINISHED = new Date(Date.now() - 3 * 24 * 60 * 60_000).toISOString();
const KINDS = ['merged', 'pushed', 'dirty', 'unpushed', 'review'] as const;
type Kind = (typeof KINDS)[number];

describe('sweepRepository: 100 worktrees in mixed states', () => {
  it('removes only the clean merged (or pushed) ones of finished tasks, and every commit stays reachable', async () => {
    const repo = await repoWith(dirs, { 'base.txt': 'base\n' });
    await withRemote(dirs, repo);
    const home = await dirs.make('gluon-home-');
    const worktreesDir = join(home, 'worktrees');
    const tasks = new Map<string, SweepTask>();
    const kindOf = new Map<string, Kind>();
    const commits: string[] = [];
    const toPush: string[] = [];
    for (let i = 0; i < 100; i++) {
      const id = `t${String(i).padStart(4, '0')}`;
      const kind = KINDS[i % KINDS.length]!;
      const wt = join(worktreesDir, `wt-${id}`);
      raw(repo, ['worktree', 'add', '-q', '-b', `gluon-task/${id}`, wt, 'main']);
      await writeFile(join(wt, `${id}.txt`), `${id}\n`);
      raw(wt, ['add', '-A']);
      raw(wt, ['commit', '-q', '-m', `work of ${id}`]);
      commits.push(raw(wt, ['rev-parse', 'HEAD']).trim());
      if (kind === 'merged' || kind === 'dirty' || kind === 'review')
        raw(repo, ['merge', '-q', '--no-ff', '--no-edit', `gluon-task/${id}`]);
      if (kind === 'pushed') toPush.push(`refs/heads/gluon-task/${id}:refs/heads/gluon-task/${id}`);
      if (kind === 'dirty') await writeFile(join(wt, 'uncommitted.txt'), `precious ${id}\n`);
      tasks.set(id, {
        id,
        status: (kind === 'review' ? 'review' : 'done') as TaskStatus,
        finishedAt: FINISHED,
      });
      kindOf.set(id, kind);
    }
    raw(repo, ['push', '-q', 'origin', ...toPush]);
    // Three more that must survive: outside Gluon's directory, locked, and one whose directory is gone.
    const outside = join(await dirs.make(), 'wt-t9001');
    raw(repo, ['worktree', 'add', '-q', '-b', 'gluon-task/t9001', outside, 'main']);
    tasks.set('t9001', { id: 't9001', status: 'done', finishedAt: FINISHED });
    raw(repo, ['worktree', 'add', '-q', '-b', 'gluon-task/t9002', join(worktreesDir, 'wt-t9002'), 'main']);
    raw(repo, ['worktree', 'lock', join(worktreesDir, 'wt-t9002')]);
    tasks.set('t9002', { id: 't9002', status: 'done', finishedAt: FINISHED });
    raw(repo, ['worktree', 'add', '-q', '-b', 'gluon-task/t9003', join(worktreesDir, 'wt-t9003'), 'main']);
    await rm(join(worktreesDir, 'wt-t9003'), { recursive: true });

    const report = await sweepRepository({
      repo,
      baseBranch: 'main',
      worktreesDir,
      minIdleMs: 24 * 60 * 60_000,
      findTask: async (id) => tasks.get(id) ?? null,
      isActive: () => false,
    });

    const removed = report.removed.map((e) => e.taskId).sort();
    const expected = [...kindOf].filter(([, k]) => k === 'merged' || k === 'pushed').map(([id]) => id);
    expect(removed).toEqual(expected.sort());
    expect(report.forgotten.map((e) => e.taskId)).toEqual(['t9003']);
    const reasons = Object.fromEntries(report.kept.map((e) => [e.taskId ?? 'main', e.decision.reason]));
    for (const [id, kind] of kindOf) {
      const wt = join(worktreesDir, `wt-${id}`);
      if (kind === 'merged' || kind === 'pushed') expect(existsSync(wt)).toBe(false);
      else {
        expect(existsSync(wt)).toBe(true);
        expect(reasons[id]).toBe({ dirty: 'dirty', unpushed: 'unmerged', review: 'task_open' }[kind]);
      }
      if (kind === 'dirty')
        expect(await readFile(join(wt, 'uncommitted.txt'), 'utf8')).toBe(`precious ${id}\n`);
    }
    expect(reasons).toMatchObject({ main: 'main_worktree', t9001: 'not_ours', t9002: 'locked' });
    expect(existsSync(outside)).toBe(true);

    // Every commit any worktree had is still reachable from a ref; every task branch still exists.
    const reachable = new Set(raw(repo, ['rev-list', '--all']).split('\n'));
    for (const c of commits) expect(reachable.has(c)).toBe(true);
    for (const id of kindOf.keys())
      expect(raw(repo, ['rev-parse', '--verify', `gluon-task/${id}`]).trim()).toMatch(/^[0-9a-f]{40}$/);
    const listed = raw(repo, ['worktree', 'list', '--porcelain']);
    for (const id of expected) expect(listed).not.toContain(`wt-${id}\n`);
  });

  it('looks again right before removing: a task resumed meanwhile keeps its worktree', async () => {
    const repo = await repoWith(dirs);
    const worktreesDir = join(await dirs.make('gluon-home-'), 'worktrees');
    const wt = join(worktreesDir, 'wt-race1');
    raw(repo, ['worktree', 'add', '-q', '-b', 'gluon-task/race1', wt, 'main']);
    let reads = 0;
    const report = await sweepRepository({
      repo,
      baseBranch: 'main',
      worktreesDir,
      minIdleMs: 0,
      // Done at the first look; queued again by the time the sweep comes back to remove it.
      findTask: async (id) => ({ id, status: reads++ < 2 ? 'done' : 'queued', finishedAt: FINISHED }),
      isActive: () => false,
    });
    expect(report.removed).toEqual([]);
    expect(report.kept.find((e) => e.taskId === 'race1')?.decision).toEqual({
      action: 'keep',
      reason: 'active',
    });
    expect(existsSync(wt)).toBe(true);
  });
});
