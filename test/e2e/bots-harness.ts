/**
 * End-to-end harness for the bots: a Gluon server with the real Claude Code on the fake Anthropic API
 * (harness.ts), the fake Telegram and Discord APIs, and `startBots` configured against them through the
 * real configuration file (`$GLUON_HOME/config.json`, section `bots`).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startBots, type RunningBots } from '../../bots/src/index.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.js';
import {
  startFakeTelegram,
  type FakeTelegram,
  type TgChat,
  type TgUser,
} from '../../fakes/telegram/index.js';
import { startGluon, type Gluon } from './harness.js';

export const ADA: TgUser = { id: 1001, is_bot: false, first_name: 'Ada' };
export const EVE: TgUser = { id: 6666, is_bot: false, first_name: 'Eve' };
export const ADA_DM: TgChat = { id: ADA.id, type: 'private', first_name: 'Ada' };
export const EVE_DM: TgChat = { id: EVE.id, type: 'private', first_name: 'Eve' };
export const GROUP: TgChat = { id: -100500, type: 'group', title: 'team' };
export const DISCORD_USER = '424242';
export const DISCORD_STRANGER = '999999';
export const DISCORD_CHANNEL = '777000';
export const DISCORD_GUILD = '555000';

export interface BotsStack {
  g: Gluon;
  tg: FakeTelegram | null;
  dc: FakeDiscord | null;
  bots: RunningBots;
  /** Stops the bots and starts them again on the same data directory (a restart). */
  restartBots(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  telegram?: boolean;
  discord?: boolean;
  /** Extra settings of the `bots` configuration section. */
  bots?: Record<string, unknown>;
  /** Extra settings of the `bots.telegram` section (e.g. a webhook). */
  telegramExtra?: Record<string, unknown>;
  /** Minimum time between writes to one chat that the fake Telegram enforces (429 otherwise). */
  telegramChatIntervalMs?: number;
}

/** Starts Gluon, the fakes asked for, and the bots. */
export async function startBotsStack(opts: StackOptions): Promise<BotsStack> {
  const g = await startGluon();
  const tg = opts.telegram
    ? await startFakeTelegram({ chatIntervalMs: opts.telegramChatIntervalMs ?? 150 })
    : null;
  const dc = opts.discord ? await startFakeDiscord() : null;
  const file = path.join(g.home, 'config.json');
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as object) : {};
  const section = {
    escalateAfterSeconds: 0,
    ...(tg
      ? {
          telegram: {
            token: tg.token,
            apiRoot: tg.apiRoot,
            users: [ADA.id],
            pacing: { chatIntervalMs: 200, groupIntervalMs: 200, globalIntervalMs: 5 },
            editIntervalMs: 400,
            ...opts.telegramExtra,
          },
        }
      : {}),
    ...(dc
      ? {
          discord: {
            appId: dc.appId,
            publicKey: dc.publicKeyHex,
            botToken: dc.botToken,
            apiBase: dc.apiBase,
            users: [DISCORD_USER],
            guilds: [DISCORD_GUILD],
            channel: DISCORD_CHANNEL,
            port: 0,
            editIntervalMs: 300,
          },
        }
      : {}),
    ...opts.bots,
  };
  writeFileSync(file, JSON.stringify({ ...existing, bots: section }, null, 1));
  tg?.addChat(ADA_DM);
  tg?.addChat(GROUP);
  const start = () =>
    startBots({
      baseUrl: g.server.url,
      token: g.server.token,
      env: {},
      home: g.home,
      listenDiscord: true,
      log: () => {},
    });
  const stack: BotsStack = {
    g,
    tg,
    dc,
    bots: await start(),
    async restartBots() {
      await stack.bots.close();
      stack.bots = await start();
      if (dc) dc.target = stack.bots.discordUrl!;
    },
    async close() {
      await stack.bots.close();
      await tg?.close();
      await dc?.close();
      await g.close();
    },
  };
  if (dc) dc.target = stack.bots.discordUrl!;
  return stack;
}
