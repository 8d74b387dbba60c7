/**
 * The dashboard's few addresses, without a router library:
 * `/` board (with `?task=<id>` the run details open over it), `/tasks/<id>` the run details as a page,
 * `/costs`, `/audit`, `/login`.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'board'; taskId: string | null }
  | { page: 'task'; taskId: string }
  | { page: 'costs' }
  | { page: 'audit' }
  | { page: 'login' };

const ID = /^[a-z0-9]{4,32}$/;

/** The route of an address; anything unknown is the board. */
export function parseRoute(pathname: string, search: string): Route {
  const task = /^\/tasks\/([^/]+)\/?$/.exec(pathname);
  if (task && ID.test(task[1]!)) return { page: 'task', taskId: task[1]! };
  if (pathname === '/costs') return { page: 'costs' };
  if (pathname === '/audit') return { page: 'audit' };
  if (pathname === '/login') return { page: 'login' };
  const open = new URLSearchParams(search).get('task');
  return { page: 'board', taskId: open && ID.test(open) ? open : null };
}

const listeners = new Set<() => void>();
let current = `${location.pathname}${location.search}`;

function update() {
  const next = `${location.pathname}${location.search}`;
  if (next === current) return;
  current = next;
  for (const l of listeners) l();
}
window.addEventListener('popstate', update);

/** Goes to an address inside the app (adds a history entry unless `replace`). */
export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  update();
}

/** The current route; re-renders on navigation and on back/forward. */
export function useRoute(): Route {
  const address = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => current,
  );
  const q = address.indexOf('?');
  return parseRoute(q < 0 ? address : address.slice(0, q), q < 0 ? '' : address.slice(q));
}
