/**
 * Git for a worker of a fleet: its own bare clone of each project (from the project's remote), the
 * work-in-progress ref it pushes while an agent works (`refs/gluon/wip/<taskId>`: the worktree's files,
 * uncommitted ones included, as a commit on top of the branch), and bringing a task's last pushed state
 * into a new worktree on another machine. The user's checkout is never involved.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { REMOTE, resolveCommit, trackingRef } from './git-refs.js';
import { unstageIncluded } from './included-files.js';
import { withRepoLock } from './repo-lock.js';

const FETCH_TIMEOUT_MS = 2 * 60_000;
export const wipRef = (taskId: string) => `refs/gluon/wip/${taskId}`;

/**
 * A bare clone of `url` at `dir`, made once; later calls only make sure it is there. Its remote-tracking
 * refs are those of a normal clone, so the base sync of a task's first run works on it unchanged.
 */
export async function ensureBareClone(url: string, dir: string): Promise<void> {
  if (
    (await git(dir, ['rev-parse', '--is-bare-repository'], { allowFailure: true }).catch(() => null))
      ?.code === 0
  )
    return;
  await mkdir(path.dirname(dir), { recursive: true });
  await git(path.dirname(dir), ['clone', '--bare', '--no-tags', '--quiet', '--', url, dir], {
    timeoutMs: FETCH_TIMEOUT_MS,
  });
  await git(dir, ['config', `remote.${REMOTE}.fetch`, `+refs/heads/*:refs/remotes/${REMOTE}/*`]);
}

/**
 * The files of `worktree` as they are now, uncommitted and untracked ones included (ignored ones not), as
 * a commit whose parent is its HEAD; null when nothing differs from HEAD. Written through a temporary
 * index, so the worktree's own index and files are not touched.
 */
export async function snapshotWorktree(worktree: string): Promise<string | null> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gluon-wip-'));
  const env = { GIT_INDEX_FILE: path.join(dir, 'index') };
  try {
    await git(worktree, ['read-tree', 'HEAD'], { env });
    await git(worktree, ['add', '--all', '--', '.'], { env });
    // Files copied by worktreeInclude (a `.env`) never leave the machine, in a WIP no more than in a commit.
    await unstageIncluded(worktree, env);
    const tree = (await git(worktree, ['write-tree'], { env })).stdout.trim();
    const head = (await git(worktree, ['rev-parse', 'HEAD^{tree}'])).stdout.trim();
    if (tree === head) return null;
    const message = 'Gluon work in progress (uncommitted files of a running task)';
    const { env: identity } = await resolveIdentity(worktree);
    const made = await git(worktree, ['commit-tree', tree, '-p', 'HEAD', '-m', message], { env: identity });
    return made.stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Pushes the branch's HEAD and `wip` (or just the branch when there is no WIP) to the remote. */
export async function pushWorkInProgress(
  worktree: string,
  taskId: string,
  branch: string,
  wip: string | null,
): Promise<void> {
  const refspecs = [`+HEAD:refs/heads/${branch}`, ...(wip ? [`+${wip}:${wipRef(taskId)}`] : [])];
  await git(worktree, ['push', '--quiet', '--no-verify', REMOTE, ...refspecs], {
    timeoutMs: FETCH_TIMEOUT_MS,
  });
}

/**
 * Brings a task's last pushed state into `repo` (a worker's clone): its branch, at the work-in-progress
 * commit's parent when that is newer, and the WIP commit to apply. Returns the WIP sha, or null.
 * Rules: the remote branch and WIP ref are fetched (either may be missing); a WIP whose parent contains
 * the branch's head wins (it is the later state); the local branch is set to that state (it is checked
 * out nowhere on this machine yet).
 */
export async function fetchTaskState(repo: string, taskId: string, branch: string): Promise<string | null> {
  return withRepoLock(repo, async () => {
    const specs = [`+refs/heads/${branch}:${trackingRef(branch)}`, `+${wipRef(taskId)}:${wipRef(taskId)}`];
    for (const spec of specs)
      await git(repo, ['fetch', '--quiet', '--no-tags', REMOTE, spec], {
        allowFailure: true,
        timeoutMs: FETCH_TIMEOUT_MS,
      });
    const pushed = await resolveCommit(repo, trackingRef(branch));
    const wip = await resolveCommit(repo, wipRef(taskId));
    const wipParent = wip ? await resolveCommit(repo, `${wip}^`) : null;
    const wipIsLater =
      wipParent !== null &&
      (pushed === null ||
        (await git(repo, ['merge-base', '--is-ancestor', pushed, wipParent], { allowFailure: true })).code ===
          0);
    const head = wipIsLater ? wipParent : pushed;
    if (head) await git(repo, ['update-ref', `refs/heads/${branch}`, head]);
    return wipIsLater ? wip : null;
  });
}

/** Lays the files of a WIP commit over `worktree` (at the WIP's parent), leaving them uncommitted. */
export async function applyWorkInProgress(worktree: string, wip: string): Promise<void> {
  await git(worktree, ['read-tree', '--reset', '-u', wip]);
  await git(worktree, ['reset', '--quiet']);
}
