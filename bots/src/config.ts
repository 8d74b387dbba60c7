/**
 * The bots' configuration: the `bots` section of `$GLUON_HOME/config.json`, overridden by environment
 * variables (GLUON_TELEGRAM_*, GLUON_DISCORD_*, GLUON_PUBLIC_URL, GLUON_NOTIFY_ESCALATE_SECONDS). A surface
 * is on when its credentials are all there; a half-configured one is reported as a problem, not guessed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_PACING, type PacingLimits } from './telegram/pacer.js';

export interface TelegramConfig {
  token: string;
  users: Set<string>;
  apiRoot?: string;
  notifyChats: string[];
  webhook: { url: string; secret?: string; host: string; port: number } | null;
  pacing: PacingLimits;
  editIntervalMs: number;
  maxFollowMs: number;
}

export interface DiscordConfig {
  appId: string;
  publicKey: string;
  botToken: string;
  users: Set<string>;
  /** Servers (guilds) whose channels may use the bot; empty = any (users are still checked). */
  guilds: Set<string>;
  apiBase: string;
  /** Where notifications go when the task's project has no linked channel. */
  notifyChannel: string | null;
  /** Where `gluon bot discord` listens for interactions (inside `gluon serve`, the server's own port). */
  listen: { host: string; port: number };
  editIntervalMs: number;
  maxFollowMs: number;
}

export interface BotsConfig {
  publicUrl: string;
  escalateAfterMs: number;
  telegram: TelegramConfig | null;
  discord: DiscordConfig | null;
  /** What is wrong with the configuration (the surface concerned is left off). */
  problems: string[];
}

const ids = z.array(z.union([z.string(), z.number()])).optional();
const fileSchema = z.object({
  publicUrl: z.string().optional(),
  escalateAfterSeconds: z.number().min(0).optional(),
  telegram: z
    .object({
      token: z.string().optional(),
      users: ids,
      apiRoot: z.string().optional(),
      notifyChats: ids,
      webhook: z
        .object({
          url: z.string(),
          secret: z.string().optional(),
          host: z.string().optional(),
          port: z.number().optional(),
        })
        .optional(),
      pacing: z
        .object({
          chatIntervalMs: z.number(),
          groupIntervalMs: z.number(),
          globalIntervalMs: z.number(),
          maxRetries: z.number(),
        })
        .partial()
        .optional(),
      editIntervalMs: z.number().min(0).optional(),
    })
    .optional(),
  discord: z
    .object({
      appId: z.string().optional(),
      publicKey: z.string().optional(),
      botToken: z.string().optional(),
      users: ids,
      guilds: ids,
      apiBase: z.string().optional(),
      channel: z.string().optional(),
      host: z.string().optional(),
      port: z.number().optional(),
      editIntervalMs: z.number().min(0).optional(),
    })
    .optional(),
});

type FileSection = z.infer<typeof fileSchema>;
/** Numeric ids from an env list (comma-separated) or the file's; a bad one is a problem, left out. */
type IdsReader = (
  envValue: string | undefined,
  fileValue: (string | number)[] | undefined,
  what: string,
) => Set<string>;

/** Reads the configuration; `baseUrl` (the Gluon server) is the default public URL. */
export function loadBotsConfig(opts: { env: NodeJS.ProcessEnv; home: string; baseUrl: string }): BotsConfig {
  const { env } = opts;
  const problems: string[] = [];
  const file = readSection(opts.home, problems);
  const ids: IdsReader = (envValue, fileValue, what) => {
    const values =
      envValue !== undefined
        ? envValue
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : (fileValue ?? []).map(String);
    const bad = values.filter((v) => !/^-?\d{1,25}$/.test(v));
    if (bad.length) problems.push(`${what} must be numeric ids, not: ${bad.join(', ')}`);
    return new Set(values.filter((v) => !bad.includes(v)));
  };
  const seconds = env.GLUON_NOTIFY_ESCALATE_SECONDS ?? file.escalateAfterSeconds;
  const escalate = Number(seconds ?? 180);
  if (!Number.isFinite(escalate) || escalate < 0)
    problems.push('GLUON_NOTIFY_ESCALATE_SECONDS must be a number of seconds');
  return {
    publicUrl: (env.GLUON_PUBLIC_URL || file.publicUrl || opts.baseUrl).replace(/\/+$/, ''),
    escalateAfterMs: Number.isFinite(escalate) && escalate >= 0 ? escalate * 1000 : 180_000,
    telegram: readTelegram(env, file.telegram ?? {}, ids),
    discord: readDiscord(env, file.discord ?? {}, ids, problems),
    problems,
  };
}

