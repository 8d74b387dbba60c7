/**
 * One-time pairing codes: `gluon bot link` creates one (valid 10 minutes), a stranger sends it to a bot,
 * and the bot allowlists that user. Only a hash of each code is stored, in `$GLUON_HOME/bots/pairing.json`,
 * which both the CLI and the bots read — they share the data directory, not a network call.
 */
import { createHash, randomInt } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { botsDir, readJson, writeJsonSync } from './json-file.js';

/** How long a code can be used. */
export const PAIRING_TTL_MS = 10 * 60_000;
/** No 0/O, 1/I/L or U: a code read aloud or retyped from a screen survives. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';

const fileSchema = z.object({
  codes: z.array(z.object({ hash: z.string(), expiresAt: z.number() })),
});
type PairingFile = z.infer<typeof fileSchema>;

const fileOf = (home: string) => path.join(botsDir(home), 'pairing.json');
const read = (home: string): PairingFile => readJson(fileOf(home), fileSchema, () => ({ codes: [] }));

/** Upper case, no dash or spaces: `abcd-efgh` and `ABCDEFGH` are the same code. */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, '').toUpperCase();
}

function hashCode(code: string): string {
  return createHash('sha256').update(normalizeCode(code)).digest('hex');
}

/** Pairing codes look like `ABCD-EFGH` (case, spaces and the dash do not matter). */
export function looksLikePairingCode(text: string): boolean {
  return /^[A-Z0-9]{8}$/.test(normalizeCode(text));
}

/** Creates a code (8 characters, ~39 bits, shown as `ABCD-EFGH`) and stores its hash. */
export function createPairingCode(home: string, now = Date.now()): { code: string; expiresAt: Date } {
  let raw = '';
  for (let i = 0; i < 8; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`;
  const expiresAt = now + PAIRING_TTL_MS;
  const file = read(home);
  const codes = file.codes.filter((c) => c.expiresAt > now);
  codes.push({ hash: hashCode(code), expiresAt });
  writeJsonSync(fileOf(home), { codes });
  return { code, expiresAt: new Date(expiresAt) };
}

/**
 * Uses up a code.
 * Rules: true only for a code that exists and has not expired; a used code is removed at once (one-time);
 * expired codes are removed on the way.
 */
export function consumePairingCode(home: string, code: string, now = Date.now()): boolean {
  const file = read(home);
  const hash = hashCode(code);
  const live = file.codes.filter((c) => c.expiresAt > now);
  const match = live.find((c) => c.hash === hash);
  if (!match && live.length === file.codes.length) return false;
  writeJsonSync(fileOf(home), { codes: live.filter((c) => c !== match) });
  return match !== undefined;
}
