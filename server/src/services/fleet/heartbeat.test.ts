/**
 * The heartbeat's rules on a clock of the test's own: fenced off once after `fenceAfterMs` of silence (a
 * hanging heartbeat is silence), answered again → the stopped tasks continue, declared lost → stop and
 * register again; and what the worker does on an answer never holds up the heartbeats, so a slow hand-over
 * after a cut does not read as a second cut.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat, type HeartbeatDeps } from './heartbeat.js';

const HEARTBEAT_MS = 300;
const FENCE_AFTER_MS = 4000;

/** A database the test cuts and heals; while cut, heartbeats hang (a cut network drops, it does not refuse). */
function fakeDatabase() {
  let cut = false;
  let lost = false;
  const hanging: Array<(err: Error) => void> = [];
  return {
    heartbeats: 0,
    cut: () => (cut = true),
    heal: () => (cut = false),
    declareLost: () => (lost = true),
    register: () => (lost = false),
    heartbeat(): Promise<boolean> {
      this.heartbeats++;
      if (cut) return new Promise<boolean>((_resolve, reject) => hanging.push(reject));
      return Promise.resolve(!lost);
    },
    /** The hung heartbeats fail, as the line's own timeout makes them (storage/heartbeat-line.ts). */
    timeOutHanging() {
      hanging.splice(0).forEach((fail) => fail(new Error('Query read timeout')));
    },
  };
}

describe('a worker’s heartbeat', () => {
  let log: string[];
  let stops: number;
  let resumes: number;
  let registers: number;
  let db: ReturnType<typeof fakeDatabase>;
  let deps: HeartbeatDeps;
  let heartbeat: { stop(): void };

  beforeEach(() => {
    vi.useFakeTimers();
    log = [];
    stops = resumes = registers = 0;
    db = fakeDatabase();
    deps = {
      name: 'w1',
      heartbeatMs: HEARTBEAT_MS,
      fenceAfterMs: FENCE_AFTER_MS,
      heartbeat: () => db.heartbeat(),
      register: async () => {
        registers++;
        db.register();
      },
      stopAll: async () => stops++,
      resume: async () => resumes++,
      log: (msg) => log.push(msg),
    };
  });
  afterEach(() => {
    heartbeat?.stop();
    vi.useRealTimers();
  });

  const fencedLines = () => log.filter((l) => l.includes('cannot reach the database'));

  it('beats every heartbeatMs and does nothing else while the database answers', async () => {
    heartbeat = startHeartbeat(deps);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 10);
    expect(db.heartbeats).toBe(10);
    expect({ stops, resumes, registers, log }).toEqual({ stops: 0, resumes: 0, registers: 0, log: [] });
  });

  it('a hanging heartbeat is silence: fenced off once after fenceAfterMs, its agents stopped', async () => {
    heartbeat = startHeartbeat(deps);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    db.cut();
    // Its last answered heartbeat was at the cut: fenced once the next tick finds 4 s of silence.
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS - HEARTBEAT_MS);
    expect(stops).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_MS);
    expect(fencedLines()).toHaveLength(1);
    expect(stops).toBe(1);
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS * 3);
    expect(fencedLines()).toHaveLength(1);
    // One heartbeat in flight at a time: the hanging one is not joined by others.
    expect(db.heartbeats).toBe(2);
  });

  it('answered again after a fence: the tasks it stopped continue', async () => {
    heartbeat = startHeartbeat(deps);
    db.cut();
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS + HEARTBEAT_MS);
    expect(stops).toBe(1);
    db.heal();
    db.timeOutHanging();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 2);
    expect(resumes).toBe(1);
    expect(log.at(-1)).toContain('reaches the database again');
    expect(registers).toBe(0);
  });

  it('declared lost: stops its agents and registers again, then resumes what it stopped', async () => {
    heartbeat = startHeartbeat(deps);
    db.cut();
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS + HEARTBEAT_MS);
    db.declareLost();
    db.heal();
    db.timeOutHanging();
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS * 3);
    expect(log.some((l) => l.includes('was declared lost'))).toBe(true);
    expect({ stops, registers, resumes }).toEqual({ stops: 2, registers: 1, resumes: 1 });
    expect(fencedLines()).toHaveLength(1);
  });

  it('a hand-over that waits longer than fenceAfterMs after the cut heals is no second cut', async () => {
    let finishResume = () => {};
    deps.resume = () => {
      resumes++;
      return new Promise<void>((resolve) => (finishResume = resolve));
    };
    heartbeat = startHeartbeat(deps);
    db.cut();
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS + HEARTBEAT_MS);
    db.heal();
    db.timeOutHanging();
    // The hand-over waits behind a connection the cut left hanging; the heartbeats go on meanwhile.
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS * 2);
    const during = db.heartbeats;
    finishResume();
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS * 2);
    expect(db.heartbeats).toBeGreaterThan(during);
    expect(resumes).toBe(1);
    expect(fencedLines()).toHaveLength(1);
    expect(stops).toBe(1);
  });

  it('a database that refuses fences it off just the same, and not before fenceAfterMs', async () => {
    deps.heartbeat = () => Promise.reject(new Error('connection refused'));
    heartbeat = startHeartbeat(deps);
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS - HEARTBEAT_MS);
    expect(stops).toBe(0);
    await vi.advanceTimersByTimeAsync(2 * HEARTBEAT_MS);
    expect(stops).toBe(1);
    expect(fencedLines()).toHaveLength(1);
  });

  it('a heartbeat answered after the worker began to close changes nothing', async () => {
    let answer: (alive: boolean) => void = () => {};
    deps.heartbeat = () => new Promise<boolean>((resolve) => (answer = resolve));
    heartbeat = startHeartbeat(deps);
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS);
    heartbeat.stop();
    answer(false);
    await vi.advanceTimersByTimeAsync(FENCE_AFTER_MS * 2);
    expect({ stops, registers, resumes, log }).toEqual({ stops: 0, registers: 0, resumes: 0, log: [] });
  });
});
