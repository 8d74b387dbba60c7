/**
 * Small ref queries shared by the git lifecycle modules (sync, publish, review, snapshots, sweep). All of
 * them read; none writes. Every call goes through `git()`, with `--end-of-options` before anything that
 * came from outside.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { configGet } from './git-config-guard.js';
import { git, GitError, type ConfigScan } from './git.js';

/** The branches Gluon creates: `gluon-task/<taskId>`, an id of 4 to 32 lowercase letters and digits. */
export const TASK_BRANCH = /^gluon-task\/([a-z0-9]{4,32})$/;

/** The remote Gluon syncs with and pushes to (the one `inspectRepository` reports). */
export const REMOTE = 'origin';

/** The task id a branch belongs to, or null when it is not one of Gluon's task branches. */
export function taskIdOfBranch(branch: string | null): string | null {
  return branch === null ? null : (TASK_BRANCH.exec(branch)?.[1] ?? null);
}

/** The commit `ref` names, or null when it names none. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | null> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const result = await git(cwd, args, { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/**
 * `resolveCommit` of each ref, in one git call when they all resolve (the usual case); otherwise one call
 * per ref tells which do not.
 */
export async function resolveCommits(cwd: string, refs: readonly string[]): Promise<Array<string | null>> {
  const args = ['rev-parse', '--end-of-options', ...refs.map((ref) => `${ref}^{commit}`), '--'];
  const result = await git(cwd, args, { allowFailure: true });
  // Older git echoes `--end-of-options` and `--`: only the ids count.
  const ids = result.stdout.split('\n').filter((line) => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(line));
  if (result.code === 0 && ids.length === refs.length) return ids;
  return Promise.all(refs.map((ref) => resolveCommit(cwd, ref)));
}

/** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const args = ['merge-base', '--is-ancestor', '--end-of-options', ancestor, descendant];
  const result = await git(cwd, args, { allowFailure: true });
  if (result.code === 0 || result.code === 1) return result.code === 0;
  throw new GitError(`git merge-base failed (${result.code})`, args, result.code, result.stderr);
}

/** The best common ancestor of two commits, or null when they share no history. */
export async function mergeBase(cwd: string, a: string, b: string): Promise<string | null> {
  const result = await git(cwd, ['merge-base', '--end-of-options', a, b], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** The URL of `origin`, or null when the repository has no such remote (read from `scan` when made in `repo`). */
export async function remoteUrl(repo: string, scan?: ConfigScan): Promise<string | null> {
  if (scan?.cwd === repo) return configGet(scan.entries, `remote.${REMOTE}.url`);
  const result = await git(repo, ['config', '--get', `remote.${REMOTE}.url`], { allowFailure: true });
  return result.code === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : null;
}

/** The remote-tracking ref of `branch` on origin. */
export const trackingRef = (branch: string) => `refs/remotes/${REMOTE}/${branch}`;

/**
 * The own git directory of a checkout or worktree whose top is `cwd`, read from its `.git` as git reads
 * it (a directory, or a file `gitdir: <path>`); null when `cwd` has no `.git` of its own (a subdirectory):
 * then ask git. Spares a git process where only that directory is wanted.
 */
export function ownGitDir(cwd: string): string | null {
  const dotGit = path.join(cwd, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
    return pointer ? path.resolve(cwd, pointer) : null;
  } catch {
    return null;
  }
}

/** Absolute paths of files in the git directory of `cwd` (`rebase-merge`, `MERGE_HEAD`, `index`…), in order. */
export async function gitPaths(cwd: string, names: readonly string[]): Promise<string[]> {
  const { stdout } = await git(cwd, ['rev-parse', ...names.flatMap((name) => ['--git-path', name])]);
  return stdout
    .split('\n')
    .slice(0, names.length)
    .map((p) => path.resolve(cwd, p));
}

/** The branch `HEAD` of `cwd` is on (short name), or null when detached. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const result = await git(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

/** How many commits of `ref` are reachable neither from `baseRef` nor from any remote-tracking ref. */
export async function countUnmerged(repo: string, ref: string, baseRef: string): Promise<number> {
  const base = await resolveCommit(repo, baseRef);
  // `--not --remotes --not` excludes every remote-tracking ref; the pseudo-options must precede the marker.
  const args = ['rev-list', '--count', '--not', '--remotes', '--not', '--end-of-options', ref];
  if (base) args.push(`^${base}`);
  return Number((await git(repo, args)).stdout.trim());
}
