/**
 * Delivers a GitHub webhook as GitHub does: a JSON body signed with the hook's secret (HMAC-SHA256 in
 * `X-Hub-Signature-256: sha256=<hex>`), with the event name and a delivery id in their headers.
 */
import { createHmac, randomUUID } from 'node:crypto';

/** The `X-Hub-Signature-256` value of `body` under `secret`. */
export function signWebhook(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookDelivery {
  /** Where the hook points (Gluon's /integrations/github/webhook). */
  url: string;
  /** The hook's secret; null sends no signature at all. */
  secret: string | null;
  /** `issues`, `ping`, … */
  event: string;
  payload: unknown;
  /** Extra or replacing headers (a forged signature, a foreign Host). */
  headers?: Record<string, string>;
}

/** Posts one delivery; resolves with the answer's status and text. */
export async function deliverWebhook(d: WebhookDelivery): Promise<{ status: number; text: string }> {
  const body = JSON.stringify(d.payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/fake',
    'x-github-event': d.event,
    'x-github-delivery': randomUUID(),
    ...(d.secret !== null && { 'x-hub-signature-256': signWebhook(d.secret, body) }),
    ...d.headers,
  };
  const res = await fetch(d.url, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}
