import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scanConfig } from './git.js';
import { gitTrace } from './testing/git-fixtures.js';
import { createWorktreePool } from './worktree-pool.js';

const dirs: string[] = [];

/** Plain git for fixtures and checks, deliberately not through the code under test. */
function raw(cwd: string, args: string[]): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.com',
    GIT_COMMITTER_NAME: 'Fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.com',
  };
  return execFileSync('git', args, { cwd, encoding: 'utf8', env, stdio: 'pipe' }).trim();
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gluon-pool-'));
  dirs.push(dir);
  return dir;
}

/** A repository on main with a few files, an uncommitted change of the user's, and a data directory. */
async function setup() {
  const repo = await tempDir();
  raw(repo, ['init', '-q', '-b', 'main']);
  for (let i = 0; i < 5; i++) await writeFile(join(repo, `f${i}.txt`), `file ${i}\n`);
  raw(repo, ['add', '-A']);
  raw(repo, ['commit', '-q', '-m', 'init']);
  await writeFile(join(repo, 'f0.txt'), 'the user is editing this\n');
  const home = await tempDir();
  return {
    repo,
    home,
    base: raw(repo, ['rev-parse', 'HEAD']),
    userStatus: raw(repo, ['status', '--porcelain']),
  };
}

/** The worktrees of `repo` under a pool directory, as git lists them. */
function poolPaths(repo: string): string[] {
  return raw(repo, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((l) => l.startsWith('worktree ') && l.includes('worktree-pool'))
    .map((l) => l.slice('worktree '.length));
}

/** A pool of one worktree, filled and ready, on a fresh repository (setup()). */
async function readyPool() {
  const fixture = await setup();
  const pool = createWorktreePool({ dir: join(fixture.home, 'worktree-pool'), size: 1 });
  pool.fill(fixture.repo, fixture.base);
  await pool.idle();
  return { ...fixture, pool };
}

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('worktree pool', () => {
  it('hands out a ready worktree on a new branch at the base, clean, and leaves the user’s checkout alone', async () => {
    const { repo, home, base, userStatus } = await setup();
    const pool = createWorktreePool({ dir: join(home, 'worktree-pool'), size: 1 });
    const target = join(home, 'worktrees', 'wt-a');
    // Nothing is ready at first: the caller makes its own worktree, and the pool fills behind it.
    expect(await pool.claim({ repo, target, branch: 'gluon-task/a', baseSha: base })).toBeNull();
    pool.fill(repo, base);
    await pool.idle();
    const wt = await pool.claim({ repo, target, branch: 'gluon-task/a', baseSha: base });
    expect(wt).toEqual({ path: target, branch: 'gluon-task/a', baseSha: base });
    expect(raw(target, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/gluon-task/a');
    expect(raw(target, ['rev-parse', 'HEAD'])).toBe(base);
    expect(raw(target, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(existsSync(join(target, 'f4.txt'))).toBe(true);
    expect(raw(repo, ['status', '--porcelain'])).toBe(userStatus);
    expect(raw(repo, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');
    await pool.idle();
  });

  it('moves a worktree it hands out under the caller’s scan of the config, when given one', async () => {
    const { repo, home, base, pool } = await readyPool();
    const listed = await scanConfig(repo);
    if (!('entries' in listed)) throw new Error(`the config could not be listed: ${listed.stderr}`);
    // A scan the pool could not have made itself: git traces what runs under it.
    const trace = join(home, 'trace.txt');
    const scan = { ...listed, env: { ...listed.env, GIT_TRACE: trace } };
    const target = join(home, 'worktrees', 'wt-s');
    const wt = await pool.claim({ repo, target, branch: 'gluon-task/s', baseSha: base, scan });
    expect(wt).toEqual({ path: target, branch: 'gluon-task/s', baseSha: base });
    expect(readFileSync(trace, 'utf8')).toMatch(/worktree.*move/);
    // A scan made in another directory is not the repository's: the pool reads its own.
    const other = { ...scan, cwd: home, env: { ...scan.env, GIT_TRACE: join(home, 'other.txt') } };
    pool.fill(repo, base);
    await pool.idle();
    const next = join(home, 'worktrees', 'wt-t');
    expect(
      await pool.claim({ repo, target: next, branch: 'gluon-task/t', baseSha: base, scan: other }),
    ).toEqual({
      path: next,
      branch: 'gluon-task/t',
      baseSha: base,
    });
    expect(existsSync(join(home, 'other.txt'))).toBe(false);
    await pool.idle();
  });

  it("fills a worktree with one read of the repository's config, under which its filters still do not run", async () => {
    const { repo, home } = await setup();
    const canary = join(home, 'canary');
    raw(repo, ['config', 'filter.evil.smudge', `touch ${canary}; cat`]);
    await writeFile(join(repo, '.gitattributes'), '* filter=evil\n');
    raw(repo, ['add', '.gitattributes']);
    raw(repo, ['commit', '-q', '-m', 'attributes']);
    const base = raw(repo, ['rev-parse', 'HEAD']);
    const scans = (lines: string[]) => lines.filter((l) => l.includes('config -z --list')).length;
    const fill = (name: string) => {
      const pool = createWorktreePool({ dir: join(home, name), size: 1 });
      return gitTrace(async () => {
        pool.fill(repo, base);
        await pool.idle();
      });
    };
    expect(scans(await fill('pool-a'))).toBe(1);
    expect(existsSync(canary)).toBe(false);
    // An include may read differently in the new tree (gitdir, onbranch): it reads its own.
    raw(repo, ['config', 'include.path', join(home, 'none.cfg')]);
    expect(scans(await fill('pool-b'))).toBe(2);
    expect(existsSync(canary)).toBe(false);
  });

  it('a claim leaves the refill to the caller, who fills when the agent is up', async () => {
    const { repo, home, base } = await setup();
    const pool = createWorktreePool({ dir: join(home, 'worktree-pool'), size: 1 });
    const claim = (name: string) =>
      pool.claim({
        repo,
        target: join(home, 'worktrees', `wt-${name}`),
        branch: `gluon-task/${name}`,
        baseSha: base,
      });
    expect(await claim('a')).toBeNull();
    await pool.idle();
    // Nothing was made behind the miss: the next claim misses too.
    expect(await claim('b')).toBeNull();
    pool.fill(repo, base);
    await pool.idle();
    expect((await claim('c'))?.branch).toBe('gluon-task/c');
    await pool.idle();
    // Nor behind a hit.
    expect(await claim('d')).toBeNull();
  });

  it('refreshes its worktrees when the base moves and never hands out one at an old commit', async () => {
    const { repo, home, pool } = await readyPool();
    raw(repo, ['commit', '-q', '--allow-empty', '-m', 'moved']);
    const moved = raw(repo, ['rev-parse', 'HEAD']);
    const target = join(home, 'worktrees', 'wt-b');
    expect(await pool.claim({ repo, target, branch: 'gluon-task/b', baseSha: moved })).toBeNull();
    pool.fill(repo, moved);
    await pool.idle();
    const wt = await pool.claim({ repo, target, branch: 'gluon-task/b', baseSha: moved });
    expect(wt?.baseSha).toBe(moved);
    expect(raw(target, ['rev-parse', 'HEAD'])).toBe(moved);
    await pool.idle();
  });

  it('after a restart takes back only clean pool worktrees', async () => {
    const { repo, home, base } = await setup();
    const dir = join(home, 'worktree-pool');
    const first = createWorktreePool({ dir, size: 2 });
    first.fill(repo, base);
    await first.idle();
    const pooled = poolPaths(repo);
    expect(pooled).toHaveLength(2);
    writeFileSync(join(pooled[0]!, 'f1.txt'), 'dirty\n');
    const second = createWorktreePool({ dir, size: 2 });
    second.fill(repo, base);
    await second.idle();
    for (const name of ['c', 'd']) {
      const target = join(home, 'worktrees', `wt-${name}`);
      const wt = await second.claim({ repo, target, branch: `gluon-task/${name}`, baseSha: base });
      expect(wt?.path).toBe(target);
      expect(raw(target, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
      await second.idle();
    }
    expect(existsSync(pooled[0]!)).toBe(true);
  });

  it('gives nothing for a branch that exists already, and keeps its worktree ready', async () => {
    const { repo, home, base, pool } = await readyPool();
    const pooled = poolPaths(repo);
    raw(repo, ['branch', 'gluon-task/e', base]);
    const target = join(home, 'worktrees', 'wt-e');
    expect(await pool.claim({ repo, target, branch: 'gluon-task/e', baseSha: base })).toBeNull();
    expect(existsSync(target)).toBe(false);
    // Back where it was, detached again at the base, clean; the branch that was there is left alone.
    expect(poolPaths(repo)).toEqual(pooled);
    expect(raw(pooled[0]!, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('HEAD');
    expect(raw(pooled[0]!, ['rev-parse', 'HEAD'])).toBe(base);
    expect(raw(pooled[0]!, ['status', '--porcelain', '--untracked-files=all'])).toBe('');
    expect(raw(repo, ['rev-parse', 'refs/heads/gluon-task/e'])).toBe(base);
    const other = await pool.claim({ repo, target, branch: 'gluon-task/f', baseSha: base });
    expect(other?.path).toBe(target);
    await pool.idle();
  });

  it('puts the tree back and removes the branch it made when a step of the hand-over fails', async () => {
    const { repo, home, base, pool } = await readyPool();
    const [pooled] = poolPaths(repo);
    // Another git holds the tree's HEAD: pointing it at the new branch fails, while the branch is made
    // and the tree moved beside it.
    const headLock = join(raw(pooled!, ['rev-parse', '--absolute-git-dir']), 'HEAD.lock');
    writeFileSync(headLock, '');
    const target = join(home, 'worktrees', 'wt-g');
    expect(await pool.claim({ repo, target, branch: 'gluon-task/g', baseSha: base })).toBeNull();
    expect(existsSync(target)).toBe(false);
    expect(poolPaths(repo)).toEqual([pooled]);
    expect(raw(repo, ['branch', '--list', 'gluon-task/g'])).toBe('');
    expect(raw(pooled!, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('HEAD');
  });

  it('detaches the tree again and removes the branch when the move fails', async () => {
    const { repo, home, base, pool } = await readyPool();
    const [pooled] = poolPaths(repo);
    // A locked worktree cannot be moved: the branch is made and HEAD pointed at it, the move fails.
    raw(repo, ['worktree', 'lock', '--', pooled!]);
    const target = join(home, 'worktrees', 'wt-h');
    expect(await pool.claim({ repo, target, branch: 'gluon-task/h', baseSha: base })).toBeNull();
    expect(existsSync(target)).toBe(false);
    expect(poolPaths(repo)).toEqual([pooled]);
    expect(raw(pooled!, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('HEAD');
    expect(raw(pooled!, ['rev-parse', 'HEAD'])).toBe(base);
    expect(raw(repo, ['branch', '--list', 'gluon-task/h'])).toBe('');
  });

  it('hands nothing out to a path that exists (a move would put the tree inside it) and keeps it ready', async () => {
    const { repo, home, base, pool } = await readyPool();
    const target = join(home, 'worktrees', 'wt-i');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'mine.txt'), 'not a worktree\n');
    expect(await pool.claim({ repo, target, branch: 'gluon-task/i', baseSha: base })).toBeNull();
    expect(readdirSync(target)).toEqual(['mine.txt']);
    expect(raw(repo, ['branch', '--list', 'gluon-task/i'])).toBe('');
    const other = join(home, 'worktrees', 'wt-j');
    expect((await pool.claim({ repo, target: other, branch: 'gluon-task/j', baseSha: base }))?.path).toBe(
      other,
    );
    await pool.idle();
  });
});
