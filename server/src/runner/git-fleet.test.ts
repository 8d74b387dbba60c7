/**
 * A task's state travels between machines through the remote: the branch and a work-in-progress commit of
 * the uncommitted files (made without an identity configured anywhere), fetched by another machine's
 * clone and laid over its new worktree, uncommitted again. Real git, a bare repository as the remote.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyWorkInProgress,
  ensureBareClone,
  fetchTaskState,
  pushWorkInProgress,
  snapshotWorktree,
} from './git-fleet.js';
import {
  commitFiles,
  createDirs,
  raw,
  repoWith,
  sha,
  withRemote,
  writeFiles,
} from './testing/git-fixtures.js';

const TASK = 'abcd1234';
const BRANCH = `gluon-task/${TASK}`;

describe('work in progress between machines', () => {
  const dirs = createDirs();
  const saved = { ...process.env };
  let remote: string;
  beforeAll(async () => {
    // No identity anywhere: not global, not system, not in the clones.
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    process.env.HOME = await dirs.make('gluon-home-');
    for (const k of [
      'GIT_AUTHOR_NAME',
      'GIT_AUTHOR_EMAIL',
      'GIT_COMMITTER_NAME',
      'GIT_COMMITTER_EMAIL',
      'EMAIL',
    ])
      delete process.env[k];
    const repo = await repoWith(dirs, { 'README.md': '# r\n', 'src/a.ts': 'export const a = 1;\n' });
    ({ remote } = await withRemote(dirs, repo));
  });
  afterAll(async () => {
    process.env = saved;
    await dirs.cleanup();
  });

  /** A machine: its bare clone of the remote, and a worktree on the task's branch. */
  async function machine(name: string) {
    const clone = path.join(await dirs.make(`gluon-${name}-`), 'repo.git');
    await ensureBareClone(remote, clone);
    await ensureBareClone(remote, clone); // made once; a second call only checks it is there
    return clone;
  }

  it('snapshots uncommitted and untracked files without touching the worktree, and continues elsewhere', async () => {
    const first = await machine('a');
    const wt1 = path.join(await dirs.make('gluon-wt-'), 'wt');
    raw(first, ['worktree', 'add', '-q', '-b', BRANCH, wt1, 'main']);
    expect(await snapshotWorktree(wt1)).toBeNull();
    await commitFiles(wt1, { 'src/b.ts': 'export const b = 2;\n' }, 'step 1');
    await writeFiles(wt1, { 'src/a.ts': 'export const a = 42;\n', 'notes.txt': 'untracked\n' });
    const statusBefore = raw(wt1, ['status', '--porcelain']);

    const wip = await snapshotWorktree(wt1);
    expect(wip).toMatch(/^[0-9a-f]{40}$/);
    expect(raw(wt1, ['status', '--porcelain'])).toBe(statusBefore);
    expect(sha(wt1, `${wip}^`)).toBe(sha(wt1, 'HEAD'));
    await pushWorkInProgress(wt1, TASK, BRANCH, wip);
    expect(sha(remote, BRANCH)).toBe(sha(wt1, 'HEAD'));
    expect(sha(remote, `refs/gluon/wip/${TASK}`)).toBe(wip);

    const second = await machine('b');
    const fetched = await fetchTaskState(second, TASK, BRANCH);
    expect(fetched).toBe(wip);
    expect(sha(second, BRANCH)).toBe(sha(wt1, 'HEAD'));
    const wt2 = path.join(await dirs.make('gluon-wt-'), 'wt');
    raw(second, ['worktree', 'add', '-q', wt2, BRANCH]);
    await applyWorkInProgress(wt2, fetched!);
    expect(await readFile(path.join(wt2, 'src/a.ts'), 'utf8')).toBe('export const a = 42;\n');
    expect(await readFile(path.join(wt2, 'notes.txt'), 'utf8')).toBe('untracked\n');
    expect(await readFile(path.join(wt2, 'src/b.ts'), 'utf8')).toBe('export const b = 2;\n');
    // Uncommitted again: HEAD is the branch, the files are changes on top of it.
    expect(sha(wt2, 'HEAD')).toBe(sha(wt1, 'HEAD'));
    expect(raw(wt2, ['status', '--porcelain']).split('\n').filter(Boolean).sort()).toEqual([
      ' M src/a.ts',
      '?? notes.txt',
    ]);
  });

  it('a branch pushed after the WIP wins: the stale WIP is not applied', async () => {
    const first = await machine('c');
    const wt = path.join(await dirs.make('gluon-wt-'), 'wt');
    raw(first, ['fetch', '-q', 'origin', `+refs/heads/${BRANCH}:refs/heads/${BRANCH}`]);
    raw(first, ['worktree', 'add', '-q', wt, BRANCH]);
    await commitFiles(wt, { 'src/c.ts': 'export const c = 3;\n' }, 'step 2');
    await pushWorkInProgress(wt, TASK, BRANCH, null);
    const second = await machine('d');
    expect(await fetchTaskState(second, TASK, BRANCH)).toBeNull();
    expect(sha(second, BRANCH)).toBe(sha(wt, 'HEAD'));
  });
});
