/**
 * `worktreeInclude` with a real remote: the `.env` copied into each worktree reaches the agent but never a
 * commit Gluon makes nor a push, even in a repository that does not ignore it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBareOrigin, git, makeRepo, settled, startGluon, type Gluon, waitForTask } from './harness.js';

const SECRET = 'STRIPE_KEY=sk_live_canary0123456789abcdef';

describe('files copied by worktreeInclude stay out of every pushed commit', () => {
  let g: Gluon;
  let repo: string;
  let remote: string;
  beforeAll(async () => {
    g = await startGluon();
    repo = await makeRepo();
    remote = await addBareOrigin(repo);
    writeFileSync(path.join(repo, '.env'), `${SECRET}\n`);
    const project = await g.client.addProject({ path: repo, name: 'withenv', worktreeInclude: ['.env'] });
    expect(project.remote).toBe(remote);
  });
  afterAll(async () => {
    await g?.close();
    rmSync(repo, { recursive: true, force: true });
    rmSync(path.dirname(remote), { recursive: true, force: true });
  });

  /** Every path of every commit of every branch on the remote, and everything those commits hold. */
  const remoteHistory = async () => ({
    paths: (await git(remote, 'log', '--all', '--format=', '--name-only')).split('\n').filter(Boolean),
    patches: await git(remote, 'log', '--all', '-p', '--format=%H'),
  });

  it('pushes the agent’s work without the .env it was given', async () => {
    const created = await g.client.createTask({
      project: 'withenv',
      prompt: '[[scenario:bash cmd="grep -q sk_live .env && echo present > seen.txt"]] use the env',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the run');
    expect(task.status).toBe('review');
    expect(readFileSync(path.join(task.worktreePath!, '.env'), 'utf8')).toBe(`${SECRET}\n`);
    expect(await git(remote, 'rev-parse', `refs/heads/${task.branch}`)).toBe(
      await git(task.worktreePath!, 'rev-parse', 'HEAD'),
    );
    const { paths } = await remoteHistory();
    expect(paths).toContain('seen.txt');
    expect(paths).not.toContain('.env');
    expect(await git(task.worktreePath!, 'status', '--porcelain')).toBe('?? .env');
  });

  it('does not push a branch on which the agent committed the .env itself, and says why', async () => {
    const created = await g.client.createTask({
      project: 'withenv',
      prompt:
        '[[scenario:bash cmd="echo x > work.txt && git add -A && git commit -qm everything"]] commit all',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the run');
    expect(await git(task.worktreePath!, 'log', '-1', '--name-only', '--format=')).toContain('.env');
    await expect(git(remote, 'rev-parse', '--verify', `refs/heads/${task.branch}`)).rejects.toThrow();
    const { events } = await g.client.events(task.id, { limit: 1000 });
    const notes = events.filter((e) => e.type === 'notice').map((e) => JSON.stringify(e.data));
    expect(notes.join('\n')).toMatch(/not pushed: commit [0-9a-f]{7} contains \.env/);
    const { paths } = await remoteHistory();
    expect(paths).not.toContain('.env');
  });

  it('never lets the secret into any object on the remote', async () => {
    const { patches } = await remoteHistory();
    expect(patches).not.toContain('sk_live_canary');
  });
});
