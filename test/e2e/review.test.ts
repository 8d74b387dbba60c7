import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { startServer, type RunningServer } from '../../server/src/server.js';
import { ApiError, createClient, type GluonClient } from '../../shared/client.js';
import { addBareOrigin, agentEnv, git, makeRepo, settled, tempDir, waitForTask } from './harness.js';

const GITHUB_TOKEN = 'ghp_e2eReviewToken0123456789abcdefghijkl';

/**
 * The harness's setup (fake Anthropic, a repository, an in-process server with the real Claude Code),
 * plus a bare repository as `origin`, a colleague's clone, and the fake GitHub as the API.
 */
describe('review data and pull requests through the real server and HTTP API', () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let server: RunningServer;
  let client: GluonClient;
  let home: string;
  let repo: string;
  let remote: string;
  let colleague: string;
  let taskId: string;

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    home = tempDir('home');
    repo = await makeRepo();
    remote = await addBareOrigin(repo);
    colleague = path.join(tempDir('colleague'), 'c');
    await git(repo, 'clone', '-q', remote, colleague);
    await git(colleague, 'config', 'user.name', 'Colleague');
    await git(colleague, 'config', 'user.email', 'colleague@example.com');
    github = await startFakeGitHub({
      tokens: [GITHUB_TOKEN],
      resolveBranch: (_o, _r, branch) =>
        git(remote, 'rev-parse', '--verify', `refs/heads/${branch}`).catch(() => null),
    });
    server = await startServer({
      home,
      config: { port: 0 },
      env: { ...agentEnv(fake, home), GITHUB_TOKEN, GLUON_GITHUB_API_URL: github.url },
      log: () => {},
    });
    client = createClient({ baseUrl: server.url, token: server.token });
    await client.addProject({ path: repo, name: 'sample', github: 'acme/sample' });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    await github?.stop();
    for (const dir of [home, repo, path.dirname(remote), path.dirname(colleague)])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a task the real agent completed: commits, changes and diffs, and its branch pushed', async () => {
    const created = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=hello.txt content="Hello from the agent"]] Create hello.txt',
    });
    taskId = created.id;
    const task = await waitForTask(client, taskId, settled, 'the task to settle');
    expect(task.status).toBe('review');
    const head = await git(repo, 'rev-parse', task.branch!);

    const commits = await client.commits(taskId);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ sha: head, author: 'Test User', email: 'test@example.com' });
    expect(commits[0]!.message).toContain(`Gluon-Task: ${taskId}`);
    expect(commits[0]!.files).toEqual([
      { path: 'hello.txt', status: 'A', additions: 1, deletions: 0, binary: false },
    ]);

    const changes = await client.changes(taskId);
    expect(changes).toEqual({ base: await git(repo, 'rev-parse', 'main'), head, files: commits[0]!.files });
    const byPath = await client.diff(taskId, { path: 'hello.txt' });
    expect(byPath.truncated).toBe(false);
    expect(byPath.diff).toContain('+Hello from the agent');
    expect((await client.diff(taskId, { commit: head.slice(0, 10) })).diff).toBe(byPath.diff);
    expect((await client.diff(taskId)).diff).toBe(byPath.diff);
    await expect(client.diff(taskId, { path: '../../../etc/passwd' })).rejects.toMatchObject({ status: 404 });
    await expect(client.diff(taskId, { commit: '$(touch x)' })).rejects.toMatchObject({ status: 400 });

    // publishAfterRun pushed the task branch to origin.
    expect(await git(remote, 'rev-parse', `refs/heads/${task.branch}`)).toBe(head);
  });

  it('pr twice → one pull request; the task records it; a merged PR moves the task to done', async () => {
    const first = await client.pr(taskId);
    const second = await client.pr(taskId.slice(0, 6));
    expect(first).toEqual({
      number: 1,
      url: `${github.url}/acme/sample/pull/1`,
      state: 'open',
      checks: null,
    });
    expect(second).toEqual(first);
    expect(github.pulls).toHaveLength(1);
    expect(github.pulls[0]).toMatchObject({ head: `gluon-task/${taskId}`, base: 'main' });
    expect(github.pulls[0]!.body).toContain('Wrote hello.txt.');
    expect(github.requests.every((r) => r.headers.authorization === `token ${GITHUB_TOKEN}`)).toBe(true);
    expect((await client.getTask(taskId)).pr).toEqual(first);

    github.merge('acme', 'sample', first.number);
    // Asking again reads the PR's state now (the poll does the same every minute).
    expect(await client.pr(taskId)).toMatchObject({ number: 1, state: 'merged' });
    const done = await client.getTask(taskId);
    expect(done.status).toBe('done');
    expect(done.pr).toMatchObject({ number: 1, state: 'merged' });
    // History survives the merge: the review data is still there.
    expect((await client.commits(taskId)).map((c) => c.files[0]?.path)).toEqual(['hello.txt']);
  });

  it('a conflicting change on the base: the task shows the files, the worktree is clean; resolve resumes the agent', async () => {
    const created = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=setting.txt content="by the agent"]] Add the setting',
    });
    const first = await waitForTask(client, created.id, settled, 'the first run');
    await git(colleague, 'pull', '-q', 'origin', 'main');
    writeFileSync(path.join(colleague, 'setting.txt'), 'by the colleague\n');
    await git(colleague, 'add', 'setting.txt');
    await git(colleague, 'commit', '-q', '-m', 'colleague adds the same file');
    await git(colleague, 'push', '-q', 'origin', 'main');
    await client.resume(created.id, '[[scenario:write-file path=notes.txt content=more]] Add notes');
    const conflicted = await waitForTask(
      client,
      created.id,
      (t) => settled(t) && t.updatedAt !== first.updatedAt && t.conflictFiles !== null,
      'the conflict',
    );
    expect(conflicted.conflictFiles).toEqual(['setting.txt']);
    expect(await git(conflicted.worktreePath!, 'status', '--porcelain')).toBe('');
    const gitDir = await git(conflicted.worktreePath!, 'rev-parse', '--absolute-git-dir');
    for (const leftover of ['rebase-merge', 'rebase-apply', 'MERGE_HEAD'])
      expect(existsSync(path.join(gitDir, leftover))).toBe(false);

    const runsBefore = (await client.runs(created.id)).length;
    const resolving = await client.resolve(created.id);
    expect(['queued', 'running']).toContain(resolving.status);
    await waitForTask(client, created.id, (t) => settled(t), 'the resolve run');
    expect((await client.runs(created.id)).length).toBe(runsBefore + 1);

    // The agent resolves it (a scripted Bash doing what the resolve prompt asks); the next publish is clean.
    const cmd =
      'git rebase origin/main || { echo resolved > setting.txt; git add setting.txt; GIT_EDITOR=true git rebase --continue; }';
    await client.resume(created.id, `[[scenario:bash cmd="${cmd}"]] resolve`);
    const resolved = await waitForTask(
      client,
      created.id,
      (t) => settled(t) && t.conflictFiles === null,
      'the resolution',
    );
    const head = await git(repo, 'rev-parse', resolved.branch!);
    expect(await git(remote, 'rev-parse', `refs/heads/${resolved.branch}`)).toBe(head);
    expect(await git(repo, 'merge-base', '--is-ancestor', 'origin/main', head).then(() => true)).toBe(true);
    await expect(client.resolve(created.id)).rejects.toBeInstanceOf(ApiError);
  });
});
