import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAccess } from './access.js';
import { consumePairingCode, createPairingCode, looksLikePairingCode, PAIRING_TTL_MS } from './pairing.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gluon-access-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const configured = { telegram: new Set(['1001']), discord: new Set(['424242']) };

describe('pairing codes', () => {
  it('are one-time, expire after 10 minutes, and ignore case and the dash', () => {
    const { code, expiresAt } = createPairingCode(home, 0);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(expiresAt.getTime()).toBe(PAIRING_TTL_MS);
    expect(looksLikePairingCode(code.toLowerCase().replace('-', ' '))).toBe(true);
    expect(consumePairingCode(home, code.toLowerCase(), PAIRING_TTL_MS - 1)).toBe(true);
    expect(consumePairingCode(home, code, PAIRING_TTL_MS - 1)).toBe(false);

    const late = createPairingCode(home, 0).code;
    expect(consumePairingCode(home, late, PAIRING_TTL_MS + 1)).toBe(false);
    expect(consumePairingCode(home, 'AAAA-AAAA', 0)).toBe(false);
  });

  it('are stored only as hashes', async () => {
    const { code } = createPairingCode(home);
    const { readFileSync } = await import('node:fs');
    const stored = readFileSync(path.join(home, 'bots', 'pairing.json'), 'utf8');
    expect(stored).not.toContain(code.replace('-', ''));
    expect(stored).not.toContain(code);
  });
});

describe('access', () => {
  it('serves configured numeric ids on their own surface only', () => {
    const access = createAccess(home, configured);
    expect(access.isAllowed('telegram', '1001')).toBe(true);
    expect(access.isAllowed('discord', '1001')).toBe(false);
    expect(access.isAllowed('telegram', '1001 ')).toBe(false);
    expect(access.isAllowed('telegram', 'undefined')).toBe(false);
  });

  it('allowlists a stranger who brings a valid code, for good and in another process too', () => {
    const access = createAccess(home, configured);
    expect(access.pair('telegram', '6666', 'AAAA-AAAA')).toBe(false);
    const { code } = createPairingCode(home);
    const other = createAccess(home, configured);
    expect(access.pair('telegram', '6666', code)).toBe(true);
    expect(access.isAllowed('telegram', '6666')).toBe(true);
    expect(other.isAllowed('telegram', '6666')).toBe(true);
    expect(access.isAllowed('discord', '6666')).toBe(false);
    expect(access.users('telegram')).toEqual(['1001', '6666']);
    expect(access.pair('telegram', '7777', code)).toBe(false);
  });
});
