/**
 * A task's event stream for the run details: the stored backlog in large pages over HTTP (one JSON parse
 * per 10,000 events instead of one WebSocket message each), then the live stream over the shared
 * WebSocket from the last `seq` read, into an EventStore that re-renders at most once per frame.
 * Give the calling component a `key` of the task id: a store belongs to one task.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { EventStore } from '../stores/event-store.js';
import { useGluon } from './useGluon.js';

const PAGE = 10_000;

export function useTaskEvents(taskId: string): EventStore {
  const { api, live } = useGluon();
  const [store] = useState(() => new EventStore());
  useEffect(() => {
    let stop: (() => void) | null = null;
    let cancelled = false;
    const follow = () => {
      if (cancelled) return;
      stop = live.watchTask(taskId, store.lastSeq, {
        onEvent: (e) => store.append(e),
        onSubscribed: () => store.markLive(),
        onError: (e) => store.fail(e.message),
      });
    };
    (async () => {
      for (;;) {
        const page = await api.events(taskId, { after: store.lastSeq, limit: PAGE });
        if (cancelled) return;
        store.appendAll(page.events);
        if (!page.more) break;
      }
    })().then(follow, follow); // the WebSocket sends whatever the pages did not
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [api, live, taskId, store]);
  useSyncExternalStore(store.subscribe, store.getVersion);
  return store;
}
