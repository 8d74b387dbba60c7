/**
 * Slows down password guessing: at most 5 failed sign-ins per user name and per client address in 15
 * minutes; a success clears the name's count. In memory, per server process (several servers each keep
 * their own count, which only multiplies the allowance by their number).
 */
const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 5;

export interface LoginLimiter {
  /** Seconds to wait before trying again, or 0 when a try is allowed now. */
  retryAfter(name: string, address: string, now?: number): number;
  fail(name: string, address: string, now?: number): void;
  succeed(name: string): void;
}

export function createLoginLimiter(): LoginLimiter {
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => {
    const times = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (times.length) failures.set(key, times);
    else failures.delete(key);
    return times;
  };
  const wait = (times: number[], now: number) =>
    times.length >= MAX_FAILURES ? Math.ceil((times[0]! + WINDOW_MS - now) / 1000) : 0;
  return {
    retryAfter(name, address, now = Date.now()) {
      return Math.max(wait(recent(`u:${name}`, now), now), wait(recent(`a:${address}`, now), now));
    },
    fail(name, address, now = Date.now()) {
      for (const key of [`u:${name}`, `a:${address}`]) failures.set(key, [...recent(key, now), now]);
    },
    succeed(name) {
      failures.delete(`u:${name}`);
    },
  };
}
