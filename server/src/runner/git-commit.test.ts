/**
 * Committing what the agent left (`commitAll`, `commitStaged`) and reading the commit back (`lastCommit`),
 * which the end of a run also measures its progress from (`changesSince`), on real repositories.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { GitError } from './git.js';
import { commitAll, lastCommit } from './git-commit.js';
import { changesSince } from './git-progress.js';
import { commitFiles, createDirs, raw, repoWith, sha } from './testing/git-fixtures.js';
import { createWorktree } from './worktrees.js';

const dirs = createDirs();
afterEach(() => vi.unstubAllEnvs());
afterAll(() => dirs.cleanup());

describe('commitAll', () => {
  it('commits new, modified and deleted files with the message and trailers', async () => {
    const repo = await repoWith(dirs, { 'keep.txt': 'k\n', 'edit.txt': 'old\n', 'gone.txt': 'g\n' });
    raw(repo, ['config', 'user.name', 'Ada']);
    raw(repo, ['config', 'user.email', 'ada@example.com']);
    const wt = join(await dirs.make(), 'wt');
    await createWorktree({ repo, path: wt, branch: 'gluon-task/c1', baseRef: 'main' });
    await writeFile(join(wt, 'edit.txt'), 'new\n');
    await rm(join(wt, 'gone.txt'));
    await mkdir(join(wt, 'dir'));
    await writeFile(join(wt, 'dir', 'new file.txt'), 'n\n');
    const message = '#12: fix the parser — déjà vu 🚀\n\nIt said "$(rm -rf /)" and `id`; nothing ran.';

    const result = await commitAll({ cwd: wt, message, trailers: { 'Gluon-Task': 'c1' } });

    expect(result).toMatchObject({ committed: true, files: ['dir/new file.txt', 'edit.txt', 'gone.txt'] });
    const sha = result.committed ? result.sha : '';
    expect(raw(wt, ['rev-parse', 'HEAD']).trim()).toBe(sha);
    expect(raw(wt, ['log', '-1', '--format=%B', sha])).toBe(`${message}\n\nGluon-Task: c1\n\n`);
    expect(raw(wt, ['log', '-1', '--format=%an <%ae>|%cn <%ce>', sha]).trim()).toBe(
      'Ada <ada@example.com>|Ada <ada@example.com>',
    );
    expect(raw(wt, ['status', '--porcelain'])).toBe('');
    expect(await commitAll({ cwd: wt, message: 'again' })).toEqual({ committed: false });
  });

  it('commits as Gluon when no identity is configured anywhere', async () => {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n' });
    const home = await dirs.make();
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', home);
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    vi.stubEnv('GIT_CONFIG_GLOBAL', undefined);
    vi.stubEnv('EMAIL', undefined);
    await writeFile(join(repo, 'b.txt'), 'b\n');
    const result = await commitAll({ cwd: repo, message: 'no identity' });
    expect(result).toMatchObject({ committed: true, files: ['b.txt'] });
    expect(raw(repo, ['log', '-1', '--format=%an <%ae>|%cn <%ce>']).trim()).toBe(
      'Gluon <gluon@localhost>|Gluon <gluon@localhost>',
    );
  });
});

describe('commitAll when git refuses', () => {
  it('tells nothing to commit (git exits 1 saying so) from a commit that failed, which it throws', async () => {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n' });
    expect(await commitAll({ cwd: repo, message: 'nothing new' })).toEqual({ committed: false });
    await writeFile(join(repo, 'b.txt'), 'b\n');
    await writeFile(join(repo, '.git', 'MERGE_HEAD'), `${'1'.repeat(40)}\n`);
    const failed = await commitAll({ cwd: repo, message: 'work' }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(GitError);
    expect(failed).toMatchObject({ code: 128, message: expect.stringContaining('Corrupt MERGE_HEAD') });
    await rm(join(repo, '.git', 'MERGE_HEAD'));
    expect(await commitAll({ cwd: repo, message: 'work' })).toMatchObject({
      committed: true,
      files: ['b.txt'],
    });
  });
});

describe('lastCommit and the progress measured from it', () => {
  it('reads the commit at HEAD: its id, its parents and its paths (a rename as both)', async () => {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const root = sha(repo, 'HEAD');
    expect(await lastCommit(repo)).toEqual({ sha: root, parents: [], files: ['a.txt', 'b.txt'] });
    raw(repo, ['mv', 'a.txt', 'moved.txt']);
    await writeFile(join(repo, 'c.txt'), 'c\n');
    const made = await commitAll({ cwd: repo, message: 'move and add' });
    const head = await lastCommit(repo);
    expect(head).toEqual({ sha: sha(repo, 'HEAD'), parents: [root], files: ['a.txt', 'c.txt', 'moved.txt'] });
    expect(made).toEqual({ committed: true, sha: head.sha, files: head.files });
    raw(repo, ['commit', '-q', '--allow-empty', '-m', 'empty']);
    expect(await lastCommit(repo)).toEqual({ sha: sha(repo, 'HEAD'), parents: [head.sha], files: [] });
  });

  it('takes a run’s only commit as the whole progress, and asks git when there is more', async () => {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n' });
    const start = sha(repo, 'HEAD');
    raw(repo, ['mv', 'a.txt', 'b.txt']);
    await commitAll({ cwd: repo, message: 'rename' });
    const only = await lastCommit(repo);
    const asked = await changesSince(repo, start, { uncommitted: false });
    expect(asked).toEqual({ commits: [only.sha], files: ['a.txt', 'b.txt'] });
    expect(await changesSince(repo, start, { uncommitted: false, head: only })).toEqual(asked);
    // The agent committed too: the commit at HEAD is not the whole story, git is asked.
    const own = await commitFiles(repo, { 'c.txt': 'c\n' }, 'the agent’s own commit');
    await writeFile(join(repo, 'd.txt'), 'd\n');
    await commitAll({ cwd: repo, message: 'what was left' });
    const head = await lastCommit(repo);
    expect(await changesSince(repo, start, { uncommitted: false, head })).toEqual({
      commits: [only.sha, own, head.sha],
      files: ['a.txt', 'b.txt', 'c.txt', 'd.txt'],
    });
    // Something left uncommitted is read from the worktree, whatever HEAD is.
    await writeFile(join(repo, 'e.txt'), 'e\n');
    expect((await changesSince(repo, start, { uncommitted: true, head })).files).toContain('e.txt');
  });
});
