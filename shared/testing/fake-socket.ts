/**
 * Test helper: a scripted socket and timers for the live protocol (shared/live.ts). Each socket records
 * what the client sent; the test opens it, feeds it server messages and closes it, and runs the timers it
 * chooses. No network, no wall clock.
 */
import type { SocketLike, Timers } from '../live-socket.js';

export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined | 'never' = 'never';
  onopen: SocketLike['onopen'] = null;
  onclose: SocketLike['onclose'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(
    readonly url: string,
    readonly protocols: string[] = [],
  ) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  /** The client closes it (the platform then reports the close). */
  close(code?: number) {
    this.closedWith = code;
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  /** The connection ends from the other side (or the upgrade was refused with `refusedStatus`). */
  drop(refusedStatus?: number) {
    this.readyState = 3;
    this.onclose?.(refusedStatus === undefined ? {} : { refusedStatus });
  }
}

/** Timers that run only when the test says so. */
export function manualTimers(): Timers & {
  pending: { fn: () => void; ms: number }[];
  runNext(ms?: number): void;
} {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    set: (fn, ms) => {
      const timer = { fn, ms };
      pending.push(timer);
      return timer;
    },
    clear: (handle) => {
      const at = pending.indexOf(handle as (typeof pending)[number]);
      if (at >= 0) pending.splice(at, 1);
    },
    /** Runs the oldest pending timer (of `ms`, when given). */
    runNext(ms) {
      const at = pending.findIndex((t) => ms === undefined || t.ms === ms);
      if (at < 0) throw new Error(`no pending timer${ms === undefined ? '' : ` of ${ms} ms`}`);
      const [timer] = pending.splice(at, 1);
      timer!.fn();
    },
  };
}
