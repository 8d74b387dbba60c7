/**
 * The merge queue with a remote, through a real server with the real Claude Code and real git: the base
 * moves on origin (a push, no force), after a fetch that sees a colleague's commit; the user's checked-out
 * main is left as it is (a notice says to pull), and the task branch is pushed rebased.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MergeQueueDto } from '../../shared/api.js';
import { startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { addBareOrigin, git, settled, startGluon, tempDir, type Gluon, waitForTask } from './harness.js';

const GITHUB_TOKEN = 'ghp_e2eMergeToken0123456789abcdefghijklm';

describe('the merge queue with a remote', () => {
  let g: Gluon;
  let remote: string;
  let colleague: string;
  let github: FakeGitHub;
  const finish = async (q: MergeQueueDto) => {
    while (q.status === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      q = await g.client.mergeQueue(q.id);
    }
    return q;
  };
  beforeAll(async () => {
    const onRemote = (...args: string[]) => git(path.dirname(remote), '--git-dir', remote, ...args);
    // GitHub's side of a merge, done to the bare repository: a rebase of a head that already contains the
    // base moves the base to it; a merge makes a merge commit.
    github = await startFakeGitHub({
      tokens: [GITHUB_TOKEN],
      resolveBranch: (_o, _r, branch) =>
        onRemote('rev-parse', '--verify', `refs/heads/${branch}`).catch(() => null),
      onMerge: async (pull, method, sha) => {
        const head = sha ?? (await onRemote('rev-parse', `refs/heads/${pull.head}`));
        const base = await onRemote('rev-parse', `refs/heads/${pull.base}`);
        const tip =
          method === 'merge'
            ? await onRemote(
                '-c',
                'user.name=GitHub',
                '-c',
                'user.email=noreply@github.com',
                'commit-tree',
                `${head}^{tree}`,
                '-p',
                base,
                '-p',
                head,
                '-m',
                `Merge pull request #${pull.number}`,
              )
            : head;
        await onRemote('update-ref', `refs/heads/${pull.base}`, tip, base);
        return tip;
      },
    });
    g = await startGluon({ github: { token: GITHUB_TOKEN, apiUrl: github.url } });
    remote = await addBareOrigin(g.repo);
    await git(g.repo, 'fetch', '-q', 'origin');
    colleague = path.join(tempDir('colleague'), 'c');
    await git(g.repo, 'clone', '-q', remote, colleague);
    await git(colleague, 'config', 'user.name', 'Colleague');
    await git(colleague, 'config', 'user.email', 'colleague@example.com');
  });
  afterAll(async () => {
    await g?.close();
    await github?.stop();
    for (const dir of [remote, colleague])
      if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  it('lands on origin’s main after a colleague’s push, leaves the checked-out main alone, pushes the branch', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=feature.txt content=f]] Add the feature',
    });
    const task = await waitForTask(g.client, t.id, settled, 'the task', 90_000);
    expect(task.status).toBe('review');
    writeFileSync(path.join(colleague, 'colleague.txt'), 'c\n');
    await git(colleague, 'add', 'colleague.txt');
    await git(colleague, 'commit', '-q', '-m', 'a colleague’s change');
    await git(colleague, 'push', '-q', 'origin', 'main');
    const localMain = await git(g.repo, 'rev-parse', 'main');

    const q = await finish(await g.client.merge([t.id]));
    expect(q.entries[0]).toMatchObject({ outcome: 'merged' });
    const landed = q.entries[0]!.sha!;
    expect(await git(remote, 'rev-parse', 'main')).toBe(landed);
    expect(await git(remote, 'show', 'main:colleague.txt')).toBe('c');
    expect(await git(remote, 'show', 'main:feature.txt')).toBe('f');
    // Fast-forward: the rebased task branch is main's tip, and it was pushed as such.
    expect(await git(remote, 'rev-parse', `refs/heads/${task.branch}`)).toBe(landed);
    expect(await git(g.repo, 'rev-parse', 'refs/remotes/origin/main')).toBe(landed);
    // The user's main is checked out: left as it was, and the task says to pull.
    expect(await git(g.repo, 'rev-parse', 'main')).toBe(localMain);
    const notices = (await g.client.events(t.id)).events
      .filter((e) => e.type === 'notice')
      .map((e) => (e.data as { message: string }).message);
    expect(notices).toContainEqual(
      expect.stringMatching(/^merge queue: main is checked out in .*pull there/),
    );
    expect((await g.client.getTask(t.id)).status).toBe('done');
  });

  it('merges through the task’s pull request when it has one: pushed, merged on GitHub, fetched', async () => {
    await g.client.updateProject('sample', { github: 'acme/sample', mergeMethod: 'merge-commit' });
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=via-pr.txt content=p]] Through the pull request',
    });
    const task = await waitForTask(g.client, t.id, settled, 'the task', 90_000);
    expect(task.status).toBe('review');
    const pr = await g.client.pr(t.id);
    expect(pr).toMatchObject({ number: 1, state: 'open' });
    const before = await git(remote, 'rev-parse', 'main');

    const q = await finish(await g.client.merge([t.id]));
    expect(q.entries[0]).toMatchObject({ outcome: 'merged' });
    const tip = await git(remote, 'rev-parse', 'main');
    expect(q.entries[0]!.sha).toBe(tip);
    const head = await git(remote, 'rev-parse', `refs/heads/${task.branch}`);
    expect((await git(remote, 'rev-list', '--parents', '-n', '1', 'main')).split(' ')).toEqual([
      tip,
      before,
      head,
    ]);
    expect(await git(remote, 'log', '-1', '--format=%s', 'main')).toBe('Merge pull request #1');
    const put = github.requests.find((r) => r.method === 'PUT');
    expect(put).toMatchObject({
      path: '/repos/acme/sample/pulls/1/merge',
      body: { sha: head, merge_method: 'merge' },
    });
    expect(github.pulls[0]).toMatchObject({ merged: true });
    expect(await git(g.repo, 'rev-parse', 'refs/remotes/origin/main')).toBe(tip);
    const done = await g.client.getTask(t.id);
    expect(done).toMatchObject({ status: 'done', pr: { number: 1, state: 'merged' } });
    const notices = (await g.client.events(t.id)).events
      .filter((e) => e.type === 'notice')
      .map((e) => (e.data as { message: string }).message);
    expect(notices).toContain('merge queue: merged through pull request #1');
  });
});
