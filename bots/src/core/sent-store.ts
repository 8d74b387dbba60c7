/**
 * What the notifier has sent, per surface, kept in `$GLUON_HOME/bots/notifications.json` so that a restart
 * sends nothing twice. A key is recorded (on disk) before its message goes out: after a crash in between,
 * a notification may be missing, never doubled. Also remembers which surface started a task (its
 * questions reach that surface without the escalation delay) and when each surface was first seen (older
 * endings are not news to it).
 */
import path from 'node:path';
import { z } from 'zod';
import { botsDir, createWriter, readJson } from './json-file.js';
import type { SurfaceName } from './reply.js';

/** Entries older than this are dropped: their tasks have long moved on. */
const KEEP_MS = 30 * 24 * 3600_000;
/** And never more than this many, newest kept. */
const MAX_ENTRIES = 20_000;

const fileSchema = z.object({
  version: z.literal(1),
  surfaces: z.record(z.string(), z.number()),
  sent: z.record(z.string(), z.number()),
  origins: z.record(z.string(), z.number()),
});
type SentFile = z.infer<typeof fileSchema>;

export interface SentStore {
  /** When this surface was first seen (registering it now if it is new). */
  since(surface: SurfaceName): number;
  has(surface: SurfaceName, key: string): boolean;
  /** Records a key as sent: at once in memory, on disk when the promise resolves. */
  mark(surface: SurfaceName, key: string): Promise<void>;
  /** Forgets a key on every surface (a condition that ended, so that its return is news again). */
  forget(key: string): Promise<void>;
  isOrigin(surface: SurfaceName, taskId: string): boolean;
  /** Remembers that a task was started from this surface. */
  noteOrigin(surface: SurfaceName, taskId: string): Promise<void>;
}

export function createSentStore(home: string, now: () => number = Date.now): SentStore {
  const file = path.join(botsDir(home), 'notifications.json');
  const state: SentFile = readJson(file, fileSchema, () => ({
    version: 1 as const,
    surfaces: {},
    sent: {},
    origins: {},
  }));
  prune(state.sent, now());
  prune(state.origins, now());
  const writer = createWriter(file, () => state);
  const id = (surface: SurfaceName, key: string) => `${surface}|${key}`;

  return {
    since(surface) {
      if (state.surfaces[surface] === undefined) {
        state.surfaces[surface] = now();
        void writer.save().catch(() => undefined);
      }
      return state.surfaces[surface];
    },
    has: (surface, key) => state.sent[id(surface, key)] !== undefined,
    mark(surface, key) {
      state.sent[id(surface, key)] = now();
      prune(state.sent, now());
      return writer.save();
    },
    forget(key) {
      let changed = false;
      for (const entry of Object.keys(state.sent)) {
        if (entry.slice(entry.indexOf('|') + 1) !== key) continue;
        delete state.sent[entry];
        changed = true;
      }
      return changed ? writer.save() : Promise.resolve();
    },
    isOrigin: (surface, taskId) => state.origins[id(surface, taskId)] !== undefined,
    noteOrigin(surface, taskId) {
      state.origins[id(surface, taskId)] = now();
      return writer.save();
    },
  };
}

function prune(entries: Record<string, number>, at: number): void {
  for (const [key, when] of Object.entries(entries)) if (at - when > KEEP_MS) delete entries[key];
  const keys = Object.keys(entries);
  if (keys.length <= MAX_ENTRIES) return;
  keys.sort((a, b) => entries[a]! - entries[b]!);
  for (const key of keys.slice(0, keys.length - MAX_ENTRIES)) delete entries[key];
}
