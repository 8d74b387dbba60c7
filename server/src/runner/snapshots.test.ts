import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSnapshots, snapshotStamp, snapshotUncommitted } from './snapshots.js';
import { createDirs, fingerprint, raw, repoWith, sha } from './testing/git-fixtures.js';
import { createWorktree } from './worktrees.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

async function worktree(id: string) {
  const repo = await repoWith(dirs, { 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': 'build/\n' });
  const wt = join(await dirs.make(), `wt-${id}`);
  await createWorktree({ repo, path: wt, branch: `gluon-task/${id}`, baseRef: 'main' });
  return { repo, wt };
}

describe('snapshotUncommitted', () => {
  it('keeps modified, deleted and untracked files under a snapshot ref without touching the worktree', async () => {
    const { repo, wt } = await worktree('snap1');
    await writeFile(join(wt, 'a.txt'), 'changed\n');
    await rm(join(wt, 'b.txt'));
    await writeFile(join(wt, 'new.txt'), 'new\n');
    await writeFile(join(wt, 'staged.txt'), 'staged\n');
    raw(wt, ['add', 'staged.txt']);
    const before = await fingerprint(wt);
    const status = raw(wt, ['status', '--porcelain']);
    const head = sha(wt, 'HEAD');

    const snap = await snapshotUncommitted(wt, 'snap1', new Date('2025-01-02T03:04:05.678Z'));
    expect(snap).toMatchObject({ ref: 'refs/gluon/snapshots/snap1/20250102T030405678Z', taskId: 'snap1' });
    expect(sha(repo, snap!.ref)).toBe(snap!.sha);
    expect(raw(repo, ['rev-parse', `${snap!.sha}^`]).trim()).toBe(head);
    expect(raw(repo, ['show', `${snap!.sha}:a.txt`])).toBe('changed\n');
    expect(raw(repo, ['show', `${snap!.sha}:new.txt`])).toBe('new\n');
    expect(raw(repo, ['show', `${snap!.sha}:staged.txt`])).toBe('staged\n');
    expect(raw(repo, ['ls-tree', '--name-only', snap!.sha]).split('\n')).not.toContain('b.txt');

    expect(raw(wt, ['status', '--porcelain'])).toBe(status);
    const after = await fingerprint(wt);
    expect(after).toEqual(before);
    expect(await listSnapshots(repo, 'snap1')).toEqual([snap]);
  });

  it('a clean worktree (ignored files aside) needs no snapshot', async () => {
    const { repo, wt } = await worktree('snap2');
    await writeFile(join(wt, '.gitignore'), 'build/\n');
    await mkdir(join(wt, 'build'));
    await writeFile(join(wt, 'build', 'out.js'), 'x\n');
    expect(await snapshotUncommitted(wt, 'snap2')).toBeNull();
    expect(await listSnapshots(repo)).toEqual([]);
  });

  it('never overwrites an existing snapshot ref', async () => {
    const { wt } = await worktree('snap3');
    await writeFile(join(wt, 'a.txt'), 'one\n');
    const when = new Date('2025-01-01T00:00:00.000Z');
    await snapshotUncommitted(wt, 'snap3', when);
    await writeFile(join(wt, 'a.txt'), 'two\n');
    await expect(snapshotUncommitted(wt, 'snap3', when)).rejects.toThrow();
  });

  it('refuses a task id that is not one of ours', async () => {
    const { wt } = await worktree('snap4');
    await expect(snapshotUncommitted(wt, '../../heads/main')).rejects.toThrow(/invalid task id/);
    expect(snapshotStamp(new Date('2025-12-31T23:59:59.999Z'))).toBe('20251231T235959999Z');
  });
});
