import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { changesSince } from './git-progress.js';
import { pushTaskBranch, rebaseOnto } from './git-publish.js';
import { includedFiles } from './included-files.js';
import { snapshotUncommitted } from './snapshots.js';
import {
  commitFiles,
  createDirs,
  raw,
  repoWith,
  sha,
  withRemote,
  writeFiles,
} from './testing/git-fixtures.js';
import { copyIncludedFiles } from './worktree-include.js';
import { changedFiles, createWorktree, removeWorktree } from './worktrees.js';
import { commitAll } from './git-commit.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

const SECRET = 'API_KEY=canary-0123456789\n';

/** A repository that does not ignore `.env`, with a remote, and a task worktree seeded with its `.env`. */
async function seeded(id: string) {
  const repo = await repoWith(dirs, { 'README.md': '# r\n' });
  const { remote, other } = await withRemote(dirs, repo);
  await writeFiles(repo, { '.env': SECRET, 'config/dev.local.json': '{}\n' });
  const wt = join(await dirs.make(), `wt-${id}`);
  const branch = `gluon-task/${id}`;
  await createWorktree({ repo, path: wt, branch, baseRef: 'main' });
  const copied = await copyIncludedFiles(repo, wt, ['.env', 'config/*.local.json']);
  expect(copied.copied).toEqual(['.env', 'config/dev.local.json']);
  return { repo, remote, other, wt, branch };
}

/** Every path in every commit of `ref` in `repo` (the whole history, not just the tip). */
const pathsInHistory = (repo: string, ref: string) =>
  raw(repo, ['log', '--format=', '--name-only', ref]).split('\n').filter(Boolean);

describe('files copied by worktreeInclude', () => {
  it('are recorded with their checksum in the worktree’s own git directory', async () => {
    const t = await seeded('inc01');
    const files = await includedFiles(t.wt);
    expect(files.map((f) => f.path)).toEqual(['.env', 'config/dev.local.json']);
    expect(files[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await includedFiles(t.repo)).toEqual([]);
  });

  it('are never committed, even staged by the agent, and are not the agent’s changes', async () => {
    const t = await seeded('inc02');
    const start = sha(t.wt, 'HEAD');
    await writeFile(join(t.wt, 'work.txt'), 'agent work\n');
    raw(t.wt, ['add', '.env']);
    expect(await changedFiles(t.wt)).toEqual([{ path: 'work.txt', status: '??', originalPath: null }]);
    expect((await changesSince(t.wt, start)).files).toEqual(['work.txt']);
    const commit = await commitAll({ cwd: t.wt, message: 'agent work' });
    expect(commit).toMatchObject({ committed: true, files: ['work.txt'] });
    expect(pathsInHistory(t.wt, 'HEAD')).not.toContain('.env');
    expect(await readFile(join(t.wt, '.env'), 'utf8')).toBe(SECRET);
    expect(await commitAll({ cwd: t.wt, message: 'nothing else' })).toEqual({ committed: false });
  });

  it('do not keep the branch from being rebased, and are pushed nowhere', async () => {
    const t = await seeded('inc03');
    await writeFile(join(t.wt, 'work.txt'), 'w\n');
    await commitAll({ cwd: t.wt, message: 'agent work' });
    await commitFiles(t.other, { 'upstream.txt': 'u\n' }, 'upstream');
    raw(t.other, ['push', '-q', 'origin', 'main']);
    raw(t.repo, ['fetch', '-q', 'origin']);
    expect(await rebaseOnto(t.wt, 'refs/remotes/origin/main')).toMatchObject({ ok: true, rebased: true });
    const push = await pushTaskBranch(t.repo, t.branch, 'main', t.wt);
    expect(push).toMatchObject({ ok: true, updated: true });
    expect(pathsInHistory(t.remote, t.branch)).toContain('work.txt');
    expect(pathsInHistory(t.remote, t.branch)).not.toContain('.env');
  });

  it('stop a push when the agent committed one itself', async () => {
    const t = await seeded('inc04');
    raw(t.wt, ['add', '-A']);
    raw(t.wt, ['commit', '-q', '-m', 'agent commits everything']);
    const push = await pushTaskBranch(t.repo, t.branch, 'main', t.wt);
    expect(push).toMatchObject({ ok: false, error: { type: 'copied_file' } });
    expect(!push.ok && push.error.message).toMatch(/contains \.env|contains config\/dev\.local\.json/);
    expect(raw(t.remote, ['branch', '--list', t.branch]).trim()).toBe('');
  });

  it('stay out of snapshots, and go with the worktree unless the agent changed them', async () => {
    const t = await seeded('inc05');
    await writeFile(join(t.wt, 'draft.txt'), 'uncommitted\n');
    const snap = await snapshotUncommitted(t.wt, 'inc05');
    expect(raw(t.repo, ['ls-tree', '-r', '--name-only', snap!.sha]).split('\n')).not.toContain('.env');
    await rename(join(t.wt, 'draft.txt'), join(await dirs.make(), 'draft.txt'));
    await writeFile(join(t.wt, 'config', 'dev.local.json'), '{"changed":true}\n');
    expect(await removeWorktree({ repo: t.repo, path: t.wt })).toMatchObject({ ok: false });
    expect(existsSync(join(t.repo, '.env'))).toBe(true);
    await writeFile(join(t.wt, 'config', 'dev.local.json'), '{}\n');
    expect(await removeWorktree({ repo: t.repo, path: t.wt })).toEqual({ ok: true });
    expect(existsSync(t.wt)).toBe(false);
    expect(await readFile(join(t.repo, '.env'), 'utf8')).toBe(SECRET);
  });

  it('never lead a deletion out of the worktree through a swapped directory', async () => {
    const t = await seeded('inc06');
    const elsewhere = await dirs.make();
    await mkdir(join(elsewhere, 'config'));
    await writeFile(join(elsewhere, 'config', 'dev.local.json'), '{}\n');
    await rename(join(t.wt, 'config'), join(elsewhere, 'moved'));
    await symlink(join(elsewhere, 'config'), join(t.wt, 'config'));
    await removeWorktree({ repo: t.repo, path: t.wt });
    expect(await readFile(join(elsewhere, 'config', 'dev.local.json'), 'utf8')).toBe('{}\n');
  });
});
