/**
 * What an agent run changed in its worktree, measured from the commit the run started at: the commits
 * made since, and the files they and the working tree changed. The Ralph loop's breaker counts progress
 * with it.
 */
import { type ConfigScan, git, splitNul } from './git.js';
import { changedFiles } from './worktrees.js';
import { type LastCommit } from './git-commit.js';

/**
 * Commits and changed files between `sinceSha` and now (HEAD plus anything uncommitted, except the files
 * worktreeInclude copied: they are there from the start and never the agent's progress).
 * `uncommitted: false`: the caller has just committed everything, so the working tree is not read.
 * `scan`: the config as the caller's commit read it (see `GitOptions.scan`).
 * `head`: the commit at HEAD as the caller read it; when it is the only one since `sinceSha` and nothing is
 * left uncommitted, it is the whole answer (no git call). Renames count as both paths, in either case.
 */
export async function changesSince(
  cwd: string,
  sinceSha: string,
  opts: { uncommitted?: boolean; scan?: ConfigScan; head?: LastCommit | null } = {},
): Promise<{ commits: string[]; files: string[] }> {
  const { head } = opts;
  if (head && opts.uncommitted === false && head.parents.length === 1 && head.parents[0] === sinceSha)
    return { commits: [head.sha], files: [...new Set(head.files)].sort() };
  // Independent reads, side by side; the working tree only when something may be left uncommitted (a
  // status walks every file of the tree).
  const [log, committed, uncommitted] = await Promise.all([
    git(cwd, ['rev-list', '--reverse', `${sinceSha}..HEAD`]),
    git(cwd, ['diff', '--name-only', '--no-renames', '-z', sinceSha, 'HEAD', '--'], { scan: opts.scan }),
    opts.uncommitted === false ? [] : changedFiles(cwd),
  ]);
  const commits = log.stdout.split('\n').filter(Boolean);
  const files = new Set(splitNul(committed.stdout));
  for (const change of uncommitted) files.add(change.path);
  return { commits, files: [...files].sort() };
}
