/**
 * A fake Web Push service on 127.0.0.1 (plain http): it hands out subscriptions (an endpoint per
 * subscription, with keys a test owns), receives push messages as a push service does (POST to the
 * endpoint, `Content-Encoding: aes128gcm`, VAPID authorization), checks the VAPID JWT, decrypts the body
 * with the subscription's private key, and records what arrived. A dropped subscription answers 410.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { listen, readBody } from '../shared/http.js';
import { decryptPushBody, newSubscriptionKeys, type SubscriptionKeys } from './decrypt.js';
import { checkVapid, type VapidCheck } from './vapid.js';

export interface FakeSubscription {
  endpoint: string;
  keys: SubscriptionKeys;
  /** What `PushSubscription.toJSON()` gives a browser (to POST to Gluon). */
  toJSON(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface ReceivedPush {
  endpoint: string;
  headers: IncomingHttpHeaders;
  vapid: VapidCheck;
  /** The decrypted payload text (null when it could not be decrypted, with `error`). */
  text: string | null;
  error?: string;
}

export interface FakePushService {
  url: string;
  subscribe(): FakeSubscription;
  /** Makes an endpoint answer 410 Gone from now on (the browser unsubscribed). */
  drop(endpoint: string): void;
  received: ReceivedPush[];
  /** Resolves with the `n`-th push received (1-based), now or when it arrives. */
  nth(n: number): Promise<ReceivedPush>;
  stop(): Promise<void>;
}

export async function startFakePushService(): Promise<FakePushService> {
  const subs = new Map<string, FakeSubscription>();
  const dropped = new Set<string>();
  const received: ReceivedPush[] = [];
  const waiters: { n: number; resolve: (p: ReceivedPush) => void }[] = [];
  let url = '';

  const server = await listen(async (req, res) => {
    const body = await readBody(req);
    const endpoint = `${url}${req.url ?? ''}`;
    const sub = subs.get(endpoint);
    if (req.method !== 'POST' || !sub) return void res.writeHead(404).end();
    if (dropped.has(endpoint)) return void res.writeHead(410).end();
    const vapid = checkVapid(req.headers.authorization, url, Math.floor(Date.now() / 1000));
    const push: ReceivedPush = { endpoint, headers: req.headers, vapid, text: null };
    try {
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
      push.text = decryptPushBody(body, sub.keys).toString('utf8');
    } catch (error) {
      push.error = (error as Error).message;
    }
    received.push(push);
    for (const w of waiters.filter((w) => w.n === received.length)) w.resolve(push);
    res.writeHead(vapid.valid && push.text !== null ? 201 : vapid.valid ? 400 : 403).end();
  });
  url = server.url;

  return {
    url,
    received,
    subscribe() {
      const keys = newSubscriptionKeys();
      const endpoint = `${url}/push/${randomBytes(12).toString('hex')}`;
      const sub: FakeSubscription = {
        endpoint,
        keys,
        toJSON: () => ({
          endpoint,
          expirationTime: null,
          keys: { p256dh: keys.publicKey.toString('base64url'), auth: keys.auth.toString('base64url') },
        }),
      };
      subs.set(endpoint, sub);
      return sub;
    },
    drop: (endpoint) => void dropped.add(endpoint),
    nth(n) {
      if (received.length >= n) return Promise.resolve(received[n - 1]!);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    stop: server.close,
  };
}
