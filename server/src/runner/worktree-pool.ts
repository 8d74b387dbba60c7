/**
 * A few ready worktrees per repository, so that starting a task does not check a tree out: each is
 * registered with the repository, detached at the base commit, and clean. Handing one to a task moves its
 * directory to the task's path (`git worktree move`, a rename) and points its HEAD at a new branch made
 * at that same commit (`update-ref` + `symbolic-ref`): no file of the tree is written, whatever the size of
 * the repository. The slow checkout happens afterwards, in the background, for the next task, when the
 * caller asks for it (`fill`, once the task's agent is up).
 *
 * Rules:
 * - a pool worktree lives under its own directory (`<data dir>/worktree-pool`), never under the task
 *   worktrees, so the sweep and the startup reconciliation never see it as a task's;
 * - it is handed out only detached at exactly the requested commit and only after it was found clean
 *   when it became ready (nobody else writes under the pool directory); otherwise the caller checks out a
 *   worktree as before, and the pool refreshes that entry onto the new base in the background;
 * - the user's checkout is only read (the repository's worktree registry and refs are written, as by
 *   any `git worktree add`);
 * - every git call holds the repository lock, except filling a tree that is already registered and not
 *   ready (nobody else can hold it).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { git, isSafeRefName, scanConfig, sharedScan, type ConfigScan } from './git.js';
import { ownGitDir } from './git-refs.js';
import { retryOnLockFile, withRepoLock } from './repo-lock.js';
import { listWorktrees, type CreatedWorktree } from './worktrees.js';

interface Entry {
  path: string;
  sha: string;
}

interface RepoPool {
  ready: Entry[];
  /** Worktrees being made or refreshed. */
  busy: number;
  adopted: boolean;
}

/** A start asking for a ready worktree: at `target`, on the new `branch`, at `baseSha`. */
export interface ClaimInput {
  repo: string;
  target: string;
  branch: string;
  baseSha: string;
  /** The repository's config as the caller just read it (in `repo`), for the move (else it is read here). */
  scan?: ConfigScan;
}

export interface WorktreePool {
  /**
   * A ready worktree moved to `target` on the new branch `branch` at `baseSha`, or null (none ready at
   * that commit, or the branch exists): then the caller makes one the ordinary way. Nothing is refilled
   * here: the caller calls `fill` when a checkout no longer competes with what it starts.
   */
  claim(input: ClaimInput): Promise<CreatedWorktree | null>;
  /** Makes sure `size` worktrees at `baseSha` are ready or on their way (in the background). */
  fill(repo: string, baseSha: string): void;
  /** Resolves when no refill is in flight (tests, shutdown). */
  idle(): Promise<void>;
}

/** Whether a worktree has no change at all, untracked files included. */
async function isClean(dir: string): Promise<boolean> {
  const status = await git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all'], {
    allowFailure: true,
  });
  return status.code === 0 && status.stdout === '';
}

async function headOf(dir: string): Promise<string | null> {
  const r = await git(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFailure: true });
  return r.code === 0 ? r.stdout.trim() : null;
}

