import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repeatEvery } from './repeat.js';

describe('repeatEvery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs one pass at a time, skipping ticks while one runs, and stops when told', async () => {
    let release: () => void = () => {};
    const pass = vi.fn(() => new Promise<void>((r) => (release = r)));
    const stop = repeatEvery(100, pass, () => {});
    await vi.advanceTimersByTimeAsync(350);
    expect(pass).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(100);
    expect(pass).toHaveBeenCalledTimes(2);
    stop();
    release();
    await vi.advanceTimersByTimeAsync(1000);
    expect(pass).toHaveBeenCalledTimes(2);
  });

  it('hands a failed pass to onError and goes on; never runs with an interval of 0', async () => {
    const errors: unknown[] = [];
    const failing = vi.fn(() => Promise.reject(new Error('GitHub said no')));
    const stop = repeatEvery(50, failing, (e) => errors.push(e));
    await vi.advanceTimersByTimeAsync(120);
    expect(failing).toHaveBeenCalledTimes(2);
    expect(errors).toHaveLength(2);
    stop();
    const never = vi.fn(() => Promise.resolve());
    repeatEvery(0, never, () => {});
    await vi.advanceTimersByTimeAsync(1000);
    expect(never).not.toHaveBeenCalled();
  });
});
