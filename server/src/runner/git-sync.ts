/**
 * Before a task's first run: bring its base up to date with the remote (fetch, then fast-forward — a
 * diverged base is an error, never a merge), and decide what the user's uncommitted changes become. The
 * user's checkout is only read, except under the opt-in `autocommit` policy.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, isSafeRefName, scanConfig, type ConfigScan } from './git.js';
import { resolveIdentity } from './git-identity.js';
import {
  currentBranch,
  gitPaths,
  isAncestor,
  REMOTE,
  remoteUrl,
  resolveCommit,
  trackingRef,
} from './git-refs.js';
import { retryOnLockFile, withRepoLock } from './repo-lock.js';
import { changedFiles, listWorktrees } from './worktrees.js';
import { commitAll } from './git-commit.js';

export const UNCOMMITTED_POLICIES = ['ignore', 'snapshot', 'autocommit'] as const;
export type UncommittedPolicy = (typeof UNCOMMITTED_POLICIES)[number];

export type SyncErrorType = 'diverged' | 'unsafe_ref' | 'no_base';

export type SyncResult =
  | {
      ok: true;
      sha: string;
      fetched: boolean;
      fastForwarded: boolean;
      notes: string[];
      /** The repository's config as read at the start (the next calls on it may take it: `GitOptions.scan`). */
      scan?: ConfigScan;
    }
  | { ok: false; error: { type: SyncErrorType; message: string } };

const short = (sha: string) => sha.slice(0, 7);
const FETCH_TIMEOUT_MS = 2 * 60_000;

/**
 * Fetches `branch` from origin into its remote-tracking ref, under the repository lock. Returns null on
 * success, else git's last line of complaint (network down, branch gone): the caller decides.
 */
export async function fetchBranch(repo: string, branch: string): Promise<string | null> {
  if (!isSafeRefName(branch)) return `refusing branch name ${JSON.stringify(branch)}`;
  const refspec = `+refs/heads/${branch}:${trackingRef(branch)}`;
  const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', REMOTE, refspec];
  const result = await withRepoLock(repo, () =>
    retryOnLockFile(() => git(repo, args, { allowFailure: true, timeoutMs: FETCH_TIMEOUT_MS })),
  );
  return result.code === 0 ? null : result.stderr.trim().split('\n').at(-1) || `exit ${result.code}`;
}

/**
 * The commit a new task of `repo` starts from.
 * Rules: without a remote, the local branch; with one, fetch first (a failed fetch is a note, the local
 * branch is used); local == remote → local; local behind → the remote commit, and the local branch is
 * fast-forwarded (compare-and-swap) unless a checkout has it checked out (then it is left alone, so the
 * user's index never disagrees with their HEAD); local ahead → local; diverged → error.
 */
export async function syncBase(repo: string, branch: string): Promise<SyncResult> {
  if (!isSafeRefName(branch))
    return { ok: false, error: { type: 'unsafe_ref', message: `refusing base branch ${branch}` } };
  const notes: string[] = [];
  // The whole config rather than the remote's URL alone: the same one process, and what the worktree's
  // start reads next (a ready worktree's move) takes it instead of listing it again.
  const [local, listed] = await Promise.all([resolveCommit(repo, `refs/heads/${branch}`), scanConfig(repo)]);
  const scan = 'entries' in listed ? listed : undefined;
  const originUrl = await remoteUrl(repo, scan);
  const noBase = (): SyncResult => ({
    ok: false,
    error: { type: 'no_base', message: `the base branch ${branch} does not exist here nor on ${REMOTE}` },
  });
  if (originUrl === null)
    return local ? { ok: true, sha: local, fetched: false, fastForwarded: false, notes, scan } : noBase();
  const fetchError = await fetchBranch(repo, branch);
  if (fetchError !== null) {
    notes.push(
      `could not fetch ${branch} from ${REMOTE} (${fetchError}); the task starts from the local ${branch}`,
    );
    return local ? { ok: true, sha: local, fetched: false, fastForwarded: false, notes } : noBase();
  }
  const remote = await resolveCommit(repo, trackingRef(branch));
  const done = (sha: string, fastForwarded = false): SyncResult => ({
    ok: true,
    sha,
    fetched: true,
    fastForwarded,
    notes,
  });
  if (remote === null) return local ? done(local) : noBase();
  if (local === null || local === remote) return done(remote);
  if (await isAncestor(repo, local, remote)) {
    const holder = (await listWorktrees(repo)).find((w) => w.branch === branch);
    if (holder) {
      notes.push(
        `${branch} is checked out in ${holder.path} and behind ${REMOTE}/${branch}: the task starts from ` +
          `${REMOTE}/${branch} (${short(remote)}); that checkout is left as it is`,
      );
      return done(remote);
    }
    await withRepoLock(repo, () =>
      git(repo, [
        'update-ref',
        '-m',
        `gluon: fast-forward to ${REMOTE}/${branch}`,
        `refs/heads/${branch}`,
        remote,
        local!,
      ]),
    );
    notes.push(`fast-forwarded ${branch} from ${short(local)} to ${short(remote)}`);
    return done(remote, true);
  }
  if (await isAncestor(repo, remote, local)) {
    notes.push(
      `${branch} has commits not on ${REMOTE} yet; the task starts from the local ${branch} (${short(local)})`,
    );
    return done(local);
  }
  return {
    ok: false,
    error: {
      type: 'diverged',
      message:
        `${branch} (${short(local)}) and ${REMOTE}/${branch} (${short(remote)}) have diverged; Gluon does not merge ` +
        `them for you: pull or rebase ${branch} in your checkout, then start the task again`,
    },
  };
}

