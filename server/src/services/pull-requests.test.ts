import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../../fakes/github/index.js';
import { createDirs, raw, repoWith, withRemote, writeFiles } from '../runner/testing/git-fixtures.js';
import { createWorktree } from '../runner/worktrees.js';
import { commitAll } from '../runner/git-commit.js';
import { createPullRequests, githubSettingsFrom } from './pull-requests.js';
import { insertProject, insertTask, openGitTestbed } from './testing/git-services.js';

const SECRET = 'ghp_' + 'S'.repeat(36);
const dirs = createDirs();
let fake: FakeGitHub;
let remote: string;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  fake = await startFakeGitHub({
    tokens: ['ghp_server_token_0123456789'],
    // The fake answers 422 for a head branch the remote does not have, like GitHub.
    resolveBranch: (_o, _r, branch) => {
      try {
        return raw(remote, ['rev-parse', '--verify', `refs/heads/${branch}`]).trim();
      } catch {
        return null;
      }
    },
  });
});
afterAll(async () => {
  for (const close of closers) await close();
  await fake?.stop();
  await dirs.cleanup();
});

async function setup(opts: { github?: string | null; token?: string | null } = {}) {
  const bed = await openGitTestbed(await dirs.make(), [SECRET]);
  closers.push(() => bed.storage.close());
  const repo = await repoWith(dirs, { 'app.txt': 'app\n' });
  ({ remote } = await withRemote(dirs, repo));
  const project = await insertProject(bed.storage, {
    path: repo,
    remoteUrl: remote,
    github: opts.github === undefined ? 'acme/app' : opts.github,
  });
  let task = await insertTask(bed.storage, project, { title: 'Add the greeting' });
  const wt = join(await dirs.make(), `wt-${task.id}`);
  const created = await createWorktree({ repo, path: wt, branch: `gluon-task/${task.id}`, baseRef: 'main' });
  await writeFiles(wt, { 'hello.txt': 'hello\n' });
  await commitAll({ cwd: wt, message: 'Add the greeting', trailers: { 'Gluon-Task': task.id } });
  task = await bed.state.update(task.id, {
    branch: created.branch,
    worktreePath: wt,
    baseSha: created.baseSha,
  });
  await bed.events.emit(task.id, {
    type: 'agent.text',
    data: { messageId: 'm1', text: `I added hello.txt. (token ${SECRET})` },
  });
  const github = {
    token: opts.token === undefined ? 'ghp_server_token_0123456789' : opts.token,
    apiUrl: fake.url,
  };
  const logs: string[] = [];
  const prs = createPullRequests({ ...bed, github, tasks: { get: bed.get }, log: (m) => logs.push(m) });
  return { ...bed, prs, task, repo, logs };
}

