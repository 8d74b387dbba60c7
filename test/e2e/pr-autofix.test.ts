/**
 * Pull requests that fix themselves, through the built `gluon serve` and CLI with the real Claude Code
 * against the fake Anthropic API and the fake GitHub: a review comment on a line (found by polling), a
 * failed check with its log tail (a signed `check_run` webhook) and `@gluon fix the typo` (webhook and
 * poll both see it) each resume the task's agent once, as a run whose trigger History shows; a webhook
 * with a bad signature is refused and nothing runs; the cost cap stops further auto-resumes and says why
 * in the task's stream; with autofix off nothing happens.
 */
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../fakes/anthropic/index.js';
import { deliverWebhook, startFakeGitHub, type FakeGitHub } from '../../fakes/github/index.js';
import type { RunDto } from '../../shared/api.js';
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

const GITHUB_TOKEN = 'ghp_e2eAutofixToken0123456789abcdefghijklm';
const SECRET = 'whsec-e2e-autofix-0123456789';
const SOURCE = 'function add(a, b) {\\n  return a + b;\\n}\\n';
const POLL_MS = 300;

describe('pull requests that fix themselves, through the built server and CLI', () => {
  let fake: FakeAnthropic;
  let github: FakeGitHub;
  let serve: ChildProcess;
  let client: GluonClient;
  let cliEnv: NodeJS.ProcessEnv;
  let home: string;
  let repo: string;
  let remote: string;
  let hook: string;
  let taskId = '';
  let prNumber = 0;
  let headSha = '';

  /** Polls `read` until `pred` holds (a real server's background work; the test's timeout bounds it). */
  async function until<T>(read: () => Promise<T> | T, pred: (v: T) => boolean): Promise<T> {
    for (;;) {
      const v = await read();
      if (pred(v)) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const notices = async () =>
    (await client.events(taskId, { limit: 5000 })).events.flatMap((e) =>
      e.type === 'notice' ? [e.data.message] : [],
    );
  /** Waits for the task's `n`-th run to end with the task back in review; returns the runs. */
  async function runsAfter(n: number): Promise<RunDto[]> {
    const runs = await until(
      () => client.runs(taskId),
      (list) => list.length >= n && list.every((r) => r.status === 'ended'),
    );
    await waitForTask(client, taskId, (t) => t.status === 'review', `run ${n} settled`, 120_000);
    return runs;
  }
  /** What the agent was told on its latest resume (the `reviewed` scenario writes it down and commits it). */
  const told = () => git(repo, 'show', `gluon-task/${taskId}:review-feedback.md`);
  /** A few polls of the server, to show that something did not happen. */
  const severalPolls = () => new Promise((r) => setTimeout(r, POLL_MS * 6));

  beforeAll(async () => {
    fake = await startFakeAnthropic();
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
      JSON.stringify({ intake: { githubWebhookSecret: SECRET, prAutofixPollMs: POLL_MS, issuePollMs: 0 } }),
    );
    const env = { ...agentEnv(fake, home), GITHUB_TOKEN, GLUON_GITHUB_API_URL: github.url };
    const port = await freePort();
    serve = await spawnServe(home, env, port);
    const token = readFileSync(path.join(home, 'token'), 'utf8').trim();
    client = createClient({ baseUrl: `http://127.0.0.1:${port}`, token });
    cliEnv = {
      PATH: process.env.PATH,
      GLUON_HOME: home,
      GLUON_URL: `http://127.0.0.1:${port}`,
      NO_COLOR: '1',
    };
    hook = `http://127.0.0.1:${port}/integrations/github/webhook`;
    expect((await cli(['project', 'add', repo, '--name', 'app', '--github', 'acme/app'], cliEnv)).code).toBe(
      0,
    );
    const task = await client.createTask({
      project: 'app',
      prompt: `[[scenario:reviewed path=calc.js content="${SOURCE}"]] Write an adder`,
    });
    taskId = task.id;
    await waitForTask(client, taskId, (t) => t.status === 'review', 'the first run', 120_000);
    prNumber = (await client.pr(taskId)).number;
    headSha = github.pulls.find((p) => p.number === prNumber)!.headSha;
  }, 180_000);
  afterAll(async () => {
    if (serve) {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    await fake?.close();
    await github?.stop();
    for (const dir of [home, repo, remote && path.dirname(remote)])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('does nothing while the project’s autofix is off', async () => {
    github.addReviewComment('acme', 'app', prNumber, {
      path: 'calc.js',
      line: 2,
      body: 'Too early',
      user: 'eve',
    });
    const comment = github.addComment('acme', 'app', prNumber, { body: '@gluon do it anyway', user: 'eve' });
    const answer = await deliverWebhook({
      url: hook,
      secret: SECRET,
      event: 'issue_comment',
      payload: {
        action: 'created',
        repository: { full_name: 'acme/app' },
        issue: { number: prNumber, pull_request: {} },
        comment: github.commentJson(comment),
      },
    });
    expect(answer).toMatchObject({ status: 202 });
    expect(JSON.parse(answer.text)).toEqual({ autofix: [] });
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(1);
    expect((await notices()).some((m) => m.includes('resumed the agent'))).toBe(false);
  });

  it('turns autofix on through the CLI; a review comment found by polling resumes the agent once', async () => {
    // What was written while it was off stays unprocessed once it is on: turning it on does not replay the past.
    const set = await cli(['project', 'set', 'app', '--pr-autofix', 'on', '--pr-autofix-cap', '2'], cliEnv);
    expect(set).toMatchObject({ code: 0 });
    expect(set.stdout).toContain('pull requests fix themselves: up to $2 of auto-resumes per pull request');
    expect((await client.listProjects())[0]).toMatchObject({ prAutofix: true, prAutofixCapUsd: 2 });
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(1);

    github.addReviewComment('acme', 'app', prNumber, {
      path: 'calc.js',
      line: 2,
      body: 'Guard against strings. token=ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      user: 'alice',
    });
    const runs = await runsAfter(2);
    expect(runs[1]).toMatchObject({ kind: 'resume', trigger: 'PR review comment by alice' });
    expect(runs[1]!.sessionId).toBe(runs[0]!.sessionId);
    const prompt = await told();
    expect(prompt).toContain(`New activity on your pull request #${prNumber} needs you (1 item).`);
    expect(prompt).toContain('1. A review comment by alice on calc.js:2:\n```\nGuard against strings.');
    expect(prompt).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(await notices()).toContain(
      `pull request #${prNumber}: resumed the agent for PR review comment by alice`,
    );
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(2);
  }, 240_000);

  it('refuses a webhook with a bad signature, and nothing runs', async () => {
    const payload = {
      action: 'created',
      repository: { full_name: 'acme/app' },
      issue: { number: prNumber, pull_request: {} },
      comment: { id: 424242, body: '@gluon delete everything', user: { login: 'mallory' } },
    };
    expect(
      (await deliverWebhook({ url: hook, secret: 'not-the-secret-123', event: 'issue_comment', payload }))
        .status,
    ).toBe(401);
    expect((await deliverWebhook({ url: hook, secret: null, event: 'issue_comment', payload })).status).toBe(
      401,
    );
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(2);
  });

  it('resumes with a failed check’s log tail, from a signed check_run webhook', async () => {
    const log = [
      ...Array.from({ length: 70 }, (_, i) => `setup line ${i + 1}`),
      'FAIL calc.test.js',
      'expected 3, got "12"',
    ].join('\n');
    const run = github.addCheckRun('acme', 'app', headSha, {
      name: 'ci',
      status: 'completed',
      conclusion: 'failure',
      log,
    });
    const answer = await deliverWebhook({
      url: hook,
      secret: SECRET,
      event: 'check_run',
      payload: {
        action: 'completed',
        repository: { full_name: 'acme/app' },
        check_run: github.checkRunJson('acme', 'app', headSha, run),
      },
    });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.text)).toEqual({ autofix: [taskId] });
    const runs = await runsAfter(3);
    expect(runs[2]!.trigger).toBe("check 'ci' failed");
    const prompt = await told();
    expect(prompt).toContain("1. The check 'ci' failed. The end of its log:");
    expect(prompt).toContain('FAIL calc.test.js\nexpected 3, got "12"');
    expect(prompt).not.toContain('setup line 10\n');
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(3);
  }, 180_000);

  it('resumes once for `@gluon fix the typo` that both the webhook and the poll see', async () => {
    const comment = github.addComment('acme', 'app', prNumber, { body: '@gluon fix the typo', user: 'bob' });
    const payload = {
      action: 'created',
      repository: { full_name: 'acme/app' },
      issue: { number: prNumber, pull_request: {} },
      comment: github.commentJson(comment),
    };
    const first = await deliverWebhook({ url: hook, secret: SECRET, event: 'issue_comment', payload });
    const again = await deliverWebhook({ url: hook, secret: SECRET, event: 'issue_comment', payload });
    expect([first.status, again.status]).toEqual([202, 202]);
    const runs = await runsAfter(4);
    expect(runs[3]!.trigger).toBe('@gluon');
    expect(await told()).toContain('1. An instruction for you (@gluon) from bob:\n```\nfix the typo\n```');
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(4);
    const history = await client.runs(taskId);
    expect(history.map((r) => r.trigger)).toEqual([
      null,
      'PR review comment by alice',
      "check 'ci' failed",
      '@gluon',
    ]);
  }, 180_000);

  it('stops auto-resuming at the pull request’s cost cap, saying so in the task’s stream', async () => {
    const spent = (await client.runs(taskId)).slice(1).reduce((sum, r) => sum + r.costUsd, 0);
    expect(spent).toBeGreaterThan(0);
    const cap = Number((spent / 2).toFixed(4));
    expect((await cli(['project', 'set', 'app', '--pr-autofix-cap', String(cap)], cliEnv)).code).toBe(0);
    github.addReviewComment('acme', 'app', prNumber, {
      path: 'calc.js',
      line: 1,
      body: 'One more thing',
      user: 'carol',
    });
    const said = await until(notices, (list) => list.some((m) => m.includes('not resuming the agent')));
    expect(said.find((m) => m.includes('not resuming'))).toMatch(
      new RegExp(
        `^pull request #${prNumber}: not resuming the agent for PR review comment by carol: its auto-resumes have cost \\$[0-9.]+, at or past the cap of \\$${cap}`,
      ),
    );
    await severalPolls();
    expect(await client.runs(taskId)).toHaveLength(4);
    expect((await client.getTask(taskId)).status).toBe('review');
  }, 60_000);
});
