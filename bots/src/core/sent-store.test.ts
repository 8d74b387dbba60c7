import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSentStore } from './sent-store.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gluon-sent-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('the sent store', () => {
  it('remembers what was sent, per surface, across instances (a restart)', async () => {
    const first = createSentStore(home, () => 1000);
    expect(first.since('telegram')).toBe(1000);
    await first.mark('telegram', 'input:t1:r1');
    await first.noteOrigin('discord', 't2');
    expect(first.has('telegram', 'input:t1:r1')).toBe(true);
    expect(first.has('discord', 'input:t1:r1')).toBe(false);

    const second = createSentStore(home, () => 5000);
    expect(second.since('telegram')).toBe(1000);
    expect(second.has('telegram', 'input:t1:r1')).toBe(true);
    expect(second.isOrigin('discord', 't2')).toBe(true);
    expect(statSync(path.join(home, 'bots', 'notifications.json')).mode & 0o777).toBe(0o600);
  });

  it('forgets a key on every surface', async () => {
    const store = createSentStore(home);
    await store.mark('telegram', 'red:t1');
    await store.mark('discord', 'red:t1');
    await store.mark('discord', 'red:t10');
    await store.forget('red:t1');
    expect(store.has('telegram', 'red:t1')).toBe(false);
    expect(store.has('discord', 'red:t1')).toBe(false);
    expect(store.has('discord', 'red:t10')).toBe(true);
    expect(createSentStore(home).has('discord', 'red:t1')).toBe(false);
  });

  it('drops entries older than 30 days, and reads a damaged file as empty', async () => {
    const day = 24 * 3600_000;
    await createSentStore(home, () => 0).mark('telegram', 'old');
    expect(createSentStore(home, () => 31 * day).has('telegram', 'old')).toBe(false);
    const file = path.join(home, 'bots', 'notifications.json');
    writeFileSync(file, '{ not json');
    const store = createSentStore(home);
    expect(store.has('telegram', 'old')).toBe(false);
    await store.mark('telegram', 'new');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1 });
  });
});
