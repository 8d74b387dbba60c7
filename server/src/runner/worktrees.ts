/**
 * Task worktrees: create (idempotently, so a resume after a crash reattaches), list, read what changed,
 * and remove without force (committing what the agent left: git-commit.ts). The user's own checkout is
 * only ever read.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { git, GitError, isSafeRefName, splitNul } from './git.js';
import { includedPaths, removeUnchangedCopies } from './included-files.js';
import { retryOnLockFile, withRepoLock } from './repo-lock.js';

export type WorktreeErrorType = 'unsafe_ref' | 'branch_in_use' | 'path_in_use';

/** A request Gluon should never have made (unsafe names, a path or branch owned by another worktree). */
export class WorktreeError extends Error {
  constructor(
    readonly type: WorktreeErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'WorktreeError';
  }
}

export interface WorktreeInfo {
  path: string;
  head: string | null;
  /** Short name (`gluon-task/abc`), null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  prunable: boolean;
}

/** The real path when it exists (git may record either form), else the absolute one. */
export function canonicalPath(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** Parses `git worktree list --porcelain -z`. */
export async function listWorktrees(repo: string): Promise<WorktreeInfo[]> {
  const { stdout } = await git(repo, ['worktree', 'list', '--porcelain', '-z']);
  const worktrees: WorktreeInfo[] = [];
  let current: WorktreeInfo | undefined;
  for (const line of stdout.split('\0')) {
    const space = line.indexOf(' ');
    const [label, value] = space === -1 ? [line, ''] : [line.slice(0, space), line.slice(space + 1)];
    if (label === 'worktree') {
      current = {
        path: value,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
      worktrees.push(current);
    } else if (current && label === 'HEAD') current.head = value;
    else if (current && label === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (
      current &&
      (label === 'bare' || label === 'detached' || label === 'locked' || label === 'prunable')
    ) {
      current[label] = true;
    }
  }
  return worktrees;
}

async function resolveCommit(cwd: string, ref: string): Promise<string | null> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`];
  const result = await git(cwd, args, { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : null;
}

export interface CreateWorktreeInput {
  repo: string;
  path: string;
  branch: string;
  baseRef: string;
}

export interface CreatedWorktree {
  path: string;
  branch: string;
  /** The commit the branch started from (for an existing branch: its merge base with baseRef). */
  baseSha: string;
}

/**
 * Creates a worktree at `path` on a new branch `branch` started from `baseRef`, under the repository lock.
 * Rules: an unsafe branch name or base ref is refused; when the branch exists (a resume after a crash) it
 * is attached rather than recreated; when `path` already is that branch's worktree it is reused; a branch
 * checked out in another worktree, or a path holding another worktree, throws WorktreeError.
 */
export async function createWorktree(input: CreateWorktreeInput): Promise<CreatedWorktree> {
  if (!isSafeRefName(input.branch))
    throw new WorktreeError('unsafe_ref', `refusing branch name ${JSON.stringify(input.branch)}`);
  if (input.baseRef === '' || input.baseRef.startsWith('-') || /[\0-\x20]/.test(input.baseRef)) {
    throw new WorktreeError('unsafe_ref', `refusing base ref ${JSON.stringify(input.baseRef)}`);
  }
  return withRepoLock(input.repo, () => retryOnLockFile(() => ensureWorktree(input)));
}

async function ensureWorktree({
  repo,
  branch,
  baseRef,
  ...input
}: CreateWorktreeInput): Promise<CreatedWorktree> {
  const target = path.resolve(input.path);
  const baseSha = await resolveCommit(repo, baseRef);
  if (baseSha === null)
    throw new GitError(`base ref ${baseRef} is not a commit`, ['rev-parse', baseRef], 128, '');
  const branchSha = await resolveCommit(repo, `refs/heads/${branch}`);
  const worktrees = await listWorktrees(repo);
  const targetKey = canonicalPath(target);
  const holder = worktrees.find((w) => w.branch === branch);
  if (holder && canonicalPath(holder.path) !== targetKey) {
    throw new WorktreeError('branch_in_use', `${branch} is checked out in ${holder.path}`);
  }
  if (holder?.prunable) {
    // Registered at our path but the directory is gone: drop the stale registration, then re-add.
    await git(repo, ['worktree', 'remove', '--', target]);
  } else if (holder) {
    return { path: target, branch, baseSha: await mergeBase(repo, branch, baseSha) };
  } else {
    for (const w of worktrees) {
      if (canonicalPath(w.path) === targetKey)
        throw new WorktreeError('path_in_use', `${target} is ${w.branch ?? w.head}`);
    }
  }
  if (branchSha === null) {
    await git(repo, ['worktree', 'add', '-b', branch, '--', target, baseSha]);
    return { path: target, branch, baseSha };
  }
  await git(repo, ['worktree', 'add', '--', target, branch]);
  return { path: target, branch, baseSha: await mergeBase(repo, branch, baseSha) };
}

async function mergeBase(repo: string, branch: string, baseSha: string): Promise<string> {
  const result = await git(repo, ['merge-base', `refs/heads/${branch}`, baseSha], { allowFailure: true });
  return result.code === 0 ? result.stdout.trim() : baseSha;
}

export type RemoveWorktreeResult =
  | { ok: true }
  | {
      ok: false;
      error: {
        type: 'dirty' | 'locked' | 'not_a_worktree' | 'main_worktree' | 'has_submodules';
        message: string;
      };
    };

const REMOVE_REFUSALS = [
  [/contains modified or untracked files/, 'dirty'],
  [/locked working tree/, 'locked'],
  [/is not a working tree/, 'not_a_worktree'],
  [/is a main working tree/, 'main_worktree'],
  [/containing submodules/, 'has_submodules'],
] as const;

/**
 * `git worktree remove` without --force, under the repository lock, after deleting the unchanged copies
 * worktreeInclude made (the user still has the originals); git's refusals come back as values.
 */
export async function removeWorktree({
  repo,
  path: wtPath,
}: {
  repo: string;
  path: string;
}): Promise<RemoveWorktreeResult> {
  try {
    await withRepoLock(repo, async () => {
      await removeUnchangedCopies(wtPath).catch(() => []);
      await retryOnLockFile(() => git(repo, ['worktree', 'remove', '--', path.resolve(wtPath)]));
    });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const refusal = REMOVE_REFUSALS.find(([pattern]) => pattern.test(error.stderr));
    if (!refusal) throw error;
    return { ok: false, error: { type: refusal[1], message: error.stderr.trim().split('\n').at(-1) ?? '' } };
  }
}

/** The commit HEAD points to; throws on a branch without commits. */
export async function headSha(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--verify', 'HEAD^{commit}'])).stdout.trim();
}

export interface ChangedFile {
  path: string;
  /** The two-letter porcelain code `XY` (index, work tree), e.g. ` M`, `A `, `??`, `R `. */
  status: string;
  /** The source path of a rename or copy. */
  originalPath: string | null;
}

/**
 * Uncommitted changes including every untracked file, from `git status --porcelain -z`; the files
 * worktreeInclude copied are not changes (they are never committed).
 */
export async function changedFiles(cwd: string): Promise<ChangedFile[]> {
  const included = await includedPaths(cwd);
  const args = ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=dirty'];
  const fields = splitNul((await git(cwd, args)).stdout);
  const files: ChangedFile[] = [];
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i] as string;
    const status = entry.slice(0, 2);
    const renamed = /[RC]/.test(status);
    files.push({ path: entry.slice(3), status, originalPath: renamed ? (fields[++i] ?? null) : null });
  }
  return files.filter((f) => !included.has(f.path));
}
