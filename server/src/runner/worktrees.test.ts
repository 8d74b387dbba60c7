import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { git } from './git.js';
import { commitAll } from './git-commit.js';
import {
  changedFiles,
  createWorktree,
  headSha,
  listWorktrees,
  removeWorktree,
  WorktreeError,
} from './worktrees.js';

const FIXTURE_IDENTITY = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
};
const dirs: string[] = [];

/** Plain git for fixtures and checks, deliberately not through the code under test. */
function raw(cwd: string, args: string[], input = ''): string {
  const env = { ...process.env, ...FIXTURE_IDENTITY, GIT_OPTIONAL_LOCKS: '0' };
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', env, stdio: 'pipe' });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gluon-wt-'));
  dirs.push(dir);
  return dir;
}

async function repoWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  raw(dir, ['init', '-q', '-b', 'main']);
  for (const [name, content] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  raw(dir, ['add', '-A']);
  raw(dir, ['commit', '-q', '-m', 'init']);
  return dir;
}

/** sha256 of every file under `root`, .git included (index, HEAD, config, refs). */
async function hashTree(
  root: string,
  dir = root,
  out: Record<string, string> = {},
): Promise<Record<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await hashTree(root, full, out);
    else
      out[relative(root, full)] = createHash('sha256')
        .update(await readFile(full))
        .digest('hex');
  }
  return out;
}

afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('createWorktree', () => {
  it('creates the task branch from main and leaves the user checkout byte-for-byte unchanged', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n', 'src/b.txt': 'b\n', 'c.txt': 'c\n' });
    const mainSha = raw(repo, ['rev-parse', 'HEAD']).trim();
    await writeFile(join(repo, 'a.txt'), 'user edit\n');
    await writeFile(join(repo, 'c.txt'), 'staged\n');
    raw(repo, ['add', 'c.txt']);
    await writeFile(join(repo, 'untracked.txt'), 'mine\n');
    const snapshot = async () => ({
      head: raw(repo, ['rev-parse', 'HEAD']),
      branch: raw(repo, ['symbolic-ref', 'HEAD']),
      status: raw(repo, ['status', '--porcelain', '--untracked-files=all']),
      files: await hashTree(repo, repo, {}),
    });
    const before = await snapshot();
    const wtPath = join(await tempDir(), 'wt-abc123');

    const created = await createWorktree({
      repo,
      path: wtPath,
      branch: 'gluon-task/abc123',
      baseRef: 'main',
    });

    expect(created).toEqual({ path: wtPath, branch: 'gluon-task/abc123', baseSha: mainSha });
    const after = await snapshot();
    expect({ ...after, files: {} }).toEqual({ ...before, files: {} });
    // Every pre-existing file (work tree, index, HEAD, config, refs) is byte-identical; git only added the
    // new branch's ref and the worktree's administrative directory.
    expect(after.files).toMatchObject(before.files);
    const added = Object.keys(after.files).filter((name) => !(name in before.files));
    expect(added.length).toBeGreaterThan(0);
    for (const name of added)
      expect(name).toMatch(/^\.git\/(worktrees\/|(logs\/)?refs\/heads\/gluon-task\/abc123$)/);
    expect(raw(wtPath, ['symbolic-ref', '--short', 'HEAD']).trim()).toBe('gluon-task/abc123');
    expect(await readFile(join(wtPath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(existsSync(join(wtPath, 'untracked.txt'))).toBe(false);
  });

  it('refuses unsafe branch names and base refs without touching the repository', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const base = await tempDir();
    for (const branch of ['-rf', 'a;touch x', '$(touch canary)', 'a..b']) {
      const error = await createWorktree({ repo, path: join(base, 'wt'), branch, baseRef: 'main' }).catch(
        (e) => e,
      );
      expect(error).toBeInstanceOf(WorktreeError);
      expect((error as WorktreeError).type).toBe('unsafe_ref');
    }
    const badBase = createWorktree({ repo, path: join(base, 'wt'), branch: 'ok', baseRef: '--orphan' });
    await expect(badBase).rejects.toMatchObject({ type: 'unsafe_ref' });
    expect(raw(repo, ['branch', '--format=%(refname:short)']).trim()).toBe('main');
    expect(await readdir(base)).toEqual([]);
    expect(existsSync(join(repo, 'canary')) || existsSync(join(repo, 'x'))).toBe(false);
  });

  it('reuses its own worktree, reattaches an existing branch, and recovers a deleted directory', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const wtPath = join(await tempDir(), 'wt');
    const input = { repo, path: wtPath, branch: 'gluon-task/r1', baseRef: 'main' };
    const first = await createWorktree(input);
    await writeFile(join(wtPath, 'work.txt'), 'progress\n');
    expect(await createWorktree(input)).toEqual(first);
    expect(existsSync(join(wtPath, 'work.txt'))).toBe(true);

    const commit = await commitAll({ cwd: wtPath, message: 'progress' });
    expect(await removeWorktree({ repo, path: wtPath })).toEqual({ ok: true });
    expect(await createWorktree(input)).toEqual(first);
    expect(commit.committed && (await headSha(wtPath)) === commit.sha).toBe(true);

    await rm(wtPath, { recursive: true, force: true });
    expect(await createWorktree(input)).toEqual(first);
    expect(await readFile(join(wtPath, 'work.txt'), 'utf8')).toBe('progress\n');
  });

  it('refuses a branch checked out elsewhere and a path holding another worktree', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const base = await tempDir();
    await createWorktree({ repo, path: join(base, 'one'), branch: 'gluon-task/one', baseRef: 'main' });
    const elsewhere = createWorktree({
      repo,
      path: join(base, 'two'),
      branch: 'gluon-task/one',
      baseRef: 'main',
    });
    await expect(elsewhere).rejects.toMatchObject({ type: 'branch_in_use' });
    const occupied = createWorktree({
      repo,
      path: join(base, 'one'),
      branch: 'gluon-task/two',
      baseRef: 'main',
    });
    await expect(occupied).rejects.toMatchObject({ type: 'path_in_use' });
  });

  it('creates 10 worktrees in parallel on one repository', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const base = await tempDir();
    const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const created = await Promise.all(
      ids.map((id) =>
        createWorktree({ repo, path: join(base, id), branch: `gluon-task/${id}`, baseRef: 'main' }),
      ),
    );
    expect(created.map((w) => w.branch)).toEqual(ids.map((id) => `gluon-task/${id}`));
    const branches = (await listWorktrees(repo)).map((w) => w.branch).sort();
    expect(branches).toEqual(['main', ...ids.map((id) => `gluon-task/${id}`)].sort());
  });
});

