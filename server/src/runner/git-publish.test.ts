import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { operationInProgress, pushTaskBranch, rebaseOnto } from './git-publish.js';
import { resolveCommits } from './git-refs.js';
import { fetchBranch } from './git-sync.js';
import { commitFiles, createDirs, raw, repoWith, sha, withRemote } from './testing/git-fixtures.js';
import { createWorktree } from './worktrees.js';
import { commitAll } from './git-commit.js';

const dirs = createDirs();
afterAll(() => dirs.cleanup());

/** A project with a remote and a task worktree that committed `files`. */
async function taskWith(files: Record<string, string>, id = 'task1') {
  const repo = await repoWith(dirs, { 'shared.txt': 'line 1\nline 2\nline 3\n' });
  const { remote, other } = await withRemote(dirs, repo);
  const wt = join(await dirs.make(), `wt-${id}`);
  const branch = `gluon-task/${id}`;
  await createWorktree({ repo, path: wt, branch, baseRef: 'main' });
  for (const [name, content] of Object.entries(files)) await writeFile(join(wt, name), content);
  const commit = await commitAll({ cwd: wt, message: 'agent work', trailers: { 'Gluon-Task': id } });
  return { repo, remote, other, wt, branch, taskSha: commit.committed ? commit.sha : '' };
}

describe('rebase onto a moved base, then push (all verified by sha)', () => {
  it('fetches the moved base, rebases the task onto it and pushes the result', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    const moved = await commitFiles(t.other, { 'upstream.txt': 'u\n' }, 'upstream');
    raw(t.other, ['push', '-q', 'origin', 'main']);
    expect(await fetchBranch(t.repo, 'main')).toBeNull();
    expect(sha(t.repo, 'refs/remotes/origin/main')).toBe(moved);

    const rebase = await rebaseOnto(t.wt, 'refs/remotes/origin/main');
    expect(rebase).toMatchObject({ ok: true, rebased: true, onto: moved });
    const head = sha(t.wt, 'HEAD');
    expect(rebase.ok && rebase.head).toBe(head);
    expect(sha(t.repo, t.branch)).toBe(head);
    expect(raw(t.repo, ['rev-parse', `${head}^`]).trim()).toBe(moved);
    expect(raw(t.repo, ['show', `${head}:feature.txt`])).toBe('agent\n');
    expect(raw(t.repo, ['log', '-1', '--format=%B', head])).toContain('Gluon-Task: task1');

    const push = await pushTaskBranch(t.repo, t.branch, 'main');
    expect(push).toEqual({ ok: true, sha: head, updated: true });
    expect(raw(t.remote, ['rev-parse', `refs/heads/${t.branch}`]).trim()).toBe(head);
    expect(raw(t.remote, ['rev-parse', 'refs/heads/main']).trim()).toBe(moved); // main on the remote untouched
    expect(await pushTaskBranch(t.repo, t.branch, 'main')).toEqual({ ok: true, sha: head, updated: false });
  });

  it('a base that did not move is nothing to do', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    expect(await rebaseOnto(t.wt, 'main')).toEqual({
      ok: true,
      rebased: false,
      head: t.taskSha,
      onto: sha(t.repo, 'main'),
    });
  });

  it('takes the caller’s ids and its word that the base is in HEAD; a "no" is checked again on the ids', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    const [onto, head] = await resolveCommits(t.wt, ['main', 'HEAD']);
    const still = { ok: true, rebased: false, head: t.taskSha, onto: sha(t.repo, 'main') };
    expect(await rebaseOnto(t.wt, 'main', { ids: { onto, head, ontoInHead: false } })).toEqual(still);
    expect(await rebaseOnto(t.wt, 'main', { ids: { onto, head, ontoInHead: true } })).toEqual(still);
    // The base moves: a "no" read beside the ids leads to the rebase.
    const moved = await commitFiles(t.repo, { 'base.txt': 'b\n' }, 'base moved');
    const ids = { onto: moved, head: t.taskSha, ontoInHead: false };
    expect(await rebaseOnto(t.wt, 'main', { ids })).toMatchObject({ ok: true, rebased: true, onto: moved });
    expect(raw(t.repo, ['rev-parse', `${sha(t.wt, 'HEAD')}^`]).trim()).toBe(moved);
  });

  it("rewrites the branch only once beforeRewrite settles (the caller still reads the run's commits)", async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    const moved = await commitFiles(t.repo, { 'upstream.txt': 'u\n' }, 'upstream');
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    let settled = false;
    const rebasing = rebaseOnto(t.wt, 'main', { beforeRewrite: gate }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    expect(sha(t.wt, 'HEAD')).toBe(t.taskSha);
    release();
    expect(await rebasing).toMatchObject({ ok: true, rebased: true, onto: moved });
    expect(raw(t.repo, ['rev-parse', `${sha(t.wt, 'HEAD')}^`]).trim()).toBe(moved);
  });

  it('a second push after a rebase replaces our own earlier push (force-with-lease)', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    expect(await pushTaskBranch(t.repo, t.branch, 'main')).toMatchObject({ ok: true, sha: t.taskSha });
    await commitFiles(t.other, { 'upstream.txt': 'u\n' });
    raw(t.other, ['push', '-q', 'origin', 'main']);
    await fetchBranch(t.repo, 'main');
    await rebaseOnto(t.wt, 'refs/remotes/origin/main');
    const push = await pushTaskBranch(t.repo, t.branch, 'main');
    expect(push).toMatchObject({ ok: true, updated: true });
    expect(raw(t.remote, ['rev-parse', `refs/heads/${t.branch}`]).trim()).toBe(sha(t.wt, 'HEAD'));
  });

  it('never overwrites commits someone else pushed to the task branch', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    await pushTaskBranch(t.repo, t.branch, 'main');
    raw(t.other, ['fetch', '-q', 'origin']);
    raw(t.other, ['checkout', '-q', '-b', 'review-fix', `origin/${t.branch}`]);
    const theirs = await commitFiles(t.other, { 'fix.txt': 'f\n' });
    raw(t.other, ['push', '-q', 'origin', `HEAD:refs/heads/${t.branch}`]);
    await writeFile(join(t.wt, 'more.txt'), 'more\n');
    await commitAll({ cwd: t.wt, message: 'more' });
    const push = await pushTaskBranch(t.repo, t.branch, 'main');
    expect(push).toMatchObject({ ok: false, error: { type: 'stale_lease' } });
    expect(raw(t.remote, ['rev-parse', `refs/heads/${t.branch}`]).trim()).toBe(theirs);
  });
});

