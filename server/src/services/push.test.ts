import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakePushService, type FakePushService } from '../../../fakes/push/index.js';
import type { PushPayload } from '../../../shared/intake-api.js';
import { loadConfig } from '../config.js';
import { bash, createFakeAgent, text } from '../runner/testing/fake-agent.js';
import { insertProject, openTestStorage, type TestStorage } from '../storage/testing/factories.js';
import { createServices, type Services } from './index.js';
import { stopServices } from './testing/stop-services.js';

let db: TestStorage;
let services: Services;
let push: FakePushService;
let repoDir: string;

/** Resolves when `taskId` reaches `status` (its status.changed event), or already has. */
function reaches(taskId: string, status: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = services.events.subscribe((e) => {
      if (e.taskId === taskId && e.type === 'status.changed' && e.data.to === status) {
        stop();
        resolve();
      }
    });
    db.storage.tasks.findById(taskId).then((t) => {
      if (t?.status === status) {
        stop();
        resolve();
      }
    }, reject);
  });
}

beforeEach(async () => {
  db = await openTestStorage();
  push = await startFakePushService();
  repoDir = mkdtempSync(path.join(os.tmpdir(), 'gluon-push-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-C', repoDir, ...args]);
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'start');
  const agent = createFakeAgent({ plan: () => [bash('rm -rf build'), text('Cleaned.')] });
  services = createServices({
    config: loadConfig(db.dir, { port: 0, intake: { pushAllowLoopbackHttp: true } }, {}),
    storage: db.storage,
    agents: { get: () => agent },
    serverEnv: {},
    secrets: [],
    log: () => {},
  });
  await insertProject(db.storage, { name: 'app', path: repoDir });
});

afterEach(async () => {
  await stopServices(services);
  await push.stop();
  await db.close();
  rmSync(repoDir, { recursive: true, force: true });
});

describe('web push', () => {
  it('pushes an approval with signed Approve / Deny; Approve answers it, a forged action does not', async () => {
    const sub = push.subscribe();
    await services.intake.push.subscribe(sub.toJSON());
    const task = await services.tasks.create({
      project: 'app',
      prompt: 'clean the build',
      approval: 'strict',
    });
    const received = await push.nth(1);
    expect(received.vapid).toMatchObject({ valid: true, publicKey: services.intake.push.publicKey() });
    const payload = JSON.parse(received.text!) as PushPayload;
    expect(payload).toMatchObject({ kind: 'input_required', taskId: task.id, url: `/tasks/${task.id}` });
    expect(payload.body).toContain('Bash waits for approval');
    const approval = payload.approval!;
    const pending = (await db.storage.tasks.findById(task.id))!.pendingInput!;
    expect(approval.requestId).toBe(pending.requestId);
    const base = { taskId: task.id, requestId: approval.requestId };
    await expect(
      services.intake.push.act({ ...base, action: 'approve', signature: approval.deny }),
    ).rejects.toMatchObject({ status: 403 });
    await expect(
      services.intake.push.act({
        ...base,
        requestId: 'other',
        action: 'approve',
        signature: approval.approve,
      }),
    ).rejects.toMatchObject({ status: 403 });
    await services.intake.push.act({ ...base, action: 'approve', signature: approval.approve });
    await reaches(task.id, 'review');
    const review = await push.nth(2);
    expect(JSON.parse(review.text!)).toMatchObject({ kind: 'review', taskId: task.id });
    expect(JSON.parse(review.text!).approval).toBeUndefined();
    // The same signature again: the request no longer waits.
    await expect(
      services.intake.push.act({ ...base, action: 'approve', signature: approval.approve }),
    ).rejects.toMatchObject({ status: 403 });
  });

  it('refuses plain-http endpoints off loopback, and drops a subscription its push service says is gone', async () => {
    const sub = push.subscribe();
    await expect(
      services.intake.push.subscribe({ ...sub.toJSON(), endpoint: 'http://push.example.com/x' }),
    ).rejects.toMatchObject({ status: 400 });
    await services.intake.push.subscribe(sub.toJSON());
    push.drop(sub.endpoint);
    const payload: PushPayload = { title: 't', body: 'b', kind: 'review', taskId: 'abcdabcdabcd', url: '/' };
    expect(await services.intake.push.send(payload)).toBe(0);
    expect(await services.intake.push.unsubscribe(sub.endpoint)).toBe(false);
  });
});
