/**
 * What an agent run changed in its worktree, measured from the commit the run started at: the commits
 * made since, and the files they and the working tree changed. The Ralph loop's breaker counts progress
 * with it.
 */
import { git, type ConfigScan } from './git.js';
import { changedFiles } from './worktrees.js';

/**
 * Commits and changed files between `sinceSha` and now (HEAD plus anything uncommitted, except the files
 * worktreeInclude copied: they are there from the start and never the agent's progress).
 * `uncommitted: false`: the caller has just committed everything, so the working tree is not read.
 * `scan`: the config as the caller's commit read it (see `GitOptions.scan`).
 */
export async function changesSince(
  cwd: string,
  sinceSha: string,
  opts: { uncommitted?: boolean; scan?: ConfigScan } = {},
): Promise<{ commits: string[]; files: string[] }> {
  // Independent reads, side by side; the working tree only when something may be left uncommitted (a
  // status walks every file of the tree).
  const [log, committed, uncommitted] = await Promise.all([
    git(cwd, ['rev-list', '--reverse', `${sinceSha}..HEAD`]),
    git(cwd, ['diff', '--name-only', '-z', sinceSha, 'HEAD', '--'], { scan: opts.scan }),
    opts.uncommitted === false ? [] : changedFiles(cwd),
  ]);
  const commits = log.stdout.split('\n').filter(Boolean);
  const files = new Set(committed.stdout.split('\0').filter(Boolean));
  for (const change of uncommitted) files.add(change.path);
  return { commits, files: [...files].sort() };
}
