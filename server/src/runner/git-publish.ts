/**
 * After a run: rebase the task branch onto a base that moved, and push it. A rebase that conflicts is
 * aborted at once and reported with the conflicted files, so the worktree is never left mid-rebase; a
 * push only ever targets Gluon's own `gluon-task/<id>` branch, with a lease on what Gluon last pushed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { git, splitNul } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { unpushedCommitsWithIncluded } from './included-files.js';
import {
  gitPaths,
  isAncestor,
  ownGitDir,
  REMOTE,
  resolveCommit,
  resolveCommits,
  TASK_BRANCH,
  trackingRef,
} from './git-refs.js';
import { retryOnLockFile, withRepoLock } from './repo-lock.js';
import { changedFiles } from './worktrees.js';

export type RebaseResult =
  | { ok: true; rebased: boolean; head: string; onto: string }
  | { ok: false; error: { type: 'conflict'; files: string[]; message: string } }
  | { ok: false; error: { type: 'in_progress' | 'dirty' | 'failed' | 'no_target'; message: string } };

/** Operations a worktree can be left in the middle of; any of them means "do not touch". */
const IN_PROGRESS = ['rebase-merge', 'rebase-apply', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', 'REVERT_HEAD'];

/** The name of the operation `worktree` is in the middle of, or null. */
export async function operationInProgress(worktree: string): Promise<string | null> {
  // At a worktree's top its git directory is where `.git` points, as git itself would read it.
  const own = ownGitDir(worktree);
  const paths = own ? IN_PROGRESS.map((name) => path.join(own, name)) : await gitPaths(worktree, IN_PROGRESS);
  return IN_PROGRESS.find((_, i) => existsSync(paths[i]!)) ?? null;
}

/**
 * The ids of a rebase's target and HEAD as the caller has just read them (`resolveCommits`), and, read
 * beside them, whether the target is in HEAD's history: trusted when true (the base has not moved, or
 * moved a moment before that read), checked again on the ids when false.
 */
export interface KnownIds {
  onto: string | null;
  head: string | null;
  ontoInHead?: boolean;
}

/**
 * Rebases the branch checked out in `worktree` onto `target` (a ref or sha).
 * Rules: an operation already in progress (the agent's own rebase) → refused; a branch that already
 * contains the target → nothing to do (its changes are not looked at); uncommitted changes → refused, the
 * worktree untouched; otherwise, once `beforeRewrite` has settled, `git rebase`
 * with autostash, autosquash, update-refs and rerere off; on failure the conflicted files are collected
 * and the rebase is aborted, leaving the branch and the worktree exactly as before.
 */
export async function rebaseOnto(
  worktree: string,
  target: string,
  opts: {
    /** Settles when the branch may be rewritten (the caller still reads what the run committed). */
    beforeRewrite?: Promise<unknown>;
    ids?: KnownIds;
  } = {},
): Promise<RebaseResult> {
  const [[onto, head], busy] = await Promise.all([
    opts.ids ? [opts.ids.onto, opts.ids.head] : resolveCommits(worktree, [target, 'HEAD']),
    operationInProgress(worktree),
  ]);
  if (onto === null) return { ok: false, error: { type: 'no_target', message: `${target} is not a commit` } };
  if (busy)
    return {
      ok: false,
      error: { type: 'in_progress', message: `the worktree is in the middle of an operation (${busy})` },
    };
  // The base has not moved (the common case): nothing to rebase, so nothing else to look at.
  if (head !== null && (opts.ids?.ontoInHead || (await isAncestor(worktree, onto, head))))
    return { ok: true, rebased: false, head, onto };
  await opts.beforeRewrite;
  if ((await changedFiles(worktree)).length > 0)
    return { ok: false, error: { type: 'dirty', message: 'the worktree has uncommitted changes' } };
  const { env } = await resolveIdentity(worktree);
  const args = [
    '-c',
    'rerere.enabled=false',
    'rebase',
    '--quiet',
    '--no-verify',
    '--no-autostash',
    '--no-autosquash',
    '--no-update-refs',
    '--no-fork-point',
    onto,
  ];
  const result = await git(worktree, args, { env, allowFailure: true });
  if (result.code === 0)
    return { ok: true, rebased: true, head: (await resolveCommit(worktree, 'HEAD'))!, onto };
  const unmerged = await git(worktree, ['diff', '--name-only', '--diff-filter=U', '-z'], {
    allowFailure: true,
  });
  const files = [...new Set(splitNul(unmerged.stdout))].sort();
  if (await operationInProgress(worktree)) await git(worktree, ['rebase', '--abort']);
  const detail = result.stderr.trim().split('\n').at(-1) ?? '';
  if (files.length === 0)
    return { ok: false, error: { type: 'failed', message: `git rebase failed: ${detail}` } };
  return {
    ok: false,
    error: {
      type: 'conflict',
      files,
      message: `rebasing onto ${onto.slice(0, 7)} conflicts in ${files.join(', ')}`,
    },
  };
}

export type PushErrorType = 'refused_branch' | 'no_branch' | 'stale_lease' | 'push_failed' | 'copied_file';

export type PushResult =
  | { ok: true; sha: string; updated: boolean }
  | { ok: false; error: { type: PushErrorType; message: string } };

/**
 * Pushes `branch` to the same name on origin.
 * Rules: only a `gluon-task/<id>` branch that is not the default branch may be pushed (anything else is
 * refused before git runs); the push is `--force-with-lease` against the remote-tracking ref (what Gluon
 * last pushed or fetched; none → the remote branch must not exist), so a rebased branch replaces our own
 * earlier push but never commits someone else pushed meanwhile; with the task's `worktree` given, a branch
 * whose unpushed commits touch a file worktreeInclude copied there (`.env`) is not pushed at all.
 */
export async function pushTaskBranch(
  repo: string,
  branch: string,
  defaultBranch: string,
  worktree?: string,
): Promise<PushResult> {
  if (!TASK_BRANCH.test(branch) || branch === defaultBranch)
    return {
      ok: false,
      error: {
        type: 'refused_branch',
        message: `refusing to push ${JSON.stringify(branch)}: Gluon only pushes its own gluon-task/<id> branches`,
      },
    };
  const sha = await resolveCommit(repo, `refs/heads/${branch}`);
  if (sha === null) return { ok: false, error: { type: 'no_branch', message: `${branch} does not exist` } };
  const tracking = trackingRef(branch);
  const leased = (await resolveCommit(repo, tracking)) ?? '';
  if (leased === sha) return { ok: true, sha, updated: false };
  const ref = `refs/heads/${branch}`;
  const [leak] = worktree ? await unpushedCommitsWithIncluded(worktree, ref) : [];
  if (leak)
    return {
      ok: false,
      error: {
        type: 'copied_file',
        message: `commit ${leak.sha.slice(0, 7)} contains ${leak.path}, a file worktreeInclude copied from your checkout; remove it from the branch's history first`,
      },
    };
  const args = [
    'push',
    '--porcelain',
    '--no-verify',
    `--force-with-lease=${ref}:${leased}`,
    REMOTE,
    `${ref}:${ref}`,
  ];
  const result = await withRepoLock(repo, () =>
    git(repo, args, { allowFailure: true, timeoutMs: 2 * 60_000 }),
  );
  if (result.code !== 0) {
    const stale = /stale info|fetch first|non-fast-forward/.test(result.stdout + result.stderr);
    const detail =
      (result.stdout + result.stderr)
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('!') || /error|fatal/i.test(l))
        .at(-1) ?? '';
    return {
      ok: false,
      error: stale
        ? {
            type: 'stale_lease',
            message: `${branch} on ${REMOTE} has commits Gluon did not push; fetch and look at them first`,
          }
        : { type: 'push_failed', message: `git push failed: ${detail || `exit ${result.code}`}` },
    };
  }
  await withRepoLock(repo, () => retryOnLockFile(() => git(repo, ['update-ref', tracking, sha])));
  return { ok: true, sha, updated: true };
}
