/**
 * The event pipeline: give each event its task's next `seq`, redact secrets, persist the batch, and only
 * then publish it. Events emitted in one tick are written in one transaction; subscribers see them in
 * `seq` order, after they are durable, never before.
 */
import type { EventType, GluonEvent, NewEvent } from '../../../shared/events.js';
import type { EventsRepo } from '../storage/events-repo.js';
import { nowIso } from '../ids.js';

type Redact = (value: unknown) => unknown;
type Listener = (event: GluonEvent) => void;

export interface EventLog {
  /** Queues events for a task; resolves once they are persisted and published. */
  emit(taskId: string, events: NewEvent | readonly NewEvent[]): Promise<GluonEvent[]>;
  /** Every published event, in order per task. Returns an unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /** Events of a task after `afterSeq` from the store (the backlog for a new subscriber). */
  backlog(taskId: string, afterSeq: number, limit: number): Promise<GluonEvent[]>;
  /** Resolves when everything queued so far is persisted. */
  flush(): Promise<void>;
}

export function createEventLog(repo: EventsRepo, redact: Redact, onError: (err: unknown) => void): EventLog {
  const lastSeq = new Map<string, number>();
  const listeners = new Set<Listener>();
  let pending: { event: GluonEvent; done: () => void }[] = [];
  let flushing: Promise<void> | null = null;
  let scheduled = false;

  async function writeBatch(): Promise<void> {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    try {
      await repo.append(batch.map((b) => b.event));
    } catch (err) {
      // Nothing of this batch is durable: forget the cached seqs so they are read again from the store.
      for (const b of batch) lastSeq.delete(b.event.taskId);
      onError(err);
      for (const b of batch) b.done();
      return;
    }
    for (const { event, done } of batch) {
      for (const l of listeners) {
        try {
          l(event);
        } catch (err) {
          onError(err);
        }
      }
      done();
    }
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
      const stored = lastSeq.has(taskId) ? 0 : await repo.maxSeq(taskId);
      let seq = lastSeq.get(taskId) ?? stored;
      const out: GluonEvent[] = [];
      const waits: Promise<void>[] = [];
      for (const e of list) {
        seq += 1;
        const event = {
          seq,
          taskId,
          runId: e.runId ?? null,
          ts: nowIso(),
          type: e.type as EventType,
          data: redact(e.data),
        } as GluonEvent;
        out.push(event);
        waits.push(new Promise<void>((done) => pending.push({ event, done })));
      }
      lastSeq.set(taskId, seq);
      schedule();
      await Promise.all(waits);
      return out;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    backlog: (taskId, afterSeq, limit) => repo.listAfter(taskId, afterSeq, limit),
    async flush() {
      while (flushing || pending.length) await (flushing ?? new Promise((r) => setImmediate(r)));
    },
  };
}
