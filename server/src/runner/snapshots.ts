/**
 * Snapshot refs: before a worktree is removed, whatever is uncommitted in it (modified, deleted and
 * untracked files, not ignored ones nor the copies worktreeInclude made) is stored as a commit under `refs/gluon/snapshots/<taskId>/<time>`,
 * built through a throw-away index so the worktree's own index and files are not written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { unstageIncluded } from './included-files.js';

export const SNAPSHOT_PREFIX = 'refs/gluon/snapshots/';
const TASK_ID = /^[a-z0-9]{4,32}$/;

export interface Snapshot {
  ref: string;
  sha: string;
  taskId: string;
}

/** `2025-01-02T03:04:05.678Z` → `20250102T030405678Z`: sortable, and a valid ref component. */
export function snapshotStamp(now: Date): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

/**
 * Stores the uncommitted state of `worktree` under a snapshot ref of `taskId`; null when there is none.
 * Rules: the tree is HEAD plus every non-ignored change in the work tree; a tree equal to HEAD's is "clean"
 * (no ref); the ref is created, never overwritten (`update-ref … ''` fails if it exists).
 */
export async function snapshotUncommitted(
  worktree: string,
  taskId: string,
  now = new Date(),
): Promise<Snapshot | null> {
  if (!TASK_ID.test(taskId)) throw new Error(`invalid task id ${JSON.stringify(taskId)}`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gluon-snap-'));
  try {
    const env = { ...(await resolveIdentity(worktree)).env, GIT_INDEX_FILE: path.join(dir, 'index') };
    const head = (await git(worktree, ['rev-parse', '--verify', 'HEAD^{commit}'])).stdout.trim();
    await git(worktree, ['read-tree', head], { env });
    await git(worktree, ['add', '--all'], { env });
    await unstageIncluded(worktree, env);
    const tree = (await git(worktree, ['write-tree'], { env })).stdout.trim();
    const headTree = (await git(worktree, ['rev-parse', `${head}^{tree}`])).stdout.trim();
    if (tree === headTree) return null;
    const message = `Gluon snapshot of the uncommitted work of task ${taskId}\n\nGluon-Task: ${taskId}\n`;
    const sha = (
      await git(worktree, ['commit-tree', '--no-gpg-sign', '-p', head, '-F', '-', tree], {
        env,
        input: message,
      })
    ).stdout.trim();
    const ref = `${SNAPSHOT_PREFIX}${taskId}/${snapshotStamp(now)}`;
    await git(worktree, ['update-ref', '-m', 'gluon: snapshot before removing the worktree', ref, sha, '']);
    return { ref, sha, taskId };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The snapshot refs of a repository (of one task when `taskId` is given), oldest first. */
export async function listSnapshots(repo: string, taskId?: string): Promise<Snapshot[]> {
  if (taskId !== undefined && !TASK_ID.test(taskId)) return [];
  const prefix = taskId === undefined ? SNAPSHOT_PREFIX : `${SNAPSHOT_PREFIX}${taskId}/`;
  const { stdout } = await git(repo, [
    'for-each-ref',
    '--sort=refname',
    '--format=%(refname)%00%(objectname)',
    prefix,
  ]);
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [ref, sha] = line.split('\0') as [string, string];
      return { ref, sha, taskId: ref.slice(SNAPSHOT_PREFIX.length).split('/')[0] ?? '' };
    });
}