export interface CarryInput {
  repo: string;
  baseBranch: string;
  policy: UncommittedPolicy;
  /** The commit `syncBase` chose. */
  baseSha: string;
  taskId: string;
}

/**
 * Applies the uncommitted-changes policy to the user's checkout; returns the commit the task starts from.
 * Rules: a clean checkout, or one on another branch than the base, changes nothing; `ignore` only says
 * that the task starts from the last commit; `snapshot` carries tracked changes (staged and not) as a
 * commit on top of the checkout's HEAD built from `git stash create` run against a copy of the index, so
 * the checkout (files, index, HEAD, refs) is not written; `autocommit` commits everything on the user's
 * branch first (opt-in). Untracked files are only carried by `autocommit`.
 */
export async function carryUncommitted(input: CarryInput): Promise<{ sha: string; notes: string[] }> {
  const { repo, baseBranch, policy, baseSha, taskId } = input;
  const changes = await changedFiles(repo);
  if (changes.length === 0) return { sha: baseSha, notes: [] };
  const untracked = changes.filter((c) => c.status === '??').length;
  const tracked = changes.length - untracked;
  const onBranch = await currentBranch(repo);
  if (policy === 'ignore' || onBranch !== baseBranch) {
    const why =
      policy === 'ignore' ? '' : ` (your checkout is on ${onBranch ?? 'a detached HEAD'}, not ${baseBranch})`;
    return {
      sha: baseSha,
      notes: [
        `your checkout has ${changes.length} uncommitted change(s) that the task does not see${why}: it starts from the last commit ${short(baseSha)}`,
      ],
    };
  }
  const head = (await resolveCommit(repo, 'HEAD'))!;
  const rebaseNote =
    head === baseSha
      ? []
      : [
          `the task starts from your checkout's ${short(head)}; it is rebased onto ${short(baseSha)} after the run`,
        ];
  if (policy === 'autocommit') {
    const commit = await withRepoLock(repo, () =>
      commitAll({
        cwd: repo,
        message: `Uncommitted changes, committed by Gluon before task ${taskId}`,
        trailers: { 'Gluon-Task': taskId },
      }),
    );
    if (!commit.committed) return { sha: baseSha, notes: [] };
    return {
      sha: commit.sha,
      notes: [
        `committed ${commit.files.length} uncommitted file(s) on ${baseBranch} as ${short(commit.sha)} (autocommit policy)`,
        ...rebaseNote,
      ],
    };
  }
  const untrackedNote = untracked
    ? [`${untracked} untracked file(s) were not carried (stage them, or list them in worktreeInclude)`]
    : [];
  const snapshot = tracked ? await snapshotCheckout(repo, head, taskId) : null;
  if (snapshot === null) return { sha: baseSha, notes: untrackedNote };
  return {
    sha: snapshot,
    notes: [
      `carried ${tracked} uncommitted change(s) from your checkout into the task as ${short(snapshot)}; your checkout is untouched`,
      ...untrackedNote,
      ...rebaseNote,
    ],
  };
}

/** `git stash create` against a copy of the index, re-parented as a plain commit on `head`; null if empty. */
async function snapshotCheckout(repo: string, head: string, taskId: string): Promise<string | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gluon-stash-'));
  try {
    const index = path.join(dir, 'index');
    const [real] = (await gitPaths(repo, ['index'])) as [string];
    if (existsSync(real)) await copyFile(real, index);
    const env = { ...(await resolveIdentity(repo)).env, GIT_INDEX_FILE: index };
    if (!existsSync(real)) await git(repo, ['read-tree', head], { env });
    const stash = (await git(repo, ['stash', 'create'], { env })).stdout.trim();
    if (stash === '') return null;
    const message = `Uncommitted changes carried into Gluon task ${taskId}\n\nGluon-Task: ${taskId}\n`;
    const args = ['commit-tree', '--no-gpg-sign', '-p', head, '-F', '-', `${stash}^{tree}`];
    return (await git(repo, args, { env, input: message })).stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