describe('a conflicting change on the base', () => {
  it('aborts cleanly and reports the conflicted files; branch and worktree are as before', async () => {
    const t = await taskWith({ 'shared.txt': 'line 1\nagent line 2\nline 3\n', 'other.txt': 'o\n' });
    await commitFiles(t.other, { 'shared.txt': 'line 1\nupstream line 2\nline 3\n' });
    raw(t.other, ['push', '-q', 'origin', 'main']);
    await fetchBranch(t.repo, 'main');
    const result = await rebaseOnto(t.wt, 'refs/remotes/origin/main');
    expect(result).toMatchObject({ ok: false, error: { type: 'conflict', files: ['shared.txt'] } });
    expect(sha(t.wt, 'HEAD')).toBe(t.taskSha);
    expect(sha(t.repo, t.branch)).toBe(t.taskSha);
    expect(raw(t.wt, ['status', '--porcelain'])).toBe('');
    expect(await operationInProgress(t.wt)).toBeNull();
    const gitDir = raw(t.wt, ['rev-parse', '--absolute-git-dir']).trim();
    for (const leftover of ['rebase-merge', 'rebase-apply', 'MERGE_HEAD', 'AUTO_MERGE'])
      expect(existsSync(join(gitDir, leftover))).toBe(false);
  });

  it('leaves an operation the agent started alone', async () => {
    const t = await taskWith({ 'shared.txt': 'line 1\nagent line 2\nline 3\n' });
    await commitFiles(t.other, { 'shared.txt': 'line 1\nupstream line 2\nline 3\n' });
    raw(t.other, ['push', '-q', 'origin', 'main']);
    await fetchBranch(t.repo, 'main');
    try {
      raw(t.wt, ['rebase', 'origin/main']);
    } catch {
      // the agent's own rebase stops on the conflict
    }
    expect(await rebaseOnto(t.wt, 'refs/remotes/origin/main')).toMatchObject({
      ok: false,
      error: { type: 'in_progress' },
    });
    expect(await operationInProgress(t.wt)).toBe('rebase-merge');
  });
});

describe('pushTaskBranch refuses anything but a task branch', () => {
  let shared: ReturnType<typeof taskWith> | undefined;
  it.each([
    'main',
    'develop',
    'gluon-task',
    'gluon-task/ABC',
    'gluon-task/x',
    '-f',
    '--mirror',
    'gluon-task/abcd;touch x',
    'gluon-task/abcd:refs/heads/main',
    '+gluon-task/abcd',
    'refs/heads/main',
  ])('refuses %j', async (branch) => {
    const t = await (shared ??= taskWith({ 'feature.txt': 'a\n' }, 'refuse1'));
    const before = raw(t.remote, ['for-each-ref']);
    expect(await pushTaskBranch(t.repo, branch, 'main')).toMatchObject({
      ok: false,
      error: { type: 'refused_branch' },
    });
    expect(raw(t.remote, ['for-each-ref'])).toBe(before);
    expect(existsSync(join(t.repo, 'x'))).toBe(false);
  });

  it('refuses the default branch even when it is named like a task branch', async () => {
    const t = await taskWith({ 'feature.txt': 'a\n' }, 'dflt1');
    expect(await pushTaskBranch(t.repo, t.branch, t.branch)).toMatchObject({
      ok: false,
      error: { type: 'refused_branch' },
    });
  });
});

describe('the reads a publish starts with', () => {
  it('resolveCommits answers for every ref, a missing one or one shadowed by a file included', async () => {
    const t = await taskWith({ 'feature.txt': 'agent\n' });
    const main = sha(t.repo, 'main');
    expect(await resolveCommits(t.wt, ['main', 'HEAD'])).toEqual([main, t.taskSha]);
    expect(await resolveCommits(t.wt, ['refs/heads/nope', 'HEAD'])).toEqual([null, t.taskSha]);
    // A file whose name is the argument git is given: still read as a revision.
    await writeFile(join(t.wt, 'main^{commit}'), 'x\n');
    expect(await resolveCommits(t.wt, ['main', 'HEAD'])).toEqual([main, t.taskSha]);
  });

  it('operationInProgress sees a merge stopped on a conflict in a checkout, from its top or below', async () => {
    const repo = await repoWith(dirs, { 'shared.txt': 'base\n', 'sub/keep.txt': 'k\n' });
    raw(repo, ['checkout', '-q', '-b', 'side']);
    await commitFiles(repo, { 'shared.txt': 'side\n' });
    raw(repo, ['checkout', '-q', 'main']);
    await commitFiles(repo, { 'shared.txt': 'main\n' });
    expect(await operationInProgress(repo)).toBeNull();
    try {
      raw(repo, ['merge', '-q', 'side']);
    } catch {
      // stops on the conflict
    }
    expect(await operationInProgress(repo)).toBe('MERGE_HEAD');
    expect(await operationInProgress(join(repo, 'sub'))).toBe('MERGE_HEAD');
  });
});
