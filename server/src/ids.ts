/**
 * Identifiers: short, random, lowercase base-36, so any 4+ character prefix is very likely unique and the
 * id is safe inside a branch name and a path.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new random id of `length` characters from [0-9a-z]. */
export function newId(length = 12): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const b of bytes) id += ALPHABET[b % 36];
  return id;
}

/** The current time as an ISO string (one place, so tests can reason about it). */
export function nowIso(): string {
  return new Date().toISOString();
}
