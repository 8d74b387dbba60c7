/**
 * Events written by other processes on the same database, made visible here: each write is announced on
 * the change feed as `taskId:firstSeq:lastSeq` (ids, never payloads); on hearing one, this process reads
 * the events from the store and publishes those it has not published yet. After the feed reconnects, the
 * tasks heard of recently are read again up to their stored `last_seq`, so nothing announced while it was
 * down stays unseen.
 */
import type { GluonEvent } from '../../../shared/events.js';
import type { ChangeFeed } from '../storage/change-feed.js';
import type { EventsRepo } from '../storage/events-repo.js';

/** Tasks remembered for catching up after a reconnect (the most recently announced). */
const REMEMBERED = 2000;
const PAGE = 1000;

export interface RemoteEventsDeps {
  repo: EventsRepo;
  feed: ChangeFeed;
  onError: (err: unknown) => void;
  /** Publishes an event another process wrote. */
  publish(event: GluonEvent): void;
  /** Tells the local writer the highest seq known to exist for a task. */
  seen(taskId: string, seq: number): void;
}

export function createRemoteEvents(deps: RemoteEventsDeps) {
  /** The highest seq published here per task (written here or read back). */
  const published = new Map<string, number>();
  let chain: Promise<void> = Promise.resolve();

  function mark(taskId: string, seq: number): void {
    published.delete(taskId);
    published.set(taskId, seq);
    if (published.size > REMEMBERED) published.delete(published.keys().next().value as string);
  }

  /** Reads and publishes a task's events after what was published here, up to `last`. */
  async function ingest(taskId: string, first: number, last: number): Promise<void> {
    let after = Math.max(published.get(taskId) ?? first - 1, 0);
    deps.seen(taskId, last);
    while (after < last) {
      const page = await deps.repo.listAfter(taskId, after, Math.min(PAGE, last - after));
      if (page.length === 0) break;
      for (const event of page) deps.publish(event);
      after = page.at(-1)!.seq;
      mark(taskId, after);
    }
  }

  function enqueue(work: () => Promise<void>): void {
    chain = chain.then(work).catch(deps.onError);
  }

  deps.feed.listen('gluon_events', (payload) => {
    const [taskId, first, last] = payload.split(':');
    const from = Number(first);
    const to = Number(last);
    if (!taskId || !Number.isSafeInteger(from) || !Number.isSafeInteger(to)) return;
    if ((published.get(taskId) ?? 0) >= to) return; // written here, or already read
    enqueue(() => ingest(taskId, from, to));
  });
  deps.feed.onReconnect(() =>
    enqueue(async () => {
      for (const [taskId, seq] of [...published]) {
        const last = await deps.repo.maxSeq(taskId);
        if (last > seq) await ingest(taskId, seq + 1, last);
      }
    }),
  );

  return {
    /** Marks events written here as published, and tells the other processes about them. */
    announce(events: readonly GluonEvent[]): void {
      const range = new Map<string, [number, number]>();
      for (const e of events) {
        const r = range.get(e.taskId);
        range.set(e.taskId, r ? [r[0], e.seq] : [e.seq, e.seq]);
        if ((published.get(e.taskId) ?? 0) < e.seq) mark(e.taskId, e.seq);
      }
      for (const [taskId, [first, last]] of range)
        deps.feed.notify('gluon_events', `${taskId}:${first}:${last}`).catch(deps.onError);
    },
  };
}