describe('listWorktrees, changedFiles, removeWorktree', () => {
  it('parses every worktree state', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n' });
    const base = await tempDir();
    await createWorktree({ repo, path: join(base, 'locked'), branch: 'gluon-task/l', baseRef: 'main' });
    await createWorktree({ repo, path: join(base, 'gone'), branch: 'gluon-task/g', baseRef: 'main' });
    raw(repo, ['worktree', 'add', '-q', '--detach', join(base, 'detached')]);
    raw(repo, ['worktree', 'lock', '--reason', 'why', join(base, 'locked')]);
    await rm(join(base, 'gone'), { recursive: true });
    const sha = raw(repo, ['rev-parse', 'HEAD']).trim();
    const flags = { bare: false, detached: false, locked: false, prunable: false, head: sha };
    const byPath = (x: { path: string }, y: { path: string }) => x.path.localeCompare(y.path);
    expect((await listWorktrees(repo)).sort(byPath)).toEqual(
      [
        { ...flags, path: repo, branch: 'main' },
        { ...flags, path: join(base, 'locked'), branch: 'gluon-task/l', locked: true },
        { ...flags, path: join(base, 'gone'), branch: 'gluon-task/g', prunable: true },
        { ...flags, path: join(base, 'detached'), branch: null, detached: true },
      ].sort(byPath),
    );
    expect(await removeWorktree({ repo, path: join(base, 'locked') })).toMatchObject({
      ok: false,
      error: { type: 'locked' },
    });
    expect(await removeWorktree({ repo, path: base })).toMatchObject({
      ok: false,
      error: { type: 'not_a_worktree' },
    });
    expect(await removeWorktree({ repo, path: repo })).toMatchObject({
      ok: false,
      error: { type: 'main_worktree' },
    });
  });

  it('reports changes with NUL-safe names, and removal refuses a dirty worktree', async () => {
    const repo = await repoWith({ 'a.txt': 'a\n', 'old.txt': 'o\n', 'del.txt': 'd\n' });
    const wt = join(await tempDir(), 'wt');
    await createWorktree({ repo, path: wt, branch: 'gluon-task/d1', baseRef: 'main' });
    await writeFile(join(wt, 'a.txt'), 'changed\n');
    await rm(join(wt, 'del.txt'));
    await mkdir(join(wt, 'deep', 'er'), { recursive: true });
    await writeFile(join(wt, 'deep', 'er', 'odd\nname "q".txt'), 'x\n');
    raw(wt, ['mv', 'old.txt', 'new.txt']);
    const changes = await changedFiles(wt);
    expect(changes.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'a.txt', status: ' M', originalPath: null },
      { path: 'deep/er/odd\nname "q".txt', status: '??', originalPath: null },
      { path: 'del.txt', status: ' D', originalPath: null },
      { path: 'new.txt', status: 'R ', originalPath: 'old.txt' },
    ]);

    const refused = await removeWorktree({ repo, path: wt });
    expect(refused).toMatchObject({ ok: false, error: { type: 'dirty' } });
    expect(existsSync(join(wt, 'a.txt'))).toBe(true);
    await commitAll({ cwd: wt, message: 'done' });
    expect(await removeWorktree({ repo, path: wt })).toEqual({ ok: true });
    expect(existsSync(wt)).toBe(false);
    expect(raw(repo, ['rev-parse', '--verify', '--quiet', 'refs/heads/gluon-task/d1']).trim()).toMatch(
      /^[0-9a-f]{40}$/,
    );
  });
});