describe('opening a pull request', () => {
  it('pushes the branch and opens one PR; asking twice returns the same PR (real Octokit, fake GitHub)', async () => {
    const s = await setup();
    const first = await s.prs.open(s.task.id.slice(0, 6));
    const second = await s.prs.open(s.task.id);
    expect(first).toEqual({
      number: first.number,
      url: `${fake.url}/acme/app/pull/${first.number}`,
      state: 'open',
      checks: null,
    });
    expect(second).toEqual(first);
    const mine = fake.pulls.filter((p) => p.head === s.task.branch);
    expect(mine).toHaveLength(1);
    expect(
      fake.requests.filter(
        (r) => r.method === 'POST' && r.body && (r.body as { head?: string }).head === s.task.branch,
      ),
    ).toHaveLength(1);
    expect(raw(remote, ['rev-parse', `refs/heads/${s.task.branch}`]).trim()).toBe(
      raw(s.repo, ['rev-parse', s.task.branch!]).trim(),
    );
    expect(await s.prs.gitState(s.task.id)).toEqual({ pr: first, conflictFiles: null });
  });

  it('builds title and body from the task, its summary and its commits, with secrets redacted', async () => {
    const s = await setup();
    await s.prs.open(s.task.id);
    const pr = fake.pulls.find((p) => p.head === s.task.branch)!;
    expect(pr.title).toBe('Add the greeting');
    expect(pr.base).toBe('main');
    expect(pr.body).toContain('I added hello.txt.');
    expect(pr.body).toMatch(/### Commits\n\n- `[0-9a-f]{7}` Add the greeting/);
    expect(pr.body).toContain(`Opened by Gluon from task \`${s.task.id}\``);
    expect(pr.body).not.toContain(SECRET);
    expect(pr.body).toContain('[REDACTED]');
    const events = await s.storage.events.listAfter(s.task.id, 0, 100);
    expect(
      events.some(
        (e) => e.type === 'notice' && e.data.message.startsWith(`opened pull request #${pr.number}`),
      ),
    ).toBe(true);
  });

  it('a merged PR moves its task to done; state and checks stay current through the poll', async () => {
    const s = await setup();
    const pr = await s.prs.open(s.task.id);
    const head = raw(s.repo, ['rev-parse', s.task.branch!]).trim();
    fake.addCheckRun('acme', 'app', head, { name: 'ci', status: 'in_progress', conclusion: null });
    await s.prs.pollOnce();
    expect((await s.prs.gitState(s.task.id)).pr).toMatchObject({ state: 'open', checks: 'pending' });
    expect((await s.storage.tasks.findById(s.task.id))!.status).toBe('review');
    fake.merge('acme', 'app', pr.number);
    await s.prs.pollOnce();
    const task = (await s.storage.tasks.findById(s.task.id))!;
    expect(task.status).toBe('done');
    expect((await s.prs.gitState(s.task.id)).pr?.state).toBe('merged');
    const events = await s.storage.events.listAfter(s.task.id, 0, 100);
    expect(events.find((e) => e.type === 'status.changed' && e.data.to === 'done')?.data).toEqual({
      from: 'review',
      to: 'done',
      reason: `pull request #${pr.number} was merged`,
    });
    expect(await s.prs.pollOnce()).toBe(0); // nothing left to watch
  });

  it('a closed PR is recorded as closed, its task stays in review, and a new click opens a new PR', async () => {
    const s = await setup();
    const pr = await s.prs.open(s.task.id);
    fake.close('acme', 'app', pr.number);
    await s.prs.pollOnce();
    expect((await s.prs.gitState(s.task.id)).pr?.state).toBe('closed');
    expect((await s.storage.tasks.findById(s.task.id))!.status).toBe('review');
    const again = await s.prs.open(s.task.id);
    expect(again.number).not.toBe(pr.number);
    expect(again.state).toBe('open');
  });

  it('says clearly what is missing: token, repository, an idle task; and maps GitHub failures', async () => {
    const noToken = await setup({ token: null });
    await expect(noToken.prs.open(noToken.task.id)).rejects.toMatchObject({
      status: 409,
      code: 'no_github_token',
    });
    const noRepo = await setup({ github: null });
    await expect(noRepo.prs.open(noRepo.task.id)).rejects.toMatchObject({
      status: 409,
      code: 'no_github_repo',
    });
    const running = await setup();
    await running.state.transition(
      (await running.storage.tasks.findById(running.task.id))!,
      'queued',
      'resume',
    );
    await expect(running.prs.open(running.task.id)).rejects.toMatchObject({
      status: 409,
      code: 'task_active',
    });
    const badToken = await setup({ token: 'ghp_wrong_token_000000000' });
    await expect(badToken.prs.open(badToken.task.id)).rejects.toMatchObject({
      status: 502,
      code: 'github_unauthorized',
    });
  });

  it('reads the token from configuration or GITHUB_TOKEN, the API URL from GLUON_GITHUB_API_URL', () => {
    expect(
      githubSettingsFrom(undefined, { GITHUB_TOKEN: 't1', GLUON_GITHUB_API_URL: 'https://ghe/api/v3' }),
    ).toEqual({ token: 't1', apiUrl: 'https://ghe/api/v3' });
    expect(githubSettingsFrom({ token: 'cfg', apiUrl: 'https://x' }, { GITHUB_TOKEN: 't1' })).toEqual({
      token: 'cfg',
      apiUrl: 'https://x',
    });
    expect(githubSettingsFrom(undefined, {})).toEqual({ token: null, apiUrl: null });
  });
});
