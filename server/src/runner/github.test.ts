import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../../fakes/github/index.js';
import { createGitHub, parseRemoteRepo, resolveGitHubRepo } from './github.js';

describe('which GitHub repository a project is', () => {
  it.each([
    ['https://github.com/acme/app.git', 'acme/app'],
    ['https://github.com/acme/app', 'acme/app'],
    ['https://github.com/acme/app/', 'acme/app'],
    ['git@github.com:acme/app.git', 'acme/app'],
    ['ssh://git@github.com/acme/app.git', 'acme/app'],
    ['ssh://git@ghe.corp.example:2222/team/my.repo.git', 'team/my.repo'],
    ['https://ghe.corp.example/team/svc', 'team/svc'],
  ])('%s → %s', (url, expected) => {
    const r = parseRemoteRepo(url);
    expect(r && `${r.owner}/${r.repo}`).toBe(expected);
  });

  it.each([
    '/srv/git/app.git',
    'file:///srv/app.git',
    'https://github.com/acme',
    'https://github.com/a/b/c',
    'git@github.com:/abs.git',
    'https://github.com/../x',
    'ext::sh -c touch% /tmp/pwned',
  ])('no repository in %j', (url) => expect(parseRemoteRepo(url)).toBeNull());

  it('prefers the project’s github setting over the remote', () => {
    expect(resolveGitHubRepo({ github: 'own/er', remoteUrl: 'https://github.com/acme/app.git' })).toEqual({
      owner: 'own',
      repo: 'er',
    });
    expect(resolveGitHubRepo({ github: null, remoteUrl: 'git@github.com:acme/app.git' })).toEqual({
      owner: 'acme',
      repo: 'app',
    });
    expect(resolveGitHubRepo({ github: 'bad', remoteUrl: null })).toBeNull();
    expect(resolveGitHubRepo({ github: null, remoteUrl: null })).toBeNull();
  });
});

describe('createGitHub against the fake GitHub (real Octokit)', () => {
  let fake: FakeGitHub;
  const repo = { owner: 'acme', repo: 'app' };
  beforeAll(async () => {
    fake = await startFakeGitHub({
      tokens: ['ghp_good'],
      resolveBranch: (_o, _r, branch) => (branch.startsWith('gluon-task/') ? 'a'.repeat(40) : null),
    });
  });
  afterAll(() => fake?.stop());

  it('opens a pull request once: asking again returns the same one', async () => {
    const gh = createGitHub({ token: 'ghp_good', baseUrl: fake.url });
    const input = { ...repo, head: 'gluon-task/abc1', base: 'main', title: 'Fix it', body: 'Done.' };
    const first = await gh.openPullRequest(input);
    const second = await gh.openPullRequest(input);
    expect(first).toEqual({
      pr: { number: 1, url: `${fake.url}/acme/app/pull/1`, state: 'open', headSha: 'a'.repeat(40) },
      created: true,
    });
    expect(second).toEqual({ ...first, created: false });
    expect(fake.pulls).toHaveLength(1);
    const auth = fake.requests.map((r) => r.headers.authorization);
    expect(new Set(auth)).toEqual(new Set(['token ghp_good']));
    expect(
      fake.requests.find((r) => r.method === 'GET' && r.path === '/repos/acme/app/pulls')?.query,
    ).toMatchObject({ head: 'acme:gluon-task/abc1', state: 'open' });
  });

  it('reads the state: open, merged, closed', async () => {
    const gh = createGitHub({ token: 'ghp_good', baseUrl: fake.url });
    const { pr } = await gh.openPullRequest({
      ...repo,
      head: 'gluon-task/abc2',
      base: 'main',
      title: 't',
      body: 'b',
    });
    expect((await gh.getPullRequest(repo, pr.number)).state).toBe('open');
    fake.merge('acme', 'app', pr.number);
    expect((await gh.getPullRequest(repo, pr.number)).state).toBe('merged');
    const other = await gh.openPullRequest({
      ...repo,
      head: 'gluon-task/abc3',
      base: 'main',
      title: 't',
      body: 'b',
    });
    fake.close('acme', 'app', other.pr.number);
    expect((await gh.getPullRequest(repo, other.pr.number)).state).toBe('closed');
  });

  it('combines commit statuses and check runs', async () => {
    const gh = createGitHub({ token: 'ghp_good', baseUrl: fake.url });
    const sha = (n: number) => String(n).repeat(40);
    expect(await gh.getChecks(repo, sha(1))).toBeNull();
    fake.setStatus('acme', 'app', sha(2), { state: 'success', context: 'ci' });
    expect(await gh.getChecks(repo, sha(2))).toBe('success');
    fake.addCheckRun('acme', 'app', sha(2), { name: 'lint', status: 'in_progress', conclusion: null });
    expect(await gh.getChecks(repo, sha(2))).toBe('pending');
    fake.addCheckRun('acme', 'app', sha(2), { name: 'test', status: 'completed', conclusion: 'failure' });
    expect(await gh.getChecks(repo, sha(2))).toBe('failure');
    fake.setStatus('acme', 'app', sha(3), { state: 'pending', context: 'ci' });
    expect(await gh.getChecks(repo, sha(3))).toBe('pending');
    fake.setStatus('acme', 'app', sha(3), { state: 'error', context: 'ci' });
    expect(await gh.getChecks(repo, sha(3))).toBe('failure');
  });

  it('a wrong token and a missing head branch are Octokit errors with the status', async () => {
    const bad = createGitHub({ token: 'ghp_wrong', baseUrl: fake.url });
    await expect(bad.getPullRequest(repo, 1)).rejects.toMatchObject({ status: 401 });
    const gh = createGitHub({ token: 'ghp_good', baseUrl: fake.url });
    await expect(
      gh.openPullRequest({ ...repo, head: 'not-pushed', base: 'main', title: 't', body: 'b' }),
    ).rejects.toMatchObject({ status: 422 });
    await expect(gh.getPullRequest(repo, 999)).rejects.toMatchObject({ status: 404 });
  });
});
