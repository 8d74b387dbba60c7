import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../fakes/github/index.js';
import { loadConfig } from '../config.js';
import { createFakeAgent, text } from '../runner/testing/fake-agent.js';
import { createPrAutofixRepo } from '../storage/pr-autofix-repo.js';
import { createPullRequestsRepo } from '../storage/pull-requests-repo.js';
import {
  insertProject,
  insertTask,
  openTestStorage,
  type TestStorage,
} from '../storage/testing/factories.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { createServices, type Services } from './index.js';
import { stopServices } from './testing/stop-services.js';

const SECRET = 'webhook-secret-for-tests';
const repository = { full_name: 'acme/app' };
let db: TestStorage;
let services: Services;
let task: TaskRecord;

const deliver = (event: string, payload: unknown) => {
  const rawBody = Buffer.from(JSON.stringify(payload));
  return services.intake.issues.handleWebhook({
    rawBody,
    headers: { 'x-github-event': event, 'x-hub-signature-256': signWebhook(SECRET, rawBody) },
  });
};
const comment = (id: number, body: string, user = 'bob') => ({
  action: 'created',
  repository,
  issue: { number: 7, pull_request: {} },
  comment: { id, body, user: { login: user }, created_at: new Date().toISOString() },
});
const notices = async () =>
  (await services.events.backlog(task.id, 0, 1000)).flatMap((e) =>
    e.type === 'notice' ? [e.data.message] : [],
  );

async function setUp(settings: Record<string, unknown>): Promise<void> {
  services = createServices({
    config: loadConfig(db.dir, { port: 0, intake: { githubWebhookSecret: SECRET } }, {}),
    storage: db.storage,
    agents: { get: () => createFakeAgent({ plan: () => [text('Done.')] }) },
    serverEnv: {},
    secrets: [],
    log: () => {},
  });
  // The agent runs in the project's directory (no worktree): only what it is told matters here.
  const project = await insertProject(db.storage, {
    name: 'app',
    path: db.dir,
    github: 'acme/app',
    settings,
  });
  task = await insertTask(db.storage, {
    projectId: project.id,
    status: 'running',
    sessionId: 's1',
    useWorktree: false,
  });
  await createPullRequestsRepo(db.storage.db).setPullRequest(task.id, {
    repo: 'acme/app',
    number: 7,
    url: 'https://github.example/acme/app/pull/7',
    state: 'open',
    checks: 'failure',
    headSha: 'abc',
  });
}

beforeEach(async () => {
  db = await openTestStorage();
});
afterEach(async () => {
  await stopServices(services);
  await db.close();
});

describe('pull requests that fix themselves', () => {
  it('keeps what arrives while the task runs, and resumes once with all of it when the run ends', async () => {
    await setUp({ prAutofix: true });
    expect(await deliver('issue_comment', comment(1, 'Please add a test'))).toMatchObject({
      status: 202,
      body: { autofix: [task.id] },
    });
    const check = {
      action: 'completed',
      repository,
      check_run: {
        id: 55,
        name: 'ci',
        conclusion: 'failure',
        head_sha: 'abc',
        pull_requests: [],
        output: { title: '1 failing', summary: 'calc.test.js', text: null },
      },
    };
    expect(await deliver('check_run', check)).toMatchObject({ body: { autofix: [task.id] } });
    expect(await deliver('check_run', check)).toMatchObject({ body: { autofix: [] } });
    const repo = createPrAutofixRepo(db.storage.db);
    expect(await repo.batches(task.id)).toEqual([]);
    await services.events.flush();
    expect(await notices()).toEqual([
      'pull request #7: PR comment by bob; the agent resumes once the task stops',
      "pull request #7: check 'ci' failed; the agent resumes once the task stops",
    ]);

    const current = (await db.storage.tasks.findById(task.id))!;
    await services.state.transition(current, 'review', 'run_ended', {}, 'the agent finished');
    await expect.poll(async () => (await repo.batches(task.id)).length).toBe(1);
    const [batch] = await repo.batches(task.id);
    expect(batch).toMatchObject({ outcome: 'resumed', trigger: "PR comment by bob, check 'ci' failed" });
    await expect.poll(async () => (await db.storage.runs.listByTask(task.id)).length).toBe(1);
    const [run] = await db.storage.runs.listByTask(task.id);
    expect(run!.prompt).toContain(
      "2. The check 'ci' failed. The end of its log:\n```\n1 failing\n\ncalc.test.js\n```",
    );
    await expect
      .poll(async () => (await services.intake.prAutofix.triggers(task.id)).get(run!.id))
      .toBe("PR comment by bob, check 'ci' failed");
  });

  it('does nothing while the project’s autofix is off, and leaves what was written before it was on', async () => {
    await setUp({});
    expect(await deliver('issue_comment', comment(2, '@gluon fix it'))).toMatchObject({
      body: { autofix: [] },
    });
    const repo = createPrAutofixRepo(db.storage.db);
    expect(await repo.seenKeys(task.id)).toEqual(new Set());
    await services.projects.update('app', { prAutofix: true });
    const old = comment(3, '@gluon fix it');
    old.comment.created_at = '2020-01-01T00:00:00Z';
    expect(await deliver('issue_comment', old)).toMatchObject({ body: { autofix: [] } });
    expect(await deliver('issue_comment', comment(4, '@gluon fix it now'))).toMatchObject({
      body: { autofix: [task.id] },
    });
    expect(await repo.seenKeys(task.id)).toEqual(new Set(['issue_comment:4']));
  });
});
