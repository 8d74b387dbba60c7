/**
 * The identity Gluon commits with: the user's own where git knows one, else Gluon's (passed in the
 * environment, so that a machine without a configured identity never fails a commit).
 */
import { configGet } from './git-config-guard.js';
import { git, GitError, type ConfigScan } from './git.js';

export interface GitIdentity {
  name: string;
  email: string;
  source: 'user' | 'gluon';
  /** Environment to pass to `git commit`; empty when the user's own identity applies. */
  env: Record<string, string>;
}

export const GLUON_IDENTITY = { name: 'Gluon', email: 'gluon@localhost' } as const;

async function configValue(cwd: string, key: string): Promise<string | null> {
  const result = await git(cwd, ['config', '--get', key], { allowFailure: true });
  if (result.code === 1) return null;
  if (result.code !== 0)
    throw new GitError(`git config --get ${key} failed`, ['config', key], result.code, result.stderr);
  return result.stdout.trim() || null;
}

/**
 * The identity commits are made with: the user's configured user.name + user.email (any scope) when both
 * exist, otherwise Gluon's own, passed as GIT_AUTHOR_* / GIT_COMMITTER_* so a missing identity never fails.
 */
export async function resolveIdentity(cwd: string, scan?: ConfigScan): Promise<GitIdentity> {
  const [name, email] = await Promise.all(
    ['user.name', 'user.email'].map((key) =>
      scan?.cwd === cwd ? configGet(scan.entries, key) : configValue(cwd, key),
    ),
  );
  if (name !== null && email !== null) return { name, email, source: 'user', env: {} };
  const { name: gName, email: gEmail } = GLUON_IDENTITY;
  return {
    name: gName,
    email: gEmail,
    source: 'gluon',
    env: {
      GIT_AUTHOR_NAME: gName,
      GIT_AUTHOR_EMAIL: gEmail,
      GIT_COMMITTER_NAME: gName,
      GIT_COMMITTER_EMAIL: gEmail,
    },
  };
}
