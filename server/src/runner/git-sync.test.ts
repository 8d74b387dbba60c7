import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanConfig } from './git.js';
import { remoteUrl } from './git-refs.js';
import { carryUncommitted, syncBase, type SyncResult } from './git-sync.js';
import {
  commitFiles,
  createDirs,
  fingerprint,
  raw,
  repoWith,
  sha,
  withRemote,
} from './testing/git-fixtures.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

describe('syncBase', () => {
  it('without a remote, starts from the local branch and fetches nothing', async () => {
    const repo = await repoWith(dirs);
    const { scan, ...result } = (await syncBase(repo, 'main')) as Extract<SyncResult, { ok: true }>;
    expect(result).toEqual({
      ok: true,
      sha: sha(repo, 'main'),
      fetched: false,
      fastForwarded: false,
      notes: [],
    });
    // The config it read on the way, for the start's next git call.
    expect(scan?.cwd).toBe(repo);
    expect(scan?.entries.some((e) => e.key === 'core.bare')).toBe(true);
  });

  it('the remote’s URL read from a scan of the config is the one git gives, and only a scan of that repository counts', async () => {
    const repo = await repoWith(dirs);
    await withRemote(dirs, repo);
    raw(repo, ['config', '--add', 'remote.origin.url', 'https://example.com/later.git']); // the last one wins
    const scan = await scanConfig(repo);
    if (!('entries' in scan)) throw new Error(scan.stderr);
    expect(await remoteUrl(repo, scan)).toBe('https://example.com/later.git');
    expect(await remoteUrl(repo)).toBe('https://example.com/later.git');
    const elsewhere = await repoWith(dirs);
    expect(await remoteUrl(elsewhere, scan)).toBeNull();
  });

  it('a remote that moved: fetches and fast-forwards a base nobody has checked out (verified by sha)', async () => {
    const repo = await repoWith(dirs);
    const { other } = await withRemote(dirs, repo);
    raw(repo, ['checkout', '-q', '-b', 'elsewhere']);
    const before = sha(repo, 'main');
    const moved = await commitFiles(other, { 'b.txt': 'b\n' }, 'colleague');
    raw(other, ['push', '-q', 'origin', 'main']);
    const result = await syncBase(repo, 'main');
    expect(result).toMatchObject({ ok: true, sha: moved, fetched: true, fastForwarded: true });
    expect(sha(repo, 'main')).toBe(moved);
    expect(sha(repo, 'refs/remotes/origin/main')).toBe(moved);
    expect(raw(repo, ['reflog', '-1', '--format=%gs', 'main']).trim()).toBe(
      'gluon: fast-forward to origin/main',
    );
    expect(before).not.toBe(moved);
  });

  it('a remote that moved while the user has the base checked out: starts from origin, checkout untouched', async () => {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n' });
    const { other } = await withRemote(dirs, repo);
    await writeFile(join(repo, 'a.txt'), 'dirty\n');
    const local = sha(repo, 'main');
    const moved = await commitFiles(other, { 'b.txt': 'b\n' });
    raw(other, ['push', '-q', 'origin', 'main']);
    const before = await fingerprint(repo);
    const result = await syncBase(repo, 'main');
    expect(result).toMatchObject({ ok: true, sha: moved, fastForwarded: false });
    expect(result.ok && result.notes[0]).toMatch(/checked out .* behind origin\/main/);
    expect(sha(repo, 'main')).toBe(local);
    expect(await fingerprint(repo)).toEqual(before);
  });

  it('a local base ahead of origin is used as it is', async () => {
    const repo = await repoWith(dirs);
    await withRemote(dirs, repo);
    const ahead = await commitFiles(repo, { 'mine.txt': 'x\n' });
    expect(await syncBase(repo, 'main')).toMatchObject({ ok: true, sha: ahead });
  });

  it('a diverged base is an error, never a merge', async () => {
    const repo = await repoWith(dirs);
    const { other } = await withRemote(dirs, repo);
    const mine = await commitFiles(repo, { 'mine.txt': 'x\n' });
    await commitFiles(other, { 'theirs.txt': 'y\n' });
    raw(other, ['push', '-q', 'origin', 'main']);
    const before = await fingerprint(repo);
    const result = await syncBase(repo, 'main');
    expect(result).toMatchObject({ ok: false, error: { type: 'diverged' } });
    expect(!result.ok && result.error.message).toMatch(/have diverged/);
    expect(sha(repo, 'main')).toBe(mine);
    expect(await fingerprint(repo)).toEqual(before);
  });

  it('an unreachable remote is a note, and the local base is used', async () => {
    const repo = await repoWith(dirs);
    raw(repo, ['remote', 'add', 'origin', join(await dirs.make(), 'missing.git')]);
    const result = await syncBase(repo, 'main');
    expect(result).toMatchObject({ ok: true, sha: sha(repo, 'main'), fetched: false });
    expect(result.ok && result.notes[0]).toMatch(/could not fetch main/);
  });

  it.each(['-main', 'main;touch canary', '$(touch canary)', 'a..b'])(
    'refuses the base name %j',
    async (name) => {
      const repo = await repoWith(dirs);
      expect(await syncBase(repo, name)).toMatchObject({ ok: false, error: { type: 'unsafe_ref' } });
      expect(existsSync(join(repo, 'canary'))).toBe(false);
    },
  );
});

