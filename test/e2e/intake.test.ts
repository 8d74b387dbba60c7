/**
 * Work that arrives by itself and push, through the built `gluon serve` and CLI with the real Claude Code
 * against the fake Anthropic API: a labelled GitHub issue becomes one task (signed webhook, then polling
 * after a restart, never twice), Gluon comments on the issue at review and when the PR opens; schedules
 * through the CLI; a push service fake receives the encrypted notification and decrypts it.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { deliverWebhook, startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import { startFakePushService, type FakePushService } from '../../fakes/push/index.js';
import { createClient, type GluonClient } from '../../shared/client.js';
import {
  addBareOrigin,
  agentEnv,
  cli,
  freePort,
  git,
  makeRepo,
  spawnServe,
  tempDir,
  waitForTask,
} from './harness.js';

const GITHUB_TOKEN = 'ghp_e2eIntakeToken0123456789abcdefghijklm';
const SECRET = 'whsec-e2e-intake-0123456789';

describe('issues, schedules and push through the built server and CLI', () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let push: FakePushService;
  let serve: ChildProcess;
  let client: GluonClient;
  let env: NodeJS.ProcessEnv;
  let cliEnv: NodeJS.ProcessEnv;
  let home: string;
  let repo: string;
  let remote: string;
  let port: number;
  let hook: string;

  const start = async () => {
    serve = await spawnServe(home, env, port);
  };
  const stop = async () => {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await exited;
  };
  /** Polls `read` until `pred` holds (each wait a real server's background work; the test's timeout bounds it). */
  async function until<T>(read: () => Promise<T> | T, pred: (v: T) => boolean): Promise<T> {
    for (;;) {
      const v = await read();
      if (pred(v)) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    fake = await startFakeAnthropic();
    push = await startFakePushService();
    home = tempDir('home');
    repo = await makeRepo();
    remote = await addBareOrigin(repo);
    github = await startFakeGitHub({
      tokens: [GITHUB_TOKEN],
      resolveBranch: (_o, _r, branch) =>
        git(remote, 'rev-parse', '--verify', `refs/heads/${branch}`).catch(() => null),
    });
    writeFileSync(
      path.join(home, 'config.json'),
      JSON.stringify({
        intake: {
          githubWebhookSecret: SECRET,
          issuePollMs: 500,
          scheduleTickMs: 500,
          pushAllowLoopbackHttp: true,
        },
      }),
    );
    env = { ...agentEnv(fake, home), GITHUB_TOKEN, GLUON_GITHUB_API_URL: github.url };
    port = await freePort();
    await start();
    const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
    client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    cliEnv = {
      PATH: process.env.PATH,
      GLUON_HOME: home,
      GLUON_URL: `http://127.0.0.1:${port}`,
      NO_COLOR: '1',
    };
    hook = `http://127.0.0.1:${port}/integrations/github/webhook`;
  }, 60_000);
  afterAll(async () => {
    if (serve) await stop();
    await fake?.close();
    await github?.stop();
    await push?.stop();
    for (const dir of [home, repo, path.dirname(remote)])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('makes VAPID keys at first start and takes a subscription', async () => {
    expect(statSync(path.join(home, 'vapid.json')).mode & 0o777).toBe(0o600);
    const { publicKey } = await client.pushKey();
    expect(JSON.parse(readFileSync(path.join(home, 'vapid.json'), 'utf8'))).toMatchObject({ publicKey });
    const sub = push.subscribe();
    expect(await client.subscribePush(sub.toJSON())).toEqual({ subscribed: true });
    const add = await cli(
      ['project', 'add', repo, '--name', 'app', '--github', 'acme/app', '--issue-label', 'gluon', '--json'],
      cliEnv,
    );
    expect(add.code).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ name: 'app', issueLabel: 'gluon' });
  });

  it('turns a labelled issue into one task through the signed webhook, and comments at review and PR', async () => {
    const issue = github.addIssue({
      owner: 'acme',
      repo: 'app',
      title: 'Add a changelog',
      body: 'Please.',
      labels: ['gluon'],
    });
    const payload = {
      action: 'labeled',
      issue: github.issueJson(issue),
      repository: { full_name: 'acme/app' },
    };
    expect(
      (await deliverWebhook({ url: hook, secret: 'wrong-secret-123', event: 'issues', payload })).status,
    ).toBe(401);
    expect((await deliverWebhook({ url: hook, secret: null, event: 'issues', payload })).status).toBe(401);
    const first = await deliverWebhook({ url: hook, secret: SECRET, event: 'issues', payload });
    expect(first.status).toBe(202);
    const [taskId] = (JSON.parse(first.text) as { tasks: string[] }).tasks;
    expect(taskId).toBeTruthy();
    const again = await deliverWebhook({ url: hook, secret: SECRET, event: 'issues', payload });
    expect(JSON.parse(again.text)).toEqual({ tasks: [] });
    expect(await client.taskOrigin(taskId!)).toMatchObject({
      issue: { repo: 'acme/app', number: 1, url: `${github.url}/acme/app/issues/1` },
      schedule: null,
    });
    const task = await waitForTask(
      client,
      taskId!,
      (t) => t.status === 'review',
      'the issue task in review',
      120_000,
    );
    expect(task.title).toBe('#1 Add a changelog');
    expect(task.prompt).toContain(`(GitHub issue acme/app#1: ${github.url}/acme/app/issues/1)`);
    const comments = await until(
      () => github.comments,
      (c) => c.length >= 1,
    );
    expect(comments[0]!.body).toContain(`Gluon's task \`${taskId}\` for this issue is ready for review`);
    // The push service got the review notification, encrypted for the subscription: it decrypts to it.
    const pushed = await push.nth(1);
    expect(pushed.vapid.valid).toBe(true);
    expect(pushed.headers['content-encoding']).toBe('aes128gcm');
    expect(JSON.parse(pushed.text!)).toMatchObject({
      kind: 'review',
      taskId,
      title: '#1 Add a changelog is ready for review',
      url: `/tasks/${taskId}`,
    });
    const pr = await client.pr(taskId!);
    await until(
      () => github.comments,
      (c) => c.length >= 2,
    );
    expect(github.comments[1]!.body).toBe(
      `Gluon opened pull request #${pr.number} for this issue: ${pr.url}`,
    );
    await client.pr(taskId!);
    expect(github.comments.filter((c) => c.issueNumber === 1)).toHaveLength(2);
  }, 180_000);

  it('polls labelled issues after a restart without a second task for the first one', async () => {
    await stop();
    github.addIssue({ owner: 'acme', repo: 'app', title: 'Fix the footer', labels: ['gluon', 'bug'] });
    github.addIssue({ owner: 'acme', repo: 'app', title: 'Not for Gluon', labels: ['question'] });
    await start();
    const tasks = await until(
      () => client.listTasks({ project: 'app' }),
      (list) => list.some((t) => t.title === '#2 Fix the footer'),
    );
    await new Promise((r) => setTimeout(r, 1500)); // three more polls
    const titles = (await client.listTasks({ project: 'app' })).map((t) => t.title);
    expect(titles.filter((t) => t.startsWith('#1 '))).toHaveLength(1);
    expect(titles.filter((t) => t.startsWith('#2 '))).toHaveLength(1);
    expect(titles.some((t) => t.includes('Not for Gluon'))).toBe(false);
    expect(tasks.length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('adds, lists, runs, pauses, resumes and removes a schedule through the CLI', async () => {
    const bad = await cli(['schedule', 'add', '--cron', '0 7 * *', '--project', 'app', 'x'], cliEnv);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const add = await cli(
      ['schedule', 'add', '--cron', '0 7 * * 1-5', '--project', 'app', 'update', 'the', 'notes'],
      cliEnv,
    );
    expect(add.code).toBe(0);
    const id = add.stdout.trim();
    expect(id).toMatch(/^[a-z0-9]{12}$/);
    const list = await cli(['schedule', 'list'], cliEnv);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('0 7 * * 1-5');
    const run = await cli(['schedule', 'run', id.slice(0, 6)], cliEnv);
    expect(run.code).toBe(0);
    const taskId = run.stdout.trim();
    expect(await client.taskOrigin(taskId)).toMatchObject({
      issue: null,
      schedule: { id, cron: '0 7 * * 1-5' },
    });
    const show = await cli(['schedule', 'show', id], cliEnv);
    expect(show.stdout).toContain(taskId);
    expect((await cli(['schedule', 'pause', id], cliEnv)).stdout).toContain(`paused schedule ${id}`);
    expect((await client.getSchedule(id)).status).toBe('paused');
    expect((await cli(['schedule', 'resume', id], cliEnv)).stdout).toContain(`resumed schedule ${id}`);
    expect((await cli(['schedule', 'rm', id], cliEnv)).code).toBe(0);
    expect((await cli(['schedule', 'list'], cliEnv)).stdout).not.toContain(id);
    await waitForTask(client, taskId, (t) => t.status === 'review', 'the scheduled task', 120_000);
  }, 180_000);

  it('refuses a push action without the header, and one not signed by the server', async () => {
    const url = `http://127.0.0.1:${port}/api/push/action`;
    const body = JSON.stringify({
      taskId: 'abcdabcdabcd',
      requestId: 'r1',
      action: 'approve',
      signature: 'A'.repeat(43),
    });
    const headers = { 'content-type': 'application/json' };
    expect((await fetch(url, { method: 'POST', headers, body })).status).toBe(401);
    const forged = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'x-gluon-push-action': '1' },
      body,
    });
    expect(forged.status).toBe(403);
  });
});
