/**
 * Who the bots serve: the numeric user ids configured per surface, plus those who paired with a one-time
 * code (kept in `$GLUON_HOME/bots/paired-users.json`). Everyone else is a stranger and gets nothing.
 */
import path from 'node:path';
import { z } from 'zod';
import { botsDir, readJson, writeJsonSync } from './json-file.js';
import { consumePairingCode, looksLikePairingCode } from './pairing.js';
import type { SurfaceName } from './reply.js';

const fileSchema = z.object({
  telegram: z.array(z.string()).default([]),
  discord: z.array(z.string()).default([]),
});
type PairedFile = z.infer<typeof fileSchema>;

export interface Access {
  /** Whether the user is served on this surface. */
  isAllowed(surface: SurfaceName, userId: string): boolean;
  /** Every allowed user id: configured ones, then paired ones. */
  users(surface: SurfaceName): string[];
  /** Allowlists the user if `text` is a valid, unused, unexpired pairing code; false otherwise. */
  pair(surface: SurfaceName, userId: string, text: string): boolean;
}

/** Builds the allowlist from configured ids (`configured`) and the paired users on disk. */
export function createAccess(home: string, configured: Record<SurfaceName, ReadonlySet<string>>): Access {
  const file = path.join(botsDir(home), 'paired-users.json');
  const load = (): PairedFile => readJson(file, fileSchema, () => ({ telegram: [], discord: [] }));
  let paired = load();
  const known = (surface: SurfaceName, userId: string) =>
    configured[surface].has(userId) || paired[surface].includes(userId);

  return {
    isAllowed(surface, userId) {
      if (!/^\d{1,25}$/.test(userId)) return false;
      if (known(surface, userId)) return true;
      // Another process (a second bot) may have paired the user since we read the file.
      paired = load();
      return known(surface, userId);
    },
    users(surface) {
      paired = load();
      return [...new Set([...configured[surface], ...paired[surface]])];
    },
    pair(surface, userId, text) {
      if (!/^\d{1,25}$/.test(userId) || !looksLikePairingCode(text)) return false;
      if (!consumePairingCode(home, text)) return false;
      paired = load();
      if (!paired[surface].includes(userId)) paired[surface].push(userId);
      writeJsonSync(file, paired);
      return true;
    },
  };
}
