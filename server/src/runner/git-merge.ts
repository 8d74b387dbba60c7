/**
 * Landing a task's rebased work on its base branch (the merge queue): the new tip is the task's head
 * (fast-forward) or a merge commit made without a checkout (`commit-tree`, the head's tree, since the head
 * already contains the base); the base then moves by compare-and-swap (`update-ref <new> <old>`) and is
 * pushed to origin without force (only a fast-forward is accepted). No working tree is written.
 */
import type { MergeMethod } from '../../../shared/merge.js';
import { git, isSafeRefName } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { isAncestor, REMOTE, resolveCommit, trackingRef } from './git-refs.js';
import { retryOnLockFile, withRepoLock } from './repo-lock.js';
import { listWorktrees } from './worktrees.js';

export type LandResult =
  | { ok: true; sha: string; pushed: boolean; notes: string[] }
  | { ok: false; error: { type: 'moved' | 'push_failed' | 'unsafe_ref' | 'checked_out'; message: string } };

export interface LandInput {
  repo: string;
  /** The branch the work lands on (`main`). */
  branch: string;
  /** The base tip the head was rebased onto and verified against. */
  base: string;
  /** The rebased, verified head. */
  head: string;
  method: MergeMethod;
  /** The merge commit's message (merge-commit only). */
  message: string;
  /** Push to origin (the base lives there); else the local branch is the base. */
  push: boolean;
}

const short = (sha: string) => sha.slice(0, 7);

/** The commit that becomes the base's tip. Rules: fast-forward → the head itself; else a merge commit. */
async function newTip(i: LandInput): Promise<string> {
  if (i.method === 'fast-forward') return i.head;
  const { env } = await resolveIdentity(i.repo);
  const args = ['commit-tree', `${i.head}^{tree}`, '-p', i.base, '-p', i.head, '-m', i.message];
  return (await git(i.repo, args, { env })).stdout.trim();
}

/**
 * Makes `head` (or a merge of it) the tip of `branch`.
 * Rules: the head must contain the base (it was rebased onto it); with `push`, origin's branch moves by a
 * plain push (a base someone moved meanwhile refuses it: `moved`), then the remote-tracking ref and, when
 * it was at the old base or behind and no checkout has it checked out, the local branch follow (else a
 * note says to pull); without `push`, the local branch is the base: it moves from exactly `base` (else
 * `moved`), and never while a checkout has it checked out (`checked_out`): moving it there would leave
 * that checkout's files and index behind its HEAD, and its next commit would undo the merge.
 */
export async function landOnBase(i: LandInput): Promise<LandResult> {
  if (!isSafeRefName(i.branch))
    return { ok: false, error: { type: 'unsafe_ref', message: `refusing branch ${i.branch}` } };
  if (!(await isAncestor(i.repo, i.base, i.head)))
    return { ok: false, error: { type: 'moved', message: 'the head does not contain the base' } };
  const ref = `refs/heads/${i.branch}`;
  const holder = (await listWorktrees(i.repo)).find((w) => w.branch === i.branch);
  if (holder && !i.push)
    return {
      ok: false,
      error: {
        type: 'checked_out',
        message:
          `${i.branch} is checked out in ${holder.path}, and Gluon does not move a branch under a checkout ` +
          `(it never writes your files): switch that checkout to another branch or detach it ` +
          `(\`git switch --detach\`), or give the project a remote, then merge again`,
      },
    };
  const sha = await newTip(i);
  if (!i.push) {
    if (await moveRef(i.repo, ref, sha, i.base)) return { ok: true, sha, pushed: false, notes: [] };
    return {
      ok: false,
      error: { type: 'moved', message: `${i.branch} moved while the task was being merged` },
    };
  }
  const pushed = await pushBase(i.repo, i.branch, sha);
  if (!pushed.ok) return pushed;
  return { ok: true, sha, pushed: true, notes: await followBase(i.repo, i.branch, sha, i.base) };
}

/**
 * After origin's `branch` moved to `sha` (from `base`): the local branch follows when it was at `base` or
 * behind and no checkout has it checked out; otherwise it is left as it is, and the notes say why.
 */
export async function followBase(repo: string, branch: string, sha: string, base: string): Promise<string[]> {
  const ref = `refs/heads/${branch}`;
  const holder = (await listWorktrees(repo)).find((w) => w.branch === branch);
  const local = await resolveCommit(repo, ref);
  if (local === null || local === sha) return [];
  if (holder)
    return [
      `${branch} is checked out in ${holder.path}; it was left as it is: pull there to get ${short(sha)}`,
    ];
  if ((await isAncestor(repo, local, base)) && (await moveRef(repo, ref, sha, local))) return [];
  return [`your local ${branch} has commits that are not on ${REMOTE}; it was left as it is`];
}

/** `update-ref ref new old` under the repository lock; false when the ref is no longer at `old`. */
async function moveRef(repo: string, ref: string, sha: string, old: string): Promise<boolean> {
  const args = ['update-ref', '-m', 'gluon: merge queue', ref, sha, old];
  const result = await withRepoLock(repo, () =>
    retryOnLockFile(() => git(repo, args, { allowFailure: true })),
  );
  return result.code === 0;
}

/** Pushes `sha` to origin's `branch` without force, then records it in the remote-tracking ref. */
async function pushBase(repo: string, branch: string, sha: string): Promise<LandResult> {
  const args = ['push', '--porcelain', '--no-verify', REMOTE, `${sha}:refs/heads/${branch}`];
  const result = await withRepoLock(repo, () =>
    git(repo, args, { allowFailure: true, timeoutMs: 2 * 60_000 }),
  );
  if (result.code !== 0) {
    const text = result.stdout + result.stderr;
    const moved = /non-fast-forward|fetch first|rejected/.test(text);
    const detail =
      text
        .trim()
        .split('\n')
        .filter((l) => /^!|error|fatal/i.test(l))
        .at(-1) ?? '';
    return {
      ok: false,
      error: moved
        ? { type: 'moved', message: `${branch} on ${REMOTE} moved while the task was being merged` }
        : { type: 'push_failed', message: `git push failed: ${detail || `exit ${result.code}`}` },
    };
  }
  await withRepoLock(repo, () => retryOnLockFile(() => git(repo, ['update-ref', trackingRef(branch), sha])));
  return { ok: true, sha, pushed: true, notes: [] };
}
