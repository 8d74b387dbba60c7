/**
 * The registry of runs in flight: who holds a concurrency slot (a run, a start being prepared, a wait
 * between runs, each task once), and a later run of a task never forgotten for an earlier one's end.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActiveRun } from './active-runs.js';
import { createRunRegistry } from './active-runs.js';

/** A stand-in entry: the registry only stores and compares it. */
const entry = (name: string) => ({ run: { id: name } }) as unknown as ActiveRun;

afterEach(() => vi.useRealTimers());

describe('the run registry', () => {
  it('counts each task holding a slot once, whether it runs, starts or waits', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const r = createRunRegistry();
    const done = r.launching('a');
    r.add('a', entry('a1'));
    r.add('b', entry('b1'));
    r.wait('c', 1000, () => {});
    r.wait('b', 1000, () => {});
    expect(r.count()).toBe(3);
    expect(['a', 'b', 'c', 'd'].map(r.isActive)).toEqual([true, true, true, false]);
    done();
    expect(r.isActive('a')).toBe(true);
    r.remove('a', r.get('a')!);
    expect([r.isActive('a'), r.count()]).toEqual([false, 2]);
  });

  it('forgets a run only if no later run of the same task took its place', () => {
    const r = createRunRegistry();
    const first = entry('first');
    const second = entry('second');
    r.add('t', first);
    r.add('t', second);
    r.remove('t', first);
    expect(r.get('t')).toBe(second);
    expect(r.list()).toEqual([['t', second]]);
    r.remove('t', second);
    expect(r.get('t')).toBeUndefined();
  });

  it('a wait calls its continuation after its time and frees the slot; a cancelled one never does', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const r = createRunRegistry();
    const calls: string[] = [];
    r.wait('a', 1000, () => calls.push('a'));
    r.wait('b', 1000, () => calls.push('b'));
    r.wait('c', 1000, () => calls.push('c'));
    expect(r.cancelWait('b')).toBe(true);
    expect(r.cancelWait('b')).toBe(false);
    expect(r.isActive('b')).toBe(false);
    vi.advanceTimersByTime(999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['a', 'c']);
    expect(r.count()).toBe(0);
  });

  it('clearing the waits (shutdown) drops them all without continuing any', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const r = createRunRegistry();
    const calls: string[] = [];
    r.wait('a', 10, () => calls.push('a'));
    r.wait('b', 20, () => calls.push('b'));
    r.clearWaits();
    vi.advanceTimersByTime(100);
    expect([calls, r.count()]).toEqual([[], 0]);
  });
});
