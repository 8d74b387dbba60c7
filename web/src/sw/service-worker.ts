/**
 * The service worker (/sw.js): the app shell works offline, the API never comes from a cache.
 * Rules:
 * - /api/*: network only; offline, a JSON 503 the app shows as "offline". API answers are never
 *   cached: they carry one user's data behind a token.
 * - Page navigations: network first (always the newest shell), the cached shell when offline.
 * - /assets/* (content-hashed, immutable): cache first. Each fresh shell prunes assets it no longer uses.
 * - Other same-origin files (icons, manifest): cached copy at once, refreshed in the background.
 * - Push: a message becomes a notification (push.ts); a click opens the task, Approve / Deny answer it.
 */
import type { PushPayload } from '../../../shared/intake-api.js';
import { actionRequest, notificationFor } from './push.js';

interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(response: Promise<Response> | Response): void;
}
interface ServiceWorkerScopeLike {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEventLike) => void): void;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  location: Location;
}

const sw = self as unknown as ServiceWorkerScopeLike;
const CACHE = 'gluon-shell-v1';
const STATIC = ['/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png'];

/** The hashed assets an index.html loads. */
function assetsOf(html: string): string[] {
  return [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!))];
}

/** Stores a fresh shell and the assets it uses; drops cached assets it no longer uses. */
async function storeShell(response: Response): Promise<void> {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  await cache.put('/', response);
  const wanted = new Set(assetsOf(html));
  await Promise.all(
    [...wanted].map(async (url) => {
      if (!(await cache.match(url))) await cache.add(url);
    }),
  );
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(request);
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(STATIC);
      const shell = await fetch('/', { cache: 'no-store' });
      if (shell.ok) await storeShell(shell);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

const offlineApi = () =>
  new Response(
    JSON.stringify({
      error: { code: 'offline', message: 'you are offline; Gluon will reconnect by itself' },
    }),
    {
      status: 503,
      headers: { 'content-type': 'application/json' },
    },
  );

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== sw.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    event.respondWith(fetch(request).catch(offlineApi));
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && response.headers.get('content-type')?.includes('text/html'))
            event.waitUntil(storeShell(response.clone()));
          return response;
        })
        .catch(async () => (await caches.match('/')) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request).then(
        (hit) =>
          hit ??
          fetch(request).then(async (response) => {
            if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
            return response;
          }),
      ),
    );
    return;
  }
  event.respondWith(
    caches.match(request).then((hit) => {
      const refresh = fetch(request).then(async (response) => {
        if (response.ok) await (await caches.open(CACHE)).put(request, response.clone());
        return response;
      });
      if (hit) {
        event.waitUntil(refresh.catch(() => undefined));
        return hit;
      }
      return refresh;
    }),
  );
});

interface PushEventLike extends ExtendableEventLike {
  data: { json(): unknown } | null;
}
interface NotificationEventLike extends ExtendableEventLike {
  action: string;
  notification: { data: unknown; close(): void };
}
interface PushScopeLike {
  addEventListener(type: 'push', listener: (e: PushEventLike) => void): void;
  addEventListener(type: 'notificationclick', listener: (e: NotificationEventLike) => void): void;
  registration: { showNotification(title: string, options: object): Promise<void> };
  clients: {
    matchAll(
      o: object,
    ): Promise<{ url: string; focus(): Promise<unknown>; navigate(u: string): Promise<unknown> }[]>;
    openWindow(url: string): Promise<unknown>;
  };
}
const pushScope = self as unknown as PushScopeLike;

pushScope.addEventListener('push', (event) => {
  let payload: unknown = null;
  try {
    payload = event.data?.json() ?? null;
  } catch {
    payload = null;
  }
  const shown = notificationFor(payload);
  if (shown) event.waitUntil(pushScope.registration.showNotification(shown.title, shown.options));
});

pushScope.addEventListener('notificationclick', (event) => {
  const data = event.notification.data as PushPayload;
  event.notification.close();
  const request = actionRequest(data, event.action);
  event.waitUntil(
    (async () => {
      if (request) {
        await fetch(request.url, request.init).catch(() => undefined);
        return;
      }
      const open = await pushScope.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const first = open[0];
      if (first) {
        await first.navigate(data.url).catch(() => undefined);
        await first.focus();
      } else await pushScope.clients.openWindow(data.url);
    })(),
  );
});
