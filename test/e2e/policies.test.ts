/**
 * Policies through the real server and the real Claude Code: profiles and loops refused at creation,
 * approval and cost cap raised to the policy; denied tools and writes to protected paths refused at the
 * tool call (Write and Bash redirections), and a write the gate cannot see put back before the commit,
 * so nothing protected reaches the branch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/client.js';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as ApiError,
  );

describe('policies', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
    await g.client.setPolicy({
      scope: 'workspace',
      name: 'default',
      policy: {
        allowedProfiles: ['quick', 'standard'],
        deniedTools: ['WebFetch'],
        protectedPaths: ['.github/workflows/**'],
      },
    });
    await g.client.setPolicy({
      scope: 'project',
      name: 'sample',
      policy: {
        ralphAllowed: false,
        maxCostPerTaskUsd: 5,
        minApproval: 'careful',
        protectedPaths: ['infra/**'],
      },
    });
  });
  afterAll(async () => g?.close());

  it('refuses what the policy forbids at creation, and raises the rest to it', async () => {
    const deep = await errorOf(g.client.createTask({ project: 'sample', prompt: 'x', profile: 'deep' }));
    expect(deep).toMatchObject({ status: 403, code: 'policy_denied' });
    expect(deep!.message).toBe('the policy allows only the quick, standard profile(s), not deep');
    const loop = await errorOf(g.client.createTask({ project: 'sample', prompt: 'x', ralph: true }));
    expect(loop).toMatchObject({ status: 403, code: 'policy_denied' });
    const listed = await g.client.policies();
    expect(listed.map((p) => `${p.scope} ${p.name}`).sort()).toEqual(['project sample', 'workspace default']);
  });

  it('refuses writes to protected paths at the tool call, Write and Bash alike, and denied tools', async () => {
    const write = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=infra/main.tf content=evil]] write infra',
    });
    expect(write.approval).toBe('careful');
    expect(write.maxCostUsd).toBe(5);
    const redirect = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:bash cmd="echo evil > .github/workflows/ci.yml"]] ci',
    });
    const fetchTool = await g.client.createTask({
      project: 'sample',
      prompt:
        '[[scenario:tool name=WebFetch input="{\\"url\\":\\"https://example.com\\",\\"prompt\\":\\"x\\"}"]] fetch',
    });
    for (const [task, needle] of [
      [write, 'infra/main.tf is a protected path (infra/**)'],
      [redirect, '.github/workflows/ci.yml is a protected path (.github/workflows/**)'],
      [fetchTool, 'the tool WebFetch is denied by policy (WebFetch)'],
    ] as const) {
      const done = await waitForTask(g.client, task.id, settled, `task ${task.id}`);
      const { events } = await g.client.events(done.id);
      const refused = events.find((e) => e.type === 'tool.result' && e.data.isError);
      expect(refused?.type === 'tool.result' && String(JSON.stringify(refused.data))).toContain(needle);
      const files = done.branch ? await git(g.repo, 'ls-tree', '-r', '--name-only', done.branch) : '';
      expect(files).not.toMatch(/infra\/|\.github\/workflows\//);
    }
  });

  it('puts back, before the commit, what the gate could not see — also what the agent committed itself', async () => {
    const hidden =
      "sh -c 'mkdir -p infra && echo one > infra/own.tf && git add -A && git -c user.name=a -c user.email=a@b commit -qm own && echo two > infra/later.tf && echo fine > ok.txt'";
    const task = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="${hidden.replace(/"/g, '\\"')}"]] hide it`,
    });
    const done = await waitForTask(g.client, task.id, settled, 'the hidden write');
    expect(done.status).toBe('review');
    const files = (await git(g.repo, 'ls-tree', '-r', '--name-only', done.branch!)).split('\n');
    expect(files).toContain('ok.txt');
    expect(files.filter((f) => f.startsWith('infra/'))).toEqual([]);
    const { events } = await g.client.events(done.id);
    const error = events.find((e) => e.type === 'run.error');
    expect(error?.type === 'run.error' && error.data.message).toBe(
      'changes to protected paths were put back and not committed (policy): infra/own.tf, infra/later.tf',
    );
  });

  it('answers bad policies with 4xx', async () => {
    const bad = await errorOf(
      g.client.setPolicy({ scope: 'project', name: 'sample', policy: { protectedPaths: ['../x'] } }),
    );
    expect(bad).toMatchObject({ status: 400, code: 'invalid_input' });
    const missing = await errorOf(g.client.setPolicy({ scope: 'workspace', name: 'nope', policy: {} }));
    expect(missing).toMatchObject({ status: 404 });
  });
});
