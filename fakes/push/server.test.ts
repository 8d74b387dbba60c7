import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakePushService, type FakePushService, type FakeSubscription } from './index.js';

let push: FakePushService;
beforeAll(async () => {
  push = await startFakePushService();
});
afterAll(() => push?.stop());

const vapid = webpush.generateVAPIDKeys();
async function sendTo(sub: FakeSubscription, text: string, keys = vapid) {
  const d = webpush.generateRequestDetails(sub.toJSON(), text, {
    vapidDetails: { subject: 'mailto:t@example.com', ...keys },
    contentEncoding: 'aes128gcm',
  });
  const res = await fetch(d.endpoint, {
    method: d.method,
    headers: d.headers as Record<string, string>,
    body: new Uint8Array(d.body),
  });
  return res.status;
}

describe('fake push service', () => {
  it('decrypts what web-push encrypted for a subscription, and checks the VAPID signature', async () => {
    const sub = push.subscribe();
    expect(await sendTo(sub, '{"hello":"phone"}')).toBe(201);
    const got = push.received.at(-1)!;
    expect(got.text).toBe('{"hello":"phone"}');
    expect(got.vapid).toMatchObject({ valid: true, publicKey: vapid.publicKey });
  });

  it('cannot decrypt a message meant for other keys, and refuses a forged VAPID key', async () => {
    const sub = push.subscribe();
    const other = push.subscribe();
    const d = webpush.generateRequestDetails(other.toJSON(), 'secret', {
      vapidDetails: { subject: 'mailto:t@example.com', ...vapid },
    });
    const res = await fetch(sub.endpoint, {
      method: 'POST',
      headers: d.headers as Record<string, string>,
      body: new Uint8Array(d.body),
    });
    expect(res.status).toBe(400);
    expect(push.received.at(-1)!.text).toBeNull();
    const forged = { ...d.headers } as Record<string, string>;
    forged.Authorization = forged.Authorization!.replace(
      /k=.*$/,
      `k=${webpush.generateVAPIDKeys().publicKey}`,
    );
    const res2 = await fetch(other.endpoint, {
      method: 'POST',
      headers: forged,
      body: new Uint8Array(d.body),
    });
    expect(res2.status).toBe(403);
    expect(push.received.at(-1)!.vapid).toMatchObject({ valid: false, problem: 'bad signature' });
  });

  it('answers 410 for a dropped subscription', async () => {
    const sub = push.subscribe();
    push.drop(sub.endpoint);
    expect(await sendTo(sub, 'x')).toBe(410);
  });
});
