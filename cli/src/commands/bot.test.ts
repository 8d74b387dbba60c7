import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumePairingCode } from '../../../bots/src/core/pairing.js';
import { startFakeApi, type FakeApi } from '../testing/fake-api.js';
import { runGluon } from '../testing/run-cli.js';

let home: string;
let api: FakeApi;
beforeEach(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gluon-bot-cli-'));
  api = await startFakeApi();
  api.on('GET', '/api/health', { body: { ok: true, version: 'test' } });
});
afterEach(async () => {
  await api.close();
  rmSync(home, { recursive: true, force: true });
});

describe('gluon bot', () => {
  it('link prints a one-time code that pairs exactly once', async () => {
    const result = await runGluon(['bot', 'link'], { GLUON_HOME: home });
    expect(result.code).toBe(0);
    const code = /Pairing code: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(result.stdout)?.[1];
    expect(code).toBeDefined();
    expect(result.stdout).toContain(`/start ${code}`);
    expect(result.stdout).toContain(`/pair code:${code}`);
    expect(consumePairingCode(home, code!)).toBe(true);
    expect(consumePairingCode(home, code!)).toBe(false);
  });

  it('link --json gives the code and when it expires (10 minutes from now)', async () => {
    const before = Date.now();
    const result = await runGluon(['bot', 'link', '--json'], { GLUON_HOME: home });
    const { code, expiresAt } = JSON.parse(result.stdout) as { code: string; expiresAt: string };
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(10 * 60_000);
    expect(Date.parse(expiresAt) - before).toBeLessThan(11 * 60_000);
  });

  it('telegram without a token is a usage error that says what to set', async () => {
    const result = await runGluon(['bot', 'telegram'], {
      GLUON_HOME: home,
      GLUON_URL: api.url,
      GLUON_TOKEN: 't',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the telegram bot is not configured: set GLUON_TELEGRAM_TOKEN');
  });

  it('discord half-configured names the problem', async () => {
    const env = { GLUON_HOME: home, GLUON_URL: api.url, GLUON_TOKEN: 't', GLUON_DISCORD_APP_ID: '1' };
    const result = await runGluon(['bot', 'discord', '--port', '0'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Discord needs GLUON_DISCORD_APP_ID, GLUON_DISCORD_PUBLIC_KEY and GLUON_DISCORD_BOT_TOKEN together',
    );
  });

  it('refuses a bad port and an unreachable server', async () => {
    expect((await runGluon(['bot', 'discord', '--port', 'x'], { GLUON_HOME: home })).code).toBe(2);
    await api.close();
    const result = await runGluon(['bot', 'telegram'], {
      GLUON_HOME: home,
      GLUON_URL: api.url,
      GLUON_TELEGRAM_TOKEN: '1:x',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot reach the Gluon server');
    api = await startFakeApi();
  });
});
