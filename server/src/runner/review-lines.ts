/**
 * What review comments need from git: a file's text at a commit, and the commits that changed given lines
 * of it since a review was sent. Read only; paths are the task's own changed files (the service checks).
 */
import { git } from './git.js';

const SHA = /^[0-9a-f]{40,64}$/;

/** The text of `path` at commit `sha`, or null when the file does not exist there (or is not a file). */
export async function readFileAt(repo: string, sha: string, path: string): Promise<string | null> {
  if (!SHA.test(sha)) return null;
  const result = await git(repo, ['cat-file', 'blob', `${sha}:${path}`], { allowFailure: true });
  return result.code === 0 ? result.stdout : null;
}

/**
 * Commits in `from..to` that changed lines `line`–`endLine` of `path` as they are at `to` (git's line
 * history, `log -L`), oldest first, as short shas. Without lines (the code is gone), every commit that
 * touched the file. None when `from` is `to` or either is unknown.
 */
export async function commitsTouching(
  repo: string,
  range: { from: string; to: string },
  path: string,
  lines: { line: number; endLine: number } | null,
): Promise<string[]> {
  if (!SHA.test(range.from) || !SHA.test(range.to) || range.from === range.to) return [];
  const which = lines
    ? ['-s', `-L${lines.line},${lines.endLine}:${path}`, `${range.from}..${range.to}`]
    : [`${range.from}..${range.to}`, '--', path];
  const args = ['--literal-pathspecs', 'log', '--reverse', '--format=%h', ...which];
  const result = await git(repo, args, { allowFailure: true });
  if (result.code !== 0) return [];
  return result.stdout.split('\n').filter((s) => /^[0-9a-f]{4,64}$/.test(s));
}