/** Telegram is on when it has a token. */
function readTelegram(
  env: NodeJS.ProcessEnv,
  t: NonNullable<FileSection['telegram']>,
  ids: IdsReader,
): TelegramConfig | null {
  const token = env.GLUON_TELEGRAM_TOKEN || t.token;
  if (!token) return null;
  const webhookUrl = env.GLUON_TELEGRAM_WEBHOOK_URL || t.webhook?.url;
  return {
    token,
    users: ids(env.GLUON_TELEGRAM_USERS, t.users, 'GLUON_TELEGRAM_USERS'),
    apiRoot: (env.GLUON_TELEGRAM_API_ROOT || t.apiRoot)?.replace(/\/+$/, ''),
    notifyChats: [...ids(env.GLUON_TELEGRAM_CHAT, t.notifyChats, 'GLUON_TELEGRAM_CHAT')],
    webhook: webhookUrl
      ? {
          url: webhookUrl,
          secret: env.GLUON_TELEGRAM_WEBHOOK_SECRET || t.webhook?.secret,
          host: env.GLUON_TELEGRAM_WEBHOOK_HOST || t.webhook?.host || '127.0.0.1',
          port: Number(env.GLUON_TELEGRAM_WEBHOOK_PORT || (t.webhook?.port ?? 45868)),
        }
      : null,
    pacing: { ...DEFAULT_PACING, ...t.pacing },
    editIntervalMs: t.editIntervalMs ?? 3000,
    maxFollowMs: 30 * 60_000,
  };
}

/** Discord is on when its app id, public key (64 hex digits) and bot token are all there. */
function readDiscord(
  env: NodeJS.ProcessEnv,
  d: NonNullable<FileSection['discord']>,
  ids: IdsReader,
  problems: string[],
): DiscordConfig | null {
  const appId = env.GLUON_DISCORD_APP_ID || d.appId;
  const publicKey = env.GLUON_DISCORD_PUBLIC_KEY || d.publicKey;
  const botToken = env.GLUON_DISCORD_BOT_TOKEN || d.botToken;
  const given = [appId, publicKey, botToken].filter(Boolean).length;
  if (given > 0 && given < 3)
    problems.push(
      'Discord needs GLUON_DISCORD_APP_ID, GLUON_DISCORD_PUBLIC_KEY and GLUON_DISCORD_BOT_TOKEN together',
    );
  if (publicKey && !/^[0-9a-f]{64}$/i.test(publicKey))
    problems.push('GLUON_DISCORD_PUBLIC_KEY must be 64 hex digits');
  if (!appId || !publicKey || !botToken || !/^[0-9a-f]{64}$/i.test(publicKey)) return null;
  return {
    appId,
    publicKey: publicKey.toLowerCase(),
    botToken,
    users: ids(env.GLUON_DISCORD_USERS, d.users, 'GLUON_DISCORD_USERS'),
    guilds: ids(env.GLUON_DISCORD_GUILDS, d.guilds, 'GLUON_DISCORD_GUILDS'),
    apiBase: (env.GLUON_DISCORD_API_BASE || d.apiBase || 'https://discord.com/api/v10').replace(/\/+$/, ''),
    notifyChannel: env.GLUON_DISCORD_CHANNEL || d.channel || null,
    listen: {
      host: env.GLUON_DISCORD_HOST || d.host || '127.0.0.1',
      port: Number(env.GLUON_DISCORD_PORT || (d.port ?? 45869)),
    },
    editIntervalMs: d.editIntervalMs ?? 1500,
    // Interaction tokens live 15 minutes; stop editing a little before.
    maxFollowMs: 14 * 60_000,
  };
}

function readSection(home: string, problems: string[]): FileSection {
  const file = path.join(home, 'config.json');
  if (!existsSync(file)) return {};
  try {
    const raw = (JSON.parse(readFileSync(file, 'utf8')) as { bots?: unknown }).bots ?? {};
    const parsed = fileSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    problems.push(`the "bots" section of ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  } catch (error) {
    problems.push(`cannot read ${file}: ${(error as Error).message}`);
  }
  return {};
}

/** Whether any chat surface is configured (or half-configured, to report it); loads no bot library. */
export function botsConfigured(env: NodeJS.ProcessEnv, home: string): boolean {
  const config = loadBotsConfig({ env, home, baseUrl: 'http://127.0.0.1' });
  return config.telegram !== null || config.discord !== null || config.problems.length > 0;
}