export function createWorktreePool(opts: {
  /** `<data dir>/worktree-pool`. */
  dir: string;
  /** Ready worktrees kept per repository (default 2). */
  size?: number;
  log?: (msg: string, err?: unknown) => void;
}): WorktreePool {
  const size = opts.size ?? 2;
  const repos = new Map<string, RepoPool>();
  const inflight = new Set<Promise<void>>();
  const poolOf = (repo: string) => {
    let p = repos.get(repo);
    if (!p) repos.set(repo, (p = { ready: [], busy: 0, adopted: false }));
    return p;
  };
  const background = (work: Promise<void>) => {
    const tracked = work.catch((err) => opts.log?.('preparing a ready worktree failed', err));
    inflight.add(tracked);
    tracked.finally(() => inflight.delete(tracked)).catch(() => undefined); // `tracked` never rejects
  };

  /** Detached pool worktrees a previous process left: ready again once found clean. */
  async function adopt(repo: string, p: RepoPool): Promise<void> {
    const root = path.resolve(opts.dir) + path.sep;
    for (const w of await listWorktrees(repo)) {
      if (!w.path.startsWith(root) || !w.detached || w.prunable || !w.head) continue;
      if (p.ready.some((e) => e.path === w.path)) continue;
      if (await isClean(w.path)) p.ready.push({ path: w.path, sha: w.head });
    }
  }

  /**
   * A new pool worktree: registered without a checkout under the lock, then filled outside it, both with
   * one read of the repository's config (the new tree has none of its own, unless an include may differ).
   */
  async function make(repo: string, baseSha: string): Promise<Entry> {
    const dir = path.join(opts.dir, randomBytes(6).toString('hex'));
    mkdirSync(opts.dir, { recursive: true });
    const found = await scanConfig(repo);
    const scan = 'entries' in found ? found : undefined;
    const add = ['worktree', 'add', '--detach', '--no-checkout', '--', dir, baseSha];
    await withRepoLock(repo, () => retryOnLockFile(() => git(repo, add, { scan })));
    await git(dir, ['reset', '--quiet', '--hard', baseSha], { scan: sharedScan(scan, dir) });
    return { path: dir, sha: baseSha };
  }

  /** Moves an entry onto `baseSha` (only the files that differ are written), or drops it if unusable. */
  async function refresh(entry: Entry, baseSha: string): Promise<Entry | null> {
    const moved = await git(entry.path, ['checkout', '--quiet', '--detach', baseSha], { allowFailure: true });
    if (moved.code !== 0 || (await headOf(entry.path)) !== baseSha || !(await isClean(entry.path)))
      return null;
    return { path: entry.path, sha: baseSha };
  }

  function fill(repo: string, baseSha: string): void {
    const p = poolOf(repo);
    if (!p.adopted) {
      p.adopted = true;
      p.busy++;
      background(
        adopt(repo, p).finally(() => {
          p.busy--;
          fill(repo, baseSha);
        }),
      );
      return;
    }
    const stale = p.ready.filter((e) => e.sha !== baseSha);
    p.ready = p.ready.filter((e) => e.sha === baseSha);
    for (const entry of stale) {
      p.busy++;
      background(
        refresh(entry, baseSha)
          .then((e) => void (e && p.ready.push(e)))
          .finally(() => p.busy--),
      );
    }
    while (p.ready.length + p.busy < size) {
      p.busy++;
      background(
        make(repo, baseSha)
          .then((e) => void p.ready.push(e))
          .finally(() => p.busy--),
      );
    }
  }

  async function claim(input: ClaimInput): Promise<CreatedWorktree | null> {
    if (!isSafeRefName(input.branch) || !/^[0-9a-f]{40,64}$/.test(input.baseSha)) return null;
    const p = poolOf(input.repo);
    const i = p.ready.findIndex((e) => e.sha === input.baseSha);
    const entry = i === -1 ? null : p.ready.splice(i, 1)[0]!;
    // A failed hand-over leaves the caller to make its worktree the ordinary way.
    if (!entry) return null;
    return withRepoLock(input.repo, () => handOver(input, entry)).catch((err: unknown) => {
      opts.log?.('handing out a ready worktree failed', err);
      return null;
    });
  }

  /**
   * Under the repository lock, side by side: make the branch (refused if it exists), point the pool
   * tree's HEAD at it, move the tree to the task's path. HEAD lives in the tree's admin directory in the
   * repository, where `symbolic-ref` runs: a move changes neither. A branch that exists already puts the
   * tree back where it was, detached again and ready; any other failure puts it back, removes the branch
   * if it was made here, and gives the tree up (the caller makes one the ordinary way).
   */
  async function handOver(input: ClaimInput, entry: Entry): Promise<CreatedWorktree | null> {
    const ref = `refs/heads/${input.branch}`;
    const adminDir = ownGitDir(entry.path);
    if (!adminDir) throw new Error(`the ready worktree ${entry.path} has no git directory`);
    const target = path.resolve(input.target);
    // `worktree move` into a directory that exists would move the tree inside it: leave that to the
    // caller's ordinary path, which refuses a path in use.
    if (existsSync(target)) {
      poolOf(input.repo).ready.push(entry);
      return null;
    }
    mkdirSync(path.dirname(target), { recursive: true });
    // The move's config scan: the caller's (git() takes it only when made in the repository), or its own.
    const move = (from: string, to: string) =>
      retryOnLockFile(() =>
        git(input.repo, ['worktree', 'move', '--', from, to], input.scan ? { scan: input.scan } : {}),
      );
    const [made, pointed, moved] = await Promise.allSettled([
      git(input.repo, ['update-ref', '-m', 'gluon: task branch', ref, input.baseSha, ''], {
        allowFailure: true,
      }),
      git(adminDir, ['symbolic-ref', '-m', 'gluon: task branch', 'HEAD', ref]),
      move(entry.path, target),
    ]);
    const failed = [made, pointed, moved].find((step) => step.status === 'rejected');
    const branchMade = made.status === 'fulfilled' && made.value.code === 0;
    if (!failed && branchMade) return { path: target, branch: input.branch, baseSha: input.baseSha };
    // Nothing of a failed hand-over stays at the task's path or names its branch: the tree goes back
    // where it was, detached again at its commit.
    if (moved.status === 'fulfilled') await move(target, entry.path);
    if (pointed.status === 'fulfilled')
      await git(entry.path, ['update-ref', '--no-deref', 'HEAD', entry.sha]);
    if (failed) {
      if (branchMade) await git(input.repo, ['update-ref', '-d', ref, input.baseSha], { allowFailure: true });
      throw (failed as PromiseRejectedResult).reason;
    }
    // The branch exists already: the tree stays ready.
    poolOf(input.repo).ready.push(entry);
    return null;
  }

  return {
    claim,
    fill,
    async idle() {
      while (inflight.size > 0) await Promise.all([...inflight]);
    },
  };
}
