/**
 * Test helper: real repositories in temporary directories, a bare repository as the remote, plain git for
 * fixtures and checks (deliberately not through the code under test), a checkout fingerprint, and a
 * hostile repository armed with canaries. Not a product module.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
};

/** Runs plain git (the fixture's identity, no optional locks) and returns stdout. */
export function raw(cwd: string, args: string[], input = ''): string {
  const env = { ...process.env, ...IDENTITY, GIT_OPTIONAL_LOCKS: '0' };
  return execFileSync('git', args, { cwd, input, encoding: 'utf8', env, stdio: 'pipe' });
}

export const sha = (cwd: string, ref: string) => raw(cwd, ['rev-parse', ref]).trim();

/** Temporary directories, removed by `cleanup()`. */
export function createDirs() {
  const dirs: string[] = [];
  return {
    async make(prefix = 'gluon-git-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async cleanup(): Promise<void> {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}
export type Dirs = ReturnType<typeof createDirs>;

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), content);
  }
}

/** Commits `files` (written first) on the current branch of `cwd`; returns the new sha. */
export async function commitFiles(
  cwd: string,
  files: Record<string, string>,
  message = 'change',
): Promise<string> {
  await writeFiles(cwd, files);
  raw(cwd, ['add', '-A']);
  raw(cwd, ['commit', '-q', '--no-verify', '-m', message]);
  return sha(cwd, 'HEAD');
}

/** A repository on `main` with one commit of `files`. */
export async function repoWith(
  dirs: Dirs,
  files: Record<string, string> = { 'README.md': '# r\n' },
): Promise<string> {
  const dir = await dirs.make('gluon-repo-');
  raw(dir, ['init', '-q', '-b', 'main']);
  await commitFiles(dir, files, 'init');
  return dir;
}

/**
 * A bare `origin` seeded with the repository's main, and a second clone ("a colleague") that can move it.
 */
export async function withRemote(dirs: Dirs, repo: string): Promise<{ remote: string; other: string }> {
  const remote = join(await dirs.make('gluon-remote-'), 'origin.git');
  raw(repo, ['init', '-q', '--bare', '-b', 'main', remote]);
  raw(repo, ['remote', 'add', 'origin', remote]);
  raw(repo, ['push', '-q', 'origin', 'main']);
  raw(repo, ['fetch', '-q', 'origin']);
  const other = join(await dirs.make('gluon-other-'), 'other');
  raw(repo, ['clone', '-q', remote, other]);
  return { remote, other };
}

/** What fetching writes (remote-tracking refs) and new objects: not part of "the user's checkout". */
const SKIPPED = new Set(['.git/objects', '.git/refs/remotes', '.git/logs/refs/remotes', '.git/FETCH_HEAD']);

/**
 * sha256 and mtime of every file (and symlink target) under `root`: the work tree, index, HEAD, local
 * refs and config. Skips new objects and remote-tracking refs, which a fetch may write.
 */
export async function fingerprint(
  root: string,
  dir = root,
  out: Record<string, string> = {},
): Promise<Record<string, string>> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full);
    if (SKIPPED.has(rel)) continue;
    if (entry.isDirectory()) await fingerprint(root, full, out);
    else if (entry.isSymbolicLink()) out[rel] = `link:${await readlink(full)}`;
    else {
      const info = await lstat(full);
      out[rel] = `${createHash('sha256')
        .update(await readFile(full))
        .digest('hex')}@${info.mtimeMs}`;
    }
  }
  return out;
}

/** Attributes that route every file through the hostile filter, diff and merge drivers; commit them first. */
export const HOSTILE_ATTRIBUTES = { '.gitattributes': '* filter=evil diff=evil merge=evil\n' };

/**
 * Arms `repo` (whose history should hold HOSTILE_ATTRIBUTES): hooks, fsmonitor, filters, diff/merge drivers, pager, editor, gpg, credential helper and
 * transport programs all point at canaries that append their name to the returned log.
 */
export async function armHostile(dirs: Dirs, repo: string): Promise<{ log: string }> {
  const bin = await dirs.make('gluon-canary-');
  const log = join(bin, 'canary.log');
  const canary = async (name: string, dir = bin) => {
    const file = join(dir, name);
    await writeFile(file, `#!/bin/sh\necho ${name} >> '${log}'\nexit 0\n`);
    await chmod(file, 0o755);
    return file;
  };
  const hooks = [
    'pre-commit',
    'commit-msg',
    'post-commit',
    'post-checkout',
    'post-merge',
    'pre-push',
    'pre-rebase',
    'post-rewrite',
    'reference-transaction',
    'post-index-change',
    'prepare-commit-msg',
  ];
  await mkdir(join(bin, 'hooks'));
  for (const hook of hooks) {
    await canary(hook, join(repo, '.git', 'hooks'));
    await canary(hook, join(bin, 'hooks'));
  }
  const config: Array<[string, string]> = [
    ['core.hooksPath', join(bin, 'hooks')],
    ['core.fsmonitor', await canary('fsmonitor')],
    ['filter.evil.clean', await canary('filter-clean')],
    ['filter.evil.smudge', await canary('filter-smudge')],
    ['filter.evil.required', 'true'],
    ['diff.external', await canary('diff-external')],
    ['diff.evil.command', await canary('diff-command')],
    ['diff.evil.textconv', await canary('textconv')],
    ['merge.evil.driver', `${await canary('merge-driver')} %O %A %B`],
    ['core.pager', await canary('pager')],
    ['core.editor', await canary('editor')],
    ['sequence.editor', await canary('sequence-editor')],
    ['commit.gpgSign', 'true'],
    ['gpg.program', await canary('gpg')],
    ['credential.helper', await canary('credential')],
    ['remote.origin.uploadpack', await canary('uploadpack')],
    ['remote.origin.receivepack', await canary('receivepack')],
    ['core.sshCommand', await canary('ssh')],
    ['rebase.updateRefs', 'true'],
    ['rebase.autoStash', 'true'],
    ['rerere.enabled', 'true'],
  ];
  for (const [key, value] of config) raw(repo, ['config', key, value]);
  return { log };
}

/** What the canaries logged (empty when none ran). */
export async function canaryRuns(log: string): Promise<string[]> {
  return existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter(Boolean) : [];
}

/** The git commands run while `fn` ran, from git's own trace (each git process reports its argv). */
export async function gitTrace(fn: () => Promise<unknown>): Promise<string[]> {
  const file = join(await mkdtemp(join(tmpdir(), 'gluon-trace-')), 'trace');
  const before = process.env.GIT_TRACE;
  process.env.GIT_TRACE = file;
  try {
    await fn();
  } finally {
    if (before === undefined) delete process.env.GIT_TRACE;
    else process.env.GIT_TRACE = before;
  }
  const lines = existsSync(file) ? (await readFile(file, 'utf8')).split('\n') : [];
  return lines.filter((l) => l.includes('trace: built-in: git'));
}
