/**
 * One task's events in the browser: an append-only array ordered by `seq`, fed by the live connection
 * (backlog, then live). Listeners are told at most once per animation frame, so a backlog of 100,000
 * events costs a handful of renders, not 100,000.
 */
import type { GluonEvent } from '../../../shared/events.js';
import { frameScheduler, type Scheduler } from './frame-scheduler.js';

export class EventStore {
  readonly events: GluonEvent[] = [];
  /** Bumped on every batch; what `useSyncExternalStore` compares. */
  version = 0;
  /** The backlog has been delivered at least once (the stream is live). */
  live = false;
  error: string | null = null;
  private readonly listeners = new Set<() => void>();
  private pending = false;

  constructor(private readonly schedule: Scheduler = frameScheduler) {}

  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  /** Adds a page of events in order (the HTTP backlog). */
  appendAll(events: readonly GluonEvent[]): void {
    for (const event of events) if (event.seq > this.lastSeq) this.events.push(event);
    this.changed();
  }

  /** Adds an event; one at or below the last seq is a duplicate and is dropped. */
  append(event: GluonEvent): void {
    if (event.seq <= this.lastSeq) return;
    this.events.push(event);
    this.changed();
  }

  markLive(): void {
    if (this.live) return;
    this.live = true;
    this.changed();
  }

  fail(message: string): void {
    this.error = message;
    this.changed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    this.schedule(() => {
      this.pending = false;
      this.version += 1;
      for (const listener of this.listeners) listener();
    });
  }
}
