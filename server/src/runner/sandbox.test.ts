import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  probeSandbox,
  probeSandboxInBackground,
  sandboxSettings,
  webFetchRefusal,
  worktreeGitDirs,
} from './sandbox.js';

const tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'gluon-sandbox-')));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('probeSandbox', () => {
  it('finds no sandbox where bwrap is not on the PATH', () => {
    const empty = path.join(tmp, 'empty-bin');
    mkdirSync(empty);
    expect(probeSandbox({ PATH: empty }, 'linux')).toEqual({
      available: false,
      reason: 'bubblewrap (bwrap) is not installed (Debian: apt install bubblewrap)',
    });
  });

  it('finds none on a platform without one', () => {
    expect(probeSandbox({ PATH: '/usr/bin' }, 'win32')).toEqual({
      available: false,
      reason: 'there is no agent sandbox on win32',
    });
  });

  it('says why when bwrap is there but cannot start', async () => {
    const bin = path.join(tmp, 'broken-bin');
    mkdirSync(bin);
    // A bwrap that fails as one in a container without user namespaces does.
    writeFileSync(
      path.join(bin, 'bwrap'),
      '#!/bin/sh\necho "bwrap: No permissions to create new namespace" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
    writeFileSync(path.join(bin, 'socat'), '#!/bin/sh\n', { mode: 0o755 });
    expect(probeSandbox({ PATH: bin }, 'linux')).toEqual({
      available: false,
      reason: 'bubblewrap cannot start here: bwrap: No permissions to create new namespace',
    });
    // The server's start probes without waiting on bwrap: the same answer.
    expect(await probeSandboxInBackground({ PATH: bin }, 'linux')).toEqual(
      probeSandbox({ PATH: bin }, 'linux'),
    );
  });

  it('answers in the background as it does in the foreground, here and with nothing on the PATH', async () => {
    expect(await probeSandboxInBackground(process.env)).toEqual(probeSandbox(process.env));
    expect(await probeSandboxInBackground({ PATH: '' }, 'linux')).toEqual(
      probeSandbox({ PATH: '' }, 'linux'),
    );
  });
});

describe('sandboxSettings', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp } });
  const repo = path.join(tmp, 'repo');
  const data = path.join(tmp, 'data');
  const wt = path.join(data, 'worktrees', 'wt-1');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, '-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-q', '--allow-empty', '-m', 'one');
  git(repo, 'worktree', 'add', '-q', '-b', 'gluon-task/1', wt);

  it("opens the worktree's own git metadata, not the repository's config or hooks", () => {
    expect(worktreeGitDirs(wt)).toEqual({
      read: [path.join(repo, '.git')],
      write: [
        path.join(repo, '.git', 'worktrees', 'wt-1'),
        ...['objects', 'refs', 'logs'].map((d) => path.join(repo, '.git', d)),
      ],
    });
    expect(worktreeGitDirs(tmp)).toEqual({ read: [], write: [] });
  });

  it('writes in the worktree, reads nothing of the data directory or the credentials, reaches the API and the allowed hosts', () => {
    const s = sandboxSettings({
      cwd: wt,
      dataDir: data,
      agentHome: path.join(data, 'claude-home'),
      closedInHome: [path.join(data, 'claude-home', '.claude.json')],
      userHome: '/home/ada',
      apiBaseUrl: 'http://127.0.0.1:4100',
      allowedHosts: ['registry.npmjs.org', '127.0.0.1:4100'],
    });
    expect(s).toMatchObject({ enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false });
    expect(s.network).toEqual({
      allowedDomains: ['127.0.0.1:4100', 'registry.npmjs.org'],
      strictAllowlist: true,
    });
    expect(s.filesystem?.allowWrite).toEqual([wt, ...worktreeGitDirs(wt).write]);
    expect(s.filesystem?.denyRead).toEqual(
      expect.arrayContaining([
        data,
        path.join(data, 'claude-home', '.claude.json'),
        '/home/ada/.ssh',
        '/home/ada/.aws',
        '/home/ada/.config/gh',
        '/home/ada/.netrc',
        path.join(data, 'claude-home', '.ssh'),
      ]),
    );
    expect(s.filesystem?.allowRead).toEqual(
      expect.arrayContaining([wt, path.join(data, 'claude-home'), path.join(repo, '.git')]),
    );
    expect(
      sandboxSettings({ cwd: wt, dataDir: data, agentHome: data, closedInHome: [] }).network?.allowedDomains,
    ).toEqual(['api.anthropic.com']);
  });
});

describe('webFetchRefusal', () => {
  const hosts = ['127.0.0.1:4100', 'registry.npmjs.org', '*.example.com'];
  it.each([
    ['http://127.0.0.1:4100/v1', null],
    ['http://127.0.0.1:45866/api/health', 'not 127.0.0.1:45866'],
    ['https://registry.npmjs.org/react', null],
    ['https://docs.example.com/x', null],
    ['https://example.com.evil.io/x', 'not example.com.evil.io'],
    ['not a url', 'WebFetch without a URL the sandbox can check'],
  ])('%s → %s', (url, refusal) => {
    const got = webFetchRefusal('WebFetch', { url }, hosts);
    if (refusal === null) expect(got).toBeNull();
    else expect(got).toContain(refusal);
  });
  it('leaves other tools alone', () => {
    expect(webFetchRefusal('Read', { url: 'http://x' }, hosts)).toBeNull();
  });
});
