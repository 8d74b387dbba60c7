import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../../../fakes/github/index.js';
import { createGitHubActivity, readAutofixEvent } from './github-activity.js';

const r = { owner: 'acme', repo: 'app' };
const SHA = 'c'.repeat(40);

describe('pull request activity through Octokit against the fake GitHub', () => {
  let fake: FakeGitHub;
  let gh: ReturnType<typeof createGitHubActivity>;
  beforeAll(async () => {
    fake = await startFakeGitHub({ tokens: ['ghp_a'], resolveBranch: () => SHA });
    gh = createGitHubActivity({ token: 'ghp_a', baseUrl: fake.url });
    await fetch(`${fake.url}/repos/acme/app/pulls`, {
      method: 'POST',
      headers: { authorization: 'token ghp_a' },
      body: JSON.stringify({ head: 'feat', base: 'main', title: 'T' }),
    });
  });
  afterAll(() => fake?.stop());

  it('reads review comments on lines and the conversation’s comments as items', async () => {
    const line = fake.addReviewComment('acme', 'app', 1, {
      path: 'a.ts',
      line: 4,
      body: 'Rename',
      user: 'alice',
    });
    const talk = fake.addComment('acme', 'app', 1, { body: '@gluon fix the typo', user: 'bob' });
    expect(await gh.comments(r, 1)).toEqual([
      {
        kind: 'review_comment',
        id: String(line.id),
        author: 'alice',
        path: 'a.ts',
        line: 4,
        name: null,
        body: 'Rename',
        at: line.createdAt,
      },
      {
        kind: 'issue_comment',
        id: String(talk.id),
        author: 'bob',
        path: null,
        line: null,
        name: null,
        body: '@gluon fix the typo',
        at: talk.createdAt,
      },
    ]);
    expect(await gh.headSha(r, 1)).toBe(SHA);
  });

  it('reads failed check runs with their job log’s tail (through GitHub’s redirect), else their output', async () => {
    const log = Array.from({ length: 80 }, (_, i) => `step ${i + 1}`).join('\n');
    const ci = fake.addCheckRun('acme', 'app', SHA, {
      name: 'ci',
      status: 'completed',
      conclusion: 'failure',
      log,
    });
    const lint = fake.addCheckRun('acme', 'app', SHA, {
      name: 'lint',
      status: 'completed',
      conclusion: 'timed_out',
      output: { title: 'Lint', summary: '2 errors', text: null },
    });
    fake.addCheckRun('acme', 'app', SHA, { name: 'ok', status: 'completed', conclusion: 'success' });
    fake.addCheckRun('acme', 'app', SHA, { name: 'wip', status: 'in_progress', conclusion: null });
    const items = await gh.failedChecks(r, SHA);
    expect(items.map((i) => [i.id, i.name])).toEqual([
      [String(ci.id), 'ci'],
      [String(lint.id), 'lint'],
    ]);
    expect(items[0]!.body.split('\n')).toHaveLength(60);
    expect(items[0]!.body.endsWith('step 80')).toBe(true);
    expect(items[1]!.body).toBe('Lint\n\n2 errors');
    expect(await gh.failedChecks(r, SHA, (id) => id === String(ci.id))).toHaveLength(1);
  });
});

describe('readAutofixEvent', () => {
  const repository = { full_name: 'acme/app' };
  it('reads a new review comment, a new comment on a pull request, a failed check run or suite', () => {
    expect(
      readAutofixEvent('pull_request_review_comment', {
        action: 'created',
        repository,
        pull_request: { number: 3 },
        comment: { id: 9, body: 'x', user: { login: 'a' }, path: 'f.ts', line: 2 },
      }),
    ).toMatchObject({
      repo: 'acme/app',
      numbers: [3],
      items: [{ kind: 'review_comment', id: '9', line: 2 }],
    });
    expect(
      readAutofixEvent('issue_comment', {
        action: 'created',
        repository,
        issue: { number: 3, pull_request: {} },
        comment: { id: 10, body: '@gluon go', user: { login: 'b' } },
      }),
    ).toMatchObject({ numbers: [3], items: [{ kind: 'issue_comment', id: '10', author: 'b' }] });
    expect(
      readAutofixEvent('check_run', {
        action: 'completed',
        repository,
        check_run: {
          id: 5,
          name: 'ci',
          conclusion: 'failure',
          head_sha: SHA,
          pull_requests: [{ number: 3 }],
        },
      }),
    ).toMatchObject({ numbers: [3], headSha: SHA, checkRuns: [{ id: 5 }], suiteFailed: false });
    expect(
      readAutofixEvent('check_suite', {
        action: 'completed',
        repository,
        check_suite: { conclusion: 'failure', head_sha: SHA, pull_requests: [] },
      }),
    ).toMatchObject({ numbers: [], headSha: SHA, suiteFailed: true });
  });
  it('ignores the rest: edits, comments on plain issues, passing checks, other events', () => {
    const comment = { id: 1, body: 'x', user: { login: 'a' } };
    expect(
      readAutofixEvent('issue_comment', {
        action: 'edited',
        issue: { number: 1, pull_request: {} },
        comment,
      }),
    ).toBeNull();
    expect(
      readAutofixEvent('issue_comment', { action: 'created', issue: { number: 1 }, comment }),
    ).toBeNull();
    expect(
      readAutofixEvent('check_run', {
        action: 'completed',
        check_run: { id: 1, name: 'c', conclusion: 'success' },
      }),
    ).toBeNull();
    expect(
      readAutofixEvent('check_run', { action: 'created', check_run: { id: 1, name: 'c', conclusion: null } }),
    ).toBeNull();
    expect(readAutofixEvent('issues', { action: 'opened' })).toBeNull();
    expect(readAutofixEvent('push', null)).toBeNull();
  });
});
