import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { neutralizeRepositoryConfig, parseConfigList } from './git-config-guard.js';
import { inspectRepository } from './git-inspect.js';
import { ownGitDir } from './git-refs.js';
import { git, GitError, isSafeRefName, scanConfig, type ConfigScan } from './git.js';
import { resolveIdentity } from './git-identity.js';
import { commitAll } from './git-commit.js';
import { gitTrace } from './testing/git-fixtures.js';

const FIXTURE_IDENTITY = {
  GIT_AUTHOR_NAME: 'Fixture',
  GIT_AUTHOR_EMAIL: 'fixture@example.com',
  GIT_COMMITTER_NAME: 'Fixture',
  GIT_COMMITTER_EMAIL: 'fixture@example.com',
};
const dirs: string[] = [];

/** Plain git for fixtures, deliberately not through the code under test. */
function raw(cwd: string, args: string[], input = ''): string {
  return execFileSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    env: { ...process.env, ...FIXTURE_IDENTITY },
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gluon-git-'));
  dirs.push(dir);
  return dir;
}

async function repoWithCommit(): Promise<string> {
  const dir = await tempDir();
  raw(dir, ['init', '-q', '-b', 'main']);
  await writeFile(join(dir, 'a.txt'), 'a\n');
  raw(dir, ['add', '-A']);
  raw(dir, ['commit', '-q', '-m', 'init']);
  return dir;
}

afterEach(() => vi.unstubAllEnvs());
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('isSafeRefName', () => {
  const refused = [
    '-rf',
    'a;touch x',
    '$(touch canary)',
    '`id`',
    'a..b',
    'a b',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
  ];
  const refusedToo = [
    'a[b',
    'a\\b',
    'a@{1}',
    '.hidden',
    'x/.y',
    'x.lock',
    'x/',
    '/x',
    'x//y',
    'x.',
    '',
    'HEAD',
    'a\nb',
    'a\u0001',
  ];
  const accepted = ['gluon-task/abc123', 'main', 'feature/x.y', 'release-1.2', 'a/b/c_d'];

  it.each([...refused, ...refusedToo])('refuses %j', (name) => {
    expect(isSafeRefName(name)).toBe(false);
  });

  it.each(accepted)('accepts %j, as git check-ref-format does', (name) => {
    expect(isSafeRefName(name)).toBe(true);
    expect(raw(tmpdir(), ['check-ref-format', '--branch', name]).trim()).toBe(name);
  });
});

