import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBotsConfig } from './config.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gluon-bots-config-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const KEY = 'ab'.repeat(32);
const load = (env: NodeJS.ProcessEnv = {}) =>
  loadBotsConfig({ env, home, baseUrl: 'http://127.0.0.1:45866' });
const writeSection = (bots: unknown) =>
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ port: 1, bots }));

describe('the bots configuration', () => {
  it('is off without credentials, with Telegram and Discord defaults when on', () => {
    expect(load()).toMatchObject({
      telegram: null,
      discord: null,
      problems: [],
      publicUrl: 'http://127.0.0.1:45866',
      escalateAfterMs: 180_000,
    });
    const config = load({
      GLUON_TELEGRAM_TOKEN: '1:abc',
      GLUON_TELEGRAM_USERS: '1001, 1002',
      GLUON_DISCORD_APP_ID: '11',
      GLUON_DISCORD_PUBLIC_KEY: KEY.toUpperCase(),
      GLUON_DISCORD_BOT_TOKEN: 'tok',
      GLUON_DISCORD_USERS: '42',
      GLUON_PUBLIC_URL: 'https://gluon.example.com/',
      GLUON_NOTIFY_ESCALATE_SECONDS: '30',
    });
    expect(config.telegram).toMatchObject({
      token: '1:abc',
      users: new Set(['1001', '1002']),
      apiRoot: undefined,
      webhook: null,
    });
    expect(config.discord).toMatchObject({
      appId: '11',
      publicKey: KEY,
      apiBase: 'https://discord.com/api/v10',
      listen: { host: '127.0.0.1', port: 45869 },
    });
    expect(config.publicUrl).toBe('https://gluon.example.com');
    expect(config.escalateAfterMs).toBe(30_000);
  });

  it('reads the "bots" section of config.json, and the environment wins over it', () => {
    writeSection({
      telegram: {
        token: 'file-token',
        users: [7],
        apiRoot: 'http://127.0.0.1:9/',
        pacing: { chatIntervalMs: 5 },
      },
      discord: { appId: '1', publicKey: KEY, botToken: 't', port: 0 },
      escalateAfterSeconds: 0,
    });
    const config = load({ GLUON_TELEGRAM_TOKEN: 'env-token' });
    expect(config.discord!.listen.port).toBe(0);
    expect(config.telegram).toMatchObject({
      token: 'env-token',
      users: new Set(['7']),
      apiRoot: 'http://127.0.0.1:9',
    });
    expect(config.telegram!.pacing).toMatchObject({ chatIntervalMs: 5, groupIntervalMs: 3000 });
    expect(config.escalateAfterMs).toBe(0);
  });

  it('reports what is wrong instead of guessing', () => {
    const config = load({
      GLUON_TELEGRAM_TOKEN: 't',
      GLUON_TELEGRAM_USERS: '1001,@ada',
      GLUON_DISCORD_APP_ID: '11',
      GLUON_DISCORD_PUBLIC_KEY: 'nothex',
    });
    expect(config.telegram!.users).toEqual(new Set(['1001']));
    expect(config.discord).toBeNull();
    expect(config.problems).toEqual([
      'GLUON_TELEGRAM_USERS must be numeric ids, not: @ada',
      'Discord needs GLUON_DISCORD_APP_ID, GLUON_DISCORD_PUBLIC_KEY and GLUON_DISCORD_BOT_TOKEN together',
      'GLUON_DISCORD_PUBLIC_KEY must be 64 hex digits',
    ]);
    writeSection({ telegram: { users: 'not a list' } });
    expect(load().problems[0]).toMatch(/the "bots" section of .*config\.json is invalid/);
  });
});
