/**
 * What the service worker does with Web Push: a push message (JSON, decrypted by the browser) becomes a
 * notification, with Approve / Deny when a tool call waits for approval; a click opens the task, and an
 * action posts the decision the server signed (no token: the service worker has none).
 */
import type { PushPayload } from '../../../shared/intake-api.js';

export interface ShownNotification {
  title: string;
  options: {
    body: string;
    tag: string;
    data: PushPayload;
    actions?: { action: 'approve' | 'deny'; title: string }[];
    requireInteraction?: boolean;
  };
}

/** The notification for a push payload; null when the payload is not Gluon's. */
export function notificationFor(payload: unknown): ShownNotification | null {
  const p = payload as Partial<PushPayload> | null;
  if (!p || typeof p.title !== 'string' || typeof p.taskId !== 'string') return null;
  const data = p as PushPayload;
  return {
    title: data.title,
    options: {
      body: data.body ?? '',
      tag: `gluon-${data.taskId}`,
      data,
      ...(data.approval && {
        actions: [
          { action: 'approve', title: 'Approve' },
          { action: 'deny', title: 'Deny' },
        ],
        requireInteraction: true,
      }),
    },
  };
}

/** The request an Approve / Deny click sends; null for a plain click (which opens the task). */
export function actionRequest(data: PushPayload, action: string): { url: string; init: RequestInit } | null {
  if ((action !== 'approve' && action !== 'deny') || !data.approval) return null;
  const signature = data.approval[action];
  return {
    url: '/api/push/action',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gluon-push-action': '1' },
      body: JSON.stringify({ taskId: data.taskId, requestId: data.approval.requestId, action, signature }),
    },
  };
}
