import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  capDiff,
  listChanges,
  listCommits,
  resolveRange,
  taskDiff,
  type ReviewTarget,
} from './review-data.js';
import { createDirs, raw, repoWith, sha } from './testing/git-fixtures.js';
import { createWorktree, removeWorktree } from './worktrees.js';
import { commitAll } from './git-commit.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

let repo: string;
let wt: string;
let target: ReviewTarget;
let first: string;
let second: string;

beforeAll(async () => {
  repo = await repoWith(dirs, {
    'keep.txt': 'keep\n',
    'old-name.txt': 'a\nb\nc\nd\ne\n',
    'gone.txt': 'bye\n',
  });
  const base = sha(repo, 'main');
  wt = join(await dirs.make(), 'wt-rev1');
  await createWorktree({ repo, path: wt, branch: 'gluon-task/rev1', baseRef: 'main' });
  await writeFile(join(wt, 'keep.txt'), 'keep\nmore\nand more\n');
  await writeFile(join(wt, 'new.txt'), 'n\n');
  await writeFile(join(wt, 'image.bin'), Buffer.from([0, 1, 2, 0, 255]));
  first = ((await commitAll({ cwd: wt, message: 'First step\n\nwith a body' })) as { sha: string }).sha;
  raw(wt, ['mv', 'old-name.txt', 'new-name.txt']);
  raw(wt, ['rm', '-q', 'gone.txt']);
  await writeFile(join(wt, '--output=x'), 'odd name\n');
  second = ((await commitAll({ cwd: wt, message: 'Second step' })) as { sha: string }).sha;
  target = { repo, branch: 'gluon-task/rev1', baseBranch: 'main', recordedBase: base };
  // The base moves on after the task started: its commits are not the task's.
  raw(repo, ['commit', '-q', '--allow-empty', '-m', 'unrelated work on main']);
});

