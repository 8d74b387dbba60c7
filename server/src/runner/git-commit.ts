/**
 * Committing what the agent left in a worktree, and reading the commit back: one config scan for the
 * whole commit (it gives the identity too), hooks skipped, the files worktreeInclude copied left out.
 */
import { type ConfigScan, git, GitError, gitFailure, scanConfig, splitNul } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { unstageIncluded } from './included-files.js';
import { retryOnLockFile } from './repo-lock.js';

export interface CommitAllInput {
  cwd: string;
  message: string;
  trailers?: Record<string, string>;
}

export type CommitAllResult = { committed: true; sha: string; files: string[] } | { committed: false };

function buildMessage(message: string, trailers: Record<string, string> = {}): string {
  const body = message.trim();
  if (body === '') throw new Error('commit message is empty');
  const lines = Object.entries(trailers).map(([key, value]) => {
    if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(key))
      throw new Error(`invalid trailer key ${JSON.stringify(key)}`);
    return `${key}: ${value.replace(/\s+/g, ' ').trim()}`;
  });
  return lines.length === 0 ? `${body}\n` : `${body}\n\n${lines.join('\n')}\n`;
}

/** What `git commit` says when nothing is staged (exit 1; `LC_ALL=C` keeps it in English). */
const NOTHING_TO_COMMIT = /^(nothing( added)? to commit|no changes added to commit)/m;

/**
 * Stages everything (`git add -A`) but the files worktreeInclude copied, and commits it with `message`
 * (+ trailers) read from stdin, hooks skipped, as the user's identity or Gluon's. committed: false when
 * there was nothing to commit (git's own answer: no call asks first). The repository's config is scanned
 * once for every call (and gives the identity), and returned for the reads that follow: call it when
 * nothing else writes that config meanwhile, as after the agent's exit.
 */
export async function commitStaged({
  cwd,
  message,
  trailers,
}: CommitAllInput): Promise<{ committed: boolean; scan: ConfigScan }> {
  const text = buildMessage(message, trailers);
  const scan = await scanConfig(cwd);
  if (!('entries' in scan))
    throw new GitError(`git config failed in ${cwd}`, ['config'], scan.code, scan.stderr);
  await retryOnLockFile(() => git(cwd, ['add', '--all'], { scan }));
  await retryOnLockFile(() => unstageIncluded(cwd, {}, scan));
  const identity = await resolveIdentity(cwd, scan);
  const commitArgs = ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--cleanup=whitespace', '-F', '-'];
  const made = await retryOnLockFile(async () => {
    const r = await git(cwd, commitArgs, { input: text, env: identity.env, scan, allowFailure: true });
    if (r.code === 0 || (r.code === 1 && r.stderr.trim() === '' && NOTHING_TO_COMMIT.test(r.stdout)))
      return r;
    throw gitFailure(r, commitArgs);
  });
  return { committed: made.code === 0, scan };
}

/** The commit at HEAD: its id, its parents' ids and the paths it touched (renames as both paths). */
export interface LastCommit {
  sha: string;
  parents: string[];
  files: string[];
}

/** The commit at HEAD (`LastCommit`), in one call. */
export async function lastCommit(cwd: string, scan?: ConfigScan): Promise<LastCommit> {
  const args = [
    'diff-tree',
    '-r',
    '--root',
    '--always',
    '--name-only',
    '-z',
    '--no-renames',
    '--format=%H %P',
    'HEAD',
  ];
  // `<id> <parent ids>` NUL, then (after a newline when there are any) each path NUL.
  const [ids, ...files] = splitNul((await git(cwd, args, { scan })).stdout);
  const [sha, ...parents] = ids!.trim().split(' ').filter(Boolean);
  if (files[0]?.startsWith('\n')) files[0] = files[0].slice(1);
  return { sha: sha!, parents, files: files.filter(Boolean) };
}

/** `commitStaged`, then the new commit's id and the paths it touched. */
export async function commitAll(input: CommitAllInput): Promise<CommitAllResult> {
  const { committed, scan } = await commitStaged(input);
  if (!committed) return { committed: false };
  const { sha, files } = await lastCommit(input.cwd, scan);
  return { committed: true, sha, files };
}
