import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureToken, startServer } from './server.js';

describe('starting the server safely', () => {
  const homes: string[] = [];
  const home = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gluon-server-'));
    homes.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of homes.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('refuses to listen beyond loopback unless the names clients use are listed', async () => {
    await expect(
      startServer({ home: await home(), config: { host: '0.0.0.0', port: 0 }, env: {}, log: () => {} }),
    ).rejects.toThrow(/refusing to bind 0\.0\.0\.0/);
  });

  it('creates the token once, mode 600, and keeps it across starts', async () => {
    const dir = await home();
    const first = ensureToken(dir);
    expect(first).toMatch(/^[a-f0-9]{64}$/);
    expect(statSync(path.join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(ensureToken(dir)).toBe(first);
    expect(readFileSync(path.join(dir, 'token'), 'utf8').trim()).toBe(first);
  });
});