describe('a hostile repository', () => {
  const HOOKS = [
    'pre-commit',
    'prepare-commit-msg',
    'commit-msg',
    'post-commit',
    'post-checkout',
    'post-merge',
  ];
  const MORE_HOOKS = [
    'reference-transaction',
    'post-index-change',
    'pre-auto-gc',
    'post-rewrite',
    'pre-merge-commit',
  ];

  it('never runs its hooks, fsmonitor, filters, diff/merge drivers, pager or transport programs', async () => {
    const repo = await repoWith({
      'f.txt': 'base\n',
      'notes.md': 'n\n',
      '.gitattributes': '* filter=evil diff=evil merge=evil\n*.md filter=sneaky\n',
    });
    raw(repo, ['branch', 'side']);
    const sideWt = join(await tempDir(), 'side');
    raw(repo, ['worktree', 'add', '-q', sideWt, 'side']);
    await writeFile(join(sideWt, 'f.txt'), 'side\n');
    raw(sideWt, ['commit', '-q', '-am', 'side']);
    const origin = await repoWith({ 'o.txt': 'o\n' });

    // Arm it: every program-running setting points at a canary that logs its own name.
    const bin = await tempDir();
    const log = join(bin, 'canary.log');
    const canary = async (name: string, dir = bin) => {
      const file = join(dir, name);
      await writeFile(file, `#!/bin/sh\necho ${name} >> '${log}'\nexit 0\n`);
      await chmod(file, 0o755);
      return file;
    };
    await mkdir(join(bin, 'hooks'));
    for (const hook of [...HOOKS, ...MORE_HOOKS]) {
      await canary(hook, join(repo, '.git', 'hooks'));
      await canary(hook, join(bin, 'hooks'));
    }
    await writeFile(join(bin, 'extra.config'), `[filter "sneaky"]\n\tclean = ${await canary('sneaky')}\n`);
    const config: Array<[string, string]> = [
      ['core.hooksPath', join(bin, 'hooks')],
      ['core.fsmonitor', await canary('fsmonitor')],
      ['filter.evil.clean', await canary('filter-clean')],
      ['filter.evil.smudge', await canary('filter-smudge')],
      ['filter.evil.required', 'true'],
      ['include.path', join(bin, 'extra.config')],
      ['diff.external', await canary('diff-external')],
      ['diff.evil.command', await canary('diff-command')],
      ['diff.evil.textconv', await canary('textconv')],
      ['merge.evil.driver', `${await canary('merge-driver')} %O %A %B`],
      ['core.pager', await canary('pager')],
      ['core.editor', await canary('editor')],
      ['commit.gpgSign', 'true'],
      ['gpg.program', await canary('gpg')],
      ['log.showSignature', 'true'],
      ['credential.helper', await canary('credential')],
      ['remote.origin.url', origin],
      ['remote.origin.uploadpack', await canary('uploadpack')],
      ['gc.auto', '1'],
    ];
    for (const [key, value] of config) raw(repo, ['config', key, value]);

    const wt = join(await tempDir(), 'wt');
    await createWorktree({ repo, path: wt, branch: 'gluon-task/evil', baseRef: 'main' });
    await writeFile(join(wt, 'f.txt'), 'agent\n');
    await writeFile(join(wt, 'notes.md'), 'more\n');
    await writeFile(join(wt, 'new.txt'), 'new\n');
    await changedFiles(wt);
    const commit = await commitAll({ cwd: wt, message: 'agent work' });
    expect(commit).toMatchObject({ committed: true, files: ['f.txt', 'new.txt', 'notes.md'] });
    expect((await git(wt, ['show', 'HEAD:new.txt'])).stdout).toBe('new\n'); // stored as-is, no clean filter
    await listWorktrees(repo);
    expect((await git(wt, ['diff', 'HEAD~1', 'HEAD'])).stdout).toContain('+agent');
    await git(wt, ['log', '-p', '-2']);
    await git(wt, ['show', '--stat']);
    await git(wt, ['blame', 'f.txt']);
    const merge = await git(wt, ['merge', '--no-edit', 'side'], { allowFailure: true });
    expect(merge.code).not.toBe(0); // an emptied merge driver fails the merge instead of running
    expect(await headSha(wt)).toBe(commit.committed ? commit.sha : '');
    await git(repo, ['fetch', '-q', 'origin']);
    await git(repo, ['credential', 'fill'], {
      input: 'protocol=https\nhost=example.com\n\n',
      allowFailure: true,
    });
    expect(await removeWorktree({ repo, path: wt })).toEqual({ ok: true });

    expect(existsSync(log)).toBe(false);

    // Control: plain git on the same repository does run the canaries, so the absence above means something.
    const plain = (cwd: string, args: string[]) => {
      try {
        raw(cwd, args, 'protocol=https\nhost=example.com\n\n');
      } catch {
        // the canaries make several of these fail; only what they logged matters
      }
    };
    await writeFile(join(repo, 'f.txt'), 'user\n');
    await writeFile(join(repo, 'x.md'), 'x\n');
    plain(repo, ['status']);
    plain(repo, ['add', 'x.md', 'f.txt']);
    plain(repo, ['commit', '-q', '--no-gpg-sign', '-m', 'user']);
    plain(repo, ['diff', 'HEAD~1', 'HEAD']);
    plain(repo, ['fetch', 'origin']);
    plain(repo, ['credential', 'fill']);
    const ran = (await readFile(log, 'utf8')).split('\n');
    for (const name of ['fsmonitor', 'filter-clean', 'sneaky', 'pre-commit', 'uploadpack', 'credential']) {
      expect(ran).toContain(name);
    }
  });
});
