import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDirs, raw, repoWith } from '../runner/testing/git-fixtures.js';
import { createCleanup } from './cleanup.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const dirs = createDirs();
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await dirs.cleanup();
});

async function setup() {
  const home = await dirs.make('gluon-home-');
  const bed = await openGitTestbed(home);
  closers.push(() => bed.storage.close());
  const repo = await repoWith(dirs);
  const project = await insertProject(bed.storage, { path: repo });
  const active = new Set<string>();
  const cleanup = createCleanup({ home, ...bed, isActive: (id) => active.has(id), log: () => {} });
  /** A task whose worktree committed one file, optionally merged into main. */
  const taskWithWorktree = async (status: 'done' | 'review', merged: boolean) => {
    const task = await insertTask(bed.storage, project, { status });
    const wt = join(home, 'worktrees', `wt-${task.id}`);
    raw(repo, ['worktree', 'add', '-q', '-b', `gluon-task/${task.id}`, wt, 'main']);
    await writeFile(join(wt, `${task.id}.txt`), 'x\n');
    raw(wt, ['add', '-A']);
    raw(wt, ['commit', '-q', '-m', 'work']);
    if (merged) raw(repo, ['merge', '-q', '--no-ff', '--no-edit', `gluon-task/${task.id}`]);
    return bed.state.update(task.id, { branch: `gluon-task/${task.id}`, worktreePath: wt });
  };
  return { ...bed, home, repo, cleanup, active, taskWithWorktree };
}

describe('prune', () => {
  it('removes the worktree of a done, merged task, keeps its branch, clears its worktreePath and says so', async () => {
    const s = await setup();
    const gone = await s.taskWithWorktree('done', true);
    const unmerged = await s.taskWithWorktree('done', false);
    const inReview = await s.taskWithWorktree('review', true);
    const report = await s.cleanup.prune();
    expect(report.removed).toEqual([
      { taskId: gone.id, path: gone.worktreePath, branch: gone.branch, snapshot: null },
    ]);
    expect(report.kept).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ taskId: unmerged.id, reason: 'unmerged' }),
        expect.objectContaining({ taskId: inReview.id, reason: 'task_open' }),
      ]),
    );
    expect(report.kept.some((k) => k.reason === 'main_worktree')).toBe(false);
    expect(existsSync(gone.worktreePath!)).toBe(false);
    expect(raw(s.repo, ['rev-parse', '--verify', gone.branch!]).trim()).toMatch(/^[0-9a-f]{40}$/);
    expect((await s.storage.tasks.findById(gone.id))!.worktreePath).toBeNull();
    const events = await s.storage.events.listAfter(gone.id, 0, 10);
    expect(events.map((e) => e.type === 'notice' && e.data.message)).toContain(
      `worktree removed by cleanup (branch ${gone.branch} kept)`,
    );
  });

  it('never touches a worktree whose task is running here', async () => {
    const s = await setup();
    const task = await s.taskWithWorktree('done', true);
    s.active.add(task.id);
    expect((await s.cleanup.prune()).removed).toEqual([]);
    expect(existsSync(task.worktreePath!)).toBe(true);
  });
});

describe('reconcile', () => {
  it('lines the database up with git worktree list; unknown directories are reported, never deleted', async () => {
    const s = await setup();
    const missing = await s.taskWithWorktree('review', false);
    await rm(missing.worktreePath!, { recursive: true }); // gone from disk, still registered
    const fine = await s.taskWithWorktree('review', false);
    const stray = join(s.home, 'worktrees', 'wt-stray');
    await mkdir(stray, { recursive: true });
    await writeFile(join(stray, 'keep.txt'), 'k\n');
    const report = await s.cleanup.reconcile();
    expect(report).toEqual({ missing: [missing.id], forgotten: [missing.worktreePath], orphans: [stray] });
    expect((await s.storage.tasks.findById(missing.id))!.worktreePath).toBeNull();
    expect((await s.storage.tasks.findById(fine.id))!.worktreePath).toBe(fine.worktreePath);
    expect(raw(s.repo, ['worktree', 'list', '--porcelain'])).not.toContain(missing.worktreePath!);
    expect(existsSync(join(stray, 'keep.txt'))).toBe(true);
    expect(raw(s.repo, ['rev-parse', '--verify', missing.branch!]).trim()).toMatch(/^[0-9a-f]{40}$/);
  });
});