describe('git()', () => {
  it('returns output, reports failures as GitError, and returns them with allowFailure', async () => {
    const repo = await repoWithCommit();
    const sha = raw(repo, ['rev-parse', 'HEAD']).trim();
    expect((await git(repo, ['rev-parse', 'HEAD'])).stdout.trim()).toBe(sha);
    const failure = await git(repo, ['rev-parse', '--verify', 'nope'], { allowFailure: true });
    expect(failure.code).toBe(128);
    const error = await git(repo, ['rev-parse', '--verify', 'nope']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).code).toBe(128);
    expect((error as GitError).args).toEqual(['rev-parse', '--verify', 'nope']);
    expect((error as GitError).stderr).toContain('Needed a single revision');
  });

  it('feeds input through stdin', async () => {
    const repo = await repoWithCommit();
    const { stdout } = await git(repo, ['hash-object', '--stdin'], { input: 'hello\n' });
    expect(stdout.trim()).toBe(raw(repo, ['hash-object', '--stdin'], 'hello\n').trim());
  });

  it('ignores an inherited GIT_DIR / GIT_WORK_TREE pointing at another repository', async () => {
    const [repo, other] = [await repoWithCommit(), await repoWithCommit()];
    vi.stubEnv('GIT_DIR', join(other, '.git'));
    vi.stubEnv('GIT_WORK_TREE', other);
    expect((await git(repo, ['rev-parse', '--show-toplevel'])).stdout.trim()).toBe(repo);
  });

  it('never runs a credential helper or askpass program from the repository config', async () => {
    const repo = await repoWithCommit();
    const bin = await tempDir();
    const [log, canary] = [join(bin, 'canary.log'), join(bin, 'canary')];
    await writeFile(canary, `#!/bin/sh\necho "$@" >> '${log}'\nexit 0\n`);
    await chmod(canary, 0o755);
    raw(repo, ['config', 'credential.helper', canary]);
    raw(repo, ['config', 'credential.https://example.com.helper', `!${canary}`]);
    raw(repo, ['config', 'core.askPass', canary]);
    vi.stubEnv('GIT_ASKPASS', undefined);
    vi.stubEnv('SSH_ASKPASS', undefined);
    const input = 'protocol=https\nhost=example.com\n\n';
    const result = await git(repo, ['credential', 'fill'], { input, allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('terminal prompts disabled');
    expect(existsSync(log)).toBe(false);
    // Control: the same repository does run the canary through plain git.
    try {
      execFileSync('git', ['credential', 'fill'], {
        cwd: repo,
        input,
        stdio: 'pipe',
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
    } catch {
      // prompting fails after the helpers ran; only the canary matters
    }
    expect(await readFile(log, 'utf8')).toContain('get');
  });

  it('runs the user’s ssh, not the repository’s core.sshCommand', async () => {
    const repo = await repoWithCommit();
    const bin = await tempDir();
    const log = join(bin, 'ran.log');
    for (const name of ['ssh', 'evil-ssh']) {
      await writeFile(join(bin, name), `#!/bin/sh\necho ${name} >> '${log}'\nexit 1\n`);
      await chmod(join(bin, name), 0o755);
    }
    raw(repo, ['config', 'core.sshCommand', join(bin, 'evil-ssh')]);
    vi.stubEnv('PATH', `${bin}:${process.env.PATH ?? ''}`);
    vi.stubEnv('GIT_SSH_COMMAND', undefined);
    vi.stubEnv('GIT_SSH', undefined);
    const result = await git(repo, ['fetch', 'ssh://example.invalid/x.git'], { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(await readFile(log, 'utf8')).toBe('ssh\n');
    try {
      raw(repo, ['fetch', 'ssh://example.invalid/x.git']);
    } catch {
      // the fake ssh fails the fetch; the control only checks which program ran
    }
    expect((await readFile(log, 'utf8')).split('\n')).toContain('evil-ssh');
  });
});

describe('neutralizeRepositoryConfig', () => {
  const entries = (text: string) => parseConfigList(text);

  it('parses scope, key and value, including valueless keys', () => {
    expect(entries('local\0core.bare\nfalse\0local\0x.flag\0')).toEqual([
      { scope: 'local', key: 'core.bare', value: 'false' },
      { scope: 'local', key: 'x.flag', value: null },
    ]);
  });

  it('replaces program-running keys set by the repository, keeping the user’s own values', () => {
    const list = entries(
      [
        'global\0filter.lfs.process\ngit-lfs filter-process',
        'global\0filter.lfs.required\ntrue',
        'global\0core.sshcommand\nssh -i key',
        'local\0filter.lfs.process\nevil',
        'local\0filter.Evil.clean\nevil',
        'local\0core.sshcommand\nevil',
        'worktree\0core.askpass\nevil',
        'local\0remote.origin.uploadpack\nevil',
        'local\0gpg.ssh.program\nevil',
        'local\0user.name\nharmless',
        '',
      ].join('\0'),
    );
    const { config, args } = neutralizeRepositoryConfig(list, {});
    expect(args).toEqual({
      fetch: ['--upload-pack=git-upload-pack'],
      pull: ['--upload-pack=git-upload-pack'],
      'ls-remote': ['--upload-pack=git-upload-pack'],
    });
    expect(Object.fromEntries(config)).toEqual({
      'filter.lfs.clean': '',
      'filter.lfs.smudge': '',
      'filter.lfs.process': 'git-lfs filter-process',
      'filter.lfs.required': 'true',
      'filter.Evil.clean': '',
      'filter.Evil.smudge': '',
      'filter.Evil.process': '',
      'filter.Evil.required': 'false',
      'core.sshcommand': 'ssh -i key',
      'core.askpass': '',
      'gpg.ssh.program': 'ssh-keygen',
    });
  });

  it('resets credential helpers and re-adds the user’s, and disables a repository gitProxy', () => {
    const list = entries(
      'global\0credential.helper\nstore\0local\0credential.https://x.helper\nevil\0local\0core.gitproxy\nevil\0',
    );
    const result = neutralizeRepositoryConfig(list, {});
    expect(result.config).toEqual([
      ['credential.helper', ''],
      ['credential.helper', 'store'],
    ]);
    expect(result.env).toEqual({ GIT_PROXY_COMMAND: '' });
    expect(neutralizeRepositoryConfig(list, { GIT_PROXY_COMMAND: 'mine' }).env).toEqual({
      GIT_PROXY_COMMAND: 'mine',
    });
  });

  it('leaves a repository without such keys alone', () => {
    const harmless = entries('local\0core.bare\nfalse\0global\0credential.helper\nstore\0');
    expect(neutralizeRepositoryConfig(harmless, {})).toEqual({ config: [], env: {}, args: {} });
  });
});

describe('inspectRepository', () => {
  it('types every failure', async () => {
    const base = await tempDir();
    expect(await inspectRepository(join(base, 'missing'))).toMatchObject({
      ok: false,
      error: { type: 'not_found' },
    });
    await mkdir(join(base, 'plain'));
    expect(await inspectRepository(join(base, 'plain'))).toMatchObject({
      ok: false,
      error: { type: 'not_a_repository' },
    });
    await writeFile(join(base, 'file'), 'x');
    expect(await inspectRepository(join(base, 'file'))).toMatchObject({
      ok: false,
      error: { type: 'not_a_repository' },
    });
    raw(base, ['init', '-q', '--bare', 'bare.git']);
    expect(await inspectRepository(join(base, 'bare.git'))).toMatchObject({
      ok: false,
      error: { type: 'bare' },
    });
    raw(base, ['init', '-q', '-b', 'main', 'empty']);
    expect(await inspectRepository(join(base, 'empty'))).toMatchObject({
      ok: false,
      error: { type: 'no_commits' },
    });
  });

  it('describes a repository from any of its subdirectories, with credentials stripped from the remote', async () => {
    const repo = await repoWithCommit();
    await mkdir(join(repo, 'sub'));
    const sha = raw(repo, ['rev-parse', 'HEAD']).trim();
    expect(await inspectRepository(join(repo, 'sub'))).toEqual({
      ok: true,
      root: repo,
      defaultBranch: 'main',
      headSha: sha,
      remoteUrl: null,
    });
    raw(repo, ['remote', 'add', 'origin', 'https://user:ghp_secret@example.com/o/r.git']);
    expect(await inspectRepository(repo)).toMatchObject({ remoteUrl: 'https://example.com/o/r.git' });
  });

  it('uses origin/HEAD when detached, else main', async () => {
    const repo = await repoWithCommit();
    raw(repo, ['checkout', '-q', '--detach']);
    expect(await inspectRepository(repo)).toMatchObject({ ok: true, defaultBranch: 'main' });
    raw(repo, ['update-ref', 'refs/remotes/origin/trunk', 'HEAD']);
    raw(repo, ['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk']);
    expect(await inspectRepository(repo)).toMatchObject({ ok: true, defaultBranch: 'trunk' });
  });
});

describe('ownGitDir', () => {
  it('answers as git does for a checkout and a linked worktree, and leaves a subdirectory to git', async () => {
    const repo = await repoWithCommit();
    const wt = join(await tempDir(), 'wt');
    raw(repo, ['worktree', 'add', '-q', '-b', 'side', wt]);
    for (const dir of [repo, wt])
      expect(ownGitDir(dir)).toBe(resolve(dir, raw(dir, ['rev-parse', '--git-dir']).trim()));
    await mkdir(join(repo, 'sub'));
    expect(ownGitDir(join(repo, 'sub'))).toBeNull();
    expect(ownGitDir(await tempDir())).toBeNull();
  });
});

describe('scanConfig', () => {
  it('a scan handed to a call replaces its own, and is as harmless: the filter still does not run', async () => {
    const repo = await repoWithCommit();
    const canary = join(repo, '..', `canary-${Date.now()}`);
    raw(repo, ['config', 'filter.evil.clean', `touch ${canary}; cat`]);
    await writeFile(join(repo, '.gitattributes'), '* filter=evil\n');
    await writeFile(join(repo, 'new.txt'), 'new\n');
    const scan = (await scanConfig(repo)) as ConfigScan;
    expect(scan.entries.some((e) => e.key === 'filter.evil.clean')).toBe(true);
    const lines = await gitTrace(() => git(repo, ['add', '--all'], { scan }));
    expect(lines.filter((l) => l.includes('config -z --list'))).toEqual([]);
    expect(lines.some((l) => l.includes("'add' '--all'") || l.includes('add --all'))).toBe(true);
    expect(existsSync(canary)).toBe(false);
  });

  it('a scan of another directory is not used: the call scans its own', async () => {
    const repo = await repoWithCommit();
    const other = await repoWithCommit();
    const scan = (await scanConfig(other)) as ConfigScan;
    const lines = await gitTrace(() => git(repo, ['status', '--porcelain'], { scan }));
    expect(lines.filter((l) => l.includes('config -z --list'))).toHaveLength(1);
  });

  it('calls that ask while a read of the directory is under way share it; one asking later reads again', async () => {
    const repo = await repoWithCommit();
    let together: Array<ConfigScan | unknown> = [];
    const lines = await gitTrace(async () => {
      together = await Promise.all([
        scanConfig(repo),
        git(repo, ['status', '--porcelain']),
        scanConfig(repo),
      ]);
    });
    expect(lines.filter((l) => l.includes('config -z --list'))).toHaveLength(1);
    expect(together[2]).toBe(together[0]);
    // A later call is not handed the settled read: it sees what changed since.
    raw(repo, ['config', 'filter.later.clean', 'cat']);
    const later = (await scanConfig(repo)) as ConfigScan;
    expect(later).not.toBe(together[0]);
    expect(later.entries.some((e) => e.key === 'filter.later.clean')).toBe(true);
    // Another environment is another read.
    const elsewhere = await gitTrace(() =>
      Promise.all([scanConfig(repo), scanConfig(repo, { env: { GIT_CONFIG_NOSYSTEM: '1' } })]),
    );
    expect(elsewhere.filter((l) => l.includes('config -z --list'))).toHaveLength(2);
  });

  it('commitAll reads the config once for its calls, and takes the identity from it', async () => {
    const repo = await repoWithCommit();
    raw(repo, ['config', 'user.name', 'Ada']);
    raw(repo, ['config', 'user.email', 'ada@example.com']);
    await writeFile(join(repo, 'new.txt'), 'new\n');
    const lines = await gitTrace(() => commitAll({ cwd: repo, message: 'work' }));
    expect(lines.filter((l) => l.includes('config -z --list'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('config --get'))).toEqual([]);
    expect(raw(repo, ['log', '-1', '--format=%an <%ae>']).trim()).toBe('Ada <ada@example.com>');
  });
});

describe('resolveIdentity', () => {
  it('answers the same from a scan as from git config --get', async () => {
    const repo = await repoWithCommit();
    raw(repo, ['config', 'user.name', 'Ada']);
    raw(repo, ['config', 'user.email', 'ada@example.com']);
    const scan = (await scanConfig(repo)) as ConfigScan;
    expect(await resolveIdentity(repo, scan)).toEqual(await resolveIdentity(repo));
    raw(repo, ['config', '--unset', 'user.email']);
    const home = await tempDir();
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', home);
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    vi.stubEnv('GIT_CONFIG_GLOBAL', undefined);
    const partial = (await scanConfig(repo)) as ConfigScan;
    expect(await resolveIdentity(repo, partial)).toMatchObject({ source: 'gluon' });
    expect(await resolveIdentity(repo, partial)).toEqual(await resolveIdentity(repo));
  });

  it('uses the configured identity', async () => {
    const repo = await repoWithCommit();
    raw(repo, ['config', 'user.name', 'Ada']);
    raw(repo, ['config', 'user.email', 'ada@example.com']);
    expect(await resolveIdentity(repo)).toEqual({
      name: 'Ada',
      email: 'ada@example.com',
      source: 'user',
      env: {},
    });
  });

  it('falls back to Gluon when no identity is configured anywhere', async () => {
    const repo = await repoWithCommit();
    const home = await tempDir();
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', home);
    vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
    vi.stubEnv('GIT_CONFIG_GLOBAL', undefined);
    const identity = await resolveIdentity(repo);
    expect(identity).toMatchObject({ name: 'Gluon', email: 'gluon@localhost', source: 'gluon' });
    expect(identity.env).toMatchObject({ GIT_AUTHOR_NAME: 'Gluon', GIT_COMMITTER_EMAIL: 'gluon@localhost' });
  });
});
