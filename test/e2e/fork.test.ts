/**
 * `gluon fork`, through the built CLI and a real server with the real Claude Code and real git: the fork's
 * branch starts at the source's tip, its first run continues a copy of the source's session (the scripted
 * model sees the earlier conversation), the two are linked both ways, and the source's session and cost
 * are its own. Bad input: exit 2, 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDto } from '../../shared/api.js';
import { cli, git, settled, startGluon, waitForTask, type Gluon, cliEnv } from './harness.js';

describe('gluon fork with the real agent and real git', () => {
  let g: Gluon;
  let env: NodeJS.ProcessEnv;
  const show = async (id: string) => JSON.parse((await cli(['show', id, '--json'], env)).stdout) as TaskDto;
  beforeAll(async () => {
    g = await startGluon();
    env = cliEnv(g);
  });
  afterAll(async () => g?.close());

  it('forks a task: branch at its tip, session continued, linked both ways; without a prompt, its prompt', async () => {
    const made = await cli(
      ['task', 'create', '--project', 'sample', '[[scenario:reviewed path=a.txt content=first]] Write a'],
      env,
    );
    const src = made.stdout.trim();
    const source = await waitForTask(g.client, src, settled, 'the source', 90_000);
    expect(source.status).toBe('review');
    const tip = await git(g.repo, 'rev-parse', source.branch!);

    const forked = await cli(['fork', src.slice(0, 8), 'Try', 'it', 'another', 'way'], env);
    expect(forked).toMatchObject({ code: 0, stderr: '' });
    const id = forked.stdout.trim();
    expect(id).toMatch(/^[a-z0-9]+$/);
    const fork = await waitForTask(g.client, id, settled, 'the fork', 90_000);
    expect(fork).toMatchObject({
      status: 'review',
      prompt: 'Try it another way',
      branch: `gluon-task/${id}`,
      baseBranch: 'main',
      forkedFrom: src,
    });
    // The fork's branch starts at the source's tip: a.txt is there, its first commit's parent is the tip.
    expect(await git(g.repo, 'show', `${fork.branch}:a.txt`)).toBe('first');
    expect(await git(g.repo, 'rev-parse', `${fork.branch}~1`)).toBe(tip);
    // Its run continued the source's conversation: the scripted model saw the earlier turn (the `reviewed`
    // scenario of the source's prompt, second turn) and wrote the new words to review-feedback.md.
    expect(await git(g.repo, 'show', `${fork.branch}:review-feedback.md`)).toBe('Try it another way');
    const runs = await g.client.runs(id);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.kind).toBe('resume');
    // A copy, not the source's own session: the fork has a session id of its own; the source is untouched.
    expect(fork.sessionId).not.toBeNull();
    expect(fork.sessionId).not.toBe(source.sessionId);
    const after = await show(src);
    expect(after).toMatchObject({ sessionId: source.sessionId, forks: [id], forkedFrom: null });
    expect(await git(g.repo, 'rev-parse', source.branch!)).toBe(tip);
    // The fork's cost is its own run only (the forked session's totals include the source's).
    expect(fork.costUsd).toBeCloseTo((await g.client.runs(id))[0]!.costUsd, 6);
    expect(fork.costUsd).toBeLessThan(source.costUsd * 1.5);
    const events = (await g.client.events(src)).events.filter((e) => e.type === 'notice');
    expect(events.map((e) => (e.data as { message: string }).message)).toContain(
      `forked as “Try it another way” (${id.slice(0, 8)})`,
    );
    expect((await cli(['show', id], env)).stdout).toMatch(new RegExp(`forked from:?\\s+${src}`));

    // Without a prompt, the fork gets the source's.
    const again = await cli(['fork', src, '--json'], env);
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout) as TaskDto;
    expect(second).toMatchObject({ prompt: source.prompt, title: 'Write a (fork)', forkedFrom: src });
    await waitForTask(g.client, second.id, settled, 'the second fork', 90_000);
    expect((await show(src)).forks).toEqual([id, second.id]);
  });

  it('refuses bad input: an unknown id, a malformed one, a task still running (exit 2, 4xx)', async () => {
    const unknown = await cli(['fork', 'zzzz9999'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toEqual([expect.stringMatching(/task zzzz9999 not found/)]);
    expect((await cli(['fork', 'NOPE!'], env)).code).toBe(2);
    const busy = (
      await cli(['task', 'create', '--project', 'sample', '[[scenario:steps n=3 delay=1500]] Busy'], env)
    ).stdout.trim();
    const active = await cli(['fork', busy], env);
    expect(active.code).toBe(2);
    expect(active.stderr).toMatch(/fork it once it stops/);
    await expect(g.client.fork(busy)).rejects.toMatchObject({ status: 409, code: 'task_active' });
    await expect(g.client.fork('zzzz9999')).rejects.toMatchObject({ status: 404 });
    await waitForTask(g.client, busy, settled, 'the busy task', 90_000);
  });
});
