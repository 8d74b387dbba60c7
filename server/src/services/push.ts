/**
 * Web Push to the installed dashboard: browsers subscribe with their push service endpoint and keys;
 * when a task needs input, fails, hits a cap or is ready for review (its `notification` event), each
 * subscription gets an encrypted message (aes128gcm, VAPID-signed, through `web-push`, loaded with the
 * first push). An approval carries Approve / Deny, each signed for exactly that request, so the service
 * worker can act without the API token. A push service that answers 404 or 410 has dropped the subscription: so do we.
 */
import type { NotificationKind } from '../domain/run-ending.js';
import type { PushActionBody, PushPayload, PushSubscriptionBody } from '../../../shared/intake-api.js';
import { pushActionBody, pushSubscriptionBody } from '../../../shared/intake-api.js';
import { NOTIFICATION_HEADINGS } from '../../../shared/notification-rules.js';
import { forbidden, invalidInput } from '../errors.js';
import { nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { PushSubscriptionsRepo } from '../storage/push-subscriptions-repo.js';
import type { EventLog } from './event-log.js';
import { actionSigner, ensureVapidKeys, type VapidKeys } from './push-keys.js';
import type { Tasks } from './tasks.js';

/** The notifications worth a push: a human is needed, or the work is there to look at. */
const PUSHED: ReadonlySet<NotificationKind> = new Set(['input_required', 'failed', 'cost_cap', 'review']);
const PUSH_TIMEOUT_MS = 15_000;

export interface PushDeps {
  home: string;
  storage: Storage;
  repo: PushSubscriptionsRepo;
  tasks: Pick<Tasks, 'approve' | 'deny'>;
  events: Pick<EventLog, 'subscribe'>;
  subject: string;
  /** Accept `http://` endpoints on loopback (a test's push service); real push services are https. */
  allowLoopbackHttp: boolean;
  redactText: (text: string) => string;
  log: (msg: string, err?: unknown) => void;
}

const isLoopbackHttp = (url: URL) =>
  url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

export function createPush(deps: PushDeps) {
  let keys: VapidKeys | null = null;
  const vapid = () => (keys ??= ensureVapidKeys(deps.home));
  const signer = () => actionSigner(vapid());

  /** The message of one notification: what happened, to which task, and the actions of an approval. */
  async function payloadOf(
    taskId: string,
    kind: NotificationKind,
    reason: string,
  ): Promise<PushPayload | null> {
    const task = await deps.storage.tasks.findById(taskId);
    if (!task) return null;
    const payload: PushPayload = {
      title: deps.redactText(`${task.title} ${NOTIFICATION_HEADINGS[kind]}`).slice(0, 200),
      body: deps.redactText(reason).slice(0, 500),
      kind,
      taskId,
      url: `/tasks/${taskId}`,
    };
    const pending = task.pendingInput;
    if (kind === 'input_required' && pending?.kind === 'approval' && pending.live) {
      const s = signer();
      payload.approval = {
        requestId: pending.requestId,
        approve: s.sign(taskId, pending.requestId, 'approve'),
        deny: s.sign(taskId, pending.requestId, 'deny'),
      };
    }
    return payload;
  }

  /** Sends one payload to every subscription; returns how many push services accepted it. */
  async function send(payload: PushPayload): Promise<number> {
    const { publicKey, privateKey } = vapid();
    const { default: webpush } = await import('web-push');
    let accepted = 0;
    for (const sub of await deps.repo.list()) {
      const details = webpush.generateRequestDetails(
        { endpoint: sub.endpoint, keys: { p256dh: sub.p256dh, auth: sub.auth } },
        JSON.stringify(payload),
        {
          vapidDetails: { subject: deps.subject, publicKey, privateKey },
          TTL: 3600,
          contentEncoding: 'aes128gcm',
        },
      );
      try {
        const res = await fetch(details.endpoint, {
          method: details.method,
          headers: details.headers as Record<string, string>,
          body: details.body ? new Uint8Array(details.body) : null,
          redirect: 'error',
          signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
        });
        if (res.status === 404 || res.status === 410) await deps.repo.remove(sub.endpoint);
        else if (res.ok) accepted += 1;
        else deps.log(`push service answered ${res.status} for ${new URL(sub.endpoint).host}`);
      } catch (error) {
        deps.log(`push to ${new URL(sub.endpoint).host} failed`, error);
      }
    }
    return accepted;
  }

  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type !== 'notification' || !PUSHED.has(e.data.kind)) return;
    void (async () => {
      const payload = await payloadOf(e.taskId, e.data.kind, e.data.reason);
      if (payload) await send(payload);
    })().catch((err: unknown) => deps.log('sending a push notification failed', err));
  });

  return {
    /** Creates the VAPID keys now if this is the first start. */
    ensureKeys: () => void vapid(),
    publicKey: () => vapid().publicKey,
    async subscribe(input: PushSubscriptionBody): Promise<void> {
      const body = pushSubscriptionBody.parse(input);
      const url = new URL(body.endpoint);
      if (url.protocol !== 'https:' && !(deps.allowLoopbackHttp && isLoopbackHttp(url)))
        throw invalidInput('a push endpoint is an https:// URL');
      await deps.repo.upsert({
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        createdAt: nowIso(),
      });
    },
    unsubscribe: (endpoint: string) => deps.repo.remove(endpoint),
    /**
     * Approve / Deny from a notification.
     * Rules: the signature must be the server's for this task, request and action (else 403); the request
     * must still be the one waiting (else the task service answers 409).
     */
    async act(input: PushActionBody): Promise<void> {
      const body = pushActionBody.parse(input);
      if (!signer().verify(body.taskId, body.requestId, body.action, body.signature))
        throw forbidden('this action is not signed for that request');
      const task = await deps.storage.tasks.findById(body.taskId);
      if (task?.pendingInput?.requestId !== body.requestId)
        throw forbidden('that request no longer waits for an answer');
      if (body.action === 'approve') await deps.tasks.approve(body.taskId);
      else await deps.tasks.deny(body.taskId, 'denied from a notification');
    },
    send,
    stop: () => unsubscribe(),
  };
}

export type Push = ReturnType<typeof createPush>;
