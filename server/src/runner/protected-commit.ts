/**
 * The commit-time check of protected paths: whatever the agent changed under a protected glob since the
 * task's base — committed by itself or left in the worktree, tracked or new — is put back as it was at
 * the base before Gluon commits, so nothing protected reaches the branch's tip.
 */
import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { matchingGlob } from '../domain/path-glob.js';
import { git, splitNul } from './git.js';

/** Puts protected paths changed since `baseSha` back as they were there; returns those it put back. */
export async function revertProtectedChanges(
  cwd: string,
  baseSha: string,
  globs: readonly string[],
): Promise<string[]> {
  if (globs.length === 0) return [];
  const changed = await git(cwd, ['diff', '--name-only', '--no-renames', '-z', baseSha, '--']);
  const untracked = await git(cwd, ['ls-files', '--others', '--exclude-standard', '-z', '--']);
  const files = [...new Set([...splitNul(changed.stdout), ...splitNul(untracked.stdout)])].filter(
    (f) => matchingGlob(f, globs) !== null,
  );
  for (const file of files) {
    const atBase = await git(cwd, ['cat-file', '-e', `${baseSha}:${file}`], { allowFailure: true });
    if (atBase.code === 0) await git(cwd, ['checkout', baseSha, '--', file]);
    else {
      await git(cwd, ['rm', '-q', '--cached', '--ignore-unmatch', '--', file]);
      await unlink(path.join(cwd, file)).catch(() => {});
    }
  }
  return files;
}