describe('review data', () => {
  it('lists the task’s commits, newest first, with author, time, message and files', async () => {
    const commits = (await listCommits(target))!;
    expect(commits.map((c) => c.sha)).toEqual([second, first]);
    const [author, email] = raw(repo, ['log', '-1', '--format=%an%n%ae', first]).trim().split('\n');
    expect(commits[1]).toMatchObject({ author, email, message: 'First step\n\nwith a body' });
    expect(Date.parse(commits[1]!.time)).not.toBeNaN();
    expect(commits[1]!.files).toEqual([
      { path: 'image.bin', status: 'A', additions: 0, deletions: 0, binary: true },
      { path: 'keep.txt', status: 'M', additions: 2, deletions: 0, binary: false },
      { path: 'new.txt', status: 'A', additions: 1, deletions: 0, binary: false },
    ]);
    expect(commits[0]!.files).toEqual([
      { path: '--output=x', status: 'A', additions: 1, deletions: 0, binary: false },
      { path: 'gone.txt', status: 'D', additions: 0, deletions: 1, binary: false },
      {
        path: 'new-name.txt',
        oldPath: 'old-name.txt',
        status: 'R',
        additions: 0,
        deletions: 0,
        binary: false,
      },
    ]);
  });

  it('lists the changed files against the merge base', async () => {
    const changes = (await listChanges(target))!;
    expect(changes.head).toBe(second);
    expect(changes.base).toBe(target.recordedBase);
    expect(changes.files.map((f) => `${f.status} ${f.path}`)).toEqual([
      'A --output=x',
      'D gone.txt',
      'A image.bin',
      'M keep.txt',
      'R new-name.txt', // git orders a rename by its old path
      'A new.txt',
    ]);
  });

  it('gives the unified diff per file, per commit, per file in a commit, and whole', async () => {
    const file = (await taskDiff(target, { path: 'keep.txt' }))!;
    expect(file.truncated).toBe(false);
    expect(file.diff).toMatch(/^diff --git a\/keep.txt b\/keep.txt\n/);
    expect(file.diff).toContain('+and more\n');
    expect(file.diff).not.toContain('new.txt');
    const renamed = (await taskDiff(target, { path: 'new-name.txt' }))!;
    expect(renamed.diff).toContain('rename from old-name.txt\nrename to new-name.txt');
    const commit = (await taskDiff(target, { commit: first.slice(0, 8) }))!;
    expect(commit.diff).toContain('+++ b/new.txt');
    expect(commit.diff).not.toContain('gone.txt');
    expect((await taskDiff(target, { commit: second, path: 'gone.txt' }))!.diff).toContain('-bye');
    const whole = (await taskDiff(target, {}))!;
    for (const name of ['keep.txt', 'new.txt', 'gone.txt', 'new-name.txt', 'image.bin'])
      expect(whole.diff).toContain(name);
    expect(whole.diff).not.toContain('unrelated');
  });

  it('an argument that looks like an option is a path, and paths or commits outside the task are refused', async () => {
    const odd = (await taskDiff(target, { path: '--output=x' }))!;
    expect(odd.diff).toContain('+odd name');
    expect(existsSync(join(repo, 'x'))).toBe(false);
    expect(await taskDiff(target, { path: 'base.txt' })).toBeNull();
    expect(await taskDiff(target, { path: '../../etc/passwd' })).toBeNull();
    expect(await taskDiff(target, { path: '*' })).toBeNull();
    expect(await taskDiff(target, { commit: sha(repo, 'main') })).toBeNull(); // on the base, not the task
    expect(await taskDiff(target, { commit: '--all' })).toBeNull();
    expect(await taskDiff(target, { commit: first, path: 'gone.txt' })).toBeNull();
  });

  it('caps a diff at a line boundary and says so', () => {
    expect(capDiff('a\nbb\nccc\n', 100)).toEqual({ diff: 'a\nbb\nccc\n', truncated: false });
    expect(capDiff('a\nbb\nccc\n', 6)).toEqual({ diff: 'a\nbb\n', truncated: true });
    expect(capDiff('é\né\n', 4)).toEqual({ diff: 'é\n', truncated: true });
  });

  it('survives the worktree’s removal and the branch’s merge into the base', async () => {
    const before = await listCommits(target);
    raw(repo, ['merge', '-q', '--no-ff', '--no-edit', 'gluon-task/rev1']);
    expect(await removeWorktree({ repo, path: wt })).toEqual({ ok: true });
    expect(existsSync(wt)).toBe(false);
    expect(await listCommits(target)).toEqual(before);
    expect((await listChanges(target))!.files).toHaveLength(6);
    expect((await taskDiff(target, { path: 'new.txt' }))!.diff).toContain('+n');
    // Without the recorded base, a merged branch has nothing left to show rather than the whole history.
    expect(await listCommits({ ...target, recordedBase: null })).toEqual([]);
  });

  it('a rebased branch shows its own commits, not the upstream ones it moved over', async () => {
    const r = await repoWith(dirs, { 'f.txt': 'f\n' });
    const base = sha(r, 'main');
    raw(r, ['checkout', '-q', '-b', 'gluon-task/reb1']);
    await writeFile(join(r, 'mine.txt'), 'm\n');
    raw(r, ['add', '-A']);
    raw(r, ['commit', '-q', '-m', 'mine']);
    raw(r, ['checkout', '-q', 'main']);
    raw(r, ['commit', '-q', '--allow-empty', '-m', 'upstream']);
    raw(r, ['rebase', '-q', 'main', 'gluon-task/reb1']);
    raw(r, ['checkout', '-q', 'main']);
    const t = { repo: r, branch: 'gluon-task/reb1', baseBranch: 'main', recordedBase: base };
    expect((await resolveRange(t))!.base).toBe(sha(r, 'main'));
    expect((await listCommits(t))!.map((c) => c.message)).toEqual(['mine']);
  });

  it('a missing branch is null, not an exception', async () => {
    const gone = { repo, branch: 'gluon-task/none1', baseBranch: 'main', recordedBase: null };
    expect(await listCommits(gone)).toBeNull();
    expect(await listChanges(gone)).toBeNull();
    expect(await taskDiff(gone, {})).toBeNull();
  });
});
