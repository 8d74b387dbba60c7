/**
 * Discord's REST API, the few routes the bot uses: register slash commands, edit an interaction's
 * reply, send follow-ups, and post notifications to a channel. It honours Discord's rate limits: a bucket
 * whose `X-RateLimit-Remaining` is 0 waits `X-RateLimit-Reset-After`, and a 429 waits its `retry_after`
 * and is retried; an edit of an interaction Discord does not know yet is retried shortly. The base URL is
 * configurable (GLUON_DISCORD_API_BASE) so tests use a fake.
 */

/** A message as Discord's REST API takes it. */
export interface DiscordMessage {
  content?: string;
  components?: unknown[];
  flags?: number;
  allowed_mentions?: { parse: string[] };
}

export class DiscordApiError extends Error {
  override readonly name = 'DiscordApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DiscordRestOptions {
  apiBase: string;
  appId: string;
  botToken: string;
  /** How many times a request answered 429 is retried. */
  maxRetries?: number;
  fetch?: typeof fetch;
}

/** Discord's error code for an interaction token it does not know (yet). */
const UNKNOWN_WEBHOOK = 10015;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDiscordRest(opts: DiscordRestOptions) {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const maxRetries = opts.maxRetries ?? 3;
  const blockedUntil = new Map<string, number>();
  let globalUntil = 0;

  /** The rate-limit bucket of a route: its method and path with ids of tokens and messages folded. */
  const bucketOf = (method: string, path: string) =>
    `${method} ${path.replace(/\/messages\/\d+/, '/messages/:id')}`;

  async function request<T>(method: string, path: string, body?: unknown, auth = false): Promise<T> {
    const bucket = bucketOf(method, path);
    for (let attempt = 0; ; attempt++) {
      const wait = Math.max(globalUntil, blockedUntil.get(bucket) ?? 0) - Date.now();
      if (wait > 0) await sleep(wait);
      const response = await doFetch(`${opts.apiBase}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'DiscordBot (https://github.com/gluon, 0.1)',
          ...(auth ? { authorization: `Bot ${opts.botToken}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      const data = parseObject(text);
      const remaining = response.headers.get('x-ratelimit-remaining');
      const resetAfter = Number(response.headers.get('x-ratelimit-reset-after') ?? 0);
      if (remaining === '0') blockedUntil.set(bucket, Date.now() + resetAfter * 1000);
      if (response.status === 429 && attempt < maxRetries) {
        const retryMs = Number(data.retry_after ?? (resetAfter || 1)) * 1000;
        if (data.global === true) globalUntil = Date.now() + retryMs;
        else blockedUntil.set(bucket, Date.now() + retryMs);
        continue;
      }
      // An edit can reach Discord before it has taken our answer to the interaction: try again shortly.
      if (
        response.status === 404 &&
        data.code === UNKNOWN_WEBHOOK &&
        path.startsWith('/webhooks/') &&
        attempt < maxRetries
      ) {
        await sleep(250 * 2 ** attempt);
        continue;
      }
      if (!response.ok)
        throw new DiscordApiError(
          response.status,
          `Discord answered ${response.status} to ${method} ${path}: ${String(data.message ?? text)}`,
        );
      return data as T;
    }
  }

  const webhook = (token: string) => `/webhooks/${opts.appId}/${encodeURIComponent(token)}`;
  return {
    /** Replaces the application's global slash commands. */
    registerCommands: (commands: unknown[]) =>
      request('PUT', `/applications/${opts.appId}/commands`, commands, true),
    /** Edits the reply to an interaction (the deferred "thinking…" message, or the message of a button). */
    editOriginal: (token: string, message: DiscordMessage) =>
      request<{ id: string }>('PATCH', `${webhook(token)}/messages/@original`, message),
    followUp: (token: string, message: DiscordMessage) =>
      request<{ id: string }>('POST', webhook(token), message),
    /** Posts a message to a channel as the bot. */
    createMessage: (channelId: string, message: DiscordMessage) =>
      request<{ id: string }>('POST', `/channels/${encodeURIComponent(channelId)}/messages`, message, true),
  };
}

export type DiscordRest = ReturnType<typeof createDiscordRest>;

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return { message: text.slice(0, 200) };
  }
}
