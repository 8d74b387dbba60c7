/**
 * Test helper for the run lifecycle beds: what a test waits on instead of sleeping. `watch` keeps every
 * event the log published and every run end the lifecycle announced since the bed opened, so a wait that
 * starts late still sees what already happened; `createHolds` pauses a phase (a worktree being prepared,
 * a commit, a push) until the test lets it go on. Not a product module.
 */
import type { GluonEvent } from '../../../../shared/events.js';
import type { EventLog } from '../event-log.js';

type Waiter = { check: () => boolean; resolve: () => void };

export function createWatch(events: EventLog, onFinished: (l: (taskId: string) => void) => void) {
  const seen: GluonEvent[] = [];
  const ends: string[] = [];
  const waiters = new Set<Waiter>();
  const wake = () => {
    for (const w of [...waiters])
      if (w.check()) {
        waiters.delete(w);
        w.resolve();
      }
  };
  events.subscribe((e) => {
    seen.push(e);
    wake();
  });
  onFinished((taskId) => {
    ends.push(taskId);
    wake();
  });
  /** Resolves once `check` holds (now or after a later event or run end). */
  const until = (check: () => boolean) =>
    new Promise<void>((resolve) => (check() ? resolve() : waiters.add({ check, resolve })));

  return {
    /** Every event published so far, oldest first. */
    seen,
    /** Resolves with the first published event of `taskId` that `pred` accepts. */
    async event(taskId: string, pred: (e: GluonEvent) => boolean): Promise<GluonEvent> {
      const find = () => seen.find((e) => e.taskId === taskId && pred(e));
      await until(() => find() !== undefined);
      return find()!;
    },
    /** Resolves once the task has changed `n` times (default once) to `status`. */
    status(taskId: string, status: string, n = 1): Promise<void> {
      const count = () =>
        seen.filter((e) => e.taskId === taskId && e.type === 'status.changed' && e.data.to === status).length;
      return until(() => count() >= n);
    },
    /** The task's status changes so far, as `from→to`. */
    transitions(taskId: string): string[] {
      return seen
        .filter((e) => e.taskId === taskId && e.type === 'status.changed')
        .map((e) => (e.type === 'status.changed' ? `${e.data.from ?? 'new'}→${e.data.to}` : ''));
    },
    /** The task's events so far (of one type, if given), oldest first. */
    of(taskId: string, type?: string): GluonEvent[] {
      return seen.filter((e) => e.taskId === taskId && (type === undefined || e.type === type));
    },
    /** Resolves once `n` runs of the task (default one) have ended and their end is fully applied. */
    ended(taskId: string, n = 1): Promise<void> {
      return until(() => ends.filter((t) => t === taskId).length >= n);
    },
  };
}

export type Watch = ReturnType<typeof createWatch>;

/** The phases a test can pause. */
export type Phase = 'prepare' | 'commit' | 'publish';

export interface Hold {
  /** Resolves once the phase is reached (and waits). */
  reached: Promise<void>;
  /** Lets the phase go on. */
  release(): void;
}

export function createHolds() {
  const holds = new Map<Phase, { arrive: () => void; gate: Promise<void> }>();
  return {
    /** Pauses the next time `phase` is reached. */
    hold(phase: Phase): Hold {
      let arrive: () => void = () => {};
      let release: () => void = () => {};
      const reached = new Promise<void>((r) => (arrive = r));
      const gate = new Promise<void>((r) => (release = r));
      holds.set(phase, { arrive, gate });
      return { reached, release };
    },
    /** Called by the instrumented phase: waits while the test holds it. */
    async checkpoint(phase: Phase): Promise<void> {
      const h = holds.get(phase);
      if (!h) return;
      holds.delete(phase);
      h.arrive();
      await h.gate;
    },
  };
}
