/**
 * Webhook mode for the Telegram bot: a small HTTP listener for Telegram's POSTs, registered with
 * `setWebhook` and a secret token that grammY checks on every request (a wrong or missing
 * `X-Telegram-Bot-Api-Secret-Token` is a 401 before the update is read).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { webhookCallback, type Bot } from 'grammy';

export interface TelegramWebhookOptions {
  /** The public HTTPS URL Telegram posts to (its path is the path served here). */
  url: string;
  /** The secret token (1-256 of A-Za-z0-9_-); a fresh random one per start when not configured. */
  secret?: string;
  host: string;
  port: number;
}

/** Starts listening, registers the webhook, and resolves with a function that stops listening. */
export async function startTelegramWebhook(
  bot: Bot,
  opts: TelegramWebhookOptions,
): Promise<() => Promise<void>> {
  const secret = opts.secret ?? randomBytes(32).toString('hex');
  const path = new URL(opts.url).pathname;
  const handle = webhookCallback(bot, 'http', { secretToken: secret });
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== path) {
      res.writeHead(404).end();
      return;
    }
    handle(req, res).catch(() => {
      // The update was handled as far as possible (errors are logged by bot.catch); Telegram must not retry it.
      if (!res.headersSent) res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  await bot.api.setWebhook(opts.url, {
    secret_token: secret,
    allowed_updates: ['message', 'callback_query'],
  });
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}
