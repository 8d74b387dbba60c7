import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signWebhook } from '../../../fakes/github/index.js';
import { loadConfig } from '../config.js';
import { createFakeAgent, text } from '../runner/testing/fake-agent.js';
import { insertProject, openTestStorage, type TestStorage } from '../storage/testing/factories.js';
import { createServices, type Services } from './index.js';
import { stopServices } from './testing/stop-services.js';

const SECRET = 'webhook-secret-for-tests';
let db: TestStorage;
let services: Services;

const open = (withSecret: boolean) => {
  services = createServices({
    config: loadConfig(db.dir, { port: 0, intake: withSecret ? { githubWebhookSecret: SECRET } : {} }, {}),
    storage: db.storage,
    agents: { get: () => createFakeAgent({ plan: () => [text('Done.')] }) },
    serverEnv: {},
    secrets: [],
    log: () => {},
  });
};

/** A delivery as GitHub signs it (or with the given signature). */
const deliver = (event: string, payload: unknown, signature?: string) => {
  const rawBody = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
  return services.intake.issues.handleWebhook({
    rawBody,
    headers: { 'x-github-event': event, 'x-hub-signature-256': signature ?? signWebhook(SECRET, rawBody) },
  });
};

const issue = (over: Record<string, unknown> = {}) => ({
  id: 77,
  number: 4,
  title: 'Add dark mode',
  body: 'Use the system setting.',
  html_url: 'https://github.example/acme/app/issues/4',
  state: 'open',
  labels: [{ name: 'gluon' }],
  ...over,
});
const repository = { full_name: 'acme/app' };

beforeEach(async () => {
  db = await openTestStorage();
  // The tasks' runs do not matter here (the project's path is not a repository): only their creation.
  await insertProject(db.storage, { name: 'app', github: 'acme/app', settings: { issueLabel: 'gluon' } });
});
afterEach(async () => {
  await stopServices(services);
  await db.close();
});

describe('the GitHub webhook', () => {
  it('answers 404 without a configured secret', async () => {
    open(false);
    expect((await deliver('ping', {})).status).toBe(404);
  });

  it('checks the signature on the raw bytes before parsing, then answers ping and ignores other events', async () => {
    open(true);
    expect((await deliver('ping', { zen: 'x' }, `sha256=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await deliver('ping', { zen: 'x' }, 'sha1=abc')).status).toBe(401);
    expect((await deliver('ping', '{not json')).status).toBe(400);
    expect(await deliver('ping', { zen: 'x' })).toEqual({ status: 200, body: { ok: true } });
    expect((await deliver('push', { ref: 'main' })).body).toEqual({ ignored: true });
    expect((await deliver('issues', { action: 'closed', issue: issue(), repository })).body).toEqual({
      ignored: true,
    });
  });

  it('takes only open, labelled issues of the project’s repository, once each; never pull requests', async () => {
    open(true);
    const tasksOf = async (payload: unknown) =>
      ((await deliver('issues', payload)).body as { tasks: string[] }).tasks;
    expect(await tasksOf({ action: 'opened', issue: issue({ labels: [] }), repository })).toEqual([]);
    expect(
      await tasksOf({ action: 'opened', issue: issue(), repository: { full_name: 'someone/else' } }),
    ).toEqual([]);
    expect(await tasksOf({ action: 'opened', issue: issue({ pull_request: {} }), repository })).toEqual([]);
    expect(await tasksOf({ action: 'opened', issue: issue({ state: 'closed' }), repository })).toEqual([]);
    const payload = { action: 'labeled', issue: issue(), repository };
    const [a, b] = await Promise.all([tasksOf(payload), tasksOf(payload)]);
    expect(new Set([...a, ...b]).size).toBe(1);
    expect(await db.storage.tasks.list({})).toHaveLength(1);
    expect(await tasksOf({ ...payload, action: 'reopened' })).toEqual([]);
    const task = (await db.storage.tasks.findById([...a, ...b][0]!))!;
    expect(task.title).toBe('#4 Add dark mode');
    expect(task.prompt).toBe(
      'Add dark mode\n\nUse the system setting.\n\n(GitHub issue acme/app#4: https://github.example/acme/app/issues/4)',
    );
    expect(await services.intake.origin(task.id)).toEqual({
      issue: { repo: 'acme/app', number: 4, url: 'https://github.example/acme/app/issues/4' },
      schedule: null,
    });
  });
});
