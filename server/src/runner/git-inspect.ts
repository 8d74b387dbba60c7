/**
 * What a folder is as a repository, for `gluon project add`: its root, default branch, head and remote
 * (without credentials), or why it cannot be a project.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { git } from './git.js';

export type InspectErrorType = 'not_found' | 'not_a_repository' | 'bare' | 'no_commits' | 'no_default_branch';

export type InspectResult =
  | { ok: true; root: string; defaultBranch: string; headSha: string; remoteUrl: string | null }
  | { ok: false; error: { type: InspectErrorType; message: string } };

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

/** Drops `user:token@` from http(s) URLs: the remote URL is stored and displayed, credentials must not be. */
function redactUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^/@]*@/i, '$1');
}

/**
 * Rules for the default branch: the checkout's current branch; when HEAD is detached, the branch that
 * origin/HEAD points to; failing that a local `main` or `master`.
 */
async function findDefaultBranch(root: string): Promise<string | null> {
  const current = await git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFailure: true });
  if (current.code === 0) return current.stdout.trim();
  const origin = await git(root, ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], {
    allowFailure: true,
  });
  if (origin.code === 0) return origin.stdout.trim().replace(/^origin\//, '');
  for (const candidate of ['main', 'master']) {
    const found = await git(root, ['rev-parse', '--verify', '--quiet', `refs/heads/${candidate}`], {
      allowFailure: true,
    });
    if (found.code === 0) return candidate;
  }
  return null;
}

/** Checks that `repoPath` is a non-bare repository with at least one commit and describes it. */
export async function inspectRepository(repoPath: string): Promise<InspectResult> {
  const fail = (type: InspectErrorType, message: string): InspectResult => ({
    ok: false,
    error: { type, message },
  });
  const abs = path.resolve(repoPath);
  try {
    if (!(await stat(abs)).isDirectory()) return fail('not_a_repository', `${abs} is not a directory`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('not_found', `${abs} does not exist`);
    throw error;
  }
  const bare = await git(abs, ['rev-parse', '--is-bare-repository'], { allowFailure: true });
  if (bare.code !== 0)
    return fail('not_a_repository', lastLine(bare.stderr) || `${abs} is not a git repository`);
  if (bare.stdout.trim() === 'true')
    return fail('bare', `${abs} is a bare repository; Gluon needs a checkout`);
  const top = await git(abs, ['rev-parse', '--show-toplevel'], { allowFailure: true });
  if (top.code !== 0) return fail('not_a_repository', lastLine(top.stderr));
  const root = top.stdout.replace(/\n$/, '');
  const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { allowFailure: true });
  if (head.code !== 0) return fail('no_commits', `${root} has no commits on its current branch yet`);
  const defaultBranch = await findDefaultBranch(root);
  if (defaultBranch === null) {
    return fail(
      'no_default_branch',
      `${root}: HEAD is detached and neither origin/HEAD, main nor master exists`,
    );
  }
  const remote = await git(root, ['config', '--get', 'remote.origin.url'], { allowFailure: true });
  const remoteUrl = remote.code === 0 && remote.stdout.trim() !== '' ? redactUrl(remote.stdout.trim()) : null;
  return { ok: true, root, defaultBranch, headSha: head.stdout.trim(), remoteUrl };
}