describe('carryUncommitted', () => {
  async function dirtyRepo() {
    const repo = await repoWith(dirs, { 'a.txt': 'a\n', 'b.txt': 'b\n', 'gone.txt': 'g\n' });
    await writeFile(join(repo, 'a.txt'), 'edited, not staged\n');
    await writeFile(join(repo, 'b.txt'), 'staged\n');
    await writeFile(join(repo, 'new-staged.txt'), 'new\n');
    raw(repo, ['add', 'b.txt', 'new-staged.txt']);
    raw(repo, ['rm', '-q', 'gone.txt']);
    await writeFile(join(repo, 'untracked.txt'), 'u\n');
    return { repo, head: sha(repo, 'HEAD') };
  }

  it('ignore: the task starts from the last commit and says so', async () => {
    const { repo, head } = await dirtyRepo();
    const result = await carryUncommitted({
      repo,
      baseBranch: 'main',
      policy: 'ignore',
      baseSha: head,
      taskId: 't1234',
    });
    expect(result.sha).toBe(head);
    expect(result.notes[0]).toMatch(
      /5 uncommitted change\(s\) that the task does not see: it starts from the last commit/,
    );
  });

  it('snapshot: carries tracked changes as a commit on HEAD; the checkout stays byte-for-byte identical', async () => {
    const { repo, head } = await dirtyRepo();
    const before = await fingerprint(repo);
    const status = raw(repo, ['status', '--porcelain']);
    const result = await carryUncommitted({
      repo,
      baseBranch: 'main',
      policy: 'snapshot',
      baseSha: head,
      taskId: 't1234',
    });
    expect(await fingerprint(repo)).toEqual(before); // index, HEAD, refs, files — and their mtimes
    expect(raw(repo, ['status', '--porcelain'])).toBe(status);
    expect(result.sha).not.toBe(head);
    expect(raw(repo, ['rev-parse', `${result.sha}^`]).trim()).toBe(head);
    expect(raw(repo, ['show', `${result.sha}:a.txt`])).toBe('edited, not staged\n');
    expect(raw(repo, ['show', `${result.sha}:b.txt`])).toBe('staged\n');
    expect(raw(repo, ['show', `${result.sha}:new-staged.txt`])).toBe('new\n');
    expect(raw(repo, ['ls-tree', '--name-only', result.sha]).split('\n')).not.toContain('gone.txt');
    expect(raw(repo, ['ls-tree', '--name-only', result.sha]).split('\n')).not.toContain('untracked.txt');
    expect(raw(repo, ['log', '-1', '--format=%B', result.sha])).toContain('Gluon-Task: t1234');
    expect(result.notes.join('\n')).toMatch(
      /carried 4 uncommitted change\(s\).*1 untracked file\(s\) were not carried/s,
    );
    expect(raw(repo, ['stash', 'list'])).toBe('');
  });

  it('autocommit (opt-in): commits everything on the user’s branch first', async () => {
    const { repo, head } = await dirtyRepo();
    const result = await carryUncommitted({
      repo,
      baseBranch: 'main',
      policy: 'autocommit',
      baseSha: head,
      taskId: 't1234',
    });
    expect(sha(repo, 'main')).toBe(result.sha);
    expect(raw(repo, ['rev-parse', 'HEAD^']).trim()).toBe(head);
    expect(raw(repo, ['status', '--porcelain'])).toBe('');
    expect(await readFile(join(repo, 'untracked.txt'), 'utf8')).toBe('u\n');
    expect(raw(repo, ['show', `${result.sha}:untracked.txt`])).toBe('u\n');
    expect(result.notes[0]).toMatch(/committed 5 uncommitted file\(s\) on main/);
  });

  it('a checkout on another branch is never carried, whatever the policy', async () => {
    const { repo, head } = await dirtyRepo();
    raw(repo, ['checkout', '-q', '-b', 'feature']);
    for (const policy of ['snapshot', 'autocommit'] as const) {
      const result = await carryUncommitted({
        repo,
        baseBranch: 'main',
        policy,
        baseSha: head,
        taskId: 't1234',
      });
      expect(result.sha).toBe(head);
      expect(result.notes[0]).toMatch(/your checkout is on feature, not main/);
    }
    expect(raw(repo, ['rev-parse', 'HEAD']).trim()).toBe(head);
  });

  it('a clean checkout changes nothing', async () => {
    const repo = await repoWith(dirs);
    const head = sha(repo, 'HEAD');
    expect(
      await carryUncommitted({
        repo,
        baseBranch: 'main',
        policy: 'snapshot',
        baseSha: head,
        taskId: 't1234',
      }),
    ).toEqual({
      sha: head,
      notes: [],
    });
  });
});
