import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../fakes/telegram/index.js';
import { ROOT, cli, startGluon, type Gluon } from './harness.js';
import { ADA, ADA_DM } from './bots-harness.js';

describe('gluon bot (the built CLI)', () => {
  let g: Gluon;
  let tg: FakeTelegram;
  beforeAll(async () => {
    g = await startGluon();
    tg = await startFakeTelegram();
    tg.addChat(ADA_DM);
  });
  afterAll(async () => {
    await tg?.close();
    await g?.close();
  });

  const env = () => ({
    PATH: process.env.PATH,
    HOME: g.home,
    GLUON_HOME: g.home,
    GLUON_URL: g.server.url,
    GLUON_TOKEN: g.server.token,
  });

  it('`gluon bot telegram` runs the bot alone until SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'gluon.js'), 'bot', 'telegram'], {
      env: {
        ...env(),
        GLUON_TELEGRAM_TOKEN: tg.token,
        GLUON_TELEGRAM_USERS: String(ADA.id),
        GLUON_TELEGRAM_API_ROOT: tg.apiRoot,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await tg.waitFor(() => out.includes('The telegram bot is running'), `the bot to start (output: ${out})`);
    tg.say(ADA, ADA_DM, '/board');
    const board = await tg.waitFor(
      () => tg.messages(ADA_DM.id).find((m) => m.from.is_bot && m.text.startsWith('📋')),
      'the board',
    );
    expect(board.text).toContain('Queue 0 · Running 0 · Review 0 · Done 0');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('The telegram bot is stopping');
  });

  it('`gluon bot link` prints a code, and `gluon bot discord` unconfigured is a usage error', async () => {
    const link = await cli(['bot', 'link', '--json'], env());
    expect(link.code).toBe(0);
    expect(JSON.parse(link.stdout)).toMatchObject({
      code: expect.stringMatching(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/),
    });
    const discord = await cli(['bot', 'discord'], env());
    expect(discord.code).toBe(2);
    expect(discord.stderr).toContain('the discord bot is not configured');
  });
});
