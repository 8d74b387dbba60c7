/**
 * The live logs a bot is following: at most one per chat and task (a new /logs replaces the old view),
 * and a bounded number in all (the oldest stops first), all stopped when the bot closes.
 */
import type { LogFollower } from './live-log.js';

export interface Followers {
  /** Tracks a follower under `key` (e.g. chat and task), stopping the one it replaces. */
  add(key: string, follower: LogFollower): void;
  /** Stops every follower and resolves once their final views are shown. */
  stopAll(): Promise<void>;
}

export function createFollowers(max = 20): Followers {
  const active = new Map<string, LogFollower>();
  return {
    add(key, follower) {
      active.get(key)?.stop();
      active.delete(key);
      active.set(key, follower);
      if (active.size > max) {
        const [oldestKey, oldest] = active.entries().next().value as [string, LogFollower];
        oldest.stop();
        active.delete(oldestKey);
      }
      const forget = () => {
        if (active.get(key) === follower) active.delete(key);
      };
      follower.done.then(forget, forget);
    },
    async stopAll() {
      const all = [...active.values()];
      active.clear();
      for (const follower of all) follower.stop();
      await Promise.all(all.map((f) => f.done.catch(() => undefined)));
    },
  };
}
