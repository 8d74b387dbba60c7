/**
 * The files `worktreeInclude` copied into a worktree (`.env`, local configs): never committed by Gluon,
 * never pushed, not counted as the agent's changes, and removed with the worktree when unchanged. The
 * list lives in the worktree's own git directory (`$GIT_DIR/gluon-included`), which nothing else shares
 * and `git worktree remove` deletes.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git, type ConfigScan } from './git.js';
import { gitPaths, ownGitDir } from './git-refs.js';

export interface IncludedFile {
  /** Relative to the worktree, `/`-separated. */
  path: string;
  /** SHA-256 of the bytes as copied, to tell an untouched copy from one the agent changed. */
  sha256: string;
}

const LIST = 'gluon-included';
/** Pathspecs taken literally: a copied file named `*.env` or `:(top)x` means only itself. */
export const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** Where the list is: in the worktree's own git directory (read from its `.git`, else asked of git). */
async function listFile(worktree: string): Promise<string> {
  const own = ownGitDir(worktree);
  return own ? path.join(own, LIST) : ((await gitPaths(worktree, [LIST]))[0] as string);
}

/** A relative, `/`-separated path with no empty, `.` or `..` part and no NUL (the list is only data). */
function isPlainRelative(p: string): boolean {
  return (
    p !== '' &&
    !p.includes('\0') &&
    !p.startsWith('/') &&
    p.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

export async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

/** The copied files of a worktree (none when it has no list, or is not a worktree Gluon seeded). */
export async function includedFiles(worktree: string): Promise<IncludedFile[]> {
  try {
    const parsed = JSON.parse(await readFile(await listFile(worktree), 'utf8')) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (f): f is IncludedFile =>
        typeof f?.path === 'string' && typeof f?.sha256 === 'string' && isPlainRelative(f.path),
    );
  } catch {
    return [];
  }
}

/** Adds files to the worktree's list (a path already on it takes the new checksum). */
export async function recordIncluded(worktree: string, files: IncludedFile[]): Promise<void> {
  if (files.length === 0) return;
  const byPath = new Map((await includedFiles(worktree)).map((f) => [f.path, f]));
  for (const f of files) byPath.set(f.path, f);
  await writeFile(await listFile(worktree), JSON.stringify([...byPath.values()], null, 1), { mode: 0o600 });
}

/** The paths of the copied files, for filtering git's answers. */
export async function includedPaths(worktree: string): Promise<Set<string>> {
  return new Set((await includedFiles(worktree)).map((f) => f.path));
}

/**
 * Takes the copied files back out of the index after `git add --all` (the index gets HEAD's version, or
 * loses the path when HEAD has none), so a commit never carries them. `env` selects another index.
 */
export async function unstageIncluded(
  worktree: string,
  env: Record<string, string> = {},
  scan?: ConfigScan,
): Promise<void> {
  const paths = [...(await includedPaths(worktree))];
  if (paths.length === 0) return;
  await git(worktree, ['reset', '--quiet', '--', ...paths], { env: { ...env, ...LITERAL }, scan });
}

/**
 * Commits about to be pushed (on `ref`, on no remote-tracking ref) that touch a copied file, with the
 * first such path of each: a push must not carry them.
 */
export async function unpushedCommitsWithIncluded(
  worktree: string,
  ref: string,
): Promise<{ sha: string; path: string }[]> {
  const paths = [...(await includedPaths(worktree))];
  if (paths.length === 0) return [];
  const args = ['log', '--format=%x00%H', '--name-only', '--no-renames', ref, '--not', '--remotes', '--'];
  const { stdout } = await git(worktree, [...args, ...paths], { env: LITERAL });
  return stdout
    .split('\0')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [sha = '', ...files] = chunk.split('\n').filter(Boolean);
      return { sha, path: files[0] ?? '' };
    });
}

/**
 * Deletes the copies the agent left unchanged (they are the user's files, still in the checkout), so
 * `git worktree remove` without force can proceed; a changed copy stays and keeps the worktree.
 */
export async function removeUnchangedCopies(worktree: string): Promise<string[]> {
  const removed: string[] = [];
  const root = await realpath(worktree);
  for (const f of await includedFiles(worktree)) {
    const full = path.join(root, ...f.path.split('/'));
    // A directory on the way swapped for a symlink must not lead the deletion out of the worktree.
    const parent = await realpath(path.dirname(full)).catch(() => null);
    if (parent === null || (parent !== root && !parent.startsWith(root + path.sep))) continue;
    const current = await sha256Of(full).catch(() => null);
    if (current !== f.sha256) continue;
    await unlink(full);
    removed.push(f.path);
  }
  return removed;
}
