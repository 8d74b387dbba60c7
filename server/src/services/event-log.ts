/**
 * The event pipeline: give each event its task's next `seq`, redact secrets, persist the batch, and only
 * then publish it. Events emitted in one tick are written in one transaction; subscribers see them in
 * `seq` order, after they are durable, never before.
 *
 * Several writers (processes sharing a Postgres database): the stored (task, seq) key is the arbiter. A
 * batch that lost a seq to another writer is renumbered after the stored maximum and written again (it
 * was never published, so nobody saw the seq it lost). After each write the change feed tells the other
 * processes which task moved to which seq; they read those events back and publish them to their own
 * remote subscribers (the WebSocket hub), which repair any gap from the store.
 */
import type { EventType, GluonEvent, NewEvent } from '../../../shared/events.js';
import type { ChangeFeed } from '../storage/change-feed.js';
import { SeqConflictError, type EventsRepo } from '../storage/events-repo.js';
import { nowIso } from '../ids.js';
import { createRemoteEvents } from './remote-events.js';

type Redact = (value: unknown) => unknown;
type Listener = (event: GluonEvent) => void;

export interface EventLog {
  /** Queues events for a task; resolves once they are persisted and published. */
  emit(taskId: string, events: NewEvent | readonly NewEvent[]): Promise<GluonEvent[]>;
  /**
   * Every event this process wrote, in order per task, once durable. With `remote`, also those other
   * processes wrote (their order against this process's events is repaired by the subscriber from the store).
   * Returns an unsubscribe function.
   */
  subscribe(listener: Listener, options?: { remote?: boolean }): () => void;
  /** Events of a task after `afterSeq` from the store (the backlog for a new subscriber). */
  backlog(taskId: string, afterSeq: number, limit: number): Promise<GluonEvent[]>;
  /** Resolves when everything queued so far is persisted. */
  flush(): Promise<void>;
}

type Queued = { events: GluonEvent[]; done: () => void };

/** Attempts at a batch that keeps losing its seqs to other writers before it is given up (and logged). */
const MAX_ATTEMPTS = 8;

export function createEventLog(
  repo: EventsRepo,
  redact: Redact,
  onError: (err: unknown) => void,
  feed?: ChangeFeed,
): EventLog {
  const lastSeq = new Map<string, number>();
  const local = new Set<Listener>();
  const all = new Set<Listener>();
  /** What emits queued, one entry per call (one promise per call, not per event). */
  let pending: Queued[] = [];
  let flushing: Promise<void> | null = null;
  let scheduled = false;
  /** Emits reading their task's stored maximum: not queued yet, but flush waits for them too. */
  let reading = 0;

  const deliver = (listeners: Set<Listener>, event: GluonEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        onError(err);
      }
    }
  };
  const remote = feed?.shared
    ? createRemoteEvents({
        repo,
        feed,
        onError,
        publish: (event) => deliver(all, event),
        // Another writer moved a task on: number after it, rather than lose a write to it first.
        seen: (taskId, seq) => {
          if ((lastSeq.get(taskId) ?? 0) < seq) lastSeq.set(taskId, seq);
        },
      })
    : null;

  /** Renumbers, after the stored maximum, every unwritten event of the tasks that lost a seq. */
  async function renumber(batch: Queued[], taskIds: readonly string[]): Promise<void> {
    const stored = new Map(
      await Promise.all(taskIds.map(async (id) => [id, await repo.maxSeq(id)] as const)),
    );
    // Synchronous from here: events emitted meanwhile (in `pending`) are renumbered in the same pass.
    for (const [taskId, max] of stored) {
      let seq = max;
      for (const b of [...batch, ...pending])
        for (const event of b.events) if (event.taskId === taskId) (event as { seq: number }).seq = ++seq;
      lastSeq.set(taskId, seq);
    }
  }

  async function append(batch: Queued[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await repo.append(batch.length === 1 ? batch[0]!.events : batch.flatMap((b) => b.events));
      } catch (err) {
        if (!(err instanceof SeqConflictError) || attempt >= MAX_ATTEMPTS) throw err;
        await renumber(batch, err.taskIds);
      }
    }
  }

  async function writeBatch(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await append(batch);
    } catch (err) {
      // Nothing of this batch is durable: forget the cached seqs so they are read again from the store.
      for (const b of batch) for (const event of b.events) lastSeq.delete(event.taskId);
      onError(err);
      for (const b of batch) b.done();
      return;
    }
    for (const { events, done } of batch) {
      for (const event of events) {
        deliver(local, event);
        deliver(all, event);
      }
      done();
    }
    remote?.announce(batch.flatMap((b) => b.events));
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      const previous = flushing ?? Promise.resolve();
      flushing = previous.then(writeBatch).finally(() => {
        if (!scheduled && pending.length === 0) flushing = null;
      });
    });
  }

  return {
    async emit(taskId, events) {
      const list = (Array.isArray(events) ? events : [events]) as readonly NewEvent[];
      // Seqs are assigned synchronously (after at most one read of the stored maximum), so events keep
      // the order in which they were emitted.
      let stored = 0;
      if (!lastSeq.has(taskId)) {
        reading += 1;
        try {
          stored = await repo.maxSeq(taskId);
        } finally {
          reading -= 1;
        }
      }
      let seq = Math.max(lastSeq.get(taskId) ?? 0, stored);
      const out: GluonEvent[] = [];
      const waits: Promise<void>[] = [];
      const ts = nowIso();
      for (const e of list) {
        seq += 1;
        const event = {
          seq,
          taskId,
          runId: e.runId ?? null,
          ts,
          type: e.type as EventType,
          data: redact(e.data),
        } as GluonEvent;
        out.push(event);
      }
      if (out.length > 0) waits.push(new Promise<void>((done) => pending.push({ events: out, done })));
      lastSeq.set(taskId, seq);
      schedule();
      await Promise.all(waits);
      return out;
    },
    subscribe(listener, options = {}) {
      const set = options.remote ? all : local;
      set.add(listener);
      return () => set.delete(listener);
    },
    backlog: (taskId, afterSeq, limit) => repo.listAfter(taskId, afterSeq, limit),
    async flush() {
      while (reading || flushing || pending.length) await (flushing ?? new Promise((r) => setImmediate(r)));
    },
  };
}
